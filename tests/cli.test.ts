import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runPlan } from "../src/cli/plan";
import { readStackConfig } from "../src/stackConfig";

const ROOT = path.resolve(__dirname, "..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");

function planProcess(args: string[]) {
    const started = Date.now();
    const result = spawnSync(TSX, ["src/cli/plan.ts", ...args], { cwd: ROOT, encoding: "utf8" });
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
        const file = tempStack("config:\n  webrtc-firewall:cloud: aws\n  webrtc-firewall:preset: livekit\n  webrtc-firewall:adminCIDRs: [1.2.3.4]\n  webrtc-firewall:ipv6: maybe\n");
        const run = planProcess(["--config", file]);
        assert.equal(run.status, 1);
        assert.equal(run.stdout, "");
        assert.match(run.stderr, /the config has 2 problems/);
        assert.match(run.stderr, /adminCIDRs: unknown key "adminCIDRs"; did you mean "adminCidrs"\?/);
        assert.match(run.stderr, /ipv6: "maybe" is a string; expected true or false/);
        assert.doesNotMatch(run.stderr, /\n\s+at /, "no stack trace for a user mistake");
    });

    it("the table shows resources, rules, quota and warnings", async () => {
        const { stdout } = await runPlan({ stack: "aws" });
        assert.match(stdout, /^webrtc-firewall plan: cloud aws, settings .*stacks\/Pulumi\.aws\.yaml/);
        assert.match(stdout, /aws:vpc\/securityGroupIngressRule:SecurityGroupIngressRule\s+webrtc-firewall-udp-50000-60000-0\.0\.0\.0\/0\s+in  udp 50000-60000 from 0\.0\.0\.0\/0/);
        assert.match(stdout, /turn-udp\s+udp\s+3478\s+0\.0\.0\.0\/0, ::\/0/);
        assert.match(stdout, /IPv4 inbound rules \(60 per group, 1 group\)\s+5 \/ 60/);
        assert.match(stdout, /Warnings: none/);
    });

    it("--cloud overrides the config's cloud and --config takes any settings file", async () => {
        const file = tempStack("config:\n  webrtc-firewall:cloud: azure\n  webrtc-firewall:preset: coturn\n  webrtc-firewall:ipv6: false\n");
        const { stdout } = await runPlan({ config: file, cloud: "aws", json: true });
        const doc = JSON.parse(stdout);
        assert.equal(doc.cloud, "aws");
        assert.equal(doc.resources.filter((r: { type: string }) => r.type.startsWith("aws:vpc/securityGroupIngressRule")).length, 4);
    });

    it("an unknown stack names the stacks there are", async () => {
        await assert.rejects(runPlan({ stack: "ovh" }), /no stack "ovh".*stacks: .*aws/);
    });
});

describe("stack config → component args", () => {
    it("decodes Pulumi's string values, drops Pulumi.yaml's empty defaults, keeps unknown keys for validation", () => {
        const args = readStackConfig({
            "webrtc-firewall:cloud": "aws",
            "webrtc-firewall:preset": "",
            "webrtc-firewall:presetOptions": "",
            "webrtc-firewall:ipv6": "false",
            "webrtc-firewall:ports": '[{"name":"a","protocol":"udp","ports":"1-2"}]',
            "webrtc-firewall:aws": "{}",
            "webrtc-firewall:adminCIDRs": '["1.2.3.4"]',
            "aws:region": "us-east-1",
        });
        // "" is the project default for "not set"; {} is a value (validation decides whether it fits).
        assert.deepEqual({ ...args }, { cloud: "aws", ipv6: false, ports: [{ name: "a", protocol: "udp", ports: "1-2" }], aws: {}, adminCIDRs: ["1.2.3.4"] });
    });
});
