/** Azure: network security groups (@pulumi/azure-native). Everything this project knows of Azure is in this folder. */
import type * as pulumi from "@pulumi/pulumi";
import { countOf, defineCloud, listText } from "../cloud";
import { AZURE_TYPES, readAzure } from "./policy";
import { azureContract, type AzureArgs } from "./settings";
import { azureTarget, type HostPortRange } from "./target";
import { azureUpdates } from "./updates";

const AKS_ASG = "azure-native:network:ApplicationSecurityGroup";

type AzureOutputs = {
    networkSecurityGroupId: pulumi.Output<string>;
    allowedHostPorts: pulumi.Output<HostPortRange[]>;
    applicationSecurityGroupIds: pulumi.Output<string[]>;
};

export const azure = defineCloud<"azure", AzureArgs, AzureOutputs>("azure", {
    ...azureContract,
    firewall: "Azure network security groups",
    target: azureTarget,
    outputs: {
        networkSecurityGroupId: { type: "string", description: "Azure: the NSG id to associate with a subnet or NIC" },
        allowedHostPorts: {
            type: "hostPortRanges",
            description: "AKS (azure.aks): the ports for the media AgentPool's networkProfile.allowedHostPorts",
        },
        applicationSecurityGroupIds: {
            type: "strings",
            description:
                "AKS (azure.aks): the application security group for the media AgentPool's networkProfile.applicationSecurityGroups",
        },
    },
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
        nextStep: (resources) =>
            resources.some((r) => r.type === AKS_ASG)
                ? "give the media AgentPool networkProfile.allowedHostPorts and applicationSecurityGroups: the stack outputs " +
                  "allowedHostPorts and applicationSecurityGroupIds (AKS writes the allow rules in its managed NSG)"
                : "associate the stack output networkSecurityGroupId with the media server's NIC " +
                  "or subnet (networkSecurityGroup: { id }): an NSG filters nothing until then",
    },
    updates: azureUpdates,
    policy: {
        types: Object.values(AZURE_TYPES),
        read: readAzure,
        decides: ["securityRules", "access", "priority", "direction", "protocol", "source", "destinationPort", "allowedHostPorts"],
    },
});
