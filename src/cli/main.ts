#!/usr/bin/env node
/**
 * The `webrtc-firewall` command (the package's `bin`; `npm run plan` in the repository).
 * Exit codes: 0 done, 1 invalid config (or a failed check), 2 usage error.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Command, CommanderError, Option } from "commander";
import { orList } from "../contract/text";
import { CLOUD_LIST, CLOUDS } from "../clouds/registry";
import { ConfigError } from "../contract/problems";
import { findProject, stackNames } from "../sources/project";
import { FORMATS, runPlan, UsageError, userCwd, type PlanOptions } from "./plan";
import { LISTEN_LIMITS } from "../verify/listen";
import { LISTEN_FOR_DEFAULT, listenCommand, probeCommand, type ListenCommandOptions, type ProbeCommandOptions } from "./verify";

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
        "  webrtc-firewall plan --stack aws --format nftables --output webrtc-firewall.nft",
        "  webrtc-firewall plan --stack aws --check livekit.yaml docker-compose.yml   # drift: exit 1",
        "  webrtc-firewall listen --stack aws            # on the server",
        "  webrtc-firewall probe --stack aws --host 203.0.113.10   # from another computer",
    ].join("\n");
}

/** This package's version, from the package.json beside src/ or dist/. */
function packageVersion(): string {
    return (JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")) as { version: string }).version;
}

/**
 * Writes `text` to a temporary file beside `file`, then renames it over `file`: a reader sees the old
 * file or the whole new one, and a failed plan leaves no file at all. Returns the file written.
 */
function writeAtomically(file: string, text: string): string {
    const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
    try {
        fs.writeFileSync(temporary, text, { flag: "wx" });
        fs.renameSync(temporary, file);
    } catch (err) {
        fs.rmSync(temporary, { force: true });
        throw new UsageError(`cannot write ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    return file;
}

interface Output {
    stdout: string;
    code?: number;
    /** listen: keeps serving until SIGINT, SIGTERM or its --for time, then closes its sockets. */
    serving?: { close: () => Promise<void>; forMs: number };
}

function program(out: Output): Command {
    const cli = new Command()
        .name("webrtc-firewall")
        .description(`Plan a WebRTC media server's firewall on ${orList(CLOUD_LIST.map((c) => c.title))}, offline.`)
        .exitOverride()
        .configureOutput({ writeOut: (s) => (out.stdout += s), writeErr: (s) => process.stderr.write(s) })
        .version(packageVersion(), "-V, --version", "print the version of webrtc-firewall")
        .showHelpAfterError("(run with --help for usage)");
    cli.command("plan")
        .description("what `pulumi up` would create, from a stack settings file, without credentials")
        .addOption(new Option("--stack <name>", "plan <stackConfigDir>/Pulumi.<name>.yaml of the Pulumi project here"))
        .addOption(new Option("--config <file>", "plan any stack settings file (relative to where you run the command)"))
        .addOption(new Option("--cloud <name>", "override the settings' cloud").choices([...CLOUDS]))
        .addOption(new Option("--format <format>", "output format").choices([...FORMATS]).default("table"))
        .option("--json", "same as --format json")
        .option("--output <file>", "write to this file instead of stdout, all at once (never half a file): safe where a pipe is not")
        .option(
            "--diff <old-settings>",
            "show the update from the settings in this file to these, step by step: gaps, refusals; exit 1 on any",
        )
        .option(
            "--check <files...>",
            "compare the rules with server and compose files (livekit.yaml, turnserver.conf, compose): exit 1 on drift",
        )
        .addHelpText("after", stacksHelp)
        .exitOverride()
        .action(async (options: PlanOptions & { output?: string }) => {
            const result = await runPlan(options);
            out.code = result.code;
            if (options.output === undefined) out.stdout += result.stdout;
            else
                process.stderr.write(`webrtc-firewall: wrote ${writeAtomically(path.resolve(userCwd(), options.output), result.stdout)}\n`);
        });
    const settings = (command: Command) =>
        command
            .addOption(new Option("--stack <name>", "the stack settings of the Pulumi project here"))
            .addOption(new Option("--config <file>", "any stack settings file (relative to where you run the command)"))
            .addOption(new Option("--cloud <name>", "override the settings' cloud").choices([...CLOUDS]))
            .exitOverride();
    settings(cli.command("listen"))
        .description("on the server, before the media server runs: answer probe on every TCP and UDP port the spec opens, for a while")
        .option("--for <duration>", "stop by itself after this long (90s, 15m, 2h; at most 24h)", LISTEN_FOR_DEFAULT)
        .option(
            "--rate <n>",
            "answers a second to one source (an IPv4 address or an IPv6 /64), twice that in a burst",
            String(LISTEN_LIMITS.perSource),
        )
        .action(async (options: ListenCommandOptions) => {
            out.serving = await listenCommand(options, (text) => process.stdout.write(text));
        });
    settings(cli.command("probe"))
        .description("from another computer: check every port of every rule against a host running `listen`")
        .requiredOption("--host <address>", "the server's address (IPv4, IPv6 or a name)")
        .option("--source <address>", "send from this local address")
        .option("--json", "print {host, seenAs, results: [{rule, protocol, port, expected, observed}]}")
        .option("--timeout <ms>", "UDP: a round ends after this long with no new answer; half the TCP connect timeout", "400")
        .option("--retries <n>", "UDP rounds", "3")
        .option("--extra <ports>", "more ports to check, e.g. tcp/5000,udp/9")
        .action(async (options: ProbeCommandOptions) => {
            out.code = await probeCommand(options, (text) => (out.stdout += text));
        });
    return cli;
}

/** Runs the command line; returns the exit code and what goes to stdout. */
export async function run(argv: string[]): Promise<{ code: number; stdout: string }> {
    const out: Output = { stdout: "" };
    try {
        await program(out).parseAsync(argv, { from: "user" });
        if (out.serving) {
            const { close, forMs } = out.serving;
            let timer: NodeJS.Timeout | undefined;
            await new Promise<void>((resolve) => {
                ["SIGINT", "SIGTERM"].forEach((s) => process.once(s, () => resolve()));
                timer = setTimeout(resolve, forMs);
            });
            clearTimeout(timer);
            await close();
        }
        return { code: out.code ?? EXIT.ok, stdout: out.stdout };
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
