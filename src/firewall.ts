/**
 * The whole pipeline without registering anything:
 * config → validated spec → normalized rule plan → the chosen cloud's mapping.
 * Used by the component (which then registers) and by anyone who wants to inspect a plan.
 */
import { ConfigError } from "./errors";
import { TARGETS } from "./clouds";
import type { CloudMapping, CloudTarget } from "./clouds/types";
import { planRules, type RulePlan } from "./plan/plan";
import { validateConfig, type FirewallSpec } from "./spec/validate";

export interface BuiltFirewall {
    spec: FirewallSpec;
    plan: RulePlan;
    target: CloudTarget<unknown>;
    mapping: CloudMapping<unknown>;
    warnings: string[];
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
    return { spec, plan, target, mapping, warnings: [...validation.warnings, ...mapping.warnings] };
}
