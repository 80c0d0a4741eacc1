/**
 * Runs the probe for several (host, source) pairs in one process, inside the client namespace: the
 * same planStack and probe() the `probe` command runs, without a process start per pair.
 * Usage: tsx probeMany.ts SETTINGS '[["198.18.0.1","198.18.0.2"], ...]' [tcp/22,udp/9]
 */
import { planStack } from "../../src/cli/plan";
import type { Protocol } from "../../src/contract/types";
import { probe } from "../../src/verify/probe";

async function main(): Promise<void> {
    const [settings, pairs, extraText] = process.argv.slice(2);
    const plan = (await planStack({ config: settings })).run.firewall.plan;
    const extra = (extraText ? extraText.split(",") : []).map((e) => ({
        protocol: e.split("/")[0] as Protocol,
        port: Number(e.split("/")[1]),
    }));
    const reports = [];
    for (const [host, source] of JSON.parse(pairs!) as [string, string][])
        reports.push(await probe(plan, { host, source, timeoutMs: 300, extra }));
    process.stdout.write(JSON.stringify(reports), () => process.exit(0));
}

main().catch((err) => {
    console.error(err);
    process.exit(2);
});
