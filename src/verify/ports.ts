/** The (protocol, port) pairs a plan opens, and who may reach each: shared by listen and probe. */
import * as ipaddr from "ipaddr.js";
import type { Protocol } from "../contract/types";
import type { RulePlan } from "../plan/plan";
import { plainAddress } from "./wire";

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

/** Whether the plan admits `address` to `protocol`/`port`; an address that does not parse is admitted nowhere. */
export function admits(plan: RulePlan, protocol: Protocol, port: number, address: string): boolean {
    const plain = plainAddress(address);
    if (!plain) return false;
    const parsed = ipaddr.parse(plain);
    return plan.flows.some((f) => {
        if (f.protocol !== protocol || port < f.ports.from || port > f.ports.to) return false;
        const [net, prefix] = f.cidr.split("/");
        const range = ipaddr.parse(net!);
        return range.kind() === parsed.kind() && parsed.match(range, Number(prefix));
    });
}
