/**
 * Host firewalls rendered from the same plan as the clouds: nftables, ufw, the image-firewall openings,
 * and cloud-init for the first and third.
 */
import type { RulePlan } from "../plan/plan";
import { renderCloudInit } from "./cloudInit";
import { renderIptablesOpenings } from "./iptables";
import { renderNftables } from "./nftables";
import { renderUfw } from "./ufw";
import { lockoutNotes } from "./notes";
import { reservationWarning, reservedPortsSysctl } from "./relayLockdown";

export interface HostFirewalls {
    nftables: string;
    ufw: string;
    /** A shell script opening the spec's ports in an image's own iptables or firewalld (Oracle Cloud's images). */
    iptables: string;
    cloudInit: string;
}

export function renderHostFirewalls(plan: RulePlan): HostFirewalls {
    const nftables = renderNftables(plan);
    const iptables = renderIptablesOpenings(plan);
    return {
        nftables,
        ufw: renderUfw(plan),
        iptables,
        cloudInit: renderCloudInit(nftables, iptables, plan.relay && reservedPortsSysctl(plan.relay), lockoutNotes(plan)),
    };
}

export { renderCloudInit, renderIptablesOpenings, renderNftables, renderUfw };

/** What the host outputs need said where the plan's warnings are read (the table, `pulumi up`). */
export function hostWarnings(plan: RulePlan): string[] {
    const reservation = reservationWarning(plan.relay);
    return reservation ? [reservation] : [];
}
