import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { run as runCli } from "../../../src/cli/main";
import { runPlan } from "../../../src/cli/plan";
import { CHILD_OUTPUT_MAX } from "../../childOutput";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");

function planProcess(args: string[], cwd = ROOT) {
    const started = Date.now();
    const env = { ...process.env, INIT_CWD: "", npm_lifecycle_event: "" };
    const result = spawnSync(TSX, [path.join(ROOT, "src/cli/main.ts"), "plan", ...args], {
        maxBuffer: CHILD_OUTPUT_MAX,
        cwd,
        encoding: "utf8",
        env,
    });
    return { ...result, seconds: (Date.now() - started) / 1000 };
}

function tempStack(yaml: string): string {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "wrf-")), "Pulumi.test.yaml");
    fs.writeFileSync(file, yaml);
    return file;
}
describe("npm run plan", () => {
    it("--stack aws --json prints exactly {cloud, resources, warnings}, in a few seconds", () => {
        const run = planProcess(["--stack", "aws", "--json"]);
        assert.equal(run.status, 0, run.stderr);
        const doc = JSON.parse(run.stdout);
        assert.deepEqual(Object.keys(doc), ["cloud", "resources", "warnings"]);
        assert.equal(doc.cloud, "aws");
        assert.deepEqual(doc.warnings, []);
        for (const r of doc.resources) assert.deepEqual(Object.keys(r), ["type", "name", "inputs"]);
        assert.equal(doc.resources[0].type, "webrtc-firewall:index:WebRtcFirewall");
        const types = doc.resources.map((r: { type: string }) => r.type);
        assert.equal(types.filter((t: string) => t === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").length, 10);
        assert.ok(run.seconds < 10, `took ${run.seconds}s`);
    });

    it("invalid config: exit 1, the problems on stderr, nothing on stdout", () => {
        const file = tempStack(
            "config:\n  webrtc-firewall:cloud: aws\n  webrtc-firewall:preset: livekit\n  webrtc-firewall:adminCIDRs: [1.2.3.4]\n  webrtc-firewall:ipv6: maybe\n",
        );
        const run = planProcess(["--config", file]);
        assert.equal(run.status, 1);
        assert.equal(run.stdout, "");
        assert.match(run.stderr, /the config has 2 problems/);
        assert.match(run.stderr, /adminCIDRs: unknown key "adminCIDRs"; did you mean "adminCidrs"\?/);
        assert.match(run.stderr, /ipv6: "maybe" is a string; expected true or false/);
        assert.doesNotMatch(run.stderr, /\n\s+at /, "no stack trace for a user mistake");
    });

    it("the table shows resources, rules, quota and warnings", async () => {
        const { stdout } = await runPlan({ stack: "aws" }, ROOT);
        assert.match(stdout, /^webrtc-firewall plan: cloud aws, settings .*stacks\/Pulumi\.aws\.yaml/);
        assert.match(
            stdout,
            /aws:vpc\/securityGroupIngressRule:SecurityGroupIngressRule\s+webrtc-firewall-udp-50000-60000-0\.0\.0\.0\/0\s+in  udp 50000-60000 from 0\.0\.0\.0\/0/,
        );
        assert.match(stdout, /turn-udp\s+udp\s+3478\s+0\.0\.0\.0\/0, ::\/0/);
        assert.match(stdout, /IPv4 inbound rules \(55 per group, 5 of 60 kept free for updates, 1 group\)\s+5 \/ 55/);
        assert.match(stdout, /Warnings: none/);
    });

    it("--cloud overrides the config's cloud and --config takes any settings file", async () => {
        const file = tempStack(
            "config:\n  webrtc-firewall:cloud: azure\n  webrtc-firewall:preset: coturn\n  webrtc-firewall:ipv6: false\n",
        );
        const { stdout } = await runPlan({ config: file, cloud: "aws", json: true }, ROOT);
        const doc = JSON.parse(stdout);
        assert.equal(doc.cloud, "aws");
        assert.equal(doc.resources.filter((r: { type: string }) => r.type.startsWith("aws:vpc/securityGroupIngressRule")).length, 4);
    });

    it("an unknown stack names the stacks there are", async () => {
        await assert.rejects(runPlan({ stack: "ovh" }, ROOT), /no stack "ovh".*stacks: .*aws/);
    });

    it("exit codes: 2 for every usage error, 1 for an invalid config, 0 for a plan", async () => {
        const stderr = process.stderr.write;
        process.stderr.write = () => true; // the messages themselves are asserted elsewhere
        try {
            for (const args of [
                ["--cloud", "ovh", "--stack", "aws"],
                ["--bogus"],
                ["--stack", "aws", "--config", "x.yaml"],
                ["--stack", "aws", "stray"],
                ["--stack", "nope"],
                [],
            ]) {
                const result = await runCli(["plan", ...args]);
                assert.equal(result.code, 2, args.join(" "));
                assert.equal(result.stdout, "");
            }
            assert.equal((await runCli(["bogus"])).code, 2);
            assert.equal((await runCli(["plan", "--config", tempStack("config:\n  webrtc-firewall:cloud: aws\n")])).code, 1);
            assert.equal((await runCli(["plan", "--stack", "aws"])).code, 0);
        } finally {
            process.stderr.write = stderr;
        }
        assert.equal(planProcess(["--stack", "aws", "stray"]).status, 2, "and so does the process");
    });

    it("--config resolves from where the command runs, and so does npm run plan (INIT_CWD)", () => {
        const run = planProcess(["--config", "Pulumi.gcp.yaml", "--json"], path.join(ROOT, "stacks"));
        assert.equal(run.status, 0, run.stderr);
        assert.equal(JSON.parse(run.stdout).cloud, "gcp");
        const viaNpm = spawnSync("npm", ["run", "--silent", "plan", "--", "--config", "Pulumi.azure.yaml", "--json"], {
            maxBuffer: CHILD_OUTPUT_MAX,
            cwd: path.join(ROOT, "stacks"),
            encoding: "utf8",
        });
        assert.equal(viaNpm.status, 0, viaNpm.stderr);
        assert.equal(JSON.parse(viaNpm.stdout).cloud, "azure");
    });

    it("output to a pipe arrives whole, far past 64 KiB", () => {
        const admins = Array.from({ length: 1500 }, (_, i) => `    - 10.${Math.floor(i / 250)}.${i % 250}.0/24`).join("\n");
        const file = tempStack(
            `config:\n  webrtc-firewall:cloud: azure\n  webrtc-firewall:preset: livekit\n  webrtc-firewall:azure: {resourceGroupName: rg}\n  webrtc-firewall:adminCidrs:\n${admins}\n`,
        );
        const run = spawnSync("sh", ["-c", `"${TSX}" "${path.join(ROOT, "src/cli/main.ts")}" plan --config "${file}" --json | cat`], {
            cwd: ROOT,
            encoding: "utf8",
            maxBuffer: 1 << 26,
        });
        assert.ok(run.stdout.length > 65536, `${run.stdout.length} bytes`);
        assert.equal(JSON.parse(run.stdout).cloud, "azure");
    });

    it("--help names the stacks found and shows examples", () => {
        const run = spawnSync(TSX, [path.join(ROOT, "src/cli/main.ts"), "plan", "--help"], {
            maxBuffer: CHILD_OUTPUT_MAX,
            cwd: ROOT,
            encoding: "utf8",
        });
        assert.equal(run.status, 0);
        // Every stack settings file of the project, by name.
        const stacks = fs
            .readdirSync(path.join(ROOT, "stacks"))
            .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
            .filter((s): s is string => s !== undefined)
            .sort();
        assert.ok(stacks.includes("aws") && stacks.includes("aks"));
        assert.ok(run.stdout.includes(`Stacks here: ${stacks.join(", ")}\n`), run.stdout);
        assert.match(run.stdout, /webrtc-firewall plan --stack aws/);
    });

    it("the table says what to do next on the chosen cloud", async () => {
        const next = async (stack: string) => (await runPlan({ stack }, ROOT)).stdout.split("Next:")[1]!;
        assert.match(await next("aws"), /pulumi up --stack aws[\s\S]*securityGroupIds/);
        assert.match(await next("gcp"), /network tags webrtc/);
        assert.match(await next("azure"), /associate the stack output networkSecurityGroupId with the media server's NIC or subnet/);
        assert.match(await next("digitalocean"), /tag the media server's Droplets/);
    });

    it("the file's mistakes are named: no config map, keys without the namespace, a number where a list belongs", async () => {
        const problems = async (yaml: string) =>
            runPlan({ config: tempStack(yaml) }, ROOT).then(
                () => "",
                (e: Error) => e.message,
            );
        assert.match(await problems("webrtc-firewall:cloud: aws\n"), /has no top-level `config:` map/);
        assert.match(
            await problems("config:\n  cloud: aws\n"),
            /cloud: is not a Pulumi config key; keys are `namespace:name`, e\.g\. `webrtc-firewall:cloud`/,
        );
        assert.match(
            await problems("config:\n  webrtc-firewall:cloud: aws\n  webrtc-firewall:ports: 443\n"),
            /ports: 443 is a number; expected a list/,
        );
    });
});
