import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { run } from "../../src/cli/main";
import { runPlan } from "../../src/cli/plan";
import { ConfigError } from "../../src/contract/problems";
import { readStackConfig } from "../../src/stack/settings";

describe("stack config → component args", () => {
    it("decodes Pulumi's string values, drops Pulumi.yaml's empty defaults, keeps unknown keys for validation", () => {
        const args = readStackConfig({
            "webrtc-firewall:cloud": "aws",
            "webrtc-firewall:preset": "",
            "webrtc-firewall:presetOptions": "",
            "webrtc-firewall:ipv6": "false",
            "webrtc-firewall:ports": '[{"name":"a","protocol":"udp","ports":"1-2"}]',
            "webrtc-firewall:aws": "{}",
            "webrtc-firewall:ipv4": "443",
            "webrtc-firewall:adminCIDRs": '["1.2.3.4"]',
            "aws:region": "us-east-1",
        });
        // "" is the project default for "not set"; {} is a value (validation decides whether it fits).
        assert.deepEqual(
            { ...args },
            {
                cloud: "aws",
                ipv6: false,
                ports: [{ name: "a", protocol: "udp", ports: "1-2" }],
                aws: {},
                ipv4: 443,
                adminCIDRs: ["1.2.3.4"],
            },
        );
    });
});

describe("the command line: --version, --output, and a problem's line in the stack file", () => {
    const silenced = async <T>(f: () => Promise<T>): Promise<T> => {
        const write = process.stderr.write.bind(process.stderr);
        process.stderr.write = () => true;
        try {
            return await f();
        } finally {
            process.stderr.write = write;
        }
    };

    it("--version prints the package's version", async () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")) as { version: string };
        assert.deepEqual(await run(["--version"]), { code: 0, stdout: `${pkg.version}\n` });
    });

    it("--output writes exactly what stdout would get, and nothing to stdout; a refused plan leaves the file as it was", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wrf-output-"));
        const file = path.join(dir, "ruleset.nft");
        const printed = await run(["plan", "--stack", "aws", "--format", "nftables"]);
        const written = await silenced(() => run(["plan", "--stack", "aws", "--format", "nftables", "--output", file]));
        assert.deepEqual(written, { code: 0, stdout: "" });
        assert.equal(fs.readFileSync(file, "utf8"), printed.stdout);
        const bad = path.join(dir, "Pulumi.bad.yaml");
        fs.writeFileSync(bad, "config:\n  webrtc-firewall:cloud: aws\n  webrtc-firewall:adminCidrs: [0.0.0.0/0]\n");
        const refused = await silenced(() => run(["plan", "--config", bad, "--format", "nftables", "--output", file]));
        assert.equal(refused.code, 1);
        assert.equal(fs.readFileSync(file, "utf8"), printed.stdout, "the old file, whole");
        assert.deepEqual(fs.readdirSync(dir).sort(), ["Pulumi.bad.yaml", "ruleset.nft"], "no temporary file left behind");
    });

    it("a setting the component refuses is named at its line in the stack file", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wrf-lines-"));
        const file = path.join(dir, "Pulumi.media.yaml");
        fs.writeFileSync(
            file,
            [
                "config:",
                "  webrtc-firewall:cloud: aws",
                "  webrtc-firewall:preset: livekit",
                "  webrtc-firewall:ports:",
                "    - name: api",
                "      protocol: tcp",
                "      ports: 99999",
                "  webrtc-firewall:aws:",
                "    vpcId: vpc-xyz",
                "",
            ].join("\n"),
        );
        await assert.rejects(runPlan({ config: file }, dir), (err: unknown) => {
            assert.ok(ConfigError.isInstance(err));
            assert.deepEqual(
                err.problems.map((p) => p.path),
                ["Pulumi.media.yaml:9: aws.vpcId", "Pulumi.media.yaml:7: ports[0].ports"],
            );
            return true;
        });
    });
});

describe("plan --diff: the update from other settings, step by step (docs/updates.md)", () => {
    /** The page's named settings files, written into a folder of their own. */
    function pageFiles(): string {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wrf-diff-"));
        const page = fs.readFileSync(path.join(__dirname, "../../docs/updates.md"), "utf8");
        for (const m of page.matchAll(/<!-- file: (\S+) -->\n```yaml\n([\s\S]*?)```/g)) fs.writeFileSync(path.join(dir, m[1]!), m[2]!);
        return dir;
    }

    it("an office address that changes: creates first, deletes at the end, no gap", async () => {
        const dir = pageFiles();
        const { stdout, code } = await runPlan({ config: "office-new.yaml", diff: "office-old.yaml" }, dir);
        assert.equal(code, 0);
        const lines = stdout.split("\n");
        assert.deepEqual(lines.slice(0, 3), [
            "update from office-old.yaml to office-new.yaml (aws): 2 steps",
            "  1. create  webrtc-firewall-tcp-22-198.51.100.0/24  (new)",
            "  2. delete  webrtc-firewall-tcp-22-203.0.113.0/24  (gone from the program; once the rest is done)",
        ]);
        assert.match(
            lines[3]!,
            /^judged \d+ states \(every order the engine may run the steps in\): no gap, nothing opened that neither side opens, nothing the cloud refuses\.$/,
        );
    });

    it("a full group of yours: the refusal, and the two steps that close nothing both open", async () => {
        const dir = pageFiles();
        const { stdout, code } = await runPlan({ config: "full-new.yaml", diff: "full-old.yaml" }, dir);
        assert.equal(code, 1);
        assert.match(
            stdout,
            /REFUSED: the cloud refuses a step: 60 IPv4 inbound rules per security group \(RulesPerSecurityGroupLimitExceeded\): 61 at once in sg-0123456789abcdef0/,
        );
        assert.match(
            stdout,
            /It goes through in two steps, which close nothing both sides open:\n {2}1\. pulumi destroy --stack full-new --target 'urn:pulumi:full-new::<project>::webrtc-firewall:index:WebRtcFirewall\$aws:vpc\/securityGroupIngressRule:SecurityGroupIngressRule::\S+-udp-30000-0\.0\.0\.0\/0'\n {2}2\. pulumi up --stack full-new\n$/,
        );
    });

    it("--diff with another format or --check is a usage error; settings of two clouds are not compared step by step", async () => {
        const dir = pageFiles();
        await assert.rejects(
            runPlan({ config: "full-new.yaml", diff: "full-old.yaml", format: "json" }, dir),
            /--diff prints its own table/,
        );
        const { stdout, code } = await runPlan({ config: "office-new.yaml", diff: "office-old.yaml", cloud: "gcp" }, dir);
        assert.equal(code, 0, "--cloud applies to both sides");
        assert.match(stdout, /\(gcp\)/);
        fs.writeFileSync(path.join(dir, "do.yaml"), "config:\n  webrtc-firewall:cloud: digitalocean\n  webrtc-firewall:preset: livekit\n");
        const across = await runPlan({ config: "do.yaml", diff: "office-old.yaml" }, dir);
        assert.deepEqual([across.code, across.stdout.split(":")[0]], [1, "office-old.yaml deploys to aws and do.yaml to digitalocean"]);
    });
});
