import * as pulumi from "@pulumi/pulumi";
import type { Problem } from "../contract/problems";
import type { PlannedRule, RulePlan } from "../plan/plan";
import type { FirewallSpec } from "../contract/validate";

/** One number the plan shows against a cloud's documented limit. */
export interface QuotaLine {
    what: string;
    used: number;
    limit: number;
}

/** A resource a mapping wants registered: logical name and inputs (the register step knows its class). */
export interface ResourceDecl<Args = Record<string, unknown>> {
    name: string;
    args: Args;
}

/** What a cloud mapping makes of a plan, before anything is registered. */
export interface CloudMapping<Decls> {
    problems: Problem[];
    warnings: string[];
    quota: QuotaLine[];
    resources: Decls;
}

/** The outputs every cloud fills its share of. */
export interface FirewallOutputs {
    rules: pulumi.Output<PlannedRule[]>;
    securityGroupIds?: pulumi.Output<string[]>;
    firewallNames?: pulumi.Output<string[]>;
    firewallIds?: pulumi.Output<string[]>;
    networkSecurityGroupId?: pulumi.Output<string>;
    networkSecurityGroupIds?: pulumi.Output<string[]>;
}

export type CloudOutputs = Omit<FirewallOutputs, "rules">;

/**
 * A cloud SDK resource class, as a register step uses it. Each target declares the slice of its SDK
 * it uses with these, instead of importing the SDK's types: launching the stack program then does not
 * type-check thousands of SDK declaration files. `tests/sdkShapes.ts` checks every slice against the SDK.
 */
export type ResourceClass<Args, Outputs = object> = new (name: string, args: Args, opts: pulumi.CustomResourceOptions) => pulumi.CustomResource & Outputs;

/** A cloud: a pure mapping from the plan, and a thin part that registers what it mapped. */
export interface CloudTarget<Decls> {
    /** The npm package the register step loads, e.g. `@pulumi/aws`: checked before anything is registered. */
    sdkPackage: string;
    map(plan: RulePlan, spec: FirewallSpec, name: string): CloudMapping<Decls>;
    /**
     * The most sources one resource carrying a late set may hold (the plain mapping splits known sources
     * instead; a late set's count is only known once resolved). Undefined: the resolved mapping's own checks suffice.
     */
    lateSourcesPerRule?: { limit: number; what: string };
    register(resources: Decls, options: RegisterOptions): CloudOutputs;
}

export interface RegisterOptions {
    parent: pulumi.Resource;
    /** Register every input as a Pulumi secret (the settings they derive from were secret). */
    secret: boolean;
}

/** A resource's inputs, each wrapped as a secret when `secret` is set. */
export function inputsOf<Args extends object>(args: Args, secret: boolean): Args {
    if (!secret) return args;
    return Object.fromEntries(Object.entries(args).map(([key, value]) => [key, pulumi.secret(value)])) as Args;
}
