/**
 * GCP: one INGRESS `gcp.compute.Firewall` per (address family, exact source set), all the
 * protocols and ports of that set in its `allows`. Facts and sources: README "What each cloud gets".
 */
import * as pulumi from "@pulumi/pulumi";
import { GCP_NAME, type GcpSpec } from "./settings";
import { groupBySources, type LateSet, type RulePlan } from "../../plan/plan";
import { lateCidrs, lateSource } from "../../plan/lateValues";
import { FAMILY_TAG, chunk, describeRules, ruleIdentity, shortHash, sourceSetSlug } from "../../plan/naming";
import { formatRange } from "../../contract/ports";
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
import { append, maxOf } from "../../contract/lists";

/** Pulumi auto-names a firewall `<logical>-<7 random>`; GCP allows 63 characters. */
export const GCP_LOGICAL_NAME_MAX = 55;
/** Source ranges per rule (unconfirmed in cloud-facts; GCP documents 5000). */
export const GCP_SOURCE_RANGES_PER_RULE = 5000;

export interface GcpFirewallArgs {
    network: pulumi.Input<string>;
    direction: "INGRESS";
    allows: { protocol: string; ports: string[] }[];
    sourceRanges: pulumi.Input<pulumi.Input<string>[]>;
    targetTags?: pulumi.Input<pulumi.Input<string>[]>;
    /** Only for a late list's per-family rule: on while that family has no sources, since GCP reads a
     *  rule without sources as 0.0.0.0/0. */
    disabled?: pulumi.Input<boolean>;
    description: string;
}

export type GcpResources = ResourceDecl<GcpFirewallArgs>[];

export function mapGcp(plan: RulePlan, spec: FirewallSpec<GcpSpec>, name: string): CloudMapping<GcpResources> {
    const problems = [];
    const warnings: string[] = [];
    const firewalls: GcpResources = [];
    for (const group of groupBySources(plan.flows, false)) {
        const base = `${name}-${FAMILY_TAG[group.family]}-${sourceSetSlug(group.cidrs, group.family, plan)}`;
        const allows = (["tcp", "udp"] as const)
            .filter((p) => group.ports[p]?.length)
            .map((protocol) => ({ protocol, ports: group.ports[protocol]!.map(formatRange) }));
        chunk(group.cidrs, GCP_SOURCE_RANGES_PER_RULE).forEach((sourceRanges) => {
            // Named by what it opens: a port or source moving from one rule to another is a new rule, created
            // before the old one goes (an update in place of each, in parallel, could close it: src/update/).
            firewalls.push({
                name: `${base}-${shortHash(ruleIdentity({ allows, sourceRanges, tags: targetTags(spec, name) }))}`,
                args: {
                    network: spec.settings.network,
                    direction: "INGRESS",
                    allows,
                    sourceRanges,
                    ...targetTags(spec, name),
                    description: describeRules(group.rules, plan, 2048),
                },
            });
        });
    }
    for (const set of plan.late) append(firewalls, lateFirewalls(set, plan, spec, name));
    firewalls.sort((a, b) => (a.name < b.name ? -1 : 1));
    const longest = firewalls.reduce((max, f) => Math.max(max, f.name.length), 0);
    if (!GCP_NAME.test(name) || longest > GCP_LOGICAL_NAME_MAX) {
        problems.push({
            path: "name",
            message:
                `component name "${name}" makes GCP firewall names like "${firewalls[0]?.name}" ` +
                `(${longest} characters); GCP needs lowercase letters, digits and dashes, starting with ` +
                (`a letter, and at most ${GCP_LOGICAL_NAME_MAX} before Pulumi's random suffix: use a ` +
                    `name of at most ${GCP_LOGICAL_NAME_MAX - (longest - name.length)} such characters`),
        });
    }
    // Where the tags go: a Standard pool's nodeConfig.tags; on Autopilot, the cluster's node auto-provisioning tags.
    const carrier =
        spec.settings.gke === "autopilot"
            ? "the Autopilot cluster's network tags for its nodes (nodePoolAutoConfig.networkTags), and expose the media pods " +
              "through NodePort services"
            : "the media node pool's nodeConfig.tags (gcp.container.NodePool); pools that node auto-provisioning creates do not get them";
    if (spec.settings.gke && !spec.settings.targetTags.given) {
        warnings.push(`GKE: the rules target the network tag "${nodePoolTag(name)}" (output networkTags): give it to ${carrier}.`);
    } else if (spec.settings.gke) {
        warnings.push(`GKE: the rules target gcp.targetTags: give exactly these to ${carrier}.`);
    } else if (!spec.settings.targetTags.given) {
        warnings.push(
            `gcp.targetTags is empty: the rules apply to every instance in network ` +
                (`"${typeof spec.settings.network === "string" ? spec.settings.network : "(given)"}"; ` +
                    `set targetTags to the media server's network tags`),
        );
    }
    return {
        problems,
        warnings,
        quota: [
            {
                what: `largest source range list in one rule${plan.late.length ? " (late lists counted when resolved)" : ""}`,
                used: maxOf([0, ...firewalls.map((f) => (Array.isArray(f.args.sourceRanges) ? f.args.sourceRanges.length : 0))]),
                limit: GCP_SOURCE_RANGES_PER_RULE,
            },
            { what: `longest logical name (auto-named, ${GCP_LOGICAL_NAME_MAX} max)`, used: longest, limit: GCP_LOGICAL_NAME_MAX },
        ],
        resources: firewalls,
    };
}

