/**
 * Linode Cloud Firewalls, from registered inputs. Semantics (Linode API, Firewall rules; Akamai Cloud Firewall docs):
 * stateful; inbound rules are evaluated in order and the first that matches decides (ACCEPT or DROP), then
 * `inboundPolicy`; outbound likewise with `outbounds` and `outboundPolicy`. A rule's `ports` is "22, 80-90" (at most
 * 15 pieces, a range counting two; absent: every port), its addresses `ipv4s` and `ipv6s` (at least one). A Linode
 * takes one enabled firewall, so the evaluator refuses two.
 */
import type { RecordedResource } from "../../src/cli/mockRun";
import { matcher, type Evaluator, type Packet } from "./packet";

interface Compiled {
    accept: boolean;
    protocol: string;
    ranges: [number, number][];
    contains: (a: string) => boolean;
}

function compile(rule: Record<string, any>): Compiled {
    const addresses: string[] = [...(rule.ipv4s ?? []), ...(rule.ipv6s ?? [])];
    if (addresses.length === 0) throw new Error("Linode refuses a rule without addresses");
    const pieces =
        rule.ports === undefined
            ? ["1-65535"]
            : String(rule.ports)
                  .split(",")
                  .map((p) => p.trim());
    const ranges = pieces.map((p) => {
        const [from, to] = p.split("-").map(Number);
        return [from!, to ?? from!] as [number, number];
    });
    if (rule.ports !== undefined && ranges.reduce((n, [a, b]) => n + (a === b ? 1 : 2), 0) > 15)
        throw new Error(`Linode refuses more than 15 port pieces: "${rule.ports}"`);
    return { accept: rule.action === "ACCEPT", protocol: rule.protocol, ranges, contains: matcher(addresses) };
}

const matches = (r: Compiled, p: Packet) =>
    r.protocol === p.protocol.toUpperCase() && r.ranges.some(([a, b]) => a <= p.port && p.port <= b) && r.contains(p.address);

export function linodeEvaluator(resources: RecordedResource[]): Evaluator {
    const firewalls = resources.filter((r) => r.type === "linode:index/firewall:Firewall").map((r) => r.inputs as Record<string, any>);
    if (firewalls.length !== 1) throw new Error(`a Linode takes one enabled firewall, not ${firewalls.length}`);
    const fw = firewalls[0]!;
    const inbound = ((fw.inbounds as any[]) ?? []).map(compile);
    const outbound = ((fw.outbounds as any[]) ?? []).map(compile);
    if (inbound.length + outbound.length > 25) throw new Error("Linode refuses more than 25 rules in a firewall");
    return (p) => {
        const rules = p.direction === "in" ? inbound : outbound;
        const hit = rules.find((r) => matches(r, p));
        if (hit) return hit.accept;
        return (p.direction === "in" ? fw.inboundPolicy : fw.outboundPolicy) === "ACCEPT";
    };
}
