/** What a host firewall cannot say, said in its own comments so nobody reads the silence as "closed". */
import type { RulePlan } from "../plan/plan";
import { formatRange } from "../contract/ports";

/** Comment lines for sources a host firewall has no words for: AWS security groups. */
export function unexpressibleNotes(plan: RulePlan): string[] {
    return plan.groupFlows.map(
        (f) =>
            `# not expressed here: ${formatRange(f.ports)}/${f.protocol} from the members of AWS security group ${f.group} (${f.rules.join(", ")}); a host firewall cannot name a security group: add the members' addresses to the rule's from to admit them on the host too`,
    );
}
