/**
 * `npm run bench`: for every preset × cloud, resources and rules planned against the fewest that
 * can express the config (bench/minimum.ts, computed independently), with plan time; then one
 * stress config per cloud, in its own process, for plan time and peak memory; hostile server files of
 * the largest allowed size, each in its own process held to 512 MB; the policy pack against a string check and at scale.
 */
import { execFileSync } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import { PRESETS } from "../src/contract/presets";
import { CLOUDS } from "../src/clouds/registry";
import { validateConfig } from "../src/pipeline/validate";
import { timedPlan } from "./common";
import { launchBench } from "./launch";
import { pluginBench } from "./plugin";
import { limitsBench } from "./limits";
import { probeBench } from "./probe";
import { hostileFilesBench } from "./hostileFiles";
import { policyBench } from "./policy";
import { minimum } from "./minimum";
import { CLOUD_SETTINGS } from "../tests/cloudSettings";

console.warn = () => undefined;

async function main(): Promise<void> {
    console.log(
        `Machine: ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    );
    console.log("\n| preset (all options, 2 admin CIDRs) | cloud | resources (min) | rules (min) | plan ms |\n|---|---|---|---|---|");
    let atMinimum = 0;
    let cells = 0;
    await timedPlan({ cloud: "aws", preset: "livekit" }); // warm-up: module loading is not plan time
    for (const preset of Object.keys(PRESETS)) {
        const presetOptions = Object.fromEntries(Object.keys(PRESETS[preset as keyof typeof PRESETS].options).map((o) => [o, true]));
        for (const cloud of CLOUDS) {
            const args = { cloud, preset, presetOptions, adminCidrs: ["203.0.113.0/24", "2001:db8:1::/48"], ...CLOUD_SETTINGS };
            const spec = validateConfig(args).spec!;
            const min = minimum(cloud, spec);
            const planned = await timedPlan(args);
            const ok = planned.resources.length === min.resources && planned.rules === min.rules;
            atMinimum += ok ? 1 : 0;
            cells++;
            console.log(
                `| ${preset} | ${cloud} | ${planned.resources.length} (${min.resources}) | ${planned.rules} (${min.rules}) | ${planned.ms.toFixed(1)} |${ok ? "" : " ABOVE MINIMUM"}`,
            );
        }
    }
    console.log(`\n${atMinimum} of ${cells} preset × cloud plans are at the minimum.`);
    console.log("\n| stress config | admin CIDRs | resources | rules | plan ms | peak MB |\n|---|---|---|---|---|---|");
    const tsx = path.join(__dirname, "..", "node_modules", ".bin", "tsx");
    for (const cloud of CLOUDS) {
        const out = JSON.parse(execFileSync(tsx, [path.join(__dirname, "stress.ts"), cloud], { encoding: "utf8" }));
        console.log(`| ${cloud} | ${out.adminCidrs} | ${out.resources} | ${out.rules} | ${out.ms} | ${out.peakMB} |`);
    }
    await launchBench();
    await pluginBench();
    limitsBench();
    hostileFilesBench();
    await policyBench();
    await probeBench();
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
