/** Azure: network security groups (@pulumi/azure-native). Everything this project knows of Azure is in this folder. */
import type * as pulumi from "@pulumi/pulumi";
import { countOf, defineCloud, listText } from "../cloud";
import { AZURE_TYPES, readAzure } from "./policy";
import { azureContract, type AzureArgs } from "./settings";
import { azureTarget } from "./target";

export const azure = defineCloud<"azure", AzureArgs, { networkSecurityGroupId: pulumi.Output<string> }>("azure", {
    ...azureContract,
    firewall: "Azure network security groups",
    target: azureTarget,
    outputs: { networkSecurityGroupId: { type: "string", description: "Azure: the NSG id to associate with a subnet or NIC" } },
    plan: {
        summaries: { [AZURE_TYPES.nsg]: (i) => `${(i.securityRules ?? []).length} inbound rules in resource group ${i.resourceGroupName}` },
        inlineRules: (r) => {
            const rules = r.type === AZURE_TYPES.nsg && Array.isArray(r.inputs.securityRules) ? (r.inputs.securityRules as any[]) : [];
            return rules.map((rule) => {
                const sources = rule.sourceAddressPrefixes ? listText(rule.sourceAddressPrefixes) : rule.sourceAddressPrefix;
                return (
                    `  ${r.name}: ${rule.priority} ${rule.name}: ${rule.access} ` +
                    `${rule.protocol} ${listText(rule.destinationPortRanges)} from ${sources}`
                );
            });
        },
        rulesIn: (r) => (r.type === AZURE_TYPES.nsg ? countOf(r.inputs, "securityRules") : r.type === AZURE_TYPES.rule ? 1 : 0),
        nextStep: () =>
            "associate the stack output networkSecurityGroupId with the media server's NIC " +
            "or subnet (networkSecurityGroup: { id }): an NSG filters nothing until then",
    },
    policy: {
        types: Object.values(AZURE_TYPES),
        read: readAzure,
        decides: ["securityRules", "access", "priority", "direction", "protocol", "source", "destinationPort"],
    },
});
