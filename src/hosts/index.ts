/** Host firewalls rendered from the same plan as the clouds: nftables, ufw, and cloud-init for the first. */
import type { RulePlan } from "../plan/plan";
import { renderCloudInit } from "./cloudInit";
import { renderNftables } from "./nftables";
import { renderUfw } from "./ufw";
import { reservedPortsSysctl } from "./relayLockdown";

export interface HostFirewalls {
    nftables: string;
    ufw: string;
    cloudInit: string;
}

export function renderHostFirewalls(plan: RulePlan): HostFirewalls {
    const nftables = renderNftables(plan);
    return { nftables, ufw: renderUfw(plan), cloudInit: renderCloudInit(nftables, plan.relay && reservedPortsSysctl(plan.relay)) };
}

export { renderCloudInit, renderNftables, renderUfw };
