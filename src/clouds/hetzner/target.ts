/**
 * Hetzner Cloud: `hcloud.Firewall`s with inline rules, one inbound rule per (protocol, port range) with
 * every source that opens it (IPv4 and IPv6 may share a rule), no outbound rule. Facts and sources:
 * README "What each cloud gets" (Hetzner API docs and FAQ,
 * terraform-provider-hcloud `internal/firewall`).
 */
import * as pulumi from "@pulumi/pulumi";
import type { HetznerSpec } from "./settings";
import { lateOpenings, openingsOf, type LateSet, type RulePlan } from "../../plan/plan";
import { lateCidrs, withoutEmptyLateRules } from "../../plan/lateValues";
import { batchNames, chunk, describeRules, ruleIdentity } from "../../plan/naming";
import { formatRange } from "../../contract/ports";
import type { FirewallSpec } from "../../contract/types";
import type { Problem } from "../../contract/problems";
import { registerFirewalls, type CloudMapping, type CloudTarget, type FirewallSdk, type ResourceDecl } from "../cloud";
import { maxOf } from "../../contract/lists";

/** Hetzner API docs and FAQ. */
export const HETZNER_RULES_PER_FIREWALL = 50;
export const HETZNER_SOURCES_PER_RULE = 100;
export const HETZNER_FIREWALLS_PER_SERVER = 5;
export const HETZNER_DESCRIPTION_MAX = 255;
/** Names are at most 128 characters, unique in the project; Pulumi auto-names `<logical>-<7 random>`. */
export const HETZNER_NAME_MAX = 128;
const AUTONAME_SUFFIX = 8;

export interface HetznerRule {
    direction: "in";
    protocol: "tcp" | "udp";
    port: string;
    sourceIps: pulumi.Input<pulumi.Input<string>[]>;
    description: string;
}

export interface HetznerApplyTo {
    server?: pulumi.Input<number>;
    labelSelector?: pulumi.Input<string>;
}

export interface HetznerFirewallArgs {
    rules: pulumi.Input<HetznerRule[]>;
    applyTos?: pulumi.Input<pulumi.Input<HetznerApplyTo>[]>;
    labels: Record<string, string>;
}

export type HetznerResources = ResourceDecl<HetznerFirewallArgs>[];

type PlannedRule = HetznerRule & { mayBeEmpty?: boolean };

/** Flows arrive sorted (protocol, ports, source), so rules and their sources come out in that order. */
function knownRules(plan: RulePlan): PlannedRule[] {
    return openingsOf(plan.flows, false).flatMap((o) =>
        chunk(o.cidrs, HETZNER_SOURCES_PER_RULE).map((sourceIps) => ({
            direction: "in" as const,
            protocol: o.protocol,
            port: formatRange(o.ports),
            sourceIps,
            description: describeRules(o.rules, plan, HETZNER_DESCRIPTION_MAX),
        })),
    );
}

/** A late set's rules: one per (protocol, range) with every address its entries resolve to. */
function lateRules(set: LateSet, plan: RulePlan): PlannedRule[] {
    const sourceIps = lateCidrs(set.entries);
    // Only whole-list entries can resolve to nothing; such a rule is left out then (an inbound rule needs a source).
    // Stryker disable next-line MethodExpression: a set that mixes kinds always has a source, so "some" would drop nothing either
    const mayBeEmpty = set.entries.every((e) => e.many);
    const description = describeRules(set.rules, plan, HETZNER_DESCRIPTION_MAX);
    return lateOpenings(set).map(({ protocol, ports }) => ({
        direction: "in" as const,
        protocol,
        port: formatRange(ports),
        sourceIps,
        description,
        mayBeEmpty,
    }));
}

/** What the firewalls apply to: servers by id and label selectors, each its own block (one per block). */
function applyTos(spec: FirewallSpec<HetznerSpec>): pulumi.Input<pulumi.Input<HetznerApplyTo>[]> | undefined {
    const { serverIds, labelSelectors } = spec.settings;
    if (!serverIds.given && !labelSelectors.given) return undefined;
    const servers = pulumi.output(serverIds.value).apply((ids) => ids.map((server) => ({ server })));
    const labels = pulumi.output(labelSelectors.value).apply((selectors) => selectors.map((labelSelector) => ({ labelSelector })));
    // Plain lists stay plain, so a preview shows them.
    if (Array.isArray(serverIds.value) && Array.isArray(labelSelectors.value)) {
        return [...serverIds.value.map((server) => ({ server })), ...labelSelectors.value.map((labelSelector) => ({ labelSelector }))];
    }
    return pulumi.all([servers, labels]).apply(([s, l]) => [...s, ...l]);
}

