/** The (protocol, port) pairs a plan opens, and who may reach each: shared by listen and probe. */
import * as ipaddr from "ipaddr.js";
import type { Protocol } from "../contract/presets";
import type { RulePlan } from "../plan/plan";

export interface Target {
    protocol: Protocol;
    port: number;
}

/** Every (protocol, port) any rule opens, to anyone. */
export function openedPorts(plan: RulePlan): Target[] {
    const seen = new Set<string>();
    const out: Target[] = [];
    for (const flow of plan.flows) {
        for (let port = flow.ports.from; port <= flow.ports.to; port++) {
            const key = `${flow.protocol}/${port}`;
            if (seen.has(key)) continue;
            seen.add(key);
            out.push({ protocol: flow.protocol, port });
        }
    }
    return out;
}

/** `::ffff:198.18.0.2` (a dual-stack socket's view of an IPv4 peer) → `198.18.0.2`. */
export function plainAddress(address: string): string {
    const parsed = ipaddr.parse(address);
    return parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress() ? (parsed as ipaddr.IPv6).toIPv4Address().toString() : parsed.toString();
}

/** Whether the plan admits `address` to `protocol`/`port`. */
export function admits(plan: RulePlan, protocol: Protocol, port: number, address: string): boolean {
    const parsed = ipaddr.parse(plainAddress(address));
    return plan.flows.some((f) => {
        if (f.protocol !== protocol || port < f.ports.from || port > f.ports.to) return false;
        const [net, prefix] = f.cidr.split("/");
        const range = ipaddr.parse(net!);
        return range.kind() === parsed.kind() && parsed.match(range, Number(prefix));
    });
}
