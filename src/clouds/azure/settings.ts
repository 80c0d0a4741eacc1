/** Azure settings (`azure:` block): written once, for validation, the multi-language schema and the args type. */
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { Late } from "../../contract/late";
import { quote } from "../../contract/problems";
import { idValue } from "../../contract/schema";
import { lateSetting, plainSetting, settingsBlock, type CloudContract } from "../../contract/settings";
import { optionalInput } from "../../contract/validate";

const AZURE_RG = /^[-\w._()]{1,90}$/;

/** The component's `azure` args. */
export interface AzureArgs {
    resourceGroupName?: pulumi.Input<string>;
    location?: pulumi.Input<string>;
    /** An NSG you already have: standalone rules are added to it, within `priorityRange` ("2000-2099"). */
    networkSecurityGroupName?: pulumi.Input<string>;
    priorityRange?: string;
    /**
     * AKS: the media pods run over hostNetwork on an AKS node pool. No NSG is created: the pool takes the ports as
     * `networkProfile.allowedHostPorts` (output `allowedHostPorts`) and an application security group (output
     * `applicationSecurityGroupIds`); with `networkSecurityGroupName` (the subnet's own NSG) its rules name that group.
     */
    aks?: boolean;
}

/** The spec's Azure part. */
export interface AzureSpec {
    resourceGroupName?: pulumi.Input<string>;
    location?: pulumi.Input<string>;
    networkSecurityGroupName?: pulumi.Input<string>;
    priorityRange?: { from: number; to: number };
    aks?: true;
}

const settings = settingsBlock("azure", "AzureArgs", "Azure settings.", {
    resourceGroupName: lateSetting(
        idValue("the name of an existing resource group", (s) =>
            AZURE_RG.test(s) && !s.endsWith(".")
                ? undefined
                : `"${s}" is not a resource group name; use 1-90 letters, digits, "_", "-", ".", "(" and ")", not ending in "."`,
        ),
        { type: "string", description: "The resource group of the network security group; required on Azure." },
    ),
    location: lateSetting(idValue('an Azure region like "westeurope"'), {
        type: "string",
        description: "The NSG's region; the resource group's when omitted.",
    }),
    /** An NSG the user already has: standalone rules are added to it, within `priorityRange`. */
    networkSecurityGroupName: lateSetting(
        idValue("the name of an existing network security group", (s) =>
            /^[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9_])?$/.test(s) && s.length <= 80
                ? undefined
                : `"${s}" is not a network security group name; use 1-80 letters, digits, "_", "." and "-"`,
        ),
        { type: "string", description: "An NSG you already have: standalone rules are added to it, within priorityRange." },
    ),
    /** Priorities our rules may take in an existing NSG, e.g. "2000-2099" (inside 100..4096). */
    priorityRange: plainSetting(
        z.unknown().transform((raw, ctx): { from: number; to: number } => {
            const m = typeof raw === "string" ? /^\s*(\d{3,4})\s*-\s*(\d{3,4})\s*$/.exec(raw) : null;
            const range = m ? { from: Number(m[1]), to: Number(m[2]) } : undefined;
            if (range && range.from >= 100 && range.to <= 4096 && range.from <= range.to) return range;
            ctx.addIssue({
                code: "custom",
                input: raw,
                message:
                    `${quote(raw)} is not a priority range; write "FROM-TO" inside ` +
                    `100-4096 that no rule of the NSG uses yet, e.g. "2000-2099"`,
            });
            return z.NEVER;
        }),
        {
            type: "string",
            description:
                'Priorities our rules may take in that NSG, e.g. "2000-2099" (inside 100-4096); required with networkSecurityGroupName.',
        },
    ),
    aks: plainSetting(z.boolean(), {
        type: "boolean",
        description:
            "AKS: the media pods run over hostNetwork on an AKS node pool; no NSG is created. The pool takes output allowedHostPorts " +
            "and output applicationSecurityGroupIds; with networkSecurityGroupName (the subnet's own NSG) its rules name that group.",
    }),
});

/**
 * AKS's node resource group (`MC_<group>_<cluster>_<region>` by default): AKS owns what is in it and resets rules
 * added to its NSG, for example when a node pool is added (Azure/AKS#976; kubernetes-sigs/cloud-provider-azure#575).
 */
const AKS_MANAGED_GROUP = /^mc_/i;

type Parsed = {
    resourceGroupName?: string | Late;
    location?: string | Late;
    networkSecurityGroupName?: string | Late;
    priorityRange?: { from: number; to: number };
    aks?: boolean;
};

export const azureContract: CloudContract<Parsed, AzureSpec> = {
    name: "azure",
    title: "Azure",
    settings,
    nodePool: {
        given: (parsed) => parsed?.aks === true,
        settings: "azure.aks (AKS)",
        // cloud-provider-azure writes a LoadBalancer Service's NSG rules itself, in the managed NSG, from the Service's
        // loadBalancerSourceRanges (its reconcileSecurityGroup); allowedHostPorts are for hostPort pods only.
        loadBalancer:
            "AKS's cloud provider writes a LoadBalancer Service's rules itself, in the node resource group's NSG (MC_…), from the " +
            "Service's spec.loadBalancerSourceRanges; nothing of ours belongs there: give the Service loadBalancerSourceRanges, " +
            "or run the media pods with hostNetwork (exposure: hostNetwork) and allowedHostPorts",
    },
    check(parsed, chosen, problems) {
        if (chosen && parsed?.resourceGroupName === undefined && !problems.some((p) => p.path.startsWith("azure"))) {
            problems.push({ path: "azure.resourceGroupName", message: "is required when cloud is azure; name an existing resource group" });
        }
        const nsg = parsed?.networkSecurityGroupName !== undefined;
        const range = parsed?.priorityRange;
        if (nsg && !range) {
            problems.push({
                path: "azure.priorityRange",
                message:
                    "is required with azure.networkSecurityGroupName: the priorities our " +
                    'rules may take in that NSG, unused by its own rules, e.g. "2000-2099"',
            });
        }
        const group = parsed?.resourceGroupName;
        if (chosen && (nsg || parsed?.aks) && typeof group === "string" && AKS_MANAGED_GROUP.test(group)) {
            problems.push({
                path: "azure.resourceGroupName",
                message:
                    `"${group}" is an AKS node resource group (MC_…): AKS owns what is in it and resets rules added to its NSG ` +
                    "(Azure/AKS#976); name a resource group of your own, and give the node pool the ports with aks: true " +
                    "(allowedHostPorts and an application security group)",
            });
        }
        if (range && !nsg) {
            problems.push({
                path: "azure.priorityRange",
                message:
                    "is set but azure.networkSecurityGroupName is not; it only applies " +
                    "to rules added to an existing NSG: remove it, or name the NSG",
            });
        }
    },
    spec: (parsed) => ({
        resourceGroupName: optionalInput(parsed?.resourceGroupName),
        location: optionalInput(parsed?.location),
        networkSecurityGroupName: optionalInput(parsed?.networkSecurityGroupName),
        priorityRange: parsed?.priorityRange,
        ...(parsed?.aks === true ? { aks: true as const } : {}),
    }),
};
