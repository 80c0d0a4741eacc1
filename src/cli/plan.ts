/**
 * `npm run plan -- --stack aws`: what `pulumi up` would create, offline.
 * Runs the stack program under Pulumi mocks; prints a table, or JSON with --json.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Command, Option } from "commander";
import { ConfigError } from "../errors";
import { main } from "../program";
import { CLOUDS } from "../contract/schema";
import { CONFIG_NAMESPACE } from "../stackConfig";
import { readStackFile } from "../sources/stackFile";
import { projectDefaults, REPO_ROOT, runWithMocks } from "./mockRun";
import { renderTable } from "./table";

interface PlanOptions {
    stack?: string;
    config?: string;
    cloud?: string;
    json?: boolean;
}

function stackFile(options: PlanOptions): string {
    if (options.config) return path.resolve(options.config);
    const dir = path.join(REPO_ROOT, "stacks");
    const file = path.join(dir, `Pulumi.${options.stack}.yaml`);
    if (!fs.existsSync(file)) {
        const stacks = fs.readdirSync(dir).map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1]).filter(Boolean);
        throw new UsageError(`no stack "${options.stack}": ${path.relative(process.cwd(), file)} does not exist; stacks: ${stacks.join(", ")}`);
    }
    return file;
}

class UsageError extends Error {}

export async function runPlan(options: PlanOptions): Promise<{ stdout: string }> {
    if (!options.stack && !options.config) throw new UsageError("say which settings to plan: --stack NAME or --config FILE");
    const file = stackFile(options);
    if (!fs.existsSync(file)) throw new UsageError(`no such file: ${file}`);
    let settings: ReturnType<typeof readStackFile>;
    try {
        settings = readStackFile(file);
    } catch (err) {
        throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
    }
    if (settings.problems.length) throw new ConfigError(settings.problems);
    const config = { ...projectDefaults(path.join(REPO_ROOT, "Pulumi.yaml")), ...settings.values };
    if (options.cloud) config[`${CONFIG_NAMESPACE}:cloud`] = options.cloud;

    const originalWarn = console.warn;
    console.warn = () => undefined; // the engine-less runtime echoes warnings; the plan prints them itself
    try {
        const run = await runWithMocks(config, main, options.stack ?? path.basename(file, ".yaml"));
        const cloud = config[`${CONFIG_NAMESPACE}:cloud`] ?? "";
        if (options.json) {
            return { stdout: JSON.stringify({ cloud, resources: run.resources, warnings: run.firewall.warnings }, null, 2) + "\n" };
        }
        return { stdout: renderTable(cloud, path.relative(process.cwd(), file), run) };
    } finally {
        console.warn = originalWarn;
    }
}

async function cli(argv: string[]): Promise<number> {
    const program = new Command()
        .name("npm run plan --")
        .description("Show what each cloud would get, offline: runs the stack program under Pulumi mocks.")
        .addOption(new Option("--stack <name>", "plan stacks/Pulumi.<name>.yaml").conflicts("config"))
        .option("--config <file>", "plan any stack settings file instead")
        .addOption(new Option("--cloud <name>", "override the config's cloud").choices([...CLOUDS]))
        .option("--json", "print every registered resource and its inputs as JSON")
        .exitOverride()
        .configureOutput({ writeErr: (s) => process.stderr.write(s) });
    try {
        program.parse(argv, { from: "user" });
    } catch (err) {
        return (err as { exitCode?: number }).exitCode ?? 2;
    }
    try {
        const { stdout } = await runPlan(program.opts<PlanOptions>());
        process.stdout.write(stdout);
        return 0;
    } catch (err) {
        if (ConfigError.isInstance(err)) {
            process.stderr.write(`${err.message}\n`);
            return 1;
        }
        if (err instanceof UsageError) {
            process.stderr.write(`plan: ${err.message}\n`);
            return 2;
        }
        throw err;
    }
}

if (require.main === module) {
    cli(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (err) => {
            process.stderr.write(`plan failed: ${err instanceof Error ? err.stack : String(err)}\n`);
            process.exit(3);
        },
    );
}
