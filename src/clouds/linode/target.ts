/**
 * Linode (Akamai) Cloud Firewall: one `linode.Firewall` with `inboundPolicy: DROP`, `outboundPolicy: ACCEPT` (no
 * outbound rule, so the server sends anywhere) and ACCEPT inbound rules packed as Linode's rule model allows: one rule
 * holds a protocol, a `ports` string of up to 15 pieces (a range counts two) and IPv4 and IPv6 address lists, so the
 * rules are one per (protocol, exact source set), their ports packed 15 pieces at a time. A firewall holds 25 rules,
 * inbound and outbound together, and a Linode takes one enabled firewall, so nothing is split: more is a config error
 * with the counts. Sources: the Linode API (Firewall, FirewallRuleConfig), Akamai "Rule Sets and Prefix Lists" (limits),
 * terraform-provider-linode `linode/firewall` (bridged by @pulumi/linode); README "Linode".
 */
import * as pulumi from "@pulumi/pulumi";
import type { LinodeSpec } from "./settings";
import { FIREWALL_LABEL } from "./settings";
import { familyOf } from "../../contract/cidr";
import { formatRange, type PortRange } from "../../contract/ports";
import type { FirewallSpec, Protocol } from "../../contract/types";
import type { Problem } from "../../contract/problems";
import { lateCidrs } from "../../plan/lateValues";
import { lateOpenings, openingsOf, type RulePlan } from "../../plan/plan";
import { describeRules, sourceSetSlug } from "../../plan/naming";
import { registerFirewalls, type CloudMapping, type CloudTarget, type FirewallSdk, type ResourceDecl } from "../cloud";

/** Said when the label is the component's name: labels are unique in the account, and a second stack would clash. */
export const labelWarning = (label: string): string =>
    "linode: the firewall's label is the component's name, and labels are unique in the account: a second stack of this " +
    `program in the same account needs its own linode.firewallLabel (now "${label}")`;

/** Linode API, Firewall `rules`: "up to 25 rules across its inbound and outbound rulesets". */
export const LINODE_RULES_PER_FIREWALL = 25;
/** Linode API, FirewallRuleConfig `ports`: "up to 15 pieces, where a single port is one piece and a range two". */
export const LINODE_PORT_PIECES = 15;
/** A rule's description, display only; kept to 100 characters (Cloud Manager's field). */
export const LINODE_DESCRIPTION_MAX = 100;
/** Rule and firewall labels: 3-32 characters (Linode API). */
export const LINODE_LABEL_MAX = 32;

/** LKE's private network, where the control plane and the other nodes reach a node (Akamai, LKE network and firewall details). */
export const LKE_PRIVATE_NETWORK = "192.168.128.0/17";

/** Said on LKE: where the firewall must sit, and what else may put one on the nodes. */
export const LKE_WARNING =
    "linode: LKE: give output firewallIds (one id) to the node pool's firewall_id (LKE API, terraform-provider-linode 3.8+); " +
    "until then the firewall governs nothing. Nodes listed in linode.linodeIds lose it when the pool recycles or autoscales " +
    "them, and LKE's cloud-firewall-controller, if installed, puts its own firewall on them (a Linode takes one): remove it first";

export interface LinodeRule {
    label: string;
    action: "ACCEPT";
    protocol: "TCP" | "UDP" | "IPENCAP";
    /** Absent: every port (and never set for IPENCAP). */
    ports?: string;
    ipv4s?: pulumi.Input<pulumi.Input<string>[]>;
    ipv6s?: pulumi.Input<pulumi.Input<string>[]>;
    description: string;
}

export interface LinodeFirewallArgs {
    label: string;
    inboundPolicy: "DROP";
    outboundPolicy: "ACCEPT";
    inbounds: pulumi.Input<pulumi.Input<LinodeRule>[]>;
    linodes?: pulumi.Input<pulumi.Input<number>[]>;
    nodebalancers?: pulumi.Input<pulumi.Input<number>[]>;
    tags: string[];
}

export type LinodeResources = ResourceDecl<LinodeFirewallArgs>[];

/** A rule with both families' addresses in one list, split when known (an Output when they resolve late; an empty family is left out). */
type PlannedRule = Omit<LinodeRule, "ipv4s" | "ipv6s"> & { addresses: pulumi.Input<string[]> };

const PROTOCOL: Record<Protocol, "TCP" | "UDP"> = { tcp: "TCP", udp: "UDP" };

/** Pieces of a ports string: a port one, a range two. */
const piecesOf = (range: PortRange) => (range.from === range.to ? 1 : 2);