/**
 * The network tag a GKE node pool takes when the config names none: `<component name>-media`, written as a tag
 * may be (lowercase letters, digits and dashes, starting with a letter, at most 63).
 */
export function nodePoolTag(name: string): string {
    const slug = name
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, "-")
        .replace(/^[^a-z]+|-+$/g, "");
    return `${slug || "webrtc"}`.slice(0, 57).replace(/-+$/, "") + "-media";
}

/** The tags the rules target: the config's, a GKE pool's own, or none (every instance in the network). */
function targetTags(spec: FirewallSpec<GcpSpec>, name: string) {
    if (spec.settings.targetTags.given) return { targetTags: spec.settings.targetTags.value };
    return spec.settings.gke ? { targetTags: [nodePoolTag(name)] } : {};
}

/**
 * A late set's firewalls: one per single entry (one CIDR, so never two families), and a `-v4`/`-v6` pair
 * per whole-list entry, each disabled while its family is empty. Updates change sourceRanges in place.
 */
function lateFirewalls(set: LateSet, plan: RulePlan, spec: FirewallSpec<GcpSpec>, name: string): GcpResources {
    const allows = (["tcp", "udp"] as const)
        .filter((p) => set.ports[p]?.length)
        .map((protocol) => ({ protocol, ports: set.ports[protocol]!.map(formatRange) }));
    const common = {
        network: spec.settings.network,
        direction: "INGRESS" as const,
        allows,
        ...targetTags(spec, name),
        description: describeRules(set.rules, plan, 2048),
    };
    return set.entries.flatMap((entry, slot): GcpResources => {
        const base = `${name}-${set.slug}-late${slot + 1}`;
        if (!entry.many) return [{ name: base, args: { ...common, sourceRanges: [lateSource(entry).apply((s) => s.text)] } }];
        return (["ipv4", "ipv6"] as const).map((family) => {
            const cidrs = lateCidrs([entry], family);
            return {
                name: `${base}-${FAMILY_TAG[family]}`,
                args: { ...common, sourceRanges: cidrs, disabled: cidrs.apply((c) => c.length === 0) },
            };
        });
    });
}

/** The slice of @pulumi/gcp this target uses (see `ResourceClass`). */
export interface GcpSdk {
    compute: { Firewall: ResourceClass<GcpFirewallArgs, { name: pulumi.Output<string> }> };
}

function registerGcp(firewalls: GcpResources, { parent, secret }: RegisterOptions): CloudOutputs {
    // Loaded on use, so a consumer that targets another cloud needs no GCP SDK. No explicit `name`:
    // auto-naming keeps create-before-delete, so a replaced rule never leaves a gap.
    const gcp: GcpSdk = require("@pulumi/gcp");
    const created = firewalls.map((f) => new gcp.compute.Firewall(f.name, inputsOf(f.args, secret), { parent }));
    // Every rule targets the same tags: what the media server's instances or a GKE pool's nodeConfig.tags must carry.
    return { firewallNames: pulumi.all(created.map((f) => f.name)), networkTags: pulumi.output(firewalls[0]?.args.targetTags ?? []) };
}

export const gcpTarget: CloudTarget<GcpResources, GcpSpec> = {
    sdkPackage: "@pulumi/gcp",
    map: mapGcp,
    register: registerGcp,
    lateSourcesPerRule: { limit: GCP_SOURCE_RANGES_PER_RULE, what: "source ranges GCP takes in one firewall rule" },
};
