/**
 * Azure NSGs, from registered inputs. Semantics (../shared/cloud-facts.md, Azure; Azure "Network
 * security groups overview"): rules of one direction are processed by priority, lowest first, and
 * the first match decides; below ours sit the six default rules; `*` matches anything; service tags
 * `VirtualNetwork` (the VNet's address space, here 10.0.0.0/16), `AzureLoadBalancer`
 * (168.63.129.16) and `Internet` (everything outside the virtual network).
 */
import type { RecordedResource } from "../../src/cli/mockRun";
import { matcher, portSpan, type Evaluator, type Packet } from "./packet";

export const VNET = ["10.0.0.0/16"];
const inVnet = matcher(VNET);
const TAGS: Record<string, (a: string) => boolean> = {
    "*": () => true,
    VirtualNetwork: inVnet,
    AzureLoadBalancer: matcher(["168.63.129.16/32"]),
    Internet: (a) => !inVnet(a),
};

export const DEFAULT_RULES = [
    {
        name: "AllowVNetInBound",
        priority: 65000,
        direction: "Inbound",
        access: "Allow",
        protocol: "*",
        sourceAddressPrefix: "VirtualNetwork",
        destinationPortRange: "*",
    },
    {
        name: "AllowAzureLoadBalancerInBound",
        priority: 65001,
        direction: "Inbound",
        access: "Allow",
        protocol: "*",
        sourceAddressPrefix: "AzureLoadBalancer",
        destinationPortRange: "*",
    },
    {
        name: "DenyAllInBound",
        priority: 65500,
        direction: "Inbound",
        access: "Deny",
        protocol: "*",
        sourceAddressPrefix: "*",
        destinationPortRange: "*",
    },
    {
        name: "AllowVnetOutBound",
        priority: 65000,
        direction: "Outbound",
        access: "Allow",
        protocol: "*",
        destinationAddressPrefix: "VirtualNetwork",
        destinationPortRange: "*",
    },
    {
        name: "AllowInternetOutBound",
        priority: 65001,
        direction: "Outbound",
        access: "Allow",
        protocol: "*",
        destinationAddressPrefix: "Internet",
        destinationPortRange: "*",
    },
    {
        name: "DenyAllOutBound",
        priority: 65500,
        direction: "Outbound",
        access: "Deny",
        protocol: "*",
        destinationAddressPrefix: "*",
        destinationPortRange: "*",
    },
];

interface CompiledRule {
    priority: number;
    direction: string;
    allow: boolean;
    protocol: string;
    ports: [number, number][];
    contains: (a: string) => boolean;
}

function compile(r: Record<string, any>): CompiledRule {
    const remote: string[] =
        r.direction === "Inbound"
            ? (r.sourceAddressPrefixes ?? [r.sourceAddressPrefix])
            : (r.destinationAddressPrefixes ?? [r.destinationAddressPrefix]);
    const checks = remote.map((prefix) => TAGS[prefix] ?? matcher([prefix]));
    return {
        priority: r.priority,
        direction: r.direction,
        allow: r.access === "Allow",
        protocol: r.protocol,
        ports: (r.destinationPortRanges ?? [r.destinationPortRange]).map(portSpan),
        contains: (a) => checks.some((c) => c(a)),
    };
}

const matches = (r: CompiledRule, p: Packet) =>
    r.direction === (p.direction === "in" ? "Inbound" : "Outbound") &&
    (r.protocol === "*" || r.protocol.toLowerCase() === p.protocol) &&
    r.ports.some(([a, b]) => a <= p.port && p.port <= b) &&
    r.contains(p.address);

/**
 * The one NSG on the NIC: ours (inline rules), or the user's own, given as `existingRules`, with our
 * standalone `SecurityRule`s added. Priorities must be unique per direction (Azure: SecurityRuleConflict).
 */
export function azureEvaluator(resources: RecordedResource[], existingRules: Record<string, any>[] = []): Evaluator {
    const nsgs = resources.filter((r) => r.type === "azure-native:network:NetworkSecurityGroup");
    const standalone = resources.filter((r) => r.type === "azure-native:network:SecurityRule").map((r) => r.inputs);
    const own = [...nsgs.flatMap((n) => (n.inputs.securityRules as any[]) ?? []), ...standalone, ...existingRules];
    const seen = new Set<string>();
    for (const r of own) {
        const key = `${r.direction} ${r.priority}`;
        if (seen.has(key)) throw new Error(`Azure SecurityRuleConflict: two ${r.direction} rules with priority ${r.priority}`);
        seen.add(key);
    }
    const rules = [...own, ...DEFAULT_RULES].map(compile).sort((a, b) => a.priority - b.priority);
    return (p) => rules.find((r) => matches(r, p))!.allow; // DenyAll* always matches last
}