/** Ranges in order, cut into strings of at most 15 pieces ("80, 443, 50000-60000"). */
export function portStrings(ranges: readonly PortRange[]): string[] {
    const out: string[] = [];
    let current: string[] = [];
    let pieces = 0;
    for (const range of ranges) {
        if (pieces + piecesOf(range) > LINODE_PORT_PIECES) {
            out.push(current.join(", "));
            current = [];
            pieces = 0;
        }
        current.push(formatRange(range));
        pieces += piecesOf(range);
    }
    if (current.length) out.push(current.join(", "));
    return out;
}

/**
 * A rule label as the API takes it: letters, digits, "-", "_", "."; no two of those in a row; at most 32 characters.
 * Every label starts with its protocol ("tcp-…"), so it is never shorter than the API's 3.
 */
export function ruleLabel(text: string): string {
    return text
        .replace(/[^a-zA-Z0-9\-_.]/g, "-")
        .replace(/[-_.]{2,}/g, "-")
        .slice(0, LINODE_LABEL_MAX)
        .replace(/[-_.]$/, "");
}

/** Known sources: one rule per (protocol, exact source set of both families), its ports packed. */
function knownRules(plan: RulePlan): PlannedRule[] {
    const bySources = new Map<string, { protocol: Protocol; cidrs: string[]; ranges: PortRange[]; rules: Set<string> }>();
    for (const opening of openingsOf(plan.flows, false)) {
        const key = JSON.stringify([opening.protocol, opening.cidrs]);
        const entry = bySources.get(key) ?? { protocol: opening.protocol, cidrs: opening.cidrs, ranges: [], rules: new Set<string>() };
        entry.ranges.push(opening.ports);
        opening.rules.forEach((r) => entry.rules.add(r));
        bySources.set(key, entry);
    }
    return [...bySources.values()].flatMap(({ protocol, cidrs, ranges, rules }) => {
        // Each family's source set named as the other clouds name it (public, admin, src-<hash>), once when both agree.
        const slugs = (["ipv4", "ipv6"] as const).flatMap((family) => {
            const ofFamily = cidrs.filter((c) => familyOf(c) === family);
            return ofFamily.length ? [sourceSetSlug(ofFamily, family, plan)] : [];
        });
        const name = `${protocol}-${[...new Set(slugs)].join("-")}`;
        const strings = portStrings(ranges);
        return strings.map((ports, i) => ({
            label: ruleLabel(strings.length > 1 ? `${name}-${i + 1}` : name),
            action: "ACCEPT" as const,
            protocol: PROTOCOL[protocol],
            ports,
            addresses: cidrs,
            description: describeRules([...rules].sort(), plan, LINODE_DESCRIPTION_MAX),
        }));
    });
}

/** A late set: one rule per protocol with every address its entries resolve to, its ports packed. */
function lateRules(plan: RulePlan): PlannedRule[] {
    return plan.late.flatMap((set) => {
        const addresses = lateCidrs(set.entries);
        const description = describeRules(set.rules, plan, LINODE_DESCRIPTION_MAX);
        return (["tcp", "udp"] as const).flatMap((protocol) => {
            const ranges = lateOpenings(set)
                .filter((o) => o.protocol === protocol)
                .map((o) => o.ports);
            const strings = portStrings(ranges);
            return strings.map((ports, i) => ({
                label: ruleLabel(`${protocol}-${set.slug}${strings.length > 1 ? `-${i + 1}` : ""}`),
                action: "ACCEPT" as const,
                protocol: PROTOCOL[protocol],
                ports,
                addresses,
                description,
            }));
        });
    });
}

/**
 * What an LKE node needs from the cluster's private network once a DROP firewall is on it (Akamai, "LKE network and
 * firewall details"): kubelet health checks, the WireGuard tunnel kubectl proxy uses, cluster DNS, Calico's BGP and
 * its IP-in-IP encapsulation. Without them the nodes leave the cluster.
 */
function lkeRules(): PlannedRule[] {
    const from = [LKE_PRIVATE_NETWORK];
    const rule = (label: string, protocol: LinodeRule["protocol"], ports: string | undefined, description: string): PlannedRule => ({
        label,
        action: "ACCEPT",
        protocol,
        ...(ports !== undefined ? { ports } : {}),
        addresses: from,
        description,
    });
    return [
        rule("lke-tcp", "TCP", "53, 179, 10250, 10256", "LKE: cluster DNS, Calico BGP, kubelet health checks"),
        rule("lke-udp", "UDP", "53, 51820", "LKE: cluster DNS, WireGuard tunnel for kubectl proxy"),
        rule("lke-ipencap", "IPENCAP", undefined, "LKE: Calico IP-in-IP between nodes"),
    ];
}

