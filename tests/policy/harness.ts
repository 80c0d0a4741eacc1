/**
 * Policies run as @pulumi/policy runs them, without the gRPC server: the validation args its server
 * builds (pulumi-policy `sdk/nodejs/policy/server.ts` `makeAnalyzeRpcFun`/`makeAnalyzeStackRpcFun`:
 * props behind `unknownCheckingProxy`, `getConfig` from the policy's config, violations collected
 * as `makeReportViolationFun` does, an `UnknownValueError` turned into an advisory "can't run"), the
 * way Pulumi's policy-testing guides build `ResourceValidationArgs` by hand.
 */
import {
    unknownCheckingProxy,
    UnknownValueError,
    type Policy,
    type PolicyResource,
    type ResourceValidationArgs,
    type ResourceValidationPolicy,
    type StackValidationArgs,
    type StackValidationPolicy,
} from "@pulumi/policy";
import { firewallPolicies } from "../../src/policy";

/** The engine's marker for a value not known during a preview (a group id, a CIDR from another resource). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export interface Violation {
    policy: string;
    level: string;
    message: string;
    urn?: string;
}

const urnOf = (type: string, name: string) => `urn:pulumi:test::guards::${type}::${name}`;

export function policyNamed(name: string): Policy {
    const found = firewallPolicies().find((p) => p.name === name);
    if (!found) throw new Error(`no policy ${name}`);
    return found;
}

function collector(policy: Policy, out: Violation[]) {
    return (message: any, urn?: string) => {
        if (typeof message === "object")
            out.push({
                policy: policy.name,
                level: message.enforcementLevel ?? policy.enforcementLevel!,
                message: message.message,
                urn: message.urn,
            });
        else out.push({ policy: policy.name, level: policy.enforcementLevel!, message, urn });
    };
}

async function guarded(policy: Policy, out: Violation[], run: () => unknown): Promise<Violation[]> {
    try {
        await Promise.resolve(run());
    } catch (err) {
        if (!(err instanceof UnknownValueError)) throw err;
        out.push({
            policy: policy.name,
            level: "advisory",
            message: `can't run policy '${policy.name}' during preview: ${(err as Error).message}`,
        });
    }
    return out;
}

export interface TestResource {
    type: string;
    name: string;
    props: Record<string, unknown>;
    /** Property → names of the resources it depends on (the engine's propertyDependencies). */
    deps?: Record<string, string[]>;
}

/** Runs one resource policy over one resource; `config` is the policy's entry in --policy-pack-config. */
export function runResource(policyName: string, resource: TestResource, config: Record<string, unknown> = {}): Promise<Violation[]> {
    const policy = policyNamed(policyName) as ResourceValidationPolicy;
    const out: Violation[] = [];
    const args = {
        type: resource.type,
        props: unknownCheckingProxy(resource.props),
        urn: urnOf(resource.type, resource.name),
        name: resource.name,
        opts: {},
        stackTags: new Map(),
        getConfig: () => config,
        notApplicable: () => {
            throw new Error("not applicable");
        },
        isType: () => false,
        asType: () => undefined,
    } as unknown as ResourceValidationArgs;
    return guarded(policy, out, () => (policy.validateResource as any)(args, collector(policy, out)));
}

/** Runs one stack policy over resources, linked by their `deps` as the engine links them. */
export function runStack(policyName: string, resources: TestResource[], config: Record<string, unknown> = {}): Promise<Violation[]> {
    const policy = policyNamed(policyName) as StackValidationPolicy;
    const byName = new Map<string, PolicyResource>();
    const all = resources.map((r) => {
        const resource = {
            type: r.type,
            name: r.name,
            urn: urnOf(r.type, r.name),
            props: unknownCheckingProxy(r.props),
            opts: {},
            dependencies: [],
            propertyDependencies: {},
        } as unknown as PolicyResource;
        byName.set(r.name, resource);
        return resource;
    });
    resources.forEach((r, i) => {
        for (const [key, names] of Object.entries(r.deps ?? {})) all[i]!.propertyDependencies[key] = names.map((n) => byName.get(n)!);
    });
    const out: Violation[] = [];
    const args = {
        resources: all,
        getConfig: () => config,
        stackTags: new Map(),
        notApplicable: () => {
            throw new Error("not applicable");
        },
    } as unknown as StackValidationArgs;
    return guarded(policy, out, () => policy.validateStack(args, collector(policy, out)));
}

export const urn = urnOf;
