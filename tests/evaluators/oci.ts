/**
 * Oracle Cloud network security groups, from registered inputs. Semantics (OCI docs "Security Rules",
 * "Network Security Groups"): every rule of every NSG a VNIC is in combines as a union; what no rule
 * allows is denied, in both directions (an NSG has no implied egress); a stateful rule admits the
 * replies. An INGRESS rule has one `source` (a CIDR here); `protocol` is "all" or an IANA number
 * ("6" TCP, "17" UDP); `tcpOptions`/`udpOptions.destinationPortRange {min, max}` limit its ports
 * (omitted: every port). Stateless rules are not produced, so are not modelled.
 */
import type { RecordedResource } from "../../src/cli/mockRun";
import { matcher, type CompiledRule, type Evaluator } from "./packet";

const PROTOCOL: Record<string, string> = { tcp: "6", udp: "17" };

function compile(rule: Record<string, any>): CompiledRule {
    if (rule.stateless !== false) throw new Error("the evaluator models stateful rules only");
    const remote = rule.direction === "INGRESS" ? rule.source : rule.destination;
    if (typeof remote !== "string")
        throw new Error(`an ${rule.direction} rule without a ${rule.direction === "INGRESS" ? "source" : "destination"}`);
    const range = (rule.tcpOptions ?? rule.udpOptions)?.destinationPortRange;
    return {
        direction: rule.direction === "INGRESS" ? "in" : "out",
        protocol: rule.protocol,
        from: range?.min ?? 1,
        to: range?.max ?? 65535,
        contains: matcher([remote]),
    };
}

export function ociEvaluator(resources: RecordedResource[]): Evaluator {
    const rules = resources
        .filter((r) => r.type === "oci:Core/networkSecurityGroupSecurityRule:NetworkSecurityGroupSecurityRule")
        .map((r) => compile(r.inputs as Record<string, any>));
    return (p) =>
        rules.some(
            (r) =>
                r.direction === p.direction &&
                (r.protocol === "all" || r.protocol === PROTOCOL[p.protocol]) &&
                r.from <= p.port &&
                p.port <= r.to &&
                r.contains(p.address),
        );
}
