/**
 * validated spec → normalized rule plan. Cloud-agnostic: the plan says which (protocol, port
 * range, source CIDR) flows are open, after merging and de-duplication; each cloud's mapping
 * groups those flows into its own resources.
 */
import { ANY_IPV4, ANY_IPV6, cidrOf, compareCidrs, familyOf, networkBits, truncateBits, type Cidr, type Family } from "../contract/cidr";
import { formatRange, mergeRanges, rangesOverlap, subtractRanges, type PortRange } from "../contract/ports";
import type { Protocol, FirewallSpec, RuleSpec } from "../contract/types";
import type { Late } from "../contract/late";
import { HEALTH_CHECK_RULE } from "../contract/kubernetes";

/** One named rule as the user sees it (one per protocol): the `rules` output. */
export interface PlannedRule {
    name: string;
    description?: string;
    protocol: Protocol;
    ports: string[];
    sources: string[];
}

/** One open flow after normalization: protocol, one contiguous port range, one source network. */
export interface Flow {
    protocol: Protocol;
    ports: PortRange;
    cidr: string;
    family: Family;
    /** Names of the rules that open it, sorted; used for descriptions. */
    rules: string[];
}

/**
 * Sources known only at deployment (contract/late.ts), per set they belong to: adminCidrs, or one
 * rule's `from`. Mappings give each set its own resources, so the known ones never wait for them.
 */
export interface LateSet {
    /** `adminCidrs`, or `ports[i].from` / the preset rule's name for one rule's sources. */
    owner: string;
    /** Lowercase slug for resource names: `admin`, or `r-<rule name>`. */
    slug: string;
    /** The late entries, in the order written: an entry's position is its slot in resource names. */
    entries: Late[];
    /** The ports the set opens, per protocol, merged. */
    ports: Partial<Record<Protocol, PortRange[]>>;
    rules: string[];
}

/** Ingress from the members of an AWS security group (a rule's `from: [sg-…]`). */
export interface GroupFlow {
    protocol: Protocol;
    ports: PortRange;
    group: string;
    rules: string[];
}

export interface RulePlan {
    ipv6: boolean;
    rules: PlannedRule[];
    flows: Flow[];
    /** Sources not known at construction, by set; empty when every value was plain. */
    late: LateSet[];
    groupFlows: GroupFlow[];
    /** adminCidrs by family, canonical and sorted: lets mappings name the admin source set. */
    adminCidrs: Record<Family, string[]>;
    /** The TURN relay's peer lockdown, when the config opens a relay (contract/relayPeers.ts). */
    relay?: RelayPlan;
}

export interface RelayPlan {
    /** The relay range (coturn's min-port..max-port) when the config has one: what the host firewall filters. */
    relayPorts: PortRange[];
    /** Canonical CIDRs, sorted. */
    allowPeers: string[];
    denyPeers: string[];
    tcpRelay: boolean;
}

function relayPlan(spec: FirewallSpec): RelayPlan | undefined {
    if (!spec.turnRelay) return undefined;
    const relayPorts = mergeRanges(spec.rules.filter((r) => r.name === "relay-udp").flatMap((r) => r.ports));
    const sorted = (cidrs: string[]) => [...new Set(cidrs)].sort(compareCidrs);
    return {
        relayPorts,
        allowPeers: sorted(spec.turnRelay.allowPeers),
        denyPeers: sorted(spec.turnRelay.denyPeers),
        tcpRelay: spec.turnRelay.tcpRelay,
    };
}

export function publicCidrs(ipv6: boolean): string[] {
    return ipv6 ? [ANY_IPV4, ANY_IPV6] : [ANY_IPV4];
}

function sourcesOf(rule: RuleSpec, spec: FirewallSpec): string[] {
    const cidrs = new Set<string>(rule.from.cidrs.map((c) => c.text));
    if (rule.from.public) publicCidrs(spec.ipv6).forEach((c) => cidrs.add(c));
    if (rule.from.admin) spec.adminCidrs.forEach((c) => cidrs.add(c.text));
    return [...cidrs].sort(compareCidrs);
}

/** Ports per protocol of some rules, merged. */
function portsOf(rules: readonly RuleSpec[]): Partial<Record<Protocol, PortRange[]>> {
    const ports: Partial<Record<Protocol, PortRange[]>> = {};
    for (const rule of rules)
        for (const protocol of rule.protocols) ports[protocol] = mergeRanges([...(ports[protocol] ?? []), ...rule.ports]);
    return ports;
}

