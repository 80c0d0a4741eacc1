/**
 * Linode Cloud Firewalls (@pulumi/linode `Firewall`): `inbounds` of `{action: ACCEPT|DROP, protocol: TCP|UDP|ICMP|
 * IPENCAP, ports ("22, 80-90"; absent: every port), ipv4s, ipv6s}`, evaluated in order (the first match wins), then
 * `inboundPolicy`. Outbound is `outboundPolicy` unless an outbound rule says otherwise (Linode API, Firewall rules).
 */
import { at, portsOfText, protocolsOf, Reader, sourceOf, worldSource, type ObservedRule, type Reading } from "../observed";
import type { PortRange } from "../../contract/ports";

export const LINODE_TYPES = { firewall: "linode:index/firewall:Firewall" } as const;

const NO_EGRESS =
    "a Linode firewall whose outboundPolicy is DROP, with no outbound ACCEPT rule, stops the server sending media or " +
    'reaching STUN/TURN peers; set outboundPolicy: "ACCEPT"';

/** Each comma-separated piece of a ports string as a range; none written: every port. */
export function rangesOf(text: unknown): PortRange[] {
    const pieces = typeof text === "string" ? text.split(",") : [""];
    return pieces.map((piece) => portsOfText(piece, [])).filter((p): p is PortRange => p !== undefined);
}

export function readLinode(type: string, urn: string, props: Record<string, any>): Reading | undefined {
    // Stryker disable next-line ConditionalExpression: readers/index.ts only calls a reader for its own types
    if (type !== LINODE_TYPES.firewall) return undefined;
    const r = new Reader();
    let order = 0;
    const ingress = r.list(
        "inbounds",
        () => props.inbounds,
        (item, path): ObservedRule => ({
            urn,
            label: path,
            action: r.known(at(path, "action"), () => item.action) === "DROP" ? "deny" : "allow",
            priority: order++,
            protocols: protocolsOf(r.known(at(path, "protocol"), () => item.protocol)),
            ports: rangesOf(r.known(at(path, "ports"), () => item.ports)),
            sources: [...r.strings(at(path, "ipv4s"), () => item.ipv4s), ...r.strings(at(path, "ipv6s"), () => item.ipv6s)].map(sourceOf),
        }),
    );
    // An inbound policy of ACCEPT lets in everything no rule dropped first: the world, on every port.
    if (r.known("inboundPolicy", () => props.inboundPolicy) === "ACCEPT")
        ingress.push({
            urn,
            label: "inboundPolicy",
            action: "allow",
            priority: order,
            protocols: ["tcp", "udp"],
            ports: rangesOf(undefined),
            sources: [worldSource("inboundPolicy ACCEPT")],
        });
    const outboundPolicy = r.known("outboundPolicy", () => props.outboundPolicy);
    const outbound = r.list(
        "outbounds",
        () => props.outbounds,
        (item, path) => r.known(at(path, "action"), () => item.action),
    );
    return {
        ingress,
        egressRules: outboundPolicy === "DROP" ? outbound.filter((a) => a === "ACCEPT").length : 1,
        unknowns: r.unknowns,
        groupKeys: [],
        noEgressMeans: NO_EGRESS,
        tags: Object.fromEntries(r.strings("tags", () => props.tags).map((t) => [t, ""])),
    };
}
