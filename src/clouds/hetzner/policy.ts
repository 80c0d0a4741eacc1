/**
 * Hetzner Cloud firewalls (@pulumi/hcloud `Firewall`, bridged from terraform-provider-hcloud):
 * `rules` of `{direction: in|out, protocol, port ("443", "80-85", "any"), sourceIps}`. Outbound is
 * all allowed while a server's firewalls have no outbound rule (Hetzner Cloud FAQ), so no egress
 * check applies. `labels` carry the exemption tags.
 */
import { at, portsOfText, protocolsOf, Reader, sourceOf, type Reading } from "../observed";

export const HETZNER_TYPES = { firewall: "hcloud:index/firewall:Firewall" } as const;

/** Every port, as Hetzner's `port: "any"` (Hetzner Cloud API, firewall rules). */
export const ALL_PORTS_SPELLINGS: readonly string[] = ["any"];

export function readHetzner(type: string, urn: string, props: Record<string, any>): Reading | undefined {
    // Stryker disable next-line ConditionalExpression: readers/index.ts only calls a reader for its own types
    if (type !== HETZNER_TYPES.firewall) return undefined;
    const r = new Reader();
    let egressRules = 0;
    const ingress = r.list(
        "rules",
        () => props.rules,
        (item, path) => {
            const direction = r.known(at(path, "direction"), () => item.direction);
            if (direction !== "in") {
                if (direction === "out") egressRules++;
                return undefined;
            }
            const range = portsOfText(
                r.known(at(path, "port"), () => item.port),
                ALL_PORTS_SPELLINGS,
            );
            const sources = r.strings(at(path, "sourceIps"), () => item.sourceIps).map(sourceOf);
            return {
                urn,
                label: path,
                action: "allow" as const,
                priority: 0,
                protocols: protocolsOf(r.known(at(path, "protocol"), () => item.protocol)),
                ports: range ? [range] : [],
                sources,
            };
        },
    );
    const tags = r.tags("labels", () => props.labels);
    return { ingress, egressRules, unknowns: r.unknowns, groupKeys: [], tags };
}