function lateSets(spec: FirewallSpec): LateSet[] {
    const sets: LateSet[] = [];
    const adminRules = spec.rules.filter((r) => r.from.admin);
    if (spec.adminLate.length && adminRules.length) {
        sets.push({
            owner: "adminCidrs",
            slug: "admin",
            entries: spec.adminLate,
            ports: portsOf(adminRules),
            rules: adminRules.map((r) => r.name).sort(),
        });
    }
    for (const rule of spec.rules.filter((r) => r.from.late.length)) {
        // Only a rule of ports[] and the load balancer's health checks have late sources.
        const owner = rule.name === HEALTH_CHECK_RULE ? "kubernetes.healthCheckSources" : `${rule.origin}.from`;
        sets.push({ owner, slug: `r-${rule.name}`, entries: rule.from.late, ports: portsOf([rule]), rules: [rule.name] });
    }
    return sets;
}

function groupFlows(spec: FirewallSpec): GroupFlow[] {
    const byKey = new Map<string, GroupFlow>();
    for (const rule of spec.rules) {
        for (const group of rule.from.groups) {
            for (const [protocol, ranges] of Object.entries(portsOf([rule])) as [Protocol, PortRange[]][]) {
                for (const ports of ranges) {
                    const key = `${protocol} ${formatRange(ports)} ${group}`;
                    const flow = byKey.get(key) ?? { protocol, ports, group, rules: [] };
                    flow.rules.push(rule.name); // deduplicated and sorted when the ranges merge below
                    byKey.set(key, flow);
                }
            }
        }
    }
    // Ranges of one group that overlap across rules merge, as flows of one CIDR do.
    const merged = new Map<string, GroupFlow[]>();
    for (const flow of byKey.values()) {
        const key = `${flow.protocol} ${flow.group}`;
        merged.set(key, [...(merged.get(key) ?? []), flow]);
    }
    return [...merged.values()]
        .flatMap((flows) =>
            mergeRanges(flows.map((f) => f.ports)).map((ports) => ({
                ...flows[0]!,
                ports,
                rules: [...new Set(flows.filter((f) => rangesOverlap(f.ports, ports)).flatMap((f) => f.rules))].sort(),
            })),
        )
        .sort((a, b) => compareText(a.protocol, b.protocol) || a.ports.from - b.ports.from || compareText(a.group, b.group));
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function compareFlows(a: Flow, b: Flow): number {
    return compareText(a.protocol, b.protocol) || a.ports.from - b.ports.from || a.ports.to - b.ports.to || compareCidrs(a.cidr, b.cidr);
}

/**
 * Returns a lookup of the strictly wider CIDRs (among `cidrs`) that contain a given one.
 * Indexed by (family, prefix, network) so thousands of admin CIDRs stay fast.
 */
function containingIndex(cidrs: readonly Cidr[]): (inner: Cidr) => string[] {
    const index = new Map<string, Map<bigint, string>>();
    const prefixes: Record<Family, Set<number>> = { ipv4: new Set(), ipv6: new Set() };
    for (const cidr of cidrs) {
        const key = `${cidr.family}/${cidr.prefix}`;
        const byNetwork = index.get(key) ?? new Map<bigint, string>();
        byNetwork.set(networkBits(cidr), cidr.text);
        index.set(key, byNetwork);
        prefixes[cidr.family].add(cidr.prefix);
    }
    return (inner) => {
        const bits = networkBits(inner);
        const outer: string[] = [];
        for (const prefix of prefixes[inner.family]) {
            if (prefix >= inner.prefix) continue;
            const hit = index.get(`${inner.family}/${prefix}`)!.get(truncateBits(bits, inner.family, prefix));
            if (hit) outer.push(hit);
        }
        return outer;
    };
}

export function planRules(spec: FirewallSpec): RulePlan {
    const rules: PlannedRule[] = [];
    /** protocol → cidr → contributions of each rule. */
    const opened = new Map<Protocol, Map<string, { rule: string; ranges: PortRange[] }[]>>();
    for (const rule of spec.rules) {
        const sources = sourcesOf(rule, spec);
        for (const protocol of rule.protocols) {
            rules.push({
                name: rule.name,
                description: rule.description,
                protocol,
                ports: rule.ports.map(formatRange),
                sources: [...sources, ...[...rule.from.groups].sort()],
            });
            const byCidr = opened.get(protocol) ?? new Map();
            opened.set(protocol, byCidr);
            for (const cidr of sources) {
                const list = byCidr.get(cidr) ?? [];
                list.push({ rule: rule.name, ranges: rule.ports });
                byCidr.set(cidr, list);
            }
        }
    }
    const flows: Flow[] = [];
    for (const [protocol, byCidr] of opened) {
        const cidrs = [...byCidr.keys()].map(cidrOf);
        const containing = containingIndex(cidrs);
        for (const cidr of cidrs) {
            const contributions = byCidr.get(cidr.text)!;
            // A source inside a wider source that already opens the same ports adds nothing.
            const covered = containing(cidr).flatMap((outer) => byCidr.get(outer)!.flatMap((c) => c.ranges));
            const open = subtractRanges(
                contributions.flatMap((c) => c.ranges),
                covered,
            );
            for (const ports of open) {
                const names = contributions.filter((c) => c.ranges.some((r) => rangesOverlap(r, ports))).map((c) => c.rule);
                flows.push({ protocol, ports, cidr: cidr.text, family: cidr.family, rules: [...new Set(names)].sort() });
            }
        }
    }
    flows.sort(compareFlows);
    rules.sort((a, b) => compareText(a.name, b.name) || compareText(a.protocol, b.protocol));
    const admin = spec.adminCidrs.map((c) => c.text).sort(compareCidrs);
    return {
        ipv6: spec.ipv6,
        rules,
        flows,
        late: lateSets(spec),
        groupFlows: groupFlows(spec),
        adminCidrs: { ipv4: admin.filter((c) => familyOf(c) === "ipv4"), ipv6: admin.filter((c) => familyOf(c) === "ipv6") },
        ...(spec.turnRelay ? { relay: relayPlan(spec) } : {}),
    };
}

/** Ports that share one exact source set, with their sources: the unit GCP and Azure rules are made of. */
export interface SourceGroup {
    family: Family;
    cidrs: string[];
    /** Ports per protocol, merged. */
    ports: Partial<Record<Protocol, PortRange[]>>;
    rules: string[];
}

/**
 * Groups flows by (family, exact source set), optionally also by protocol.
 * First by (protocol, range) → sources, then by sources → ranges.
 */
/** One (protocol, port range) with every source that opens it, in flow order; per family or both together. */
export interface Opening {
    protocol: Protocol;
    ports: PortRange;
    family: Family;
    cidrs: string[];
    rules: string[];
}

/** Flows grouped by (protocol, port range), and by family when `splitFamilies`: the unit DigitalOcean and Hetzner rules are made of. */
export function openingsOf(flows: readonly Flow[], splitFamilies: boolean): Opening[] {
    const byOpening = new Map<string, Opening & { names: Set<string> }>();
    for (const flow of flows) {
        // Stryker disable next-line StringLiteral: any constant in place of the family keeps the keys apart alike
        const key = `${splitFamilies ? flow.family : ""} ${flow.protocol} ${flow.ports.from}-${flow.ports.to}`;
        const entry = byOpening.get(key) ?? {
            protocol: flow.protocol,
            ports: flow.ports,
            family: flow.family,
            cidrs: [],
            rules: [],
            names: new Set<string>(),
        };
        entry.cidrs.push(flow.cidr);
        flow.rules.forEach((r) => entry.names.add(r));
        byOpening.set(key, entry);
    }
    return [...byOpening.values()].map(({ names, ...o }) => ({ ...o, rules: [...names].sort() }));
}

/** The (protocol, port range) pairs a late set opens, TCP first, in a fixed order. */
export function lateOpenings(set: LateSet): { protocol: Protocol; ports: PortRange }[] {
    return (["tcp", "udp"] as const).flatMap((protocol) => (set.ports[protocol] ?? []).map((ports) => ({ protocol, ports })));
}

export function groupBySources(flows: readonly Flow[], splitProtocols: boolean): SourceGroup[] {
    const groups = new Map<string, SourceGroup>();
    for (const opening of openingsOf(flows, true)) {
        const cidrs = opening.cidrs; // already sorted: flows are sorted by source within a port range
        // Stryker disable next-line StringLiteral: any constant in place of the protocol keeps the keys apart alike
        const key = `${opening.family} ${splitProtocols ? opening.protocol : ""} ${cidrs.join(",")}`;
        const group = groups.get(key) ?? { family: opening.family, cidrs, ports: {}, rules: [] };
        group.ports[opening.protocol] = mergeRanges([...(group.ports[opening.protocol] ?? []), opening.ports]);
        group.rules = [...new Set([...group.rules, ...opening.rules])].sort();
        groups.set(key, group);
    }
    return [...groups.values()];
}
