/**
 * Cold start of the multi-language face: from spawning the plugin as the nodejs language host's
 * RunPlugin does (tests/launch/pluginHost.ts) to the first Construct answered (livekit on AWS, against
 * the test engine), each with a fresh TMPDIR, side by side with the TypeScript stack program's own cold
 * launch through cmd/run. Target: under 3 s; no TypeScript type analysis at launch. `npm run bench` includes it.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { launch } from "../tests/launch/languageHost";
import { construct, startPlugin } from "../tests/launch/pluginHost";
import { startTestEngine } from "../tests/launch/testEngine";

const ROOT = path.resolve(__dirname, "..");
const RUNS = Number(process.env.WRF_LAUNCH_RUNS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fresh = () => ({ TMPDIR: fs.mkdtempSync(path.join(os.tmpdir(), "wrf-cold-")) });

async function pluginToFirstConstruct(): Promise<{ port: number; construct: number }> {
    const engine = await startTestEngine({ project: "consumer", stack: "dev", dryRun: true });
    const started = Date.now();
    const plugin = await startPlugin({
        programDirectory: ROOT,
        pwd: fs.mkdtempSync(path.join(os.tmpdir(), "wrf-consumer-")),
        engineAddress: engine.engineAddress,
        env: fresh(),
    });
    try {
        await construct(plugin, {
            monitor: engine.monitorAddress,
            dryRun: true,
            name: "media",
            inputs: { cloud: "aws", preset: "livekit", adminCidrs: ["203.0.113.0/24"] },
        });
        return { port: plugin.startSeconds, construct: (Date.now() - started) / 1000 };
    } finally {
        plugin.stop();
        await engine.stop();
    }
}

export async function pluginBench(): Promise<void> {
    const plugin: { port: number; construct: number }[] = [];
    const stack: number[] = [];
    for (let i = 0; i < RUNS; i++) {
        plugin.push(await pluginToFirstConstruct());
        const run = await launch({ projectDir: ROOT, stack: "aws", dryRun: true, env: fresh() });
        if (run.code !== 0) throw new Error(run.stderr);
        stack.push(run.seconds);
    }
    console.log(`\nMulti-language face, cold, median of ${RUNS} (target: first Construct answered under 3 s)`);
    console.log("\n| what | median s | runs |\n|---|---|---|");
    console.log(
        `| plugin: spawn to port printed | ${median(plugin.map((p) => p.port)).toFixed(2)} | ${plugin.map((p) => p.port.toFixed(2)).join(", ")} |`,
    );
    console.log(
        `| plugin: spawn to first Construct answered (livekit, AWS) | ${median(plugin.map((p) => p.construct)).toFixed(2)} | ${plugin.map((p) => p.construct.toFixed(2)).join(", ")} |`,
    );
    console.log(
        `| TypeScript stack program: cmd/run cold launch (aws) | ${median(stack).toFixed(2)} | ${stack.map((s) => s.toFixed(2)).join(", ")} |`,
    );
}

if (require.main === module) {
    pluginBench().catch((err) => {
        console.error(err);
        process.exit(1);
    });
}
