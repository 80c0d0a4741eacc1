#!/usr/bin/env node
/**
 * The `webrtc-firewall` command (the package's `bin`; `npm run plan` in the repository).
 * Exit codes: 0 done, 1 invalid config (or a failed check), 2 usage error.
 */
import { Command, CommanderError, Option } from "commander";
import { CLOUDS } from "../contract/schema";
import { ConfigError } from "../errors";
import { findProject, stackNames } from "../sources/project";
import { FORMATS, runPlan, UsageError, userCwd, type PlanOptions } from "./plan";

export const EXIT = { ok: 0, invalid: 1, usage: 2 } as const;

function stacksHelp(): string {
    const project = findProject(userCwd());
    const stacks = project ? stackNames(project) : [];
    return [
        "",
        stacks.length ? `Stacks here: ${stacks.join(", ")}` : "No Pulumi project here: give --config FILE.",
        "",
        "Examples:",
        "  webrtc-firewall plan --stack aws",
        "  webrtc-firewall plan --config stacks/Pulumi.gcp.yaml --format json | jq .resources",
    ].join("\n");
}

function program(out: { stdout: string }): Command {
    const cli = new Command()
        .name("webrtc-firewall")
        .description("Plan a WebRTC media server's firewall on AWS, GCP, DigitalOcean or Azure, offline.")
        .exitOverride()
        .configureOutput({ writeOut: (s) => (out.stdout += s), writeErr: (s) => process.stderr.write(s) })
        .showHelpAfterError("(run with --help for usage)");
    cli.command("plan")
        .description("what `pulumi up` would create, from a stack settings file, without credentials")
        .addOption(new Option("--stack <name>", "plan <stackConfigDir>/Pulumi.<name>.yaml of the Pulumi project here"))
        .addOption(new Option("--config <file>", "plan any stack settings file (relative to where you run the command)"))
        .addOption(new Option("--cloud <name>", "override the settings' cloud").choices([...CLOUDS]))
        .addOption(new Option("--format <format>", "output format").choices([...FORMATS]).default("table"))
        .option("--json", "same as --format json")
        .addHelpText("after", stacksHelp)
        .exitOverride()
        .action(async (options: PlanOptions) => {
            out.stdout += (await runPlan(options)).stdout;
        });
    return cli;
}

/** Runs the command line; returns the exit code and what goes to stdout. */
export async function run(argv: string[]): Promise<{ code: number; stdout: string }> {
    const out = { stdout: "" };
    try {
        await program(out).parseAsync(argv, { from: "user" });
        return { code: EXIT.ok, ...out };
    } catch (err) {
        if (err instanceof CommanderError) {
            // --help and --version end with code 0; every other parser error is a usage error.
            return { code: err.exitCode === 0 ? EXIT.ok : EXIT.usage, ...out };
        }
        if (ConfigError.isInstance(err)) {
            process.stderr.write(`${err.message}\n`);
            return { code: EXIT.invalid, stdout: "" };
        }
        if (err instanceof UsageError) {
            process.stderr.write(`webrtc-firewall: ${err.message}\n`);
            return { code: EXIT.usage, stdout: "" };
        }
        throw err;
    }
}

if (require.main === module) {
    run(process.argv.slice(2)).then(
        ({ code, stdout }) => {
            // Exit only once stdout has drained: a pipe takes 64 KiB at a time.
            process.stdout.write(stdout, () => process.exit(code));
        },
        (err) => {
            process.stderr.write(`webrtc-firewall failed: ${err instanceof Error ? err.stack : String(err)}\n`);
            process.exit(3);
        },
    );
}
