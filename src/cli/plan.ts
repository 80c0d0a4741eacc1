/**
 * `webrtc-firewall plan` (`npm run plan` in the repository): what `pulumi up` would create, offline.
 * Runs the stack program under Pulumi mocks with a stack settings file; prints it in one format.
 */
import { renderDiff } from "./diff";
import * as fs from "node:fs";
import * as path from "node:path";
import { WEBRTC_FIREWALL_TYPE } from "../component/component";
import type { PresetName } from "../contract/types";
import { ConfigError } from "../contract/problems";
import { main } from "../stack/program";
import { findProject, stackNames, CONFIG_NAMESPACE } from "../sources/project";
import { locateInStackFile, readStackFile } from "../sources/stackFile";
import { runWithMocks, type MockRun } from "./mockRun";
import { renderHostFirewalls } from "../hosts";
import { NO_SSH_WARNING, opensSsh } from "../hosts/notes";
import { renderCompose, renderCoturn, renderLiveKit } from "../hosts/serverFragments";
import { readServerConfigs } from "../sources/servers";
import { checkDrift, renderDrift } from "../verify/drift";
import { renderTable } from "./table";

export const FORMATS = ["table", "json", "nftables", "ufw", "iptables", "cloud-init", "livekit", "coturn", "compose"] as const;
export type Format = (typeof FORMATS)[number];

export interface PlanOptions {
    stack?: string;
    config?: string;
    cloud?: string;
    format?: Format;
    /** Same as format: "json" (kept from the first version). */
    json?: boolean;
    /** Server and compose files to compare the rules with, instead of planning resources. */
    check?: string[];
    /** Settings the stack runs now: show the update from them to these, step by step (cli/diff.ts). */
    diff?: string;
}

/** A mistake in the command line itself: exit 2. */
export class UsageError extends Error {}

/**
 * The directory the user ran the command in. `npm run plan|listen|probe` in this repository runs from the
 * package root and keeps the user's directory in INIT_CWD; anywhere else (the installed bin, another
 * package's scripts) the working directory is the user's.
 */
export function userCwd(): string {
    const ownScript =
        process.env.npm_package_name === "webrtc-firewall" && ["plan", "listen", "probe"].includes(process.env.npm_lifecycle_event ?? "");
    return ownScript && process.env.INIT_CWD ? process.env.INIT_CWD : process.cwd();
}

/** The stack settings file the options name, resolved from the user's directory. */
export function stackFileOf(options: PlanOptions, cwd = userCwd()): { file: string; defaults: Record<string, string> } {
    if (options.stack && options.config) throw new UsageError("give --stack NAME or --config FILE, not both");
    if (options.config) {
        const file = path.resolve(cwd, options.config);
        if (!fs.existsSync(file)) throw new UsageError(`no such file: ${options.config} (looked in ${cwd})`);
        return { file, defaults: findProject(path.dirname(file))?.defaults ?? {} };
    }
    if (!options.stack) throw new UsageError("say which settings to plan: --stack NAME or --config FILE");
    const project = findProject(cwd);
    if (!project)
        throw new UsageError(`--stack ${options.stack}: no Pulumi.yaml in ${cwd} or above; run it in the project, or give --config FILE`);
    const file = path.join(project.stacksDir, `Pulumi.${options.stack}.yaml`);
    if (!fs.existsSync(file)) {
        throw new UsageError(
            `no stack "${options.stack}": ${path.relative(cwd, file) || file} does ` +
                `not exist; stacks: ${stackNames(project).join(", ") || "(none)"}`,
        );
    }
    return { file, defaults: project.defaults };
}

/** Reads the settings and runs the stack program under mocks; throws ConfigError or UsageError. */
export async function planStack(options: PlanOptions, cwd = userCwd()): Promise<{ run: MockRun; cloud: string; file: string }> {
    const { file, defaults } = stackFileOf(options, cwd);
    const display = path.relative(cwd, file) || file;
    const settings = readStackFile(file);
    if (settings.problems.length) throw new ConfigError(locateInStackFile(settings.problems, file, display));
    const config = { ...defaults, ...settings.values };
    if (options.cloud) config[`${CONFIG_NAMESPACE}:cloud`] = options.cloud;
    const originalWarn = console.warn;
    console.warn = () => undefined; // the engine-less runtime echoes warnings; the plan prints them itself
    // The program runs in the project folder, as the Pulumi CLI runs it: serverConfigs are read from there, and only from there.
    const originalCwd = process.cwd();
    process.chdir(findProject(path.dirname(file))?.dir ?? path.dirname(file));
    try {
        const run = await runWithMocks(config, () => main({ file, display }), options.stack ?? path.basename(file, ".yaml"));
        return { run, cloud: config[`${CONFIG_NAMESPACE}:cloud`] ?? "", file };
    } finally {
        process.chdir(originalCwd);
        console.warn = originalWarn;
    }
}

export async function runPlan(options: PlanOptions, cwd = userCwd()): Promise<{ stdout: string; code?: number }> {
    const format: Format = options.json ? "json" : (options.format ?? "table");
    if (options.check && !["table", "json"].includes(format)) throw new UsageError("--check prints a table or --format json");
    if (options.diff !== undefined && (options.check || format !== "table"))
        throw new UsageError("--diff prints its own table; leave out --check and --format");
    const { run, cloud, file } = await planStack(options, cwd);
    const plan = run.firewall.plan;
    if (options.diff !== undefined) {
        const old = await planStack({ config: options.diff, cloud: options.cloud }, cwd);
        const shown = (f: string) => path.relative(cwd, f) || f;
        return renderDiff({ ...old }, { run, cloud, file }, { old: shown(old.file), next: shown(file) });
    }
    if (options.check) {
        // Files the operator names on the command line (/etc/turnserver.conf on the server): any path, the same bounded reading.
        const servers = readServerConfigs(options.check, cwd, false);
        if (servers.problems.length) throw new ConfigError(servers.problems);
        const preset = run.resources.find((r) => r.type === WEBRTC_FIREWALL_TYPE)?.inputs.preset as PresetName | undefined;
        const drift = checkDrift(plan, servers.configs, preset);
        return { stdout: format === "json" ? JSON.stringify(drift, null, 2) + "\n" : renderDrift(drift), code: drift.drift ? 1 : 0 };
    }
    if (format === "json")
        return { stdout: JSON.stringify({ cloud, resources: run.resources, warnings: run.firewall.warnings }, null, 2) + "\n" };
    if (format !== "table") {
        const hosts = renderHostFirewalls(plan);
        // Said where the operator sees it before applying, not only inside the file.
        if (["nftables", "ufw", "iptables", "cloud-init"].includes(format) && !opensSsh(plan))
            process.stderr.write(`webrtc-firewall: ${NO_SSH_WARNING}\n`);
        const render = {
            nftables: () => hosts.nftables,
            ufw: () => hosts.ufw,
            iptables: () => hosts.iptables,
            "cloud-init": () => hosts.cloudInit,
            livekit: () => renderLiveKit(plan),
            coturn: () => renderCoturn(plan),
            compose: () => renderCompose(plan),
        };
        return { stdout: render[format]() };
    }
    return { stdout: renderTable(cloud, path.relative(cwd, file) || file, run, options.stack) };
}
