/**
 * A test engine: the ResourceMonitor and Engine gRPC services a Pulumi program talks to, served with
 * @grpc/grpc-js from the service definitions @pulumi/pulumi ships in `proto/`. It records every
 * RegisterResource and Log call, and answers as the real engine does for what this program uses
 * (pulumi/pulumi `pkg/resource/deploy/source_eval.go`: `supportsFeatureID`, `RegisterResource`).
 */
import { createHash } from "node:crypto";
import * as grpc from "@grpc/grpc-js";

// Generated stubs shipped with the SDK (CommonJS, no types of their own that we need).
const resourceRpc = require("@pulumi/pulumi/proto/resource_grpc_pb.js");
const resourceProto = require("@pulumi/pulumi/proto/resource_pb.js");
const providerProto = require("@pulumi/pulumi/proto/provider_pb.js");
const engineRpc = require("@pulumi/pulumi/proto/engine_grpc_pb.js");
const engineProto = require("@pulumi/pulumi/proto/engine_pb.js");
const structProto = require("google-protobuf/google/protobuf/struct_pb.js");
const emptyProto = require("google-protobuf/google/protobuf/empty_pb.js");

/** The wire encodings of unknowns, secrets and output values (`@pulumi/pulumi/runtime/rpc.js`). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";

/** Decoded inputs use these markers, so a test can say which values were unknown or secret. */
export const UNKNOWN_MARK = "<unknown>";
export interface SecretMark {
    secret: unknown;
}

/** Turns the wire form into plain JSON, keeping unknowns and secrets visible as markers. */
export function decodeWire(value: unknown): unknown {
    if (value === UNKNOWN) return UNKNOWN_MARK;
    if (Array.isArray(value)) return value.map(decodeWire);
    if (value === null || typeof value !== "object") return value;
    const obj = value as Record<string, unknown>;
    const sig = obj[SIG_KEY];
    if (sig === SECRET_SIG) return { secret: decodeWire(obj.value) } satisfies SecretMark;
    if (sig === OUTPUT_VALUE_SIG) {
        const inner = "value" in obj ? decodeWire(obj.value) : UNKNOWN_MARK;
        return obj.secret ? { secret: inner } : inner;
    }
    if (sig === RESOURCE_SIG) return `<resource ${String(obj.urn)}>`;
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, decodeWire(v)]));
}

/**
 * Decoded values back in the engine's wire form, as it marshals properties for an analyzer
 * (`MarshalProperties` with KeepUnknowns and KeepSecrets, no output values): a marked unknown becomes
 * the unknown sentinel, a marked secret the secret signature.
 */
export function encodeWire(value: unknown): unknown {
    if (value === UNKNOWN_MARK) return UNKNOWN;
    if (Array.isArray(value)) return value.map(encodeWire);
    if (value === null || typeof value !== "object") return value;
    const obj = value as Record<string, unknown>;
    if (Object.keys(obj).length === 1 && "secret" in obj) return { [SIG_KEY]: SECRET_SIG, value: encodeWire(obj.secret) };
    return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, encodeWire(v)]));
}

export interface Registration {
    type: string;
    name: string;
    custom: boolean;
    parent: string;
    urn: string;
    /** Inputs as the program sent them, decoded (unknowns and secrets marked). */
    inputs: Record<string, unknown>;
    /** The id this engine answered (custom resources in an update). */
    id?: string;
    /** Resource options as the program sent them. */
    provider: string;
    protect: boolean;
    dependencies: string[];
    /** URNs each input depends on. */
    propertyDependencies: Record<string, string[]>;
}

export interface LogEntry {
    severity: "debug" | "info" | "warning" | "error";
    message: string;
    urn: string;
}

export interface TestEngine {
    monitorAddress: string;
    engineAddress: string;
    registrations: Registration[];
    logs: LogEntry[];
    /** RegisterResourceOutputs by URN (the stack's are its exports). */
    outputs: Map<string, Record<string, unknown>>;
    rootUrn(): string;
    stop(): Promise<void>;
}

const SEVERITY: LogEntry["severity"][] = ["debug", "info", "warning", "error"];

/** Features the real engine answers true for (`supportsFeatureID`), all but the deprecated ones. */
const FEATURES = new Set([
    "secrets",
    "resourceReferences",
    "outputValues",
    "aliasSpecs",
    "replacementTrigger",
    "deletedWith",
    "replaceWith",
    "transforms",
    "invokeTransforms",
    "parameterization",
    "resourceHooks",
    "errorHooks",
    "sendsOptionsToHooks",
]);

/** A stand-in for a provider's auto-name: `<logical>-<7 hex>` (pulumi-terraform-bridge autonaming). */
export function autoName(urn: string, name: string): string {
    return `${name}-${createHash("sha256").update(urn).digest("hex").slice(0, 7)}`;
}

/**
 * What a provider would answer for one resource in an update: its id and the outputs it computes (an
 * Eip's publicIp, say). In a preview the engine sends neither, so the program sees them as unknown.
 */
export type ProviderStandIn = (
    type: string,
    name: string,
    inputs: Record<string, unknown>,
) => { id?: string; outputs?: Record<string, unknown> } | undefined;

/**
 * What a provider plans in a preview, beside the inputs: a bridged provider's preview Create returns the
 * computed outputs as unknown (`UNKNOWN`), also where they sit inside an input object (an EKS cluster's
 * vpcConfig.clusterSecurityGroupId).
 */
export type PreviewStandIn = (type: string, name: string, inputs: Record<string, unknown>) => Record<string, unknown> | undefined;

