/**
 * What the OCI provider does to our NSGs and rules in an update (terraform-provider-oci, bridged by @pulumi/oci):
 * - `internal/service/core/core_network_security_group_resource.go`: `vcn_id` is ForceNew; the rest updates in place.
 * - `core_network_security_group_security_rule_resource.go`: `network_security_group_id` and `direction` are
 *   ForceNew; other changes are one `UpdateNetworkSecurityGroupSecurityRules` call.
 * - The API refuses a 121st rule in an NSG, ingress and egress together (OCI "Service Limits", networking:
 *   "Security rules per network security group: 120").
 */
import { countBy, type Refusal, type UpdateModel } from "../updates";
import { OCI_TYPES } from "./policy";
import { OCI_RULES_PER_NSG } from "./target";

export const ociUpdates: UpdateModel = {
    monotone: true,
    resources: {
        [OCI_TYPES.nsg]: { replaceKeys: ["vcnId"], source: "terraform-provider-oci core_network_security_group_resource.go (ForceNew)" },
        [OCI_TYPES.rule]: {
            replaceKeys: ["networkSecurityGroupId", "direction"],
            memberOf: "networkSecurityGroupId",
            source: "terraform-provider-oci core_network_security_group_security_rule_resource.go (ForceNew)",
        },
    },
    refusals(live) {
        const refusals: Refusal[] = [];
        for (const [nsg, count] of countBy(live, OCI_TYPES.rule, (r) => String(r.inputs.networkSecurityGroupId)))
            if (count > OCI_RULES_PER_NSG)
                refusals.push({ rule: `${OCI_RULES_PER_NSG} security rules per NSG`, detail: `${count} at once in ${nsg}` });
        return refusals;
    },
};
