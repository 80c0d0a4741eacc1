/**
 * The guards as CrossGuard policies: the component's least-privilege checks (contract/) applied to
 * every firewall resource of a stack, whoever wrote it and in whatever language. Resource policies
 * judge each resource as it is about to be created; stack policies judge the union of every rule
 * that reaches one group, which catches a port opened to the world by rules that each look narrow.
 */
import type { Policies, PolicyConfigSchema, ReportViolation, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { ADMIN_SCHEMA, adminWatched, dangerousWatched, EXEMPTIONS_SCHEMA, isExempt, type GuardConfig } from "./config";
import { gatherStack, groupName, rulesOf, targetSets, type Member, type StackResource } from "./groups";
import { openedText, sourcesText, worldInDisguise, worldOpenings, type Opening, type Watched } from "./judge";
import type { ObservedRule } from "../clouds/observed";
import { readFirewall } from "./readers";
import { CLOUD_LIST } from "../clouds/registry";

interface Guard {
    name: string;
    description: string;
    watched: (config: GuardConfig) => Watched[];
    fix: string;
    level: "mandatory" | "advisory";
    schema: PolicyConfigSchema;
}

const ADMIN: Guard = {
    name: "admin-ports-not-from-world",
    description: "Admin ports (SSH, RDP and any you list) are never open to the world, however the sources are spelled.",
    watched: adminWatched,
    fix:
        "admin ports are for your own networks: give your office, VPN or bastion CIDRs " +
        "as the sources, or reach the host through a bastion or a session manager",
    level: "mandatory",
    schema: ADMIN_SCHEMA,
};

const DANGEROUS: Guard = {
    name: "dangerous-services-not-from-world",
    description:
        "Services a media server never needs public (databases, Docker's API, amplification reflectors) are not open to the world.",
    watched: dangerousWatched,
    fix: "a media server never needs it public: remove the port, or limit the sources to your own networks",
    level: "advisory",
    schema: EXEMPTIONS_SCHEMA,
};

/** `@pulumi/policy` also takes a violation as an object with its own level (server.ts `makeReportViolationFun`). */
type Report = (violation: { message: string; urn?: string; enforcementLevel?: "advisory" }) => void;
const asReport = (report: ReportViolation): Report => report as unknown as Report;

/** Paths that decide what a rule opens; an unknown id or name only delays linking, which the engine's dependencies do. */
const JUDGED = new RegExp(`(^|\\.)(${[...new Set(CLOUD_LIST.flatMap((c) => c.policy.decides))].join("|")})`);

function notYetCheckable(report: Report, where: string, urn: string, unknowns: readonly string[]): void {
    const judged = unknowns.filter((u) => JUDGED.test(u));
    if (!judged.length) return;
    const which = judged.slice(0, 6).join(", ") + (judged.length > 6 ? ` and ${judged.length - 6} more` : "");
    report({
        urn,
        enforcementLevel: "advisory",
        message:
            `${where}: not yet checkable: ${which} ${judged.length > 1 ? "are" : "is"} known only once the update computes ` +
            (`${judged.length > 1 ? "them" : "it"}; this policy checks again during ` +
                `the update, when ${judged.length > 1 ? "they are" : "it is"} known.`),
    });
}

const describe = (type: string, name: string): string => `${type} "${name}"`;

function ruleText(rule: ObservedRule, nameOf?: (urn: string) => string): string {
    const owner = nameOf ? `"${nameOf(rule.urn)}"${rule.label ? ` ${rule.label}` : ""}` : rule.label || "the rule";
    return `${owner} (from ${sourcesText(rule.sources)})`;
}

function openingText(o: Opening, guard: Guard, nameOf?: (urn: string) => string): string {
    const whole = o.ports.from === o.watched.ports.from && o.ports.to === o.watched.ports.to;
    const port = whole ? o.watched.what : `${openedText(o)} (part of ${o.watched.what})`;
    const through =
        o.through.length > 1
            ? `${o.through.length} rules together: ${o.through.map((r) => ruleText(r, nameOf)).join(", ")}`
            : ruleText(o.through[0]!, nameOf);
    return `${port} is open to ${o.covered.join(" and ")} through ${through}; ${guard.fix}`;
}

/** The resource face: one resource's own rules, as it is about to be created or updated. */
function resourcePolicy(guard: Guard): ResourceValidationPolicy {
    return {
        name: guard.name,
        description: guard.description,
        enforcementLevel: guard.level,
        configSchema: guard.schema,
        validateResource: (args, reportViolation) => {
            const reading = readFirewall(args.type, args.urn, args.props);
            const config = args.getConfig<GuardConfig>();
            if (!reading || isExempt(config, args.urn, reading)) return;
            const where = describe(args.type, args.name);
            for (const o of worldOpenings(reading.ingress, guard.watched(config)))
                reportViolation(`${where}: ${openingText(o, guard)}`, args.urn);
            notYetCheckable(asReport(reportViolation), where, args.urn, reading.unknowns);
        },
    };
}

/** The stack face: every rule that reaches one group, reported when no single resource shows it alone. */
function stackPolicy(guard: Guard): StackValidationPolicy {
    return {
        name: `${guard.name}-combined`,
        description:
            `${guard.description} Judged over every rule that reaches a group, ` +
            `NSG, firewall or network, wherever the rules are declared.`,
        enforcementLevel: guard.level,
        configSchema: guard.schema,
        validateStack: (args, reportViolation) => {
            const config = args.getConfig<GuardConfig>();
            const stack = gatherStack(args.resources as unknown as StackResource[]);
            const kept = (m: Member | undefined) => !m || !isExempt(config, m.resource.urn, m.reading);
            const nameOf = (urn: string) => stack.read.get(urn)?.resource.name ?? urn;
            const said = new Set<string>();
            for (const group of stack.groups.filter((g) => kept(g.owner))) {
                const rules = rulesOf(group).filter((r) => kept(stack.read.get(r.urn)));
                for (const set of targetSets(rules)) {
                    for (const o of worldOpenings(set, guard.watched(config))) {
                        const urns = [...new Set(o.through.map((r) => r.urn))];
                        if (urns.length < 2) continue; // one resource's own opening: its resource policy reports it
                        if (
                            urns.some(
                                (u) =>
                                    worldOpenings(
                                        set.filter((r) => r.urn === u),
                                        [{ ...o.watched, ports: o.ports }],
                                    ).length,
                            )
                        )
                            continue;
                        // The same opening seen from another target set (GCP) is said once, as the first set (every instance) saw it.
                        const key = `${group.key} ${o.watched.what} ${openedText(o)} ${o.covered.join()}`;
                        if (!said.has(key))
                            reportViolation(`${groupName(group)}: ${openingText(o, guard, nameOf)}`, group.owner?.resource.urn ?? urns[0]);
                        said.add(key);
                    }
                }
            }
            for (const m of stack.unplaced.filter(kept)) {
                asReport(reportViolation)({
                    urn: m.resource.urn,
                    enforcementLevel: "advisory",
                    message:
                        `${describe(m.resource.type, m.resource.name)}: not yet checkable: its group is known only once the ` +
                        `update computes it, and no group in this stack is its dependency; checked again during the update.`,
                });
            }
        },
    };
}

/** A world-covering source list that does not say so: reviewers and string-matching packs miss it. */
const WORLD_IN_DISGUISE: ResourceValidationPolicy = {
    name: "world-by-another-spelling",
    description:
        "A rule whose sources together cover the world says so (0.0.0.0/0, ::/0) instead of hiding it in pieces or in an empty list.",
    enforcementLevel: "advisory",
    configSchema: EXEMPTIONS_SCHEMA,
    validateResource: (args, reportViolation) => {
        const reading = readFirewall(args.type, args.urn, args.props);
        if (!reading || isExempt(args.getConfig<GuardConfig>(), args.urn, reading)) return;
        for (const rule of reading.ingress.filter((r) => r.action === "allow")) {
            const covered = worldInDisguise(rule);
            if (!covered) continue;
            reportViolation(
                `${describe(args.type, args.name)}${rule.label ? ` ${rule.label}` : ""}: the ` +
                    `sources ${sourcesText(rule.sources)} together cover ${covered.join(" and ")}; ` +
                    ("if the world is meant, write 0.0.0.0/0 (and ::/0) so reviewers and other " +
                        "policies see it, otherwise list only the networks that should reach these ports"),
                args.urn,
            );
        }
    },
};

/** A group that lets traffic in and none out, where the cloud then sends nothing. */
const EGRESS: StackValidationPolicy = {
    name: "media-egress-not-starved",
    description: "A firewall that lets a media server be reached also lets it send: media, STUN and TURN go out to the world.",
    enforcementLevel: "advisory",
    configSchema: EXEMPTIONS_SCHEMA,
    validateStack: (args, reportViolation) => {
        const config = args.getConfig<GuardConfig>();
        const stack = gatherStack(args.resources as unknown as StackResource[]);
        if (stack.unplaced.some((m) => m.reading.egressRules > 0)) return; // an egress rule may yet join any group
        for (const group of stack.groups) {
            const owner = group.owner;
            if (!owner?.reading.noEgressMeans || isExempt(config, owner.resource.urn, owner.reading)) continue;
            const egress = owner.reading.egressRules + group.members.reduce((n, m) => n + m.reading.egressRules, 0);
            if (!rulesOf(group).length || egress > 0) continue;
            reportViolation(
                `${groupName(group)}: lets traffic in but has no outbound rule, and ${owner.reading.noEgressMeans}`,
                owner.resource.urn,
            );
        }
    },
};

/** Every policy of the pack, in the order they are listed. */
export function firewallPolicies(): Policies {
    return [resourcePolicy(ADMIN), stackPolicy(ADMIN), resourcePolicy(DANGEROUS), stackPolicy(DANGEROUS), WORLD_IN_DISGUISE, EGRESS];
}
