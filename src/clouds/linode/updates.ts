/**
 * What the Linode provider does to our firewall in an update (terraform-provider-linode `linode/firewall`, bridged by
 * @pulumi/linode): no argument is ForceNew; changed rules are one `PUT /networking/firewalls/{id}/rules` that replaces
 * the whole rule set (Linode API, "Update firewall rules"), so the firewall is always one of its two rule sets, and
 * changed linodes/nodebalancers are device attachments added and removed. The API refuses a 26th rule.
 */
import type { Refusal, UpdateModel } from "../updates";
import { LINODE_TYPES } from "./policy";
import { LINODE_RULES_PER_FIREWALL } from "./target";

export const linodeUpdates: UpdateModel = {
    monotone: true,
    resources: {
        [LINODE_TYPES.firewall]: {
            replaceKeys: [],
            source: "terraform-provider-linode linode/firewall (Update: UpdateFirewallRules, device attach/detach)",
        },
    },
    refusals(live) {
        const refusals: Refusal[] = [];
        for (const r of live.filter((x) => x.type === LINODE_TYPES.firewall)) {
            const rules =
                (Array.isArray(r.inputs.inbounds) ? r.inputs.inbounds.length : 0) +
                (Array.isArray(r.inputs.outbounds) ? r.inputs.outbounds.length : 0);
            if (rules > LINODE_RULES_PER_FIREWALL)
                refusals.push({ rule: `${LINODE_RULES_PER_FIREWALL} rules per firewall`, detail: `${r.name} holds ${rules}` });
        }
        return refusals;
    },
};
