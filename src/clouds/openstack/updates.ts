/**
 * What the OpenStack provider does to our group and rules in an update (terraform-provider-openstack, bridged by
 * @pulumi/openstack):
 * - `resource_openstack_networking_secgroup_v2.go`: name, description and tags update in place; nothing we set is ForceNew
 *   but `region` and `tenant_id`, which we leave to the provider.
 * - `resource_openstack_networking_secgroup_rule_v2.go`: no Update at all, every argument is ForceNew: a changed rule is
 *   a new one, created before the old is deleted.
 * - Neutron refuses a rule equal to one the group has in direction, ethertype, protocol, port range and remote (HTTP 409
 *   SecurityGroupRuleExists; the description is not compared), and a rule past the project's quota (neutron
 *   `conf/quota.py`: 100 rules by default, the default group's 4 among them).
 */
import { duplicates, type Refusal, type UpdateModel } from "../updates";
import { OPENSTACK_TYPES } from "./policy";
import { NEUTRON_DEFAULT_QUOTAS } from "./settings";
import { OPENSTACK_DEFAULT_GROUP_RULES } from "./target";

const RULE_KEYS = [
    "securityGroupId",
    "direction",
    "ethertype",
    "protocol",
    "portRangeMin",
    "portRangeMax",
    "remoteIpPrefix",
    "remoteGroupId",
];

export const openstackUpdates: UpdateModel = {
    monotone: true,
    resources: {
        [OPENSTACK_TYPES.group]: { replaceKeys: [], source: "terraform-provider-openstack resource_openstack_networking_secgroup_v2.go" },
        [OPENSTACK_TYPES.rule]: {
            replaceKeys: [...RULE_KEYS, "description"],
            memberOf: "securityGroupId",
            source: "terraform-provider-openstack resource_openstack_networking_secgroup_rule_v2.go (every argument ForceNew)",
        },
    },
    refusals(live) {
        const refusals: Refusal[] = [];
        const rules = live.filter((r) => r.type === OPENSTACK_TYPES.rule).length;
        const quota = NEUTRON_DEFAULT_QUOTAS.securityGroupRules - OPENSTACK_DEFAULT_GROUP_RULES;
        if (rules > quota)
            refusals.push({
                rule: `${NEUTRON_DEFAULT_QUOTAS.securityGroupRules} security group rules per project`,
                detail: `${rules} of ours at once, and the default group's ${OPENSTACK_DEFAULT_GROUP_RULES}`,
            });
        for (const key of duplicates(live, OPENSTACK_TYPES.rule, (r) => JSON.stringify(RULE_KEYS.map((k) => r.inputs[k] ?? null))))
            refusals.push({ rule: "a rule equal to another in the group (409 SecurityGroupRuleExists)", detail: key });
        return refusals;
    },
};
