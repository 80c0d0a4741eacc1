/**
 * Starts this package as a provider plugin exactly as the nodejs language host's `RunPlugin` does for
 * `pulumi package add` (pulumi/pulumi v3.248 `sdk/nodejs/cmd/pulumi-language-nodejs/main.go`,
 * `RunPlugin`): `locateModule("@pulumi/pulumi/cmd/run-plugin", <program directory>)` resolved by running
 * node in that directory; the command `node <run-plugin> <program directory> <args>`, where a provider's
 * args are the engine address; the working directory is the request's `Pwd` (the consumer's project),
 * the environment the request's `Env`. The plugin prints its port on its first stdout line
 * (`provider/server.ts` `main`), then serves ResourceProvider, called here with the SDK's own `proto/` client.
 */
import type { ChildProcess } from "node:child_process";
import * as grpc from "@grpc/grpc-js";
import { cleanEnv, locateModule, spawnForPort } from "./spawn";

const providerRpc = require("@pulumi/pulumi/proto/provider_grpc_pb.js");
const providerProto = require("@pulumi/pulumi/proto/provider_pb.js");
const pluginProto = require("@pulumi/pulumi/proto/plugin_pb.js");
const structProto = require("google-protobuf/google/protobuf/struct_pb.js");
const emptyProto = require("google-protobuf/google/protobuf/empty_pb.js");

export interface Plugin {
    child: ChildProcess;
    port: number;
    /** From spawning the plugin to its first stdout line. */
    startSeconds: number;
    args: string[];
    cwd: string;
    client: any;
    stderr(): string;
    stop(): void;
}

export async function startPlugin(options: {
    programDirectory: string;
    pwd: string;
    engineAddress: string;
    env?: Record<string, string>;
}): Promise<Plugin> {
    const runPath = locateModule("@pulumi/pulumi/cmd/run-plugin", options.programDirectory);
    const args = [runPath, options.programDirectory, options.engineAddress];
    const started = Date.now();
    const { child, port, stderr } = await spawnForPort("plugin", args, options.pwd, { ...cleanEnv(), ...options.env });
    const startSeconds = (Date.now() - started) / 1000;
    const client = new providerRpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return { child, port, startSeconds, args, cwd: options.pwd, client, stderr, stop: () => child.kill() };
}

const call = <T>(client: any, method: string, request: unknown): Promise<T> =>
    new Promise((resolve, reject) => client[method](request, (err: Error | null, resp: T) => (err ? reject(err) : resolve(resp))));

export const getPluginInfo = (p: Plugin) =>
    call<any>(p.client, "getPluginInfo", new emptyProto.Empty()).then((r) => r.getVersion() as string);
export const getSchema = (p: Plugin) => {
    const req = new providerProto.GetSchemaRequest();
    req.setVersion(0);
    return call<any>(p.client, "getSchema", req).then((r) => JSON.parse(r.getSchema()) as Record<string, any>);
};

/** The wire encodings another language's SDK sends (`sdk/nodejs/runtime/rpc.ts`, and the Go/Python SDKs alike). */
export const SIG = "4dabf18193072939515e22adb298388d";
export const wire = {
    unknown: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
    secret: (value: unknown) => ({ [SIG]: "1b47061264138c4ac30d75fd1eb44270", value }),
    output: (value: unknown, dependencies: string[] = [], secret = false) => ({
        [SIG]: "d0e6a833031e9bbcd3f4e8bde6ca49a4",
        ...(value === undefined ? {} : { value }),
        secret,
        dependencies,
    }),
};

export interface ConstructOptions {
    monitor: string;
    project?: string;
    stack?: string;
    dryRun: boolean;
    type?: string;
    name: string;
    parent?: string;
    inputs: Record<string, unknown>;
    inputDependencies?: Record<string, string[]>;
    providers?: Record<string, string>;
    dependencies?: string[];
    protect?: boolean;
}

export interface ConstructResult {
    urn: string;
    state: Record<string, unknown>;
}

/** One Construct call, as the engine makes it for `new WebRtcFirewall(...)` in another language's program. */
export function construct(p: Plugin, o: ConstructOptions): Promise<ConstructResult> {
    const req = new providerProto.ConstructRequest();
    req.setProject(o.project ?? "consumer");
    req.setStack(o.stack ?? "dev");
    req.setDryrun(o.dryRun);
    req.setParallel(16);
    req.setMonitorendpoint(o.monitor);
    req.setType(o.type ?? "webrtc-firewall:index:WebRtcFirewall");
    req.setName(o.name);
    req.setParent(
        o.parent ?? `urn:pulumi:${o.stack ?? "dev"}::${o.project ?? "consumer"}::pulumi:pulumi:Stack::consumer-${o.stack ?? "dev"}`,
    );
    req.setInputs(structProto.Struct.fromJavaScript(o.inputs));
    for (const [key, urns] of Object.entries(o.inputDependencies ?? {})) {
        const deps = new providerProto.ConstructRequest.PropertyDependencies();
        deps.setUrnsList(urns);
        req.getInputdependenciesMap().set(key, deps);
    }
    for (const [pkg, ref] of Object.entries(o.providers ?? {})) req.getProvidersMap().set(pkg, ref);
    req.setDependenciesList(o.dependencies ?? []);
    req.setProtect(o.protect ?? false);
    req.setAcceptsOutputValues(true);
    return call<any>(p.client, "construct", req).then((resp) => ({
        urn: resp.getUrn(),
        state: (resp.getState()?.toJavaScript() ?? {}) as Record<string, unknown>,
    }));
}

void pluginProto;
