/**
 * Real packets through the Linux kernel's netfilter: two network namespaces joined by a veth pair, the
 * rendered nftables ruleset loaded in the server's, `listen` there and `probe` from the client's, from
 * an admin address and from one outside adminCidrs, over IPv4 and IPv6. Every port the spec opens must
 * answer and every other probed port must not. Needs root, iproute2 and nftables (.ci/run installs them);
 * skipped elsewhere with the reason, never on CI.
 */
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { PRESET_NAMES } from "../../../src/contract/types";
import { renderNftables } from "../../../src/hosts/nftables";
import { planRules } from "../../../src/plan/plan";
import { validateConfig } from "../../../src/pipeline/validate";
import { openedPorts } from "../../../src/verify/ports";
import type { ProbeReport } from "../../../src/verify/probe";
import { configs } from "../../generators";
import { ADMIN, Lab, NET, sh, whyNot } from "../../netns/lab";
import { CHILD_OUTPUT_MAX } from "../../childOutput";

const SEED = Number(process.env.WRF_SEED ?? 20261121);

/** Probes from both client addresses over each family the plan uses; asserts every port as the spec says. */
async function checkConfig(lab: Lab, name: string, args: Record<string, unknown>, extra: string[]): Promise<ProbeReport[]> {
    const spec = validateConfig(args).spec;
    assert.ok(spec, `${name} is valid`);
    const plan = planRules(spec);
    lab.loadRuleset(renderNftables(plan));
    const settings = lab.settings(name, args);
    const listener = await lab.listen(settings);
    try {
        const runs: [string, string][] = [
            [NET.server4, NET.admin4],
            [NET.server4, NET.other4],
        ];
        if (plan.flows.some((f) => f.family === "ipv6")) runs.push([NET.server6, NET.admin6], [NET.server6, NET.other6]);
        // One after another in one process: parallel probes on two cores measure the load, not the firewall.
        const reports = lab.probeMany(settings, runs, extra);
        return reports.map((report, i) => {
            assert.equal(report.seenAs, runs[i]![1], "the server saw the client's own address");
            const wrong = report.results.filter((r) => r.observed !== r.expected);
            assert.deepEqual(wrong.slice(0, 20), [], `${name} from ${runs[i]![1]}: ${wrong.length} ports differ`);
            return report;
        });
    } finally {
        listener.kill("SIGTERM");
    }
}

const reason = whyNot();
if (reason && process.env.CI === "true") {
    describe("real packets through netfilter", () => it("can run on CI", () => assert.fail(`CI must run these: ${reason}`)));
} else if (reason) {
    console.log(`  (skipping real-packet tests: ${reason})`);
} else {
    describe("real packets through netfilter: the nftables ruleset, listen and probe", function () {
        this.timeout(180_000);
        const lab = new Lab();
        before(() => lab.up());
        after(() => lab.down());

        // A few closed ports beyond the neighbours: random, and the admin ports from the other address.
        const extra = ["tcp/22", "tcp/8888", "udp/4000", "tcp/9999", "udp/33333"];

        for (const preset of PRESET_NAMES) {
            it(`${preset}: every port open to whom the spec says, every other probed port closed`, async () => {
                const reports = await checkConfig(lab, preset, { cloud: "aws", preset, adminCidrs: ADMIN }, extra);
                const v4admin = reports[0]!.results;
                assert.ok(v4admin.some((r) => r.expected === "open") && v4admin.some((r) => r.expected === "closed"));
                const ssh = (report: ProbeReport) => report.results.find((r) => r.rule === "ssh" && r.port === 22)!.observed;
                assert.equal(ssh(reports[0]!), "open", "ssh answers the admin address");
                assert.equal(ssh(reports[1]!), "closed", "and not the other one");
            });
        }

        it("livekit with TURN through the probe command: all 10,001 media ports, both families, from both addresses", async () => {
            const args = { cloud: "aws", preset: "livekit", presetOptions: { turn: true }, adminCidrs: ADMIN };
            lab.loadRuleset(renderNftables(planRules(validateConfig(args).spec!)));
            const settings = lab.settings("livekit-turn", args);
            const listener = await lab.listen(settings);
            try {
                for (const [host, source] of [
                    [NET.server4, NET.admin4],
                    [NET.server4, NET.other4],
                    [NET.server6, NET.admin6],
                    [NET.server6, NET.other6],
                ]) {
                    const { code, report, stderr } = await lab.probe(settings, host!, source!);
                    assert.equal(code, 0, stderr);
                    assert.equal(report.results.filter((r) => r.rule === "rtc-udp" && r.observed === "open").length, 10_001);
                    assert.equal(
                        report.results.find((r) => r.rule === "ssh")!.observed,
                        source === NET.admin4 || source === NET.admin6 ? "open" : "closed",
                    );
                }
            } finally {
                listener.kill("SIGTERM");
            }
        });

        it("property-generated configs", async () => {
            // This machine's open-files limit (20,000) bounds how many ports one listen can bind.
            const fits = (g: { spec: Parameters<typeof planRules>[0] }) => openedPorts(planRules(g.spec)).length <= 18_000;
            const samples = fc.sample(configs("aws"), { seed: SEED, numRuns: 12 }).filter(fits).slice(0, 3);
            assert.equal(samples.length, 3);
            for (const [i, g] of samples.entries()) await checkConfig(lab, `generated-${i}`, { ...g.args, adminCidrs: ADMIN }, extra);
        });

        it("probe reports exactly the ports blocked on purpose", async () => {
            const args = { cloud: "aws", preset: "livekit", adminCidrs: ADMIN };
            const plan = planRules(validateConfig(args).spec!);
            lab.loadRuleset(renderNftables(plan));
            sh(
                "ip",
                "netns",
                "exec",
                lab.srv,
                "nft",
                "insert",
                "rule",
                "inet",
                "webrtc_firewall",
                "input",
                "udp",
                "dport",
                "{ 50010, 59999 }",
                "drop",
            );
            const settings = lab.settings("blocked", args);
            const listener = await lab.listen(settings);
            try {
                const { code, report } = await lab.probe(settings, NET.server4, NET.other4);
                assert.equal(code, 1);
                const wrong = report.results.filter((r) => r.observed !== r.expected);
                assert.deepEqual(
                    wrong.map((r) => `${r.protocol}/${r.port} expected ${r.expected}, observed ${r.observed}`),
                    ["udp/50010 expected open, observed closed", "udp/59999 expected open, observed closed"],
                );
            } finally {
                listener.kill("SIGTERM");
            }
        });

        it("the ruleset loads twice to the same ruleset (idempotent)", () => {
            const ruleset = renderNftables(planRules(validateConfig({ cloud: "aws", preset: "jitsi", adminCidrs: ADMIN }).spec!));
            lab.loadRuleset(ruleset);
            const once = execFileSync("ip", ["netns", "exec", lab.srv, "nft", "list", "ruleset"], {
                maxBuffer: CHILD_OUTPUT_MAX,
                encoding: "utf8",
            });
            lab.loadRuleset(ruleset);
            assert.equal(
                execFileSync("ip", ["netns", "exec", lab.srv, "nft", "list", "ruleset"], { maxBuffer: CHILD_OUTPUT_MAX, encoding: "utf8" }),
                once,
            );
        });
    });
}
