/**
 * Azure: one NetworkSecurityGroup with inline `securityRules` (one request per update, so
 * priorities never collide mid-update), one Allow/Inbound rule per (family, protocol, source set).
 * Facts: ../shared/cloud-facts.md (Azure).
 */
import * as pulumi from "@pulumi/pulumi";
import { groupBySources, type RulePlan } from "../plan/plan";
import { FAMILY_TAG, chunk, describeRules, numbered, shortHash, sourceSetSlug } from "../plan/naming";
import { formatRange } from "../spec/ports";
import type { FirewallSpec } from "../spec/validate";
import { inputsOf, type CloudMapping, type CloudOutputs, type CloudTarget, type RegisterOptions, type ResourceClass, type ResourceDecl } from "./types";

export const AZURE_RULES_PER_NSG = 1000;
export const AZURE_PREFIXES_PER_RULE = 4000;
export const AZURE_PRIORITY_MIN = 100;
export const AZURE_PRIORITY_MAX = 4096;
export const AZURE_RULE_NAME_MAX = 80;

export interface AzureSecurityRule {
    name: string;
    priority: number;
    direction: "Inbound";
    access: "Allow";
    protocol: "Tcp" | "Udp";
    sourceAddressPrefix?: string;
    sourceAddressPrefixes?: string[];
    sourcePortRange: "*";
    destinationAddressPrefix: "*";
    destinationPortRanges: string[];
    description: string;
}

export interface AzureNsgArgs {
    resourceGroupName: pulumi.Input<string>;
    location?: pulumi.Input<string>;
    securityRules: AzureSecurityRule[];
}

export interface AzureResources {
    nsg: ResourceDecl<AzureNsgArgs>;
}

/** The priority a rule would like: a hash of its name, so it does not depend on the other rules. */
export function homePriority(ruleName: string): number {
    const span = AZURE_PRIORITY_MAX - AZURE_PRIORITY_MIN + 1;
    return AZURE_PRIORITY_MIN + (parseInt(shortHash(ruleName, 8), 16) % span);
}

/**
 * Unique priorities from each rule's identity. Collisions (rare: n/3997 per rule) go to the next
 * free priority, in (home, name) order, so the result never depends on list order.
 */
export function assignPriorities(names: readonly string[]): Map<string, number> {
    const span = AZURE_PRIORITY_MAX - AZURE_PRIORITY_MIN + 1;
    const taken = new Set<number>();
    const result = new Map<string, number>();
    const ordered = names.map((name) => ({ name, home: homePriority(name) })).sort((a, b) => a.home - b.home || (a.name < b.name ? -1 : 1));
    for (const { name, home } of ordered) {
        let priority = home;
        while (taken.has(priority)) priority = AZURE_PRIORITY_MIN + ((priority - AZURE_PRIORITY_MIN + 1) % span);
        taken.add(priority);
        result.set(name, priority);
    }
    return result;
}

export function mapAzure(plan: RulePlan, spec: FirewallSpec, name: string): CloudMapping<AzureResources> {
    const rules: Omit<AzureSecurityRule, "priority">[] = [];
    for (const group of groupBySources(plan.flows, true)) {
        const protocol = group.ports.tcp ? "tcp" : "udp";
        const base = `${protocol}-${FAMILY_TAG[group.family]}-${sourceSetSlug(group.cidrs, group.family, plan)}`;
        chunk(group.cidrs, AZURE_PREFIXES_PER_RULE).forEach((prefixes, i) => {
            rules.push({
                name: numbered(base, i),
                direction: "Inbound",
                access: "Allow",
                protocol: protocol === "tcp" ? "Tcp" : "Udp",
                ...(prefixes.length === 1 ? { sourceAddressPrefix: prefixes[0] } : { sourceAddressPrefixes: prefixes }),
                sourcePortRange: "*",
                destinationAddressPrefix: "*",
                destinationPortRanges: group.ports[protocol]!.map(formatRange),
                description: describeRules(group.rules, plan, 140),
            });
        });
    }
    const problems = [];
    if (rules.length > AZURE_RULES_PER_NSG) {
        problems.push({
            path: "ports",
            message: `Azure needs ${rules.length} security rules (one per family, protocol and source set), more than ${AZURE_RULES_PER_NSG} per network security group; give more rules the same sources`,
        });
    }
    const priorities = assignPriorities(rules.map((r) => r.name));
    const securityRules = rules.map((r) => ({ ...r, priority: priorities.get(r.name)! })).sort((a, b) => a.priority - b.priority);
    return {
        problems,
        warnings: [],
        quota: [
            { what: "security rules per NSG", used: securityRules.length, limit: AZURE_RULES_PER_NSG },
            { what: "largest prefix list in one rule", used: Math.max(0, ...rules.map((r) => r.sourceAddressPrefixes?.length ?? 1)), limit: AZURE_PREFIXES_PER_RULE },
        ],
        resources: {
            nsg: {
                name: `${name}-nsg`,
                args: {
                    resourceGroupName: spec.azure.resourceGroupName!,
                    ...(spec.azure.location !== undefined ? { location: spec.azure.location } : {}),
                    securityRules,
                },
            },
        },
    };
}

/** The slice of @pulumi/azure-native/network this target uses (see `ResourceClass`). */
export interface AzureNetworkSdk {
    NetworkSecurityGroup: ResourceClass<AzureNsgArgs, { id: pulumi.Output<string> }>;
}

function registerAzure(resources: AzureResources, { parent, secret }: RegisterOptions): CloudOutputs {
    // Only the network module, loaded on use: an AWS-only consumer needs no Azure SDK.
    const network: AzureNetworkSdk = require("@pulumi/azure-native/network");
    const nsg = new network.NetworkSecurityGroup(resources.nsg.name, inputsOf(resources.nsg.args, secret), { parent });
    return { networkSecurityGroupId: nsg.id };
}

export const azureTarget: CloudTarget<AzureResources> = { sdkPackage: "@pulumi/azure-native", map: mapAzure, register: registerAzure };
