/**
 * The whole pipeline without registering anything:
 * config → validated spec → normalized rule plan → the chosen cloud's mapping.
 * Used by the component (which then registers) and by anyone who wants to inspect a plan.
 */
import { ConfigError, type Problem } from "./errors";
import { TARGETS } from "./clouds";
import type { CloudMapping, CloudTarget } from "./clouds/types";
import { planRules, type RulePlan } from "./plan/plan";
import { validateConfig, type FirewallSpec } from "./contract/validate";

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

/** Builds the plan for `args`, or throws a ConfigError listing every problem. */
export function buildFirewall(name: string, args: unknown): BuiltFirewall {
    const validation = validateConfig(args);
    if (!validation.spec) throw new ConfigError(validation.problems);
    const spec = validation.spec;
    const target = TARGETS[spec.cloud];
    const plan = planRules(spec);
    const mapping = target.map(plan, spec, name);
    if (mapping.problems.length) throw new ConfigError(mapping.problems);
    const missing = missingSdk(target.sdkPackage, spec.cloud);
    if (missing) throw new ConfigError([missing]);
    return { spec, plan, target, mapping, warnings: [...validation.warnings, ...mapping.warnings] };
}
