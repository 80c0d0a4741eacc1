/**
 * The reachability check side by side (needs root: two network namespaces, tests/netns/lab.ts): the
 * livekit preset with TURN (10,001 UDP media ports plus TCP, IPv4 and IPv6) behind its nftables ruleset,
 * checked by `probe` (every port), by seed 001's manual way (`ncat -u` one port at a time), and by
 * `nmap -sU`. ncat and nmap run on a sample and are extrapolated to every port; each is skipped with a
 * line when not installed (apt-get install ncat nmap).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { renderNftables } from "../src/hosts/nftables";
import { planRules } from "../src/plan/plan";
import { validateConfig } from "../src/pipeline/validate";
import { openedPorts } from "../src/verify/ports";
import { ADMIN, hasTool, Lab, NET, whyNot } from "../tests/netns/lab";

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

export async function probeBench(): Promise<void> {
    console.log(
        "\nReachability check: livekit + TURN behind its nftables ruleset, in network namespaces (target: every port, both families, under 10 s)",
    );
    const reason = whyNot();
    if (reason) return void console.log(`(skipped: ${reason})`);
    const args = { cloud: "aws", preset: "livekit", presetOptions: { turn: true }, adminCidrs: ADMIN };
    const plan = planRules(validateConfig(args).spec!);
    const ports = openedPorts(plan).length;
    const lab = new Lab();
    lab.up();
    try {
        lab.loadRuleset(renderNftables(plan));
        const settings = lab.settings("bench", args);
        const listener = await lab.listen(settings);
        try {
            console.log("\n| method | ports checked | seconds | all ports, both families (s) |\n|---|---|---|---|");
            let start = process.hrtime.bigint();
            const reports = lab.probeMany(
                settings,
                [
                    [NET.server4, NET.admin4],
                    [NET.server6, NET.admin6],
                ],
                [],
            );
            const probeSeconds = seconds(start);
            const checked = reports.reduce((n, r) => n + r.results.length, 0);
            const ok = reports.every((r) => r.results.every((e) => e.observed === e.expected));
            console.log(
                `| webrtc-firewall probe (one process, IPv4 then IPv6, with start-up) | ${checked} | ${probeSeconds.toFixed(1)} | ${probeSeconds.toFixed(1)}${ok ? "" : " (MISMATCHES)"} |`,
            );
            start = process.hrtime.bigint();
            const cli = await lab.probe(settings, NET.server4, NET.admin4);
            console.log(`| webrtc-firewall probe command, IPv4 only | ${cli.report.results.length} | ${seconds(start).toFixed(1)} | — |`);
            if (hasTool("ncat")) {
                const sample = 20;
                start = process.hrtime.bigint();
                for (let port = 50000; port < 50000 + sample; port++) {
                    spawnSync("ip", ["netns", "exec", lab.cli, "sh", "-c", `echo hi | ncat -u -w1 ${NET.server4} ${port}`], {
                        encoding: "utf8",
                    });
                }
                const each = seconds(start) / sample;
                console.log(
                    `| ncat -u, one port at a time (seed 001), ${sample} sampled | ${sample} | ${(each * sample).toFixed(1)} | ${(each * ports * 2).toFixed(0)} (extrapolated) |`,
                );
            } else console.log("| ncat | — | not installed | — |");
            if (hasTool("nmap")) {
                // The same UDP ports the probe checks over IPv4: the rules' and their closed neighbours.
                start = process.hrtime.bigint();
                execFileSync("ip", ["netns", "exec", lab.cli, "nmap", "-sU", "-n", "-Pn", "-p", "3477-3479,49999-60001", NET.server4], {
                    stdio: "ignore",
                    timeout: 600_000,
                });
                const took = seconds(start);
                console.log(
                    `| nmap -sU, the UDP ports over IPv4 (no expected/observed judgement) | 10006 | ${took.toFixed(1)} | ${(took * 2).toFixed(0)} (x2 for IPv6) |`,
                );
            } else console.log("| nmap -sU | — | not installed | — |");
        } finally {
            listener.kill("SIGTERM");
        }
    } finally {
        lab.down();
    }
}

if (require.main === module) {
    probeBench().catch((err) => {
        console.error(err);
        process.exit(1);
    });
}
