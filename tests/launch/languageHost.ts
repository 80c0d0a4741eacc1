/**
 * Launches a Pulumi program exactly as Pulumi's nodejs language host does, against a test engine.
 * Each step cites pulumi/pulumi (commit 1b59498, 2026-08-21):
 * - `pkg/engine/project.go` `getPwdMain`: a file `main` runs with pwd = its folder, entry = its base name.
 * - `sdk/nodejs/cmd/pulumi-language-nodejs/main.go`:
 *   `locateModule`: `require.resolve("@pulumi/pulumi/cmd/run")` run with cwd = the program folder;
 *   `constructArguments`: `--monitor --engine --project --root-directory --stack --pwd [--dry-run] --parallel N <entry>`;
 *   `constructConfig`: PULUMI_CONFIG, a JSON object of `"<ns>:config:<key>": "<string>"`;
 *   `constructConfigSecretKeys`: PULUMI_CONFIG_SECRET_KEYS, a JSON list of `<ns>:<key>`;
 *   `parseOptions` / `execRuntime`: PULUMI_NODEJS_TYPESCRIPT=true unless `typescript: false`,
 *   PULUMI_NODEJS_TSCONFIG_PATH from `tsconfig`, `nodeargs` before the script.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { readStackSettings } from "../../src/sources/stackFile";
import { cleanEnv, locateModule } from "./spawn";
import { startTestEngine, type PreviewStandIn, type ProviderStandIn, type TestEngine } from "./testEngine";

interface ProjectFile {
    name: string;
    main?: string;
    stackConfigDir?: string;
    runtime: string | { name: string; options?: Record<string, unknown> };
    config?: Record<string, { default?: unknown } | unknown>;
}

export interface LaunchOptions {
    projectDir: string;
    stack: string;
    dryRun: boolean;
    /** Config keys (`ns:key`) set with `pulumi config set --secret`: the engine decrypts them and lists them. */
    secretKeys?: string[];
    /** Extra environment, e.g. a fresh TMPDIR for a cold ts-node cache. */
    env?: Record<string, string>;
    parallel?: number;
    /** Node options before the script, as `runtime.options.nodeargs` would add (profiling, say). */
    nodeArgs?: string[];
    /** Ids and computed outputs the test engine answers in an update, as the providers would. */
    provider?: ProviderStandIn;
    /** Outputs the test engine plans in a preview, as the providers would (see PreviewStandIn). */
    planned?: PreviewStandIn;
}

export interface LaunchResult {
    code: number | null;
    stdout: string;
    stderr: string;
    seconds: number;
    engine: TestEngine;
    args: string[];
    env: Record<string, string>;
}

/** `getPwdMain`: the program folder and the entry point the engine passes. */
export function pwdAndEntry(root: string, main: string | undefined): { pwd: string; entry: string } {
    if (!main) return { pwd: root, entry: "." };
    const full = path.resolve(root, main);
    if (fs.statSync(full).isDirectory()) return { pwd: full, entry: "." };
    return { pwd: path.dirname(full), entry: path.basename(full) };
}

/** `constructConfig` after the engine merged project defaults under the stack's own values. */
export function engineConfig(project: ProjectFile, stackValues: Record<string, string>): Record<string, string> {
    const merged: Record<string, string> = {};
    for (const [key, decl] of Object.entries(project.config ?? {})) {
        if (decl && typeof decl === "object" && "default" in decl) {
            const value = (decl as { default: unknown }).default;
            merged[`${project.name}:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
        }
    }
    Object.assign(merged, stackValues);
    const out: Record<string, string> = {};
    for (const [key, value] of Object.entries(merged)) {
        const at = key.indexOf(":");
        out[`${key.slice(0, at)}:config:${key.slice(at + 1)}`] = value;
    }
    return out;
}

export async function launch(options: LaunchOptions): Promise<LaunchResult> {
    const project = parseYaml(fs.readFileSync(path.join(options.projectDir, "Pulumi.yaml"), "utf8")) as ProjectFile;
    const runtimeOptions = typeof project.runtime === "object" ? (project.runtime.options ?? {}) : {};
    const { pwd, entry } = pwdAndEntry(options.projectDir, project.main);
    const stackFile = path.join(options.projectDir, project.stackConfigDir ?? ".", `Pulumi.${options.stack}.yaml`);
    const settings = readStackSettings(fs.readFileSync(stackFile, "utf8"), stackFile);
    if (settings.problems.length) throw new Error(`stack file ${stackFile}: ${settings.problems.map((p) => p.message).join("; ")}`);

    const runPath = locateModule("@pulumi/pulumi/cmd/run", pwd);

    const engine = await startTestEngine({
        project: project.name,
        stack: options.stack,
        dryRun: options.dryRun,
        provider: options.provider,
        planned: options.planned,
    });
    const args = [
        runPath,
        "--monitor",
        engine.monitorAddress,
        "--engine",
        engine.engineAddress,
        "--project",
        project.name,
        "--root-directory",
        options.projectDir,
        "--stack",
        options.stack,
        "--pwd",
        pwd,
    ];
    if (options.dryRun) args.push("--dry-run");
    args.push("--parallel", String(options.parallel ?? 16), entry);

    const env: Record<string, string> = {
        PULUMI_CONFIG: JSON.stringify(engineConfig(project, settings.values)),
        PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(options.secretKeys ?? []),
    };
    if (runtimeOptions.typescript !== false) env.PULUMI_NODEJS_TYPESCRIPT = "true";
    if (typeof runtimeOptions.tsconfig === "string") env.PULUMI_NODEJS_TSCONFIG_PATH = runtimeOptions.tsconfig;
    const nodeArgs = typeof runtimeOptions.nodeargs === "string" ? runtimeOptions.nodeargs.split(/\s+/).filter(Boolean) : [];

    const started = Date.now();
    const child = spawn(process.execPath, [...nodeArgs, ...(options.nodeArgs ?? []), ...args], {
        cwd: options.projectDir,
        env: { ...cleanEnv(), ...env, ...options.env },
        stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    const seconds = (Date.now() - started) / 1000;
    await engine.stop();
    return { code, stdout, stderr, seconds, engine, args, env };
}
