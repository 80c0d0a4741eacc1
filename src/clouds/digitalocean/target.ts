/**
 * DigitalOcean: Cloud Firewalls with inline rules, one inbound rule per (protocol, port range)
 * carrying every source, and explicit outbound rules. Facts and sources: README "What each cloud gets".
 */
import * as pulumi from "@pulumi/pulumi";
import type { DigitaloceanSpec } from "./settings";
import { lateOpenings, openingsOf, type LateSet, type RulePlan } from "../../plan/plan";
import { lateCidrs, withoutEmptyLateRules } from "../../plan/lateValues";
import { batchNames, chunk, ruleIdentity } from "../../plan/naming";
import { ANY_IPV4, ANY_IPV6 } from "../../contract/cidr";
import { formatRange } from "../../contract/ports";
import type { FirewallSpec, InputList } from "../../contract/types";
import type { Problem } from "../../contract/problems";
import { registerFirewalls, type CloudMapping, type CloudTarget, type FirewallSdk, type ResourceDecl } from "../cloud";
import { maxOf } from "../../contract/lists";

export const DO_RULES_PER_FIREWALL = 50;
export const DO_SOURCES_PER_RULE = 1000;
/** DigitalOcean API reference, firewall model `name`: `^[a-zA-Z0-9][a-zA-Z0-9.-]+$`. */
export const DO_FIREWALL_NAME = /^[a-zA-Z0-9][a-zA-Z0-9.-]+$/;

export interface DoInboundRule {
    protocol: string;
    portRange: string;
    sourceAddresses: pulumi.Input<pulumi.Input<string>[]>;
}
export interface DoOutboundRule {
    protocol: string;
    portRange?: string;
    destinationAddresses: string[];
}
export interface DoFirewallArgs {
    dropletIds?: pulumi.Input<pulumi.Input<number>[]>;
    tags?: pulumi.Input<pulumi.Input<string>[]>;
    inboundRules: pulumi.Input<DoInboundRule[]>;
    outboundRules: DoOutboundRule[];
}
export type DoResources = ResourceDecl<DoFirewallArgs>[];

/** Without outbound rules DigitalOcean permits no outbound traffic at all: no media would leave. */
export const DO_OUTBOUND: DoOutboundRule[] = [
    { protocol: "tcp", portRange: "1-65535", destinationAddresses: [ANY_IPV4, ANY_IPV6] },
    { protocol: "udp", portRange: "1-65535", destinationAddresses: [ANY_IPV4, ANY_IPV6] },
    { protocol: "icmp", destinationAddresses: [ANY_IPV4, ANY_IPV6] },
];

/** Flows arrive sorted (protocol, ports, source), so rules and their sources come out in that order. */
export function doInboundRules(plan: RulePlan): DoInboundRule[] {
    return openingsOf(plan.flows, false).flatMap((o) =>
        chunk(o.cidrs, DO_SOURCES_PER_RULE).map((sourceAddresses) => ({
            protocol: o.protocol,
            portRange: formatRange(o.ports),
            sourceAddresses,
        })),
    );
}

/** A late set's rules: one per (protocol, range) with every address its entries resolve to. */
function lateInboundRules(set: LateSet): (DoInboundRule & { mayBeEmpty: boolean })[] {
    const sourceAddresses = lateCidrs(set.entries);
    // Only whole-list entries can resolve to nothing; such a rule is left out then (DigitalOcean needs a source).
    const mayBeEmpty = set.entries.every((e) => e.many);
    return lateOpenings(set).map(({ protocol, ports }) => ({ protocol, portRange: formatRange(ports), sourceAddresses, mayBeEmpty }));
}

/**
 * What the cluster side must know: DigitalOcean manages a `k8s-<id>-worker` firewall and rewrites what is changed
 * there; extra rules go on a firewall of your own tagged `k8s:<id>` (DigitalOcean docs, "The Managed Elements of
 * DigitalOcean Kubernetes", worker node firewalls).
 */
const DOKS_CLUSTER_SIDE =
    "DOKS: the firewall is tagged k8s:<cluster id>, which DigitalOcean puts on every worker node of the cluster, so it " +
    "applies to all its pools; the managed k8s-<id>-worker firewall is left alone (DigitalOcean rewrites changes there). " +
    "Run the media pods with hostNetwork so their ports are the node's.";

