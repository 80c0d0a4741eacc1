/**
 * What the AWS provider does to our resources in an update (terraform-provider-aws, bridged by @pulumi/aws):
 * - `internal/service/ec2/vpc_security_group.go`: `name`, `name_prefix`, `description` and `vpc_id` are ForceNew.
 * - `internal/service/ec2/vpc_security_group_ingress_rule.go` (the egress rule shares it): `security_group_id` is
 *   RequiresReplace, and `ModifyPlan` replaces a rule whose kind of source changes (`cidr_ipv4` to `cidr_ipv6`, a
 *   prefix list or a group); any other change is one `ModifySecurityGroupRules` call, in place.
 * - The EC2 API refuses a rule that repeats one the group holds (`InvalidPermission.Duplicate`) and a 61st inbound
 *   or outbound rule of one address family in a group (Amazon VPC quotas, "Inbound or outbound rules per security
 *   group": 60, counted for IPv4 and IPv6 separately).
 */
import { countBy, duplicates, type LiveResource, type Refusal, type UpdateModel } from "../updates";
import { AWS_TYPES } from "./policy";
import { AWS_RULES_PER_GROUP } from "./target";

const SOURCE_KINDS = ["cidrIpv4", "cidrIpv6", "prefixListId", "referencedSecurityGroupId"] as const;
const sourceKind = (r: LiveResource): string => SOURCE_KINDS.find((k) => r.inputs[k] !== undefined) ?? "none";
const family = (r: LiveResource): string => (r.inputs.cidrIpv6 !== undefined ? "IPv6" : "IPv4");
/** The inline rules of `key` both versions hold: what stands once the revoke call has run. */
function kept(before: LiveResource, after: LiveResource, key: string): unknown[] {
    const next = new Set(((after.inputs[key] as unknown[]) ?? []).map((r) => JSON.stringify(r)));
    return ((before.inputs[key] as unknown[]) ?? []).filter((r) => next.has(JSON.stringify(r)));
}

const ruleBehaviour = {
    replaceKeys: ["securityGroupId"],
    memberOf: "securityGroupId",
    replaces: (before: LiveResource, after: LiveResource) => (sourceKind(before) !== sourceKind(after) ? "the kind of source" : undefined),
    source: "terraform-provider-aws internal/service/ec2/vpc_security_group_ingress_rule.go (Schema, ModifyPlan, Update)",
};

export const awsUpdates: UpdateModel = {
    monotone: true,
    resources: {
        [AWS_TYPES.group]: {
            replaceKeys: ["name", "namePrefix", "description", "vpcId"],
            // Inline rules (which this package never writes, the policy pack reads them): updateSecurityGroupRules
            // revokes the rules that go before it authorizes the new ones, two EC2 calls.
            between: (before, after) =>
                ["ingress", "egress"].some((k) => JSON.stringify(before.inputs[k]) !== JSON.stringify(after.inputs[k]))
                    ? {
                          ...before,
                          inputs: { ...before.inputs, ingress: kept(before, after, "ingress"), egress: kept(before, after, "egress") },
                      }
                    : undefined,
            source:
                "terraform-provider-aws internal/service/ec2/vpc_security_group.go " +
                "(ForceNew; updateSecurityGroupRules: revoke, then authorize)",
        },
        [AWS_TYPES.ingress]: ruleBehaviour,
        [AWS_TYPES.egress]: ruleBehaviour,
    },
    refusals(live) {
        const refusals: Refusal[] = [];
        for (const [type, direction] of [
            [AWS_TYPES.ingress, "inbound"],
            [AWS_TYPES.egress, "outbound"],
        ] as const) {
            const counts = countBy(live, type, (r) => `${String(r.inputs.securityGroupId)} ${family(r)}`);
            for (const [key, count] of counts)
                if (count > AWS_RULES_PER_GROUP) {
                    const [group, fam] = key.split(" ");
                    refusals.push({
                        rule: `${AWS_RULES_PER_GROUP} ${fam} ${direction} rules per security group (RulesPerSecurityGroupLimitExceeded)`,
                        detail: `${count} at once in ${group}`,
                    });
                }
            const same = (r: LiveResource) =>
                [
                    r.inputs.securityGroupId,
                    r.inputs.ipProtocol,
                    r.inputs.fromPort,
                    r.inputs.toPort,
                    ...SOURCE_KINDS.map((k) => r.inputs[k]),
                ].join(" ");
            for (const key of duplicates(live, type, same))
                refusals.push({ rule: "one rule per permission (InvalidPermission.Duplicate)", detail: `two ${direction} rules ${key}` });
        }
        return refusals;
    },
};
