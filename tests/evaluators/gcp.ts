/**
 * GCP VPC firewall rules, from registered inputs. Semantics (../shared/cloud-facts.md, GCP;
 * Google Cloud "VPC firewall rules"):
 * - a rule applies to an instance when it has no targetTags or shares one with the instance;
 * - the matching rule with the lowest priority number wins (default 1000); at equal priority a
 *   deny beats an allow;
 * - implied rules at the lowest priority: deny all ingress, allow all egress;
 * - sourceRanges (ingress) / destinationRanges (egress) select the remote address.
 */
import type { RecordedResource } from "../../src/cli/mockRun";
import { matcher, portSpan, type Evaluator, type Packet } from "./packet";

interface CompiledRule {
    direction: string;
    priority: number;
    deny: boolean;
    entries: { protocol: string; ports: [number, number][] }[];
    contains: (a: string) => boolean;
}

function compile(inputs: Record<string, any>): CompiledRule {
    const deny = Array.isArray(inputs.denies) && inputs.denies.length > 0;
    const direction = inputs.direction ?? "INGRESS";
    return {
        direction,
        priority: inputs.priority ?? 1000,
        deny,
        entries: (deny ? inputs.denies : (inputs.allows ?? [])).map((a: any) => ({
            protocol: a.protocol,
            ports: a.ports ? a.ports.map(portSpan) : [[1, 65535]],
        })),
        // GCP: an ingress rule without sources (no ranges, tags or accounts) applies to 0.0.0.0/0.
        contains: matcher(
            direction === "INGRESS"
                ? inputs.sourceRanges?.length
                    ? inputs.sourceRanges
                    : ["0.0.0.0/0"]
                : (inputs.destinationRanges ?? ["0.0.0.0/0", "::/0"]),
        ),
    };
}

const matches = (r: CompiledRule, p: Packet) =>
    r.direction === (p.direction === "in" ? "INGRESS" : "EGRESS") &&
    r.contains(p.address) &&
    r.entries.some((e) => (e.protocol === "all" || e.protocol === p.protocol) && e.ports.some(([a, b]) => a <= p.port && p.port <= b));

export function gcpEvaluator(resources: RecordedResource[], instanceTags: readonly string[]): Evaluator {
    const rules = resources
        .filter((r) => r.type === "gcp:compute/firewall:Firewall" && r.inputs.disabled !== true)
        .filter(
            (r) =>
                !(r.inputs.targetTags as string[] | undefined)?.length ||
                (r.inputs.targetTags as string[]).some((t) => instanceTags.includes(t)),
        )
        .map((r) => compile(r.inputs));
    return (p) => {
        const hits = rules.filter((r) => matches(r, p));
        if (!hits.length) return p.direction === "out"; // implied rules
        const best = Math.min(...hits.map((r) => r.priority));
        return !hits.some((r) => r.priority === best && r.deny);
    };
}