/** The firewall's tags, with a DOKS cluster's `k8s:<id>` after the config's own. */
function withClusterTag(tags: InputList<string>, clusterId: pulumi.Input<string> | undefined): InputList<string> {
    if (clusterId === undefined) return tags;
    const clusterTag = pulumi.output(clusterId).apply((id) => `k8s:${id}`);
    if (Array.isArray(tags.value)) return { value: [...(tags.value as pulumi.Input<string>[]), clusterTag], given: true };
    // A whole list from another resource: the cluster's tag follows it.
    return { value: pulumi.all([tags.value, clusterTag]).apply(([list, tag]) => [...(list as string[]), tag]), given: true };
}

export function mapDigitalOcean(plan: RulePlan, spec: FirewallSpec<DigitaloceanSpec>, name: string): CloudMapping<DoResources> {
    const inbound: (DoInboundRule & { mayBeEmpty?: boolean })[] = [...doInboundRules(plan), ...plan.late.flatMap(lateInboundRules)];
    // The first firewall carries the outbound rules; firewalls on a Droplet combine as a union.
    const firstCapacity = DO_RULES_PER_FIREWALL - DO_OUTBOUND.length;
    const batches = [inbound.slice(0, firstCapacity), ...chunk(inbound.slice(firstCapacity), DO_RULES_PER_FIREWALL)];
    const { dropletIds, kubernetesClusterId } = spec.settings;
    const tags = withClusterTag(spec.settings.tags, kubernetesClusterId);
    const names = batchNames(`${name}-fw`, batches, ruleIdentity);
    const firewalls: DoResources = batches.map((inboundRules, i) => {
        const logical = names[i]!;
        return {
            name: logical,
            // No explicit name: Pulumi auto-names it `<logical>-<7 random>`, unique per stack, where a fixed
            // name would collide (409) with the same stack program's other stacks in one account.
            args: {
                ...(dropletIds.given ? { dropletIds: dropletIds.value } : {}),
                ...(tags.given ? { tags: tags.value } : {}),
                inboundRules: withoutEmptyLateRules(inboundRules, "sourceAddresses"),
                outboundRules: i === 0 ? DO_OUTBOUND : [],
            },
        };
    });
    const warnings =
        kubernetesClusterId !== undefined
            ? [DOKS_CLUSTER_SIDE]
            : dropletIds.given || tags.given
              ? []
              : [
                    "digitalocean: no dropletIds and no tags, so the firewall protects " +
                        "nothing yet; set digitalocean.dropletIds or digitalocean.tags",
                ];
    if (firewalls.length > 1)
        warnings.push(
            `digitalocean: ${inbound.length + DO_OUTBOUND.length} rules exceed ${DO_RULES_PER_FIREWALL} ` +
                `per firewall: split into ${firewalls.length} firewalls on the same Droplets`,
        );
    const problems: Problem[] = [];
    if (!DO_FIREWALL_NAME.test(`${name}-fw`)) {
        problems.push({
            path: "name",
            message:
                `component name "${name}" makes the firewall name "${name}-fw-…"; ` +
                `DigitalOcean firewall names must start with a letter or digit ` +
                `and use only letters, digits, "." and "-" (API firewall model, pattern ^[a-zA-Z0-9][a-zA-Z0-9.-]+$): rename the component`,
        });
    }
    return {
        problems,
        warnings,
        quota: [
            ...firewalls.map((f, i) => ({
                what: `rules in ${f.name} (inbound + outbound)`,
                used: batches[i]!.length + f.args.outboundRules.length,
                limit: DO_RULES_PER_FIREWALL,
            })),
            {
                what: `largest source list in one rule${plan.late.length ? " (late sources counted when resolved)" : ""}`,
                used: maxOf([0, ...inbound.map((r) => (Array.isArray(r.sourceAddresses) ? r.sourceAddresses.length : 0))]),
                limit: DO_SOURCES_PER_RULE,
            },
        ],
        resources: firewalls,
    };
}

/** The slice of @pulumi/digitalocean this target uses (see `ResourceClass`). */
export type DigitalOceanSdk = FirewallSdk<DoFirewallArgs>;

export const digitaloceanTarget: CloudTarget<DoResources, DigitaloceanSpec> = {
    sdkPackage: "@pulumi/digitalocean",
    map: mapDigitalOcean,
    register: registerFirewalls<DoFirewallArgs>(() => require("@pulumi/digitalocean") as DigitalOceanSdk),
    lateSourcesPerRule: { limit: DO_SOURCES_PER_RULE, what: "sources DigitalOcean takes in one firewall rule" },
};
