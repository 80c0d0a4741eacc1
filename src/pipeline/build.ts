/**
 * The whole pipeline without registering anything:
 * config → validated spec → normalized rule plan → the chosen cloud's mapping.
 * Used by the component (which then registers) and by anyone who wants to inspect a plan.
 *
 * Values a program takes from other resources (contract/late.ts) run the same pipeline twice: at
 * construction with each late value standing in as a marker (everything known is checked, the
 * resources are decided), and once every late value has resolved, with the plain values (every check
 * again, the world and dangerous-port guards included). A late value reaches the resources that carry
 * it only through that second run, so a value that fails it is never deployed.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, type Problem } from "../contract/problems";
import { cloudOf } from "../clouds/registry";
import type { CloudDefinition, CloudMapping, CloudTarget } from "../clouds/cloud";
import { planRules, type RulePlan } from "../plan/plan";
import { KEYS_AFTER_CLOUDS } from "../contract/schema";
import { lateDuplicateProblems, lateMissingProblems, lateSourceProblems, resolveLate, type Late } from "../contract/late";
import type { FirewallSpec } from "../contract/types";
import { scanLate, validateConfig } from "./validate";
import { readServerConfigs } from "../sources/servers";
import { hostWarnings } from "../hosts";

export interface BuiltFirewall {
    spec: FirewallSpec;
    plan: RulePlan;
    cloud: CloudDefinition;
    target: CloudTarget<unknown>;
    mapping: CloudMapping<unknown>;
    warnings: string[];
    /** With late values: the same pipeline over the resolved config once it passed every check; else it rejects with the ConfigError. */
    resolved?: pulumi.Output<ResolvedFirewall>;
}

export type ResolvedFirewall = Omit<BuiltFirewall, "resolved">;

/** The cloud's SDK must be installed before anything is registered; the fix is one npm install. */
function missingSdk(sdkPackage: string, cloud: string): Problem | undefined {
    try {
        require.resolve(sdkPackage);
        return undefined;
    } catch {
        return {
            path: "cloud",
            message: `"${cloud}" needs the ${sdkPackage} package, which is not installed; run \`npm install ${sdkPackage}\``,
        };
    }
}

type Servers = ReturnType<typeof readServerConfigs>;

/** The media servers' own configs (`serverConfigs`), relative to the project folder Pulumi runs the program in. */
function readServers(args: unknown): Servers {
    const entries = (args as { serverConfigs?: unknown } | null)?.serverConfigs;
    if (!Array.isArray(entries)) return { configs: [], problems: [], warnings: [] }; // validation says why
    // Every problem at once: read the entries that are well formed even when another one is not.
    const entry = KEYS_AFTER_CLOUDS.serverConfigs.element;
    const valid = entries.slice(0, 20).flatMap((e) => {
        const parsed = entry.safeParse(e);
        return parsed.success ? [parsed.data] : [];
    });
    return readServerConfigs(valid, process.cwd());
}

/** One run of the pipeline over args whose late values are markers (or none). */
function runPipeline(name: string, args: unknown, servers: Servers, extra: Problem[] = []): ResolvedFirewall {
    const validation = validateConfig(args, servers.configs);
    if (servers.problems.length || extra.length || !validation.spec)
        throw new ConfigError([...extra, ...servers.problems, ...validation.problems]);
    const spec = validation.spec;
    const cloud = cloudOf(spec.cloud);
    const target = cloud.target;
    const plan = planRules(spec);
    const mapping = target.map(plan, spec, name);
    if (mapping.problems.length) throw new ConfigError(mapping.problems);
    const missing = missingSdk(target.sdkPackage, spec.cloud);
    if (missing) throw new ConfigError([missing]);
    return {
        spec,
        plan,
        cloud,
        target,
        mapping,
        warnings: [...servers.warnings, ...validation.warnings, ...mapping.warnings, ...hostWarnings(plan)],
    };
}

/** A late set that resolved to more sources than the one resource carrying it may hold. */
function lateSetProblems(built: BuiltFirewall, values: unknown[]): Problem[] {
    const limit = built.target.lateSourcesPerRule;
    if (!limit) return [];
    return built.plan.late.flatMap((set) => {
        const count = new Set(
            set.entries.flatMap((e) => {
                const v = values[e.index];
                return Array.isArray(v) ? v : [v];
            }),
        ).size;
        return count > limit.limit
            ? [
                  {
                      path: set.owner,
                      message:
                          `its values from other resources resolve to ${count} sources, more than the ` +
                          `${limit.limit} ${limit.what}; they share one rule, so use fewer or wider networks`,
                  },
              ]
            : [];
    });
}

/** The resolved config through the same pipeline; a problem fails every resource that carries a late value. */
function checkResolved(
    name: string,
    args: unknown,
    lates: readonly Late[],
    values: unknown[],
    servers: Servers,
    built: BuiltFirewall,
): ResolvedFirewall {
    try {
        const resolved = resolveLate(args, values);
        return runPipeline(name, resolved, servers, [
            ...lateMissingProblems(lates, values),
            ...lateSourceProblems(lates, values, built.cloud.groupSource),
            ...lateDuplicateProblems(args, values),
            ...lateSetProblems(built, values),
        ]);
    } catch (err) {
        if (ConfigError.isInstance(err)) throw new ConfigError(err.problems, "resolved");
        throw err;
    }
}

/**
 * What a late value becomes when the resolved config fails: nothing, ever, so no resource carrying it
 * registers. The component reports the error (WebRtcFirewall: `checked`); the program then ends with it.
 */
const NEVER = new Promise<never>(() => undefined);

/** Builds the plan for `args`, or throws a ConfigError listing every problem. */
export function buildFirewall(name: string, args: unknown): BuiltFirewall {
    const scan = scanLate(args);
    const servers = readServers(scan.args);
    if (scan.problems.length) throw new ConfigError([...scan.problems, ...validateConfig(scan.args, servers.configs).problems]);
    if (!scan.lates.length) return runPipeline(name, scan.args, servers);
    // A config refused at construction must not be reported a second time when its values resolve.
    let constructed: BuiltFirewall | undefined;
    // A failed check is a result here, not a rejection: every resource that carries a late value would
    // otherwise fail with it, one unhandled rejection each (@pulumi/pulumi runtime/resource.js
    // runAsyncResourceOp rethrows every failed registration). The component rejects its outputs instead.
    const outcome = pulumi.all(scan.lates.map((l) => l.raw)).apply((values) => {
        if (!constructed) return { values };
        try {
            return { values, firewall: checkResolved(name, scan.args, scan.lates, values, servers, constructed) };
        } catch (err) {
            if (ConfigError.isInstance(err)) return { values, error: err };
            throw err;
        }
    });
    // Release each value only through the checked run: a carrying resource waits for it, and never
    // registers when it fails. Set before the construction run, so the spec and the mapping take the released values.
    for (const late of scan.lates) late.value = outcome.apply((r) => (r.error ? NEVER : r.values[late.index]));
    const built = runPipeline(name, scan.args, servers);
    constructed = built; // apply callbacks run later (promise jobs), never during this synchronous run
    return {
        ...built,
        resolved: outcome.apply((r) => {
            if (r.error) throw r.error;
            return r.firewall!;
        }),
    };
}