export async function startTestEngine(options: {
    project: string;
    stack: string;
    dryRun: boolean;
    provider?: ProviderStandIn;
    planned?: PreviewStandIn;
    /** Resources that exist already (by URN), for `pulumi:pulumi:getResource`. */
    existing?: Record<string, { id: string; state?: Record<string, unknown> }>;
}): Promise<TestEngine> {
    const registrations: Registration[] = [];
    const logs: LogEntry[] = [];
    const outputs = new Map<string, Record<string, unknown>>();
    const typeChain = new Map<string, string>(); // urn → qualified type, for child URNs
    let root = "";

    const urnOf = (type: string, name: string, parent: string): string => {
        const parentChain = parent ? typeChain.get(parent) : undefined;
        // The stack is the root: its children's qualified type does not include it (pkg/resource/urn.go).
        const qualified = parentChain && !parentChain.startsWith("pulumi:pulumi:Stack") ? `${parentChain}$${type}` : type;
        const urn = `urn:pulumi:${options.stack}::${options.project}::${qualified}::${name}`;
        typeChain.set(urn, qualified);
        return urn;
    };

    /** RegisterResource: records the request, answers as the engine does. */
    const register = (call: any, callback: any): void => {
        const req = call.request;
        const type: string = req.getType();
        const name: string = req.getName();
        const custom: boolean = req.getCustom();
        const urn = urnOf(type, name, req.getParent());
        const raw = (req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>;
        const inputs = decodeWire(raw) as Record<string, unknown>;
        const propertyDependencies: Record<string, string[]> = {};
        for (const [key, deps] of req.getPropertydependenciesMap().entries()) propertyDependencies[key] = deps.getUrnsList();
        const registration: Registration = {
            type,
            name,
            custom,
            parent: req.getParent(),
            urn,
            inputs,
            provider: req.getProvider(),
            protect: req.getProtect(),
            dependencies: req.getDependenciesList(),
            propertyDependencies,
        };
        // What the provider would return: the inputs, an auto-name where none is set (computed in
        // Check, so known in a preview too), and an id only once created.
        const state: Record<string, unknown> = { ...raw };
        if (custom && raw.name === undefined) state.name = autoName(urn, name);
        if (custom && options.dryRun) Object.assign(state, options.planned?.(type, name, inputs) ?? {});
        if (custom && !options.dryRun) {
            const answer = options.provider?.(type, name, inputs);
            registration.id = answer?.id ?? `id-${createHash("sha256").update(urn).digest("hex").slice(0, 12)}`;
            Object.assign(state, answer?.outputs ?? {});
        }
        registrations.push(registration);
        const resp = new resourceProto.RegisterResourceResponse();
        resp.setUrn(urn);
        resp.setId(registration.id ?? (custom ? "" : ""));
        resp.setObject(structProto.Struct.fromJavaScript(state));
        callback(null, resp);
    };

    /** Invoke: only what the engine itself answers (no provider functions here). */
    const invoke = (call: any, callback: any): void => {
        const tok: string = call.request.getTok();
        // Reading a resource the program did not create (a provider passed to a component by reference):
        // the engine answers with its URN, id and state (source_eval.go `getResource`).
        const urn = tok === "pulumi:pulumi:getResource" ? String((call.request.getArgs()?.toJavaScript() ?? {}).urn) : "";
        const known = options.existing?.[urn];
        if (!known)
            return callback({ code: grpc.status.UNIMPLEMENTED, details: `test engine: no invoke ${tok}${urn ? ` for ${urn}` : ""}` });
        const resp = new providerProto.InvokeResponse();
        resp.setReturn(structProto.Struct.fromJavaScript({ urn, id: known.id, state: known.state ?? {} }));
        callback(null, resp);
    };

    const server = new grpc.Server();
    server.addService(resourceRpc.ResourceMonitorService, {
        supportsFeature(call: any, callback: any) {
            const resp = new resourceProto.SupportsFeatureResponse();
            resp.setHassupport(FEATURES.has(call.request.getId()));
            callback(null, resp);
        },
        registerResource(call: any, callback: any) {
            try {
                register(call, callback);
            } catch (err) {
                callback({ code: grpc.status.INTERNAL, details: `test engine: ${(err as Error).stack}` });
            }
        },
        registerResourceOutputs(call: any, callback: any) {
            const req = call.request;
            outputs.set(req.getUrn(), decodeWire(req.getOutputs()?.toJavaScript() ?? {}) as Record<string, unknown>);
            callback(null, new emptyProto.Empty());
        },
        signalAndWaitForShutdown(_call: any, callback: any) {
            callback(null, new emptyProto.Empty());
        },
        invoke(call: any, callback: any) {
            try {
                invoke(call, callback);
            } catch (err) {
                callback({ code: grpc.status.INTERNAL, details: `test engine: ${(err as Error).stack}` });
            }
        },
    });
    server.addService(engineRpc.EngineService, {
        log(call: any, callback: any) {
            const req = call.request;
            logs.push({ severity: SEVERITY[req.getSeverity()] ?? "info", message: req.getMessage(), urn: req.getUrn() });
            callback(null, new emptyProto.Empty());
        },
        getRootResource(_call: any, callback: any) {
            const resp = new engineProto.GetRootResourceResponse();
            resp.setUrn(root);
            callback(null, resp);
        },
        setRootResource(call: any, callback: any) {
            root = call.request.getUrn();
            callback(null, new engineProto.SetRootResourceResponse());
        },
    });
    const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    const address = `127.0.0.1:${port}`;
    return {
        monitorAddress: address,
        engineAddress: address,
        registrations,
        logs,
        outputs,
        rootUrn: () => root,
        stop: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
    };
}
