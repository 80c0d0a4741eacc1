/** What a host firewall cannot say, said in its own comments so nobody reads the silence as "closed". */
import type { RulePlan } from "../plan/plan";
import { formatRange } from "../contract/ports";
import { reservationWarning } from "./relayLockdown";

/** Comment lines for sources a host firewall has no words for: AWS security groups. */
export function unexpressibleNotes(plan: RulePlan): string[] {
    return plan.groupFlows.map(
        (f) =>
            `# not expressed here: ${formatRange(f.ports)}/${f.protocol} from the ` +
            `members of AWS security group ${f.group} (${f.rules.join(", ")}); ` +
            `a host firewall cannot name a security group: add the members' addresses to the rule's from to admit them on the host too`,
    );
}

/** Whether any rule opens SSH (tcp/22) to anyone. */
export const opensSsh = (plan: RulePlan): boolean => plan.flows.some((f) => f.protocol === "tcp" && f.ports.from <= 22 && 22 <= f.ports.to);

/**
 * Applied on a server reached over SSH, a host firewall without SSH refuses every new session: said at
 * the top of each host output (and by the CLI on stderr), with the two choices.
 */
export const NO_SSH_WARNING =
    "WARNING: this host firewall opens no SSH (tcp/22): the config has no " +
    "adminCidrs and no rule for port 22. Applied on a server you reach over SSH, " +
    ("the session you have stays up but every new one is refused. To keep SSH, set " +
        "adminCidrs: [YOUR.ADDRESS/32] (ssh opens from there only) and plan again; ") +
    "if the server is reached another way (a cloud console, SSM), this warning can stay.";

export const noSshNotes = (plan: RulePlan): string[] => (opensSsh(plan) ? [] : [`# ${NO_SSH_WARNING}`]);

/** The comment lines at the top of a ruleset a host applies at boot (nftables, cloud-init): no SSH, and a relay reservation cut back. */
export function lockoutNotes(plan: RulePlan): string[] {
    const reservation = reservationWarning(plan.relay);
    return [...noSshNotes(plan), ...(reservation ? [`# WARNING: ${reservation}`] : [])];
}
