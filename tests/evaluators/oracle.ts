/** What the spec says, independent of any mapping: is this packet meant to be allowed? */
import type { FirewallSpec } from "../../src/contract/types";
import { matcher, type Evaluator } from "./packet";

export function specOracle(spec: FirewallSpec): Evaluator {
    const rules = spec.rules.map((rule) => {
        const sources = [...rule.from.cidrs.map((c) => c.text)];
        if (rule.from.public) sources.push("0.0.0.0/0", ...(spec.ipv6 ? ["::/0"] : []));
        if (rule.from.admin) sources.push(...spec.adminCidrs.map((c) => c.text));
        return { protocols: rule.protocols as string[], ports: rule.ports, contains: matcher(sources) };
    });
    return (p) =>
        p.direction === "out" || // egress to the internet must work on every cloud
        rules.some(
            (r) => r.protocols.includes(p.protocol) && r.ports.some((x) => x.from <= p.port && p.port <= x.to) && r.contains(p.address),
        );
}
