/**
 * Runs a policy pack as the Pulumi CLI does, and plays the engine's side of the Analyzer protocol.
 * Each step cites pulumi/pulumi (commit 1b59498, 2026-08-21):
 * - `pkg/resource/plugin/analyzer_plugin.go` `NewPolicyAnalyzer`: with a nodejs language plugin the pack is
 *   started through `RunPlugin` (kind analyzer) with the engine address as its one argument.
 * - `sdk/nodejs/cmd/pulumi-language-nodejs/main.go` `RunPlugin`: `locateModule("@pulumi/pulumi/cmd/run-policy-pack")`
 *   from the pack folder; `node <run-policy-pack> <engine address> <pack folder>`, cwd = the pack folder;
 *   PULUMI_NODEJS_TYPESCRIPT=true, and from the stack configuration PULUMI_NODEJS_ORGANIZATION/PROJECT/STACK/
 *   DRY_RUN and PULUMI_CONFIG. (The language host's policy proxy only relays after that; we talk to the pack directly.)
 * - `pkg/resource/plugin/plugin.go`: the plugin's first line of stdout is its port.
 * - `analyzer_plugin.go`: ConfigureStack, GetAnalyzerInfo, Configure (the pack's config after
 *   `pkg/resource/analyzer/config.go` `ReconcilePolicyPackConfig`: schema defaults, then the user's
 *   `--policy-pack-config` file, validated against each policy's schema), Analyze per resource (inputs),
 *   AnalyzeStack at the end (outputs, parents, property dependencies). Properties are marshalled with
 *   unknowns and secrets kept.
 */
import * as grpc from "@grpc/grpc-js";
import Ajv from "ajv";
import { autoName, encodeWire, type Registration } from "./testEngine";
import { cleanEnv, locateModule, spawnForPort } from "./spawn";

const analyzerRpc = require("@pulumi/pulumi/proto/analyzer_grpc_pb.js");
const analyzerProto = require("@pulumi/pulumi/proto/analyzer_pb.js");
const structProto = require("google-protobuf/google/protobuf/struct_pb.js");
const emptyProto = require("google-protobuf/google/protobuf/empty_pb.js");

const LEVELS = ["advisory", "mandatory", "disabled", "remediate"] as const;
type Level = (typeof LEVELS)[number];

export interface Diagnostic {
    policy: string;
    level: Level;
    message: string;
    urn: string;
}

export interface PolicyRun {
    info: { name: string; policies: { name: string; level: Level; configSchema?: Record<string, unknown> }[] };
    /** Analyze over every resource, then AnalyzeStack: what the CLI would print. */
    analyze(registrations: Registration[], options: { dryRun: boolean }): Promise<{ resource: Diagnostic[]; stack: Diagnostic[] }>;
    stderr(): string;
    stop(): Promise<void>;
}

function call<T>(client: any, method: string, request: unknown): Promise<T> {
    return new Promise((resolve, reject) => client[method](request, (err: Error | null, resp: T) => (err ? reject(err) : resolve(resp))));
}

/** A resource's properties as the engine hands them to an analyzer: inputs (Analyze) or outputs (AnalyzeStack). */
function propertiesOf(reg: Registration, outputs: boolean, dryRun: boolean): unknown {
    const props: Record<string, unknown> = { ...reg.inputs };
    if (reg.custom && props.name === undefined) props.name = autoName(reg.urn, reg.name);
    // A bridged provider's outputs carry the id; in a preview it is not known yet.
    if (outputs && reg.custom) props.id = dryRun ? "<unknown>" : reg.id;
    return structProto.Struct.fromJavaScript(encodeWire(props));
}

/** `marshalResourceOptions`: every request carries the options (custom timeouts always set, zero when none). */
function optionsOf(reg: Registration): unknown {
    const opts = new analyzerProto.AnalyzerResourceOptions();
    opts.setProtect(reg.protect);
    opts.setParent(reg.parent);
    opts.setCustomtimeouts(new analyzerProto.AnalyzerResourceOptions.CustomTimeouts());
    return opts;
}

function diagnostics(resp: any): Diagnostic[] {
    return resp.getDiagnosticsList().map((d: any) => ({
        policy: d.getPolicyname(),
        level: LEVELS[d.getEnforcementlevel()]!,
        message: d.getMessage(),
        urn: d.getUrn(),
    }));
}

