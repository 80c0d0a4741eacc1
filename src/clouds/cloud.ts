import * as pulumi from "@pulumi/pulumi";
import type { Problem } from "../contract/problems";
import type { RulePlan } from "../plan/plan";
import type { CloudContract } from "../contract/settings";
import type { Reading } from "./observed";
import type { FirewallSpec } from "../contract/types";
import type { UpdateModel } from "./updates";

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

/** The component outputs a cloud's register step fills (`securityGroupIds`, `firewallIds`...). */
export type CloudOutputs = Record<string, pulumi.Output<unknown>>;

/** A component output a cloud fills: its multi-language schema type and what it is for. */
export interface OutputDoc {
    /** `hostPortRanges`: a list of `{portStart, portEnd, protocol}` (an AKS AgentPool's allowedHostPorts). */
    type: "string" | "strings" | "hostPortRanges";
    /** What to do with it, e.g. "the security group ids to attach to the media server's instances". */
    description: string;
}

/** A resource as the offline plan recorded it (cli/mockRun.ts), for the plan's table. */
export interface RecordedResource {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
}

/** How the plan's table shows a cloud's resources, and what the user does once they exist. */
export interface PlanView {
    /** One line per resource type saying what it opens. */
    summaries: Record<string, (inputs: Record<string, any>) => string>;
    /** The rules held inside one resource, one line each (firewalls with inline rules). */
    inlineRules?: (resource: RecordedResource) => string[];
    /** The step before a packet is filtered: attach the group, tag the servers. */
    nextStep: (resources: RecordedResource[]) => string;
    /** How many of the cloud's rules (in either direction) one resource is or holds, as its quotas count them. */
    rulesIn: (resource: RecordedResource) => number;
}

/** How the policy pack reads this cloud's firewall resources, whoever wrote them. */
export interface PolicyView {
    /** Every resource type token it reads. */
    types: string[];
    read: (type: string, urn: string, props: Record<string, any>) => Reading | undefined;
    /**
     * Property names (or their prefixes) that decide what a rule opens: a value unknown in a preview
     * there is reported as not yet checkable; an unknown id or name only delays linking.
     */
    decides: string[];
}

/**
 * A cloud SDK resource class, as a register step uses it. Each target declares the slice of its SDK
 * it uses with these, instead of importing the SDK's types: launching the stack program then does not
 * type-check thousands of SDK declaration files. `tests/sdkShapes.ts` checks every slice against the SDK.
 */
export type ResourceClass<Args, Outputs = object> = new (
    name: string,
    args: Args,
    opts: pulumi.CustomResourceOptions,
) => pulumi.CustomResource & Outputs;

/** A cloud: a pure mapping from the plan, and a thin part that registers what it mapped. */
export interface CloudTarget<Decls, Spec = any> {
    /** The npm package the register step loads (`@pulumi/<provider>`): checked before anything is registered. */
    sdkPackage: string;
    map(plan: RulePlan, spec: FirewallSpec<Spec>, name: string): CloudMapping<Decls>;
    /**
     * The most sources one resource carrying a late set may hold (the plain mapping splits known sources
     * instead; a late set's count is only known once resolved). Undefined: the resolved mapping's own checks suffice.
     */
    lateSourcesPerRule?: { limit: number; what: string };
    register(resources: Decls, options: RegisterOptions): CloudOutputs;
}

/**
 * Everything one cloud knows, from its own folder (clouds/<cloud>/index.ts): the contract's part (its
 * settings and checks), the target (mapping and register step), the outputs it fills, how the plan
 * shows it and how the policy pack reads it. The registry lists one per cloud; nothing else names a cloud.
 */
export interface CloudDefinition<Parsed = any, Spec = any, Decls = any> extends CloudContract<Parsed, Spec> {
    /** What its firewall is, for descriptions: "AWS security groups". */
    firewall: string;
    target: CloudTarget<Decls, Spec>;
    outputs: Record<string, OutputDoc>;
    plan: PlanView;
    policy: PolicyView;
    /** What its provider does to these resources between two states of an update (src/update/ replays it). */
    updates: UpdateModel;
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

/**
 * A cloud's definition with its name as a literal type, and the component args and outputs it adds
 * (phantom types: the component's typings come from here, so the registry line is all a new cloud adds).
 */
export type Defined<N extends string, Args, Outputs> = CloudDefinition & {
    name: N;
    readonly argsType?: Args;
    readonly outputsType?: Outputs;
};

export function defineCloud<N extends string, Args, Outputs>(
    name: N,
    definition: Omit<CloudDefinition, "name">,
): Defined<N, Args, Outputs> {
    return { ...definition, name } as Defined<N, Args, Outputs>;
}

/** The SDK slice of a cloud whose firewalls hold their rules inline (DigitalOcean, Hetzner, Linode). */
export interface FirewallSdk<Args> {
    Firewall: ResourceClass<Args, { id: pulumi.Output<string> }>;
}

/**
 * The register step of such a cloud: each firewall the component's child, their ids the output `firewallIds`.
 * `load` requires the SDK when the step runs, so only the chosen cloud's is needed.
 */
export function registerFirewalls<Args extends object>(load: () => FirewallSdk<Args>): CloudTarget<ResourceDecl<Args>[]>["register"] {
    return (firewalls, { parent, secret }) => {
        const sdk = load();
        const created = firewalls.map((f) => new sdk.Firewall(f.name, inputsOf(f.args, secret), { parent }));
        return { firewallIds: pulumi.all(created.map((f) => f.id)) };
    };
}

/** The length of the list at `inputs[key]`, 0 when there is none. */
export const countOf = (inputs: Record<string, unknown>, key: string): number => (Array.isArray(inputs[key]) ? inputs[key].length : 0);

/** `[a, b]` as `a, b`, for plan lines. */
export const listText = (items: unknown): string => (Array.isArray(items) ? items.join(", ") : "");
