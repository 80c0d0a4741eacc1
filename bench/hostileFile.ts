/**
 * One hostile server file through the whole planner, in its own process (bench/hostileFiles.ts runs
 * it): the stack program with the file in serverConfigs, then `plan --check` against it. Prints the
 * wall time of both after start-up, the peak resident memory, and what the planner said.
 * Usage: tsx bench/hostileFile.ts PROJECT_DIR FILE [KIND]
 */
import * as path from "node:path";
import { runPlan } from "../src/cli/plan";
import { ConfigError } from "../src/contract/problems";

console.warn = () => undefined;

async function main(): Promise<void> {
    const [dir, file, kind] = process.argv.slice(2) as [string, string, string | undefined];
    const settings = path.join(dir, "Pulumi.dev.yaml");
    require("node:fs").writeFileSync(
        settings,
        `config:\n  webrtc-firewall:cloud: aws\n  webrtc-firewall:preset: livekit\n  webrtc-firewall:serverConfigs: [${JSON.stringify(kind ? { path: file, kind } : file)}]\n`,
    );
    await runPlan({ config: path.join(__dirname, "..", "stacks", "Pulumi.aws.yaml"), format: "json" }); // warm-up: module loading is not plan time
    const started = process.hrtime.bigint();
    const outcome = async (run: () => Promise<unknown>) =>
        run().then(
            () => "planned",
            (e) => (ConfigError.isInstance(e) ? `config error: ${e.problems[0]?.message.slice(0, 60)}` : `CRASH ${String(e).slice(0, 60)}`),
        );
    const planned = await outcome(() => runPlan({ config: settings, format: "json" }, dir));
    const checked = await outcome(() => runPlan({ config: settings, check: [file] }, dir));
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    process.stdout.write(
        JSON.stringify({ ms: Math.round(ms), peakMB: Math.round(process.resourceUsage().maxRSS / 1024), planned, checked }) + "\n",
    );
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