export async function startPolicyPack(options: {
    packDir: string;
    engineAddress: string;
    project: string;
    stack: string;
    dryRun: boolean;
    /** The `--policy-pack-config` file's content. */
    config?: Record<string, string | { enforcementLevel?: Level; [key: string]: unknown }>;
}): Promise<PolicyRun> {
    const runPath = locateModule("@pulumi/pulumi/cmd/run-policy-pack", options.packDir);
    const env = {
        ...cleanEnv(),
        PULUMI_NODEJS_TYPESCRIPT: "true",
        PULUMI_NODEJS_ORGANIZATION: "organization",
        PULUMI_NODEJS_PROJECT: options.project,
        PULUMI_NODEJS_STACK: options.stack,
        PULUMI_NODEJS_DRY_RUN: String(options.dryRun),
        PULUMI_CONFIG: "{}",
    };
    const { child, port, stderr } = await spawnForPort(
        "policy pack",
        [runPath, options.engineAddress, options.packDir],
        options.packDir,
        env,
    );
    const client = new analyzerRpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const stop = async () => {
        client.close();
        child.kill();
        await new Promise((resolve) =>
            child.exitCode !== null || child.signalCode !== null ? resolve(null) : child.once("exit", resolve),
        );
    };
    try {
        return await configured(client, options, stop, stderr);
    } catch (err) {
        await stop();
        throw err;
    }
}

async function configured(
    client: any,
    options: Parameters<typeof startPolicyPack>[0],
    stop: () => Promise<void>,
    stderr: () => string,
): Promise<PolicyRun> {
    const stackReq = new analyzerProto.AnalyzerStackConfigureRequest();
    stackReq.setStack(options.stack);
    stackReq.setProject(options.project);
    stackReq.setOrganization("organization");
    stackReq.setDryRun(options.dryRun);
    await call(client, "configureStack", stackReq);

    const infoResp: any = await call(client, "getAnalyzerInfo", new emptyProto.Empty());
    const info = {
        name: infoResp.getName(),
        policies: infoResp.getPoliciesList().map((p: any) => ({
            name: p.getName(),
            level: LEVELS[p.getEnforcementlevel()]!,
            configSchema: p.getConfigschema()
                ? { properties: p.getConfigschema().getProperties()?.toJavaScript() ?? {}, required: p.getConfigschema().getRequiredList() }
                : undefined,
        })),
    };
    await call(client, "configure", configureRequest(info.policies, options.config ?? {}));

    return {
        info,
        stderr,
        async analyze(registrations, { dryRun }) {
            const resource: Diagnostic[] = [];
            for (const reg of registrations) {
                const req = new analyzerProto.AnalyzeRequest();
                req.setUrn(reg.urn);
                req.setType(reg.type);
                req.setName(reg.name);
                req.setProperties(propertiesOf(reg, false, dryRun));
                req.setOptions(optionsOf(reg));
                resource.push(...diagnostics(await call(client, "analyze", req)));
            }
            const stackReq = new analyzerProto.AnalyzeStackRequest();
            stackReq.setResourcesList(
                registrations.map((reg) => {
                    const r = new analyzerProto.AnalyzerResource();
                    r.setUrn(reg.urn);
                    r.setType(reg.type);
                    r.setName(reg.name);
                    r.setProperties(propertiesOf(reg, true, dryRun));
                    r.setOptions(optionsOf(reg));
                    r.setParent(reg.parent);
                    r.setDependenciesList(reg.dependencies);
                    const deps = r.getPropertydependenciesMap();
                    for (const [key, urns] of Object.entries(reg.propertyDependencies)) {
                        if (!urns.length) continue; // the engine skips properties with no dependencies
                        const d = new analyzerProto.AnalyzerPropertyDependencies();
                        d.setUrnsList(urns);
                        deps.set(key, d);
                    }
                    return r;
                }),
            );
            const stack = diagnostics(await call(client, "analyzeStack", stackReq));
            return { resource, stack };
        },
        stop,
    };
}

/** `ReconcilePolicyPackConfig`: each policy's schema defaults, then the given config; refused when it fails the schema. */
function configureRequest(
    policies: PolicyRun["info"]["policies"],
    given: NonNullable<Parameters<typeof startPolicyPack>[0]["config"]>,
): unknown {
    const ajv = new Ajv({ allErrors: true, strict: false });
    const req = new analyzerProto.ConfigureAnalyzerRequest();
    const map = req.getPolicyconfigMap();
    for (const policy of policies) {
        const defaults = Object.fromEntries(
            Object.entries((policy.configSchema?.properties ?? {}) as Record<string, { default?: unknown }>)
                .filter(([, s]) => "default" in s)
                .map(([k, s]) => [k, s.default]),
        );
        const raw = given[policy.name] ?? given.all;
        const { enforcementLevel, ...props } = typeof raw === "string" ? { enforcementLevel: raw as Level } : (raw ?? {});
        const properties = { ...defaults, ...(given[policy.name] === undefined ? {} : props) };
        const schema = { type: "object", properties: policy.configSchema?.properties ?? {}, required: policy.configSchema?.required ?? [] };
        if (!ajv.validate(schema, properties)) throw new Error(`policy pack configuration is invalid: ${ajv.errorsText()}`);
        const config = new analyzerProto.PolicyConfig();
        config.setEnforcementlevel(LEVELS.indexOf(enforcementLevel ?? policy.level));
        config.setProperties(structProto.Struct.fromJavaScript(properties));
        map.set(policy.name, config);
    }
    return req;
}
