/**
 * What azure-native does to our resources in an update (pulumi-azure-native, Azure Resource Manager PUTs):
 * - `network:NetworkSecurityGroup` with inline `securityRules`: one PUT of the whole NSG, so the NSG is always one
 *   of its two versions; `resourceGroupName`, `networkSecurityGroupName` and `location` replace it.
 * - `network:SecurityRule` (rules in an NSG of yours): one PUT per rule; `resourceGroupName`,
 *   `networkSecurityGroupName` and `securityRuleName` replace it. Azure refuses a rule whose priority and direction
 *   another rule of the NSG already has ("Network security groups": each rule's priority is unique in its direction;
 *   the error is SecurityRuleConflict).
 * - `network:ApplicationSecurityGroup`: `resourceGroupName`, `applicationSecurityGroupName` and `location` replace it.
 */
import type { LiveResource, Refusal, UpdateModel } from "../updates";
import { duplicates } from "../updates";
import { maxOf } from "../../contract/lists";
import { AZURE_TYPES } from "./policy";

const ASG = "azure-native:network:ApplicationSecurityGroup";
const slot = (r: LiveResource): string =>
    `${String(r.inputs.resourceGroupName)}/${String(r.inputs.networkSecurityGroupName)} ` +
    `${String(r.inputs.direction)} priority ${String(r.inputs.priority)}`;

export const azureUpdates: UpdateModel = {
    monotone: true,
    resources: {
        [AZURE_TYPES.nsg]: {
            replaceKeys: ["resourceGroupName", "networkSecurityGroupName", "location"],
            source: "pulumi-azure-native network:NetworkSecurityGroup (PUT of the whole resource)",
        },
        [AZURE_TYPES.rule]: {
            replaceKeys: ["resourceGroupName", "networkSecurityGroupName", "securityRuleName"],
            source: "pulumi-azure-native network:SecurityRule (PUT per rule)",
        },
        [ASG]: {
            replaceKeys: ["resourceGroupName", "applicationSecurityGroupName", "location"],
            source: "pulumi-azure-native network:ApplicationSecurityGroup",
        },
    },
    remedy(refusals, old) {
        if (!refusals.every((r) => r.rule.includes("SecurityRuleConflict"))) return undefined;
        const held = old.filter((r) => r.type === AZURE_TYPES.rule).map((r) => Number(r.inputs.priority));
        const span = `${-maxOf(held.map((p) => -p))}-${maxOf(held)}`;
        return (
            `Move our rules to an azure.priorityRange disjoint from the one they hold now (${span}) ` +
            "in this same update: the old rules keep their priorities until they go and the new ones take others, so no two share " +
            "one at any moment. Alternating between two ranges makes every update safe."
        );
    },
    refusals(live) {
        const refusals: Refusal[] = [];
        for (const key of duplicates(live, AZURE_TYPES.rule, slot))
            refusals.push({ rule: "one rule per priority and direction in an NSG (SecurityRuleConflict)", detail: `two rules at ${key}` });
        return refusals;
    },
};
