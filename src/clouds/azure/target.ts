/**
 * Azure: one NetworkSecurityGroup with inline `securityRules` (one request per update, so
 * priorities never collide mid-update), one Allow/Inbound rule per (family, protocol, source set); or,
 * with `azure.networkSecurityGroupName`, the same rules as standalone `SecurityRule`s in the user's NSG,
 * with priorities inside `azure.priorityRange`. Facts and sources: README "What each cloud gets".
 */
import * as pulumi from "@pulumi/pulumi";
import type { AzureSpec } from "./settings";
import { groupBySources, type LateSet, type RulePlan } from "../../plan/plan";
import { lateCidrs, lateSource, withoutEmptyLateRules } from "../../plan/lateValues";
import type { Problem } from "../../contract/problems";
import { FAMILY_TAG, describeRules, shortHash, sourceSetSlug, ruleIdentity } from "../../plan/naming";
import { formatRange } from "../../contract/ports";
import { isAnyAddress } from "../../contract/cidr";
import type { FirewallSpec } from "../../contract/types";
import {
    inputsOf,
    type CloudMapping,
    type CloudOutputs,
    type CloudTarget,
    type RegisterOptions,
    type ResourceClass,
    type ResourceDecl,
} from "../cloud";
import { append } from "../../contract/lists";

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
    sourceAddressPrefix?: pulumi.Input<string>;
    sourceAddressPrefixes?: pulumi.Input<string[]>;
    sourcePortRange: "*";
    destinationAddressPrefix: "*";
    destinationPortRanges: string[];
    description: string;
}

export interface AzureNsgArgs {
    resourceGroupName: pulumi.Input<string>;
    location?: pulumi.Input<string>;
    securityRules: pulumi.Input<AzureSecurityRule[]>;
}

/** One rule added to an NSG the user already has (`network.SecurityRule`). */
export type AzureStandaloneRuleArgs = Omit<AzureSecurityRule, "name"> & {
    resourceGroupName: pulumi.Input<string>;
    networkSecurityGroupName: pulumi.Input<string>;
};

/** An AgentPool's `networkProfile.allowedHostPorts` item (@pulumi/azure-native containerservice `PortRange`). */
export interface HostPortRange {
    portStart: number;
    portEnd: number;
    protocol: "TCP" | "UDP";
}

export interface AzureResources {
    /** Our own NSG; absent when the rules go into an existing one, or AKS writes them. */
    nsg?: ResourceDecl<AzureNsgArgs>;
    standalone: ResourceDecl<AzureStandaloneRuleArgs>[];
    /** AKS: the node pool's application security group; standalone rules then name it as their destination. */
    asg?: ResourceDecl<{ resourceGroupName: pulumi.Input<string>; location?: pulumi.Input<string> }>;
    /** AKS: the ports as the AgentPool takes them. */
    allowedHostPorts?: HostPortRange[];
}

/**
 * What the cluster side must do on AKS. With allowedHostPorts and application security groups on a pool, AKS
 * writes the allow rules in its own NSG (AKS docs, "Allow host port connections and add node pools to application
 * security groups"; GA 2024: Azure/AKS#3958, azure-cli#27900); a subnet NSG of your own needs its own rules.
 */
const AKS_CLUSTER_SIDE =
    "AKS: give the media AgentPool networkProfile.allowedHostPorts = output allowedHostPorts and " +
    "networkProfile.applicationSecurityGroups = output applicationSecurityGroupIds; AKS then writes the allow rules in its " +
    "managed NSG (leave the MC_ resource group alone: AKS resets it). Run the media pods with hostNetwork so their ports are the node's.";

/** Every port range the plan opens, once per protocol, in the AgentPool's form. */
function hostPorts(plan: RulePlan): HostPortRange[] {
    const seen = new Map<string, HostPortRange>();
    const add = (protocol: "tcp" | "udp", ports: { from: number; to: number }) =>
        seen.set(`${protocol} ${ports.from}-${ports.to}`, {
            portStart: ports.from,
            portEnd: ports.to,
            protocol: protocol === "tcp" ? "TCP" : "UDP",
        });
    for (const flow of plan.flows) add(flow.protocol, flow.ports);
    for (const set of plan.late)
        for (const protocol of ["tcp", "udp"] as const) for (const ports of set.ports[protocol] ?? []) add(protocol, ports);
    return [...seen.values()].sort((a, b) => (a.protocol < b.protocol ? -1 : a.protocol > b.protocol ? 1 : a.portStart - b.portStart));
}