export function mapHetzner(plan: RulePlan, spec: FirewallSpec<HetznerSpec>, name: string): CloudMapping<HetznerResources> {
    const rules = [...knownRules(plan), ...plan.late.flatMap((set) => lateRules(set, plan))];
    const batches = chunk(rules, HETZNER_RULES_PER_FIREWALL);
    const problems: Problem[] = [];
    const warnings: string[] = [];
    if (batches.length > HETZNER_FIREWALLS_PER_SERVER) {
        problems.push({
            path: "ports",
            message:
                `Hetzner needs ${rules.length} inbound rules (one per protocol and port range, split ` +
                `at ${HETZNER_SOURCES_PER_RULE} sources), more than ${HETZNER_FIREWALLS_PER_SERVER} ` +
                (`firewalls × ${HETZNER_RULES_PER_FIREWALL} rules that one server can have ` +
                    `(Hetzner FAQ); use port ranges, fewer separate ports or fewer sources`),
        });
    }
    const longest = batches.length > 1 ? `${name}-fw-${"0".repeat(8)}` : `${name}-fw`;
    if (!/^[a-zA-Z0-9]([a-zA-Z0-9._-]*[a-zA-Z0-9])?$/.test(name) || longest.length + AUTONAME_SUFFIX > HETZNER_NAME_MAX) {
        problems.push({
            path: "name",
            message:
                `component name "${name}" makes the firewall name "${longest}" plus 8 ` +
                `random characters; Hetzner allows at most ${HETZNER_NAME_MAX} characters: ` +
                (`use a name of letters, digits, ".", "_" and "-" of at most ` +
                    `${HETZNER_NAME_MAX - AUTONAME_SUFFIX - (longest.length - name.length)} characters`),
        });
    }
    const attach = applyTos(spec);
    if (!attach)
        warnings.push(
            "hetzner: no serverIds and no labelSelectors, so the firewall protects nothing yet; " +
                "set hetzner.serverIds or hetzner.labelSelectors, or pass firewallIds to hcloud.Server",
        );
    if (batches.length > 1)
        warnings.push(
            `hetzner: ${rules.length} rules exceed ${HETZNER_RULES_PER_FIREWALL} per firewall: ` +
                `split into ${batches.length} firewalls on the same servers (they combine as a union)`,
        );
    const names = batchNames(`${name}-fw`, batches, ruleIdentity);
    const firewalls: HetznerResources = batches.map((batch, i) => ({
        name: names[i]!,
        // No explicit name: Pulumi auto-names it `<logical>-<7 random>`, unique in the project across stacks.
        args: {
            rules: withoutEmptyLateRules<HetznerRule>(batch, "sourceIps"),
            ...(attach ? { applyTos: attach } : {}),
            labels: { "managed-by": "webrtc-firewall" },
        },
    }));
    return {
        problems,
        warnings,
        quota: [
            ...batches.map((batch, i) => ({
                what: `rules in ${names[i]!} (inbound; no outbound rule, so outbound stays open)`,
                used: batch.length,
                limit: HETZNER_RULES_PER_FIREWALL,
            })),
            {
                what: `largest source list in one rule${plan.late.length ? " (late sources counted when resolved)" : ""}`,
                used: maxOf([0, ...rules.map((r) => (Array.isArray(r.sourceIps) ? r.sourceIps.length : 0))]),
                limit: HETZNER_SOURCES_PER_RULE,
            },
            { what: "firewalls per server", used: batches.length, limit: HETZNER_FIREWALLS_PER_SERVER },
        ],
        resources: firewalls,
    };
}

/** The slice of @pulumi/hcloud this target uses (see `ResourceClass`). */
export type HetznerSdk = FirewallSdk<HetznerFirewallArgs>;

export const hetznerTarget: CloudTarget<HetznerResources, HetznerSpec> = {
    sdkPackage: "@pulumi/hcloud",
    map: mapHetzner,
    register: registerFirewalls<HetznerFirewallArgs>(() => require("@pulumi/hcloud") as HetznerSdk),
    lateSourcesPerRule: { limit: HETZNER_SOURCES_PER_RULE, what: "CIDRs Hetzner takes in one rule's source list (API docs)" },
};
