/**
 * Hetzner Cloud firewalls, from registered inputs. Semantics (../shared/cloud-facts.md, Hetzner API docs
 * and FAQ): stateful, so replies need no rule; every firewall applied to a server combines as a union;
 * inbound is denied unless a rule allows it; **outbound is allowed while none of the server's firewalls
 * has an outbound rule, and denied unless a rule allows it as soon as one has any**. A rule's `port` is
 * "80", "50000-60000" or "any"; an inbound rule needs its `sourceIps`.
 */
import type { RecordedResource } from "../../src/cli/mockRun";
import { matcher, type CompiledRule, type Evaluator } from "./packet";

function compile(rule: Record<string, any>): CompiledRule {
    const [from, to] = rule.port === "any" || rule.port === undefined ? [1, 65535] : String(rule.port).split("-").map(Number);
    const remote: string[] = rule.direction === "in" ? (rule.sourceIps ?? []) : (rule.destinationIps ?? []);
    if (rule.direction === "in" && remote.length === 0) throw new Error("Hetzner refuses an inbound rule without sourceIps");
    return { direction: rule.direction, protocol: rule.protocol, from: from!, to: to ?? from!, contains: matcher(remote) };
}

export function hetznerEvaluator(resources: RecordedResource[]): Evaluator {
    const rules = resources
        .filter((r) => r.type === "hcloud:index/firewall:Firewall")
        .flatMap((r) => ((r.inputs.rules as any[]) ?? []).map(compile));
    const outboundRuled = rules.some((r) => r.direction === "out");
    return (p) => {
        if (p.direction === "out" && !outboundRuled) return true;
        return rules.some(
            (r) => r.direction === p.direction && r.protocol === p.protocol && r.from <= p.port && p.port <= r.to && r.contains(p.address),
        );
    };
}
