/**
 * What a set of live resources opens, read the way the policy pack reads any firewall (clouds/<cloud>/policy.ts):
 * a packet passes the first rule that matches it by priority, allow or deny, and nothing when none does; it leaves
 * when some resource holds an outbound rule. `plan --diff` judges each state of an update with it; the tests judge
 * with their own evaluators as well.
 */
import { addressBits, contains, unionByFamily, type Interval } from "../contract/addressSet";
import type { Family } from "../contract/cidr";
import { familyOf } from "../contract/cidr";
import { cloudOf } from "../clouds/registry";
import type { ObservedRule } from "../clouds/observed";
import type { Admits, Packet } from "./simulate";

interface Compiled {
    rule: ObservedRule;
    sets: Record<Family, Interval[]>;
}

export function admitsOf(cloudName: string): Admits {
    const cloud = cloudOf(cloudName);
    return (live) => {
        const rules: Compiled[] = [];
        let egress = 0;
        for (const r of live) {
            if (!cloud.policy.types.includes(r.type)) continue;
            const reading = cloud.policy.read(r.type, `urn:${r.type}::${r.name}`, r.inputs);
            if (!reading) continue;
            egress += reading.egressRules;
            for (const rule of reading.ingress) rules.push({ rule, sets: unionByFamily(rule.sources.flatMap((s) => s.cidrs)) });
        }
        rules.sort((a, b) => a.rule.priority - b.rule.priority);
        return (p: Packet) => {
            if (p.direction === "out") return egress > 0;
            const family = familyOf(p.address);
            const bits = addressBits(p.address);
            const match = rules.find(
                ({ rule, sets }) =>
                    rule.protocols.includes(p.protocol) &&
                    rule.ports.some((r) => r.from <= p.port && p.port <= r.to) &&
                    contains(sets[family], bits),
            );
            return match?.rule.action === "allow";
        };
    };
}
