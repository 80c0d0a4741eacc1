/**
 * Azure network security groups (@pulumi/azure-native `network`, v2 and v3): inline `securityRules`
 * on `NetworkSecurityGroup`, or `SecurityRule` resources naming their NSG by `networkSecurityGroupName`.
 * Rules are evaluated by priority, lowest first, the first match deciding; `Deny` rules count. Service
 * tags `Internet`, `*` and `Any` stand for every address; other tags (`VirtualNetwork`,
 * `AzureLoadBalancer`) and application security groups are named sources, never the world. Ports are
 * strings (`"22"`, `"1000-2000"`, `"*"`). Egress to the internet is allowed by default (Azure NSG overview).
 */
import { at, portsOfText, protocolsOf, Reader, sourceOf, worldSource, type ObservedRule, type Reading, type Source } from "../observed";

export const AZURE_TYPES = {
    nsg: "azure-native:network:NetworkSecurityGroup",
    rule: "azure-native:network:SecurityRule",
    agentPool: "azure-native:containerservice:AgentPool",
} as const;

/**
 * An AKS AgentPool's `networkProfile.allowedHostPorts`: AKS writes an allow rule for them in its managed NSG that
 * names no source (docs/kubernetes.md), so each range is open to the world on the pool's nodes.
 */
function readAgentPool(r: Reader, urn: string, props: Props): Reading {
    const ingress = r.list(
        "networkProfile.allowedHostPorts",
        () => props.networkProfile?.allowedHostPorts,
        (item, path): ObservedRule => {
            const start = r.known(at(path, "portStart"), () => item.portStart);
            const end = r.known(at(path, "portEnd"), () => item.portEnd);
            const ports = typeof start === "number" && typeof end === "number" ? `${start}-${end}` : undefined;
            const range = portsOfText(ports, ALL_PORTS_SPELLINGS);
            return {
                urn,
                label: path,
                action: "allow",
                priority: 0,
                protocols: protocolsOf(r.known(at(path, "protocol"), () => item.protocol)),
                ports: range ? [range] : [],
                sources: [worldSource("AKS's rule for allowedHostPorts (no source)")],
            };
        },
    );
    return { ingress, egressRules: 0, unknowns: r.unknowns, groupKeys: [], tags: {} };
}

/** Every port, as Azure's `destinationPortRange` `"*"` (azure-rest-api-specs `networkSecurityGroup.json`). */
export const ALL_PORTS_SPELLINGS: readonly string[] = ["*"];

const WORLD_TAGS = new Set(["*", "internet", "any"]);

type Props = Record<string, any>;

function sourcesOf(r: Reader, path: string, item: Props): Source[] {
    const prefix = r.known(at(path, "sourceAddressPrefix"), () => item.sourceAddressPrefix);
    const prefixes = r.strings(at(path, "sourceAddressPrefixes"), () => item.sourceAddressPrefixes);
    const texts = [...(typeof prefix === "string" && prefix ? [prefix] : []), ...prefixes];
    const groups = r.list(
        at(path, "sourceApplicationSecurityGroups"),
        () => item.sourceApplicationSecurityGroups,
        (g) => ({ text: `application security group ${String(g.id ?? "")}`, cidrs: [] }),
    );
    return [...texts.map((t) => (WORLD_TAGS.has(t.trim().toLowerCase()) ? worldSource(t) : sourceOf(t))), ...groups];
}

/** One rule, inbound or outbound; undefined for one that is neither readable nor inbound. */
function ruleOf(r: Reader, urn: string, path: string, item: Props): { direction: string; rule?: ObservedRule } {
    const direction = String(r.known(at(path, "direction"), () => item.direction) ?? "");
    const access = String(r.known(at(path, "access"), () => item.access) ?? "").toLowerCase();
    const name = r.known(at(path, "name"), () => item.name);
    const priority = r.known(at(path, "priority"), () => item.priority);
    const single = r.known(at(path, "destinationPortRange"), () => item.destinationPortRange);
    const list = r.strings(at(path, "destinationPortRanges"), () => item.destinationPortRanges);
    const texts = list.length ? list : [single];
    const ports = texts.map((t) => portsOfText(t as string | undefined, ALL_PORTS_SPELLINGS)).filter((p) => p !== undefined);
    const label = path && typeof name === "string" ? `${path} "${name}"` : path;
    const rule: ObservedRule = {
        urn,
        label,
        action: access === "deny" ? "deny" : "allow",
        priority: typeof priority === "number" ? priority : 0,
        protocols: protocolsOf(r.known(at(path, "protocol"), () => item.protocol)),
        ports,
        sources: sourcesOf(r, path, item),
    };
    return { direction: direction.toLowerCase(), rule: access === "allow" || access === "deny" ? rule : undefined };
}

/**
 * An NSG as Azure's API names it: its resource group and its name, both case-insensitive (an NSG's resource
 * id, `.../resourceGroups/<group>/providers/Microsoft.Network/networkSecurityGroups/<name>`). Without a
 * known group there is no key: the rule joins by dependency, or is not yet checkable.
 */
function nsgKey(group: unknown, name: unknown): string | undefined {
    const named = (v: unknown): v is string => typeof v === "string" && v.trim() !== "";
    return named(group) && named(name) ? `azure:${group.trim().toLowerCase()}/${name.trim().toLowerCase()}` : undefined;
}

export function readAzure(type: string, urn: string, props: Props): Reading | undefined {
    const r = new Reader();
    const tags = r.tags("tags", () => props.tags);
    if (type === AZURE_TYPES.agentPool) return readAgentPool(r, urn, props);
    if (type === AZURE_TYPES.nsg) {
        const rules = r.list(
            "securityRules",
            () => props.securityRules,
            (item, path) => ruleOf(r, urn, path, item),
        );
        const ingress = rules.filter((x) => x.direction === "inbound" && x.rule).map((x) => x.rule!);
        const egressRules = rules.filter((x) => x.direction === "outbound" && x.rule?.action === "allow").length;
        const group = r.known("resourceGroupName", () => props.resourceGroupName);
        const keys = [
            nsgKey(
                group,
                r.known("networkSecurityGroupName", () => props.networkSecurityGroupName),
            ),
            nsgKey(
                group,
                r.known("name", () => props.name),
            ),
        ];
        return { ingress, egressRules, unknowns: r.unknowns, groupKeys: keys.filter((k): k is string => !!k), tags };
    }
    if (type !== AZURE_TYPES.rule) return undefined;
    const one = ruleOf(r, urn, "", props);
    const joins = {
        property: "networkSecurityGroupName",
        key: nsgKey(
            r.known("resourceGroupName", () => props.resourceGroupName),
            r.known("networkSecurityGroupName", () => props.networkSecurityGroupName),
        ),
    };
    const inbound = one.direction === "inbound" && one.rule ? [one.rule] : [];
    return {
        ingress: inbound,
        egressRules: one.direction === "outbound" && one.rule?.action === "allow" ? 1 : 0,
        unknowns: r.unknowns,
        joins,
        tags,
    };
}
