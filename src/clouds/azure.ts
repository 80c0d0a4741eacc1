/**
 * Azure: one NetworkSecurityGroup with inline `securityRules` (one request per update, so
 * priorities never collide mid-update), one Allow/Inbound rule per (family, protocol, source set).
 * Facts and sources: README "What each cloud gets".
 */
import * as pulumi from "@pulumi/pulumi";
import { groupBySources, type RulePlan } from "../plan/plan";
import type { Problem } from "../errors";
import { FAMILY_TAG, describeRules, shortHash, sourceSetSlug } from "../plan/naming";
import { formatRange } from "../contract/ports";
import type { FirewallSpec } from "../contract/validate";
import { inputsOf, type CloudMapping, type CloudOutputs, type CloudTarget, type RegisterOptions, type ResourceClass, type ResourceDecl } from "./types";

export const AZURE_RULES_PER_NSG = 1000;
/** Azure networking limits: 4000 source addresses and ranges per NSG, summed over all its rules. */
export const AZURE_SOURCE_PREFIXES_PER_NSG = 4000;
/** azure-rest-api-specs `networkSecurityGroup.json` / Azure naming rules: 1-80 of `[A-Za-z0-9_.-]`,
 *  starting alphanumeric, ending alphanumeric or `_`; azure-native auto-names `<logical><8 random>`. */
export const AZURE_NSG_NAME = /^[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9_])?$/;
export const AZURE_NSG_NAME_MAX = 80;
const AZURE_AUTONAME_SUFFIX = 8;
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
        const prefixes = group.cidrs;
        rules.push({
            name: base,
            direction: "Inbound",
            access: "Allow",
            protocol: protocol === "tcp" ? "Tcp" : "Udp",
            ...(prefixes.length === 1 ? { sourceAddressPrefix: prefixes[0] } : { sourceAddressPrefixes: prefixes }),
            sourcePortRange: "*",
            destinationAddressPrefix: "*",
            destinationPortRanges: group.ports[protocol]!.map(formatRange),
            description: describeRules(group.rules, plan, 140),
        });
    }
    const problems: Problem[] = [];
    const nsgName = `${name}-nsg`;
    if (!AZURE_NSG_NAME.test(nsgName) || nsgName.length + AZURE_AUTONAME_SUFFIX > AZURE_NSG_NAME_MAX) {
        problems.push({
            path: "name",
            message: `component name "${name}" makes the network security group name "${nsgName}" plus 8 random characters; Azure allows 1-${AZURE_NSG_NAME_MAX} letters, digits, "_", "." and "-", starting with a letter or digit (Azure naming rules for Microsoft.Network/networkSecurityGroups): use such a name of at most ${AZURE_NSG_NAME_MAX - AZURE_AUTONAME_SUFFIX - 4} characters`,
        });
    }
    const prefixTotal = rules.reduce((sum, r) => sum + (r.sourceAddressPrefixes?.length ?? 1), 0);
    if (prefixTotal > AZURE_SOURCE_PREFIXES_PER_NSG) {
        problems.push({
            path: spec.adminCidrs.length ? "adminCidrs" : "ports",
            message: `Azure needs ${prefixTotal} source prefixes in one network security group, more than the ${AZURE_SOURCE_PREFIXES_PER_NSG} Azure allows per NSG summed over its rules (a NIC or subnet has one NSG, so it cannot be split); use fewer or wider adminCidrs/source CIDRs`,
        });
    }
    if (rules.length > AZURE_RULES_PER_NSG) {
        problems.push({
            path: "ports",
            message: `Azure needs ${rules.length} security rules (one per family, protocol and source set), more than ${AZURE_RULES_PER_NSG} per network security group; give more rules the same sources`,
        });
    }
    // Past the rule limit there are not enough priorities to assign: stop here, the problem says why.
    if (problems.length) return { problems, warnings: [], quota: [], resources: { nsg: { name: nsgName, args: { resourceGroupName: "", securityRules: [] } } } };
    const priorities = assignPriorities(rules.map((r) => r.name));
    const securityRules = rules.map((r) => ({ ...r, priority: priorities.get(r.name)! })).sort((a, b) => a.priority - b.priority);
    return {
        problems,
        warnings: [],
        quota: [
            { what: "security rules per NSG", used: securityRules.length, limit: AZURE_RULES_PER_NSG },
            { what: "source prefixes per NSG (all rules)", used: prefixTotal, limit: AZURE_SOURCE_PREFIXES_PER_NSG },
        ],
        resources: {
            nsg: {
                name: nsgName,
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
