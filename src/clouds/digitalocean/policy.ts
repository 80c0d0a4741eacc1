/**
 * DigitalOcean Cloud Firewalls (@pulumi/digitalocean `Firewall`): `inboundRules`/`outboundRules` of
 * `{protocol, portRange, sourceAddresses, sourceTags, sourceDropletIds, ...}`; `portRange` `"all"`
 * (or none) is every port. "If no outbound rules are configured, no outbound traffic is permitted"
 * (DigitalOcean docs, "How to configure firewall rules"). A Droplet in several firewalls gets their
 * union; each firewall is judged as a whole here.
 */
import { at, portsOfText, protocolsOf, Reader, sourceOf, type Reading } from "../observed";

export const DIGITALOCEAN_TYPES = { firewall: "digitalocean:index/firewall:Firewall" } as const;

/**
 * Every port, as DigitalOcean's API spells it: `"0"` when all ports are open for a protocol; its Terraform
 * provider documents `"all"` and passes either through.
 */
export const ALL_PORTS_SPELLINGS: readonly string[] = ["all", "0"];

const NO_EGRESS =
    "DigitalOcean then permits no outbound traffic at all, so the server cannot send media or reach " +
    'STUN/TURN peers; add outboundRules for tcp and udp (portRange "all") and icmp to 0.0.0.0/0 and ::/0';

const NAMED_SOURCES = ["sourceTags", "sourceDropletIds", "sourceLoadBalancerUids", "sourceKubernetesIds"];

export function readDigitalOcean(type: string, urn: string, props: Record<string, any>): Reading | undefined {
    // Stryker disable next-line ConditionalExpression: readers/index.ts only calls a reader for its own types
    if (type !== DIGITALOCEAN_TYPES.firewall) return undefined;
    const r = new Reader();
    const ingress = r.list(
        "inboundRules",
        () => props.inboundRules,
        (item, path) => {
            const portRange = r.known(at(path, "portRange"), () => item.portRange);
            const range = portsOfText(portRange, ALL_PORTS_SPELLINGS);
            const addresses = r.strings(at(path, "sourceAddresses"), () => item.sourceAddresses).map(sourceOf);
            const named = NAMED_SOURCES.flatMap((key) =>
                r.list(
                    at(path, key),
                    () => item[key],
                    (v) => ({ text: String(v), cidrs: [] }),
                ),
            );
            return {
                urn,
                label: path,
                action: "allow" as const,
                priority: 0,
                protocols: protocolsOf(r.known(at(path, "protocol"), () => item.protocol)),
                ports: range ? [range] : [],
                sources: [...addresses, ...named],
            };
        },
    );
    const egress = r.list(
        "outboundRules",
        () => props.outboundRules,
        (item) => item,
    );
    return { ingress, egressRules: egress.length, unknowns: r.unknowns, groupKeys: [], noEgressMeans: NO_EGRESS, tags: {} };
}
