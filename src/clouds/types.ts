import type * as pulumi from "@pulumi/pulumi";
import type { Problem } from "../errors";
import type { PlannedRule, RulePlan } from "../plan/plan";
import type { FirewallSpec } from "../spec/validate";

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
}

export type CloudOutputs = Omit<FirewallOutputs, "rules">;

/** A cloud: a pure mapping from the plan, and a thin part that registers what it mapped. */
export interface CloudTarget<Decls> {
    map(plan: RulePlan, spec: FirewallSpec, name: string): CloudMapping<Decls>;
    register(resources: Decls, parent: pulumi.Resource): CloudOutputs;
}
