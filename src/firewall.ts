/**
 * The whole pipeline without registering anything:
 * config → validated spec → normalized rule plan → the chosen cloud's mapping.
 * Used by the component (which then registers) and by anyone who wants to inspect a plan.
 */
import { ConfigError, type Problem } from "./errors";
import { TARGETS } from "./clouds";
import type { CloudMapping, CloudTarget } from "./clouds/types";
import { planRules, type RulePlan } from "./plan/plan";
import { KEY_SCHEMAS } from "./contract/schema";
import { validateConfig, type FirewallSpec } from "./contract/validate";
import { readServerConfigs } from "./sources/servers";

export interface BuiltFirewall {
    spec: FirewallSpec;
    plan: RulePlan;
    target: CloudTarget<unknown>;
    mapping: CloudMapping<unknown>;
    warnings: string[];
}

/** The cloud's SDK must be installed before anything is registered; the fix is one npm install. */
function missingSdk(sdkPackage: string, cloud: string): Problem | undefined {
    try {
        require.resolve(sdkPackage);
        return undefined;
    } catch {
        return { path: "cloud", message: `"${cloud}" needs the ${sdkPackage} package, which is not installed; run \`npm install ${sdkPackage}\`` };
    }
}

/** The media servers' own configs (`serverConfigs`), relative to the project folder Pulumi runs the program in. */
function readServers(args: unknown): ReturnType<typeof readServerConfigs> {
    const entries = (args as { serverConfigs?: unknown } | null)?.serverConfigs;
    if (!Array.isArray(entries)) return { configs: [], problems: [], warnings: [] }; // validation says why
    // Every problem at once: read the entries that are well formed even when another one is not.
    const entry = KEY_SCHEMAS.serverConfigs.element;
    const valid = entries.slice(0, 20).flatMap((e) => {
        const parsed = entry.safeParse(e);
        return parsed.success ? [parsed.data] : [];
    });
    return readServerConfigs(valid, process.cwd());
}

/** Builds the plan for `args`, or throws a ConfigError listing every problem. */
export function buildFirewall(name: string, args: unknown): BuiltFirewall {
    const servers = readServers(args);
    const validation = validateConfig(args, servers.configs);
    if (servers.problems.length || !validation.spec) throw new ConfigError([...servers.problems, ...validation.problems]);
    validation.warnings.unshift(...servers.warnings);
    const spec = validation.spec;
    const target = TARGETS[spec.cloud];
    const plan = planRules(spec);
    const mapping = target.map(plan, spec, name);
    if (mapping.problems.length) throw new ConfigError(mapping.problems);
    const missing = missingSdk(target.sdkPackage, spec.cloud);
    if (missing) throw new ConfigError([missing]);
    return { spec, plan, target, mapping, warnings: [...validation.warnings, ...mapping.warnings] };
}
