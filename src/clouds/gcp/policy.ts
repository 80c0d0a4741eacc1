/**
 * GCP VPC firewall rules (@pulumi/gcp `compute.Firewall`, bridged from terraform-provider-google).
 * Each rule is a resource of its own that joins a network; `targetTags`/`targetServiceAccounts` pick
 * the instances, none means every instance. An ingress rule with no `sourceRanges`, `sourceTags` or
 * `sourceServiceAccounts` is open to 0.0.0.0/0 (Google Cloud, "VPC firewall rules": sources). Lower
 * priority numbers win; at equal priority a deny beats an allow. Disabled rules do nothing.
 */
import { ANY_IPV4, cidrOf } from "../../contract/cidr";
import { at, portsOfText, protocolsOf, Reader, sourceOf, type ObservedRule, type Reading, type Source } from "../observed";

export const GCP_TYPES = { firewall: "gcp:compute/firewall:Firewall", network: "gcp:compute/network:Network" } as const;

/** Every port, as GCP has no word for it: an `allows` entry without `ports` is every port (Compute Engine firewall docs). */
export const ALL_PORTS_SPELLINGS: readonly string[] = [];

type Props = Record<string, any>;

/**
 * A network as GCP's API names it: its project and its name (`projects/<p>/global/networks/<name>`; every
 * project has its own `default`). The project comes from a self link or a relative path, else from the
 * resource's `project`; a resource that names neither is in its provider's project, written `(provider)`.
 */
function networkKey(value: unknown, project: unknown): string | undefined {
    if (typeof value !== "string" || !value.trim()) return undefined;
    const parts = value.trim().split("/");
    const at = parts.lastIndexOf("projects");
    const owner = at >= 0 && parts[at + 1] ? parts[at + 1] : typeof project === "string" && project.trim() ? project.trim() : "(provider)";
    return `gcp:${owner}/${parts[parts.length - 1]}`;
}

function sourcesOf(r: Reader, props: Props): Source[] {
    const ranges = r.strings("sourceRanges", () => props.sourceRanges).map(sourceOf);
    const tags = r.strings("sourceTags", () => props.sourceTags);
    const accounts = r.strings("sourceServiceAccounts", () => props.sourceServiceAccounts);
    const named = [...tags, ...accounts].map((text) => ({ text, cidrs: [] }));
    if (ranges.length || named.length || r.unknowns.some((u) => u.startsWith("source"))) return [...ranges, ...named];
    return [{ text: `no sourceRanges (GCP reads that as ${ANY_IPV4})`, cidrs: [cidrOf(ANY_IPV4)], implicit: true }];
}

function entries(
    r: Reader,
    urn: string,
    props: Props,
    key: "allows" | "denies",
    base: Omit<ObservedRule, "label" | "action" | "protocols" | "ports">,
): ObservedRule[] {
    return r.list(
        key,
        () => props[key],
        (item, path) => {
            const protocol = r.known(at(path, "protocol"), () => item.protocol);
            const ports = r.known(at(path, "ports"), () => item.ports);
            const texts = Array.isArray(ports) && ports.length ? r.strings(at(path, "ports"), () => ports) : [undefined];
            const ranges = texts.map((t) => portsOfText(t, ALL_PORTS_SPELLINGS)).filter((p) => p !== undefined);
            return {
                ...base,
                urn,
                label: path,
                action: key === "allows" ? "allow" : "deny",
                protocols: protocolsOf(protocol),
                ports: ranges,
            };
        },
    );
}

export function readGcp(type: string, urn: string, props: Props): Reading | undefined {
    const r = new Reader();
    if (type === GCP_TYPES.network) {
        const project = r.known("project", () => props.project);
        const keys = [
            networkKey(
                r.known("name", () => props.name),
                project,
            ),
            networkKey(
                r.known("selfLink", () => props.selfLink),
                project,
            ),
        ];
        return { ingress: [], egressRules: 0, unknowns: [], groupKeys: keys.filter((k): k is string => !!k), tags: {} };
    }
    if (type !== GCP_TYPES.firewall) return undefined;
    const direction = String(r.known("direction", () => props.direction) ?? "INGRESS").toUpperCase();
    const disabled = r.known("disabled", () => props.disabled) === true;
    const joins = {
        property: "network",
        key: networkKey(
            r.known("network", () => props.network),
            r.known("project", () => props.project),
        ),
    };
    const reading: Reading = { ingress: [], egressRules: 0, unknowns: r.unknowns, joins, tags: {} };
    if (disabled || direction !== "INGRESS") return reading;
    const priority = r.known("priority", () => props.priority);
    const targets = [
        ...r.strings("targetTags", () => props.targetTags),
        ...r.strings("targetServiceAccounts", () => props.targetServiceAccounts),
    ];
    const base = {
        urn,
        priority: typeof priority === "number" ? priority : 1000,
        sources: sourcesOf(r, props),
        targets: targets.length ? targets : undefined,
    };
    reading.ingress = [...entries(r, urn, props, "allows", base), ...entries(r, urn, props, "denies", base)];
    return reading;
}