/** Addresses split by family; a family with none is left out, and a late rule with none at all is dropped. */
function inboundsOf(rules: PlannedRule[]): pulumi.Input<pulumi.Input<LinodeRule>[]> {
    const split = ({ addresses: _, ...rule }: PlannedRule, list: string[]): LinodeRule | undefined => {
        const v4 = list.filter((c) => familyOf(c) === "ipv4");
        const v6 = list.filter((c) => familyOf(c) === "ipv6");
        if (!v4.length && !v6.length) return undefined;
        return { ...rule, ...(v4.length ? { ipv4s: v4 } : {}), ...(v6.length ? { ipv6s: v6 } : {}) };
    };
    if (!rules.some((r) => pulumi.Output.isInstance(r.addresses))) return rules.map((r) => split(r, r.addresses as string[])!);
    return pulumi.all(rules.map((r) => pulumi.output(r.addresses))).apply((lists) => rules.flatMap((r, i) => split(r, lists[i]!) ?? []));
}

export function mapLinode(plan: RulePlan, spec: Pick<FirewallSpec<LinodeSpec>, "settings">, name: string): CloudMapping<LinodeResources> {
    const problems: Problem[] = [];
    const warnings: string[] = [];
    const { linodeIds, nodeBalancerIds, lkeClusterId } = spec.settings;
    const rules = [...knownRules(plan), ...lateRules(plan), ...(lkeClusterId !== undefined ? lkeRules() : [])];
    if (rules.length > LINODE_RULES_PER_FIREWALL) {
        const lke = lkeClusterId !== undefined ? ` (3 of them LKE's own)` : "";
        problems.push({
            path: "ports",
            message:
                `Linode needs ${rules.length} inbound rules${lke} (one per protocol and source set, ` +
                `${LINODE_PORT_PIECES} port pieces each, a range counting two), more than the ${LINODE_RULES_PER_FIREWALL} ` +
                "a firewall holds, and a Linode takes one firewall (Linode API): use port ranges, fewer separate ports " +
                "or fewer distinct source sets",
        });
    }
    const label = spec.settings.firewallLabel ?? name;
    if (!FIREWALL_LABEL.test(label))
        problems.push({
            path: "name",
            message:
                `component name "${name}" is the firewall's label, which Linode takes as 3-32 letters, digits, "-", "_" or ".", ` +
                'beginning with a letter and ending with a letter or digit: set linode.firewallLabel, e.g. "media-fw"',
        });
    if (lkeClusterId !== undefined) warnings.push(LKE_WARNING);
    else if (!linodeIds.given && !nodeBalancerIds.given)
        warnings.push(
            "linode: no linodeIds and no nodeBalancerIds, so the firewall governs nothing yet; set linode.linodeIds, or " +
                "pass the output firewallIds (one id) to linode.Instance's firewallId (set at creation)",
        );
    if (nodeBalancerIds.given)
        warnings.push(
            "linode: a NodeBalancer keeps only the inbound rules, and sees the client's address; its backends see the NodeBalancer's",
        );
    if (spec.settings.firewallLabel === undefined) warnings.push(labelWarning(label));
    const firewall: ResourceDecl<LinodeFirewallArgs> = {
        name: `${name}-fw`,
        args: {
            label,
            inboundPolicy: "DROP",
            outboundPolicy: "ACCEPT",
            inbounds: inboundsOf(rules),
            ...(linodeIds.given ? { linodes: linodeIds.value } : {}),
            ...(nodeBalancerIds.given ? { nodebalancers: nodeBalancerIds.value } : {}),
            tags: ["webrtc-firewall"],
        },
    };
    return {
        problems,
        warnings,
        quota: [
            {
                what: "rules in the firewall (inbound and outbound together; no outbound rule, so outbound stays open)",
                used: rules.length,
                limit: LINODE_RULES_PER_FIREWALL,
            },
            { what: "firewalls per Linode", used: 1, limit: 1 },
        ],
        resources: [firewall],
    };
}

/** The slice of @pulumi/linode this target uses (see `ResourceClass`). */
export type LinodeSdk = FirewallSdk<LinodeFirewallArgs>;

export const linodeTarget: CloudTarget<LinodeResources, LinodeSpec> = {
    sdkPackage: "@pulumi/linode",
    map: mapLinode,
    // One firewall, as a list like the other clouds' firewallIds; Pulumi's id is the API's numeric id as text.
    register: registerFirewalls<LinodeFirewallArgs>(() => require("@pulumi/linode") as LinodeSdk),
};