/**
 * AKS without a subnet NSG of your own: its managed rule for allowedHostPorts names no source, so a rule the spec
 * keeps to some sources could not be kept to them.
 */
function aksSourceProblems(plan: RulePlan, existing: unknown): Problem[] {
    if (existing !== undefined) return [];
    const narrow = [
        ...new Set([...plan.flows.filter((f) => !isAnyAddress(f.cidr)).flatMap((f) => f.rules), ...plan.late.flatMap((s) => s.rules)]),
    ].sort();
    return narrow.length
        ? [
              {
                  path: "ports",
                  message:
                      `rules ${narrow.map((r) => `"${r}"`).join(", ")} are kept to some sources, but on AKS the pool's allowedHostPorts ` +
                      "open to every source (AKS's rule in its managed NSG names none); name the subnet's own NSG " +
                      "(azure.networkSecurityGroupName, with priorityRange), whose rules keep to the sources, " +
                      "or open these rules to public",
              },
          ]
        : [];
}

type PlannedSecurityRule = Omit<AzureSecurityRule, "priority"> & { mayBeEmpty?: boolean };

/** A late set's rules: per protocol, one per single entry, and one per family for a whole-list entry. */
function lateRules(set: LateSet, plan: RulePlan): PlannedSecurityRule[] {
    const common = {
        direction: "Inbound",
        access: "Allow",
        sourcePortRange: "*",
        destinationAddressPrefix: "*",
        description: describeRules(set.rules, plan, 140),
    } as const;
    return (["tcp", "udp"] as const)
        .filter((p) => set.ports[p]?.length)
        .flatMap((protocol) => {
            const fields = {
                ...common,
                protocol: protocol === "tcp" ? "Tcp" : "Udp",
                destinationPortRanges: set.ports[protocol]!.map(formatRange),
            } as const;
            return set.entries.flatMap((entry, slot): PlannedSecurityRule[] => {
                const base = `${protocol}-${set.slug}-late${slot + 1}`;
                if (!entry.many) return [{ ...fields, name: base, sourceAddressPrefix: lateSource(entry).apply((s) => s.text) }];
                return (["ipv4", "ipv6"] as const).map((family) => ({
                    ...fields,
                    name: `${base}-${FAMILY_TAG[family]}`,
                    sourceAddressPrefixes: lateCidrs([entry], family),
                    mayBeEmpty: true,
                }));
            });
        });
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
export function assignPriorities(
    names: readonly string[],
    range = { from: AZURE_PRIORITY_MIN, to: AZURE_PRIORITY_MAX },
): Map<string, number> {
    const span = range.to - range.from + 1;
    const taken = new Set<number>();
    const result = new Map<string, number>();
    const home = (name: string) => range.from + ((homePriority(name) - AZURE_PRIORITY_MIN) % span);
    const ordered = names.map((name) => ({ name, home: home(name) })).sort((a, b) => a.home - b.home || (a.name < b.name ? -1 : 1));
    for (const { name, home } of ordered) {
        let priority = home;
        while (taken.has(priority)) priority = range.from + ((priority - range.from + 1) % span);
        taken.add(priority);
        result.set(name, priority);
    }
    return result;
}

export function mapAzure(plan: RulePlan, spec: FirewallSpec<AzureSpec>, name: string): CloudMapping<AzureResources> {
    const rules: PlannedSecurityRule[] = [];
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
    for (const set of plan.late) append(rules, lateRules(set, plan));
    const problems: Problem[] = [];
    const existing = spec.settings.networkSecurityGroupName;
    const range = spec.settings.priorityRange ?? { from: AZURE_PRIORITY_MIN, to: AZURE_PRIORITY_MAX };
    const nsgName = `${name}-nsg`;
    if (!AZURE_NSG_NAME.test(nsgName) || nsgName.length + AZURE_AUTONAME_SUFFIX > AZURE_NSG_NAME_MAX) {
        problems.push({
            path: "name",
            message:
                `component name "${name}" makes the network security group name "${nsgName}" plus 8 random ` +
                `characters; Azure allows 1-${AZURE_NSG_NAME_MAX} letters, digits, "_", "." and "-", starting ` +
                (`with a letter or digit (Azure naming rules for Microsoft.Network/networkSecurityGroups): ` +
                    `use such a name of at most ${AZURE_NSG_NAME_MAX - AZURE_AUTONAME_SUFFIX - 4} characters`),
        });
    }
    if (existing !== undefined && rules.length > range.to - range.from + 1) {
        problems.push({
            path: "azure.priorityRange",
            message:
                `"${range.from}-${range.to}" holds ${range.to - range.from + 1} priorities, but the config needs ${rules.length} ` +
                `rules (one per family, protocol and source set); widen the range to at least ${rules.length} unused priorities`,
        });
    }
    if (existing !== undefined && rules.some((r) => r.mayBeEmpty)) {
        problems.push({
            path: spec.adminLate.some((l) => l.many) ? "adminCidrs" : "ports",
            message:
                "is a whole list given as one Output, which becomes one rule per address family; in an existing NSG such " +
                "a rule cannot drop out when its family resolves empty: pass a list whose entries are Outputs instead",
        });
    }
    const prefixTotal = rules.reduce((sum, r) => sum + (Array.isArray(r.sourceAddressPrefixes) ? r.sourceAddressPrefixes.length : 1), 0);
    if (prefixTotal > AZURE_SOURCE_PREFIXES_PER_NSG) {
        problems.push({
            path: spec.adminCidrs.length ? "adminCidrs" : "ports",
            message:
                `Azure needs ${prefixTotal} source prefixes in one network security ` +
                `group, more than the ${AZURE_SOURCE_PREFIXES_PER_NSG} Azure allows ` +
                (`per NSG summed over its rules (a NIC or subnet has one NSG, so ` +
                    `it cannot be split); use fewer or wider adminCidrs/source CIDRs`),
        });
    }
    if (rules.length > AZURE_RULES_PER_NSG) {
        problems.push({
            path: "ports",
            message:
                `Azure needs ${rules.length} security rules (one per family, protocol and source set), more ` +
                `than ${AZURE_RULES_PER_NSG} per network security group; give more rules the same sources`,
        });
    }
    const aks = spec.settings.aks === true;
    if (aks) append(problems, aksSourceProblems(plan, existing));
    // Past the rule limit there are not enough priorities to assign: stop here, the problem says why.
    if (problems.length) return { problems, warnings: [], quota: [], resources: { standalone: [] } };
    // In an NSG of yours each rule is a resource of its own, updated on its own: named by what it opens, a changed
    // rule is a new one created before the old one goes (two updated in parallel could close a port moving between
    // them: src/update/), and its priority comes from that identity, so it seldom wants the one the old still holds.
    const placed =
        existing !== undefined
            ? rules.map((r) => ({ ...r, name: `${r.name}-${shortHash(ruleIdentity({ ...r, description: undefined }))}` }))
            : rules;
    const priorities = assignPriorities(
        placed.map((r) => r.name),
        range,
    );
    const securityRules = placed.map((r) => ({ ...r, priority: priorities.get(r.name)! })).sort((a, b) => a.priority - b.priority);
    const late = plan.late.length ? " (late lists counted when resolved)" : "";
    const quota = [
        {
            what:
                existing !== undefined
                    ? `security rules (priorities ${range.from}-${range.to} of the existing NSG)`
                    : "security rules per NSG",
            used: securityRules.length,
            limit: existing !== undefined ? range.to - range.from + 1 : AZURE_RULES_PER_NSG,
        },
        {
            what: `source prefixes per NSG (all rules${existing !== undefined ? ", plus the NSG's own" : ""})${late}`,
            used: prefixTotal,
            limit: AZURE_SOURCE_PREFIXES_PER_NSG,
        },
    ];
    const resourceGroupName = spec.settings.resourceGroupName!;
    const location = spec.settings.location !== undefined ? { location: spec.settings.location } : {};
    if (aks) {
        // The subnet's own NSG, if any: its rules reach the pool's nodes only, through the application security group.
        const standalone = (existing !== undefined ? securityRules : []).map(({ name: ruleName, mayBeEmpty: _, ...rule }) => ({
            name: `${name}-${ruleName}`,
            args: { ...rule, resourceGroupName, networkSecurityGroupName: existing! },
        }));
        const ports = hostPorts(plan);
        const listed = ports.map((p) => `${p.portStart === p.portEnd ? p.portStart : `${p.portStart}-${p.portEnd}`}/${p.protocol}`);
        const warnings = [
            `${AKS_CLUSTER_SIDE} allowedHostPorts: ${listed.join(", ")}.` +
                (existing !== undefined ? " The subnet's NSG rules name the pool's application security group as their destination." : ""),
        ];
        return {
            problems,
            warnings,
            quota: existing !== undefined ? quota : [],
            resources: { standalone, asg: { name: `${name}-asg`, args: { resourceGroupName, ...location } }, allowedHostPorts: ports },
        };
    }
    if (existing !== undefined) {
        // Standalone rules, named by content like the inline ones: the user's NSG keeps its own rules.
        const standalone = securityRules.map(({ name: ruleName, mayBeEmpty: _, ...rule }) => ({
            name: `${name}-${ruleName}`,
            args: { ...rule, resourceGroupName, networkSecurityGroupName: existing },
        }));
        return { problems, warnings: [], quota, resources: { standalone } };
    }
    return {
        problems,
        warnings: [],
        quota,
        resources: {
            standalone: [],
            nsg: {
                name: nsgName,
                args: {
                    resourceGroupName,
                    ...(spec.settings.location !== undefined ? { location: spec.settings.location } : {}),
                    securityRules: withoutEmptyLateRules<AzureSecurityRule>(securityRules, "sourceAddressPrefixes"),
                },
            },
        },
    };
}

/** The slice of @pulumi/azure-native/network this target uses (see `ResourceClass`). */
export interface AzureNetworkSdk {
    NetworkSecurityGroup: ResourceClass<AzureNsgArgs, { id: pulumi.Output<string> }>;
    SecurityRule: ResourceClass<
        Omit<AzureStandaloneRuleArgs, "destinationAddressPrefix"> & {
            destinationAddressPrefix?: "*";
            destinationApplicationSecurityGroups?: { id: pulumi.Input<string> }[];
        },
        { id: pulumi.Output<string> }
    >;
    ApplicationSecurityGroup: ResourceClass<NonNullable<AzureResources["asg"]>["args"], { id: pulumi.Output<string> }>;
}

function registerAzure(resources: AzureResources, { parent, secret }: RegisterOptions): CloudOutputs {
    // Only the network module, loaded on use: an AWS-only consumer needs no Azure SDK.
    const network: AzureNetworkSdk = require("@pulumi/azure-native/network");
    if (resources.asg) {
        const asg = new network.ApplicationSecurityGroup(resources.asg.name, inputsOf(resources.asg.args, secret), { parent });
        // A rule of the subnet's NSG reaches the pool's nodes only: the group is its destination (no address prefix).
        for (const r of resources.standalone) {
            const { destinationAddressPrefix: _, ...rule } = r.args;
            new network.SecurityRule(r.name, inputsOf({ ...rule, destinationApplicationSecurityGroups: [{ id: asg.id }] }, secret), {
                parent,
            });
        }
        return { allowedHostPorts: pulumi.output(resources.allowedHostPorts ?? []), applicationSecurityGroupIds: pulumi.all([asg.id]) };
    }
    if (resources.nsg) {
        const nsg = new network.NetworkSecurityGroup(resources.nsg.name, inputsOf(resources.nsg.args, secret), { parent });
        return { networkSecurityGroupId: nsg.id };
    }
    const rules = resources.standalone.map((r) => new network.SecurityRule(r.name, inputsOf(r.args, secret), { parent }));
    // A rule's id is its NSG's id plus `/securityRules/<name>` (Azure resource ids).
    return { networkSecurityGroupId: rules[0]!.id.apply((id) => id.replace(/\/securityRules\/[^/]+$/i, "")) };
}

export const azureTarget: CloudTarget<AzureResources, AzureSpec> = {
    sdkPackage: "@pulumi/azure-native",
    map: mapAzure,
    register: registerAzure,
};
