/** Host firewalls rendered from the same plan as the clouds: nftables, ufw, and cloud-init for the first. */
import type { RulePlan } from "../plan/plan";
import { renderCloudInit } from "./cloudInit";
import { renderNftables } from "./nftables";
import { renderUfw } from "./ufw";
import { lockoutNotes } from "./notes";
import { reservationWarning, reservedPortsSysctl } from "./relayLockdown";

export interface HostFirewalls {
    nftables: string;
    ufw: string;
    cloudInit: string;
}

export function renderHostFirewalls(plan: RulePlan): HostFirewalls {
    const nftables = renderNftables(plan);
    return { nftables, ufw: renderUfw(plan), cloudInit: renderCloudInit(nftables, plan.relay && reservedPortsSysctl(plan.relay), lockoutNotes(plan)) };
}

export { renderCloudInit, renderNftables, renderUfw };

/** What the host outputs need said where the plan's warnings are read (the table, `pulumi up`). */
export function hostWarnings(plan: RulePlan): string[] {
    const reservation = reservationWarning(plan.relay);
    return reservation ? [reservation] : [];
}
