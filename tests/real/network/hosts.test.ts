/**
 * Host firewalls and golden files: what each platform would get, per preset, under tests/regression/<platform>/
 * (WRF_UPDATE_GOLDEN=1 rewrites them, so a change to what deploys shows as a diff). The nftables rulesets
 * pass `nft -c` and the ufw commands pass `ufw --dry-run`: the real tools' own parsers.
 */
import * as assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { runPlan } from "../../../src/cli/plan";
import { PRESET_NAMES } from "../../../src/contract/types";
import { validateConfig } from "../../../src/pipeline/validate";
import { renderHostFirewalls } from "../../../src/hosts";
import { planRules } from "../../../src/plan/plan";
import { plan, presetArgs, itRealPart } from "../../helpers";
import { hasTool } from "../../netns/lab";
import { CHILD_OUTPUT_MAX } from "../../childOutput";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const onCi = process.env.CI === "true";
describe("host firewalls against the real tools", function () {
    this.timeout(120_000);
    const why = (tool: string) => `${tool} is not installed (apt-get install ${tool === "nft" ? "nftables" : tool})`;

    itRealPart("every preset's image-openings script is valid sh (`sh -n`)", () => {
        for (const preset of PRESET_NAMES) {
            const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "wrf-sh-")), "openings.sh");
            fs.writeFileSync(file, renderHostFirewalls(planRules(validateConfig(presetArgs(preset)).spec!)).iptables);
            execFileSync("sh", ["-n", file]);
        }
    });

    itRealPart("every preset's nftables ruleset passes `nft -c -f`", function () {
        if (!hasTool("nft")) return onCi ? assert.fail(why("nft")) : this.skip();
        for (const preset of PRESET_NAMES) {
            const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "wrf-nft-")), `${preset}.nft`);
            fs.writeFileSync(file, renderHostFirewalls(planRules(validateConfig(presetArgs(preset)).spec!)).nftables);
            const check = spawnSync("nft", ["-c", "-f", file], { maxBuffer: CHILD_OUTPUT_MAX, encoding: "utf8" });
            assert.equal(check.status, 0, `${preset}: ${check.stderr}`);
        }
    });

    itRealPart("every ufw command passes `ufw --dry-run` and adds the rule it says", function () {
        if (!hasTool("ufw")) return onCi ? assert.fail(why("ufw")) : this.skip();
        const args = {
            cloud: "aws",
            preset: "livekit",
            presetOptions: { turn: true },
            adminCidrs: ["203.0.113.0/24", "2001:db8:1234::/48"],
        };
        const ufw = renderHostFirewalls(planRules(validateConfig(args).spec!)).ufw;
        const allows = ufw.split("\n").filter((l) => l.startsWith("ufw allow"));
        assert.ok(allows.includes("ufw allow 50000:60000/udp comment 'rtc-udp'"), ufw);
        for (const line of allows) {
            const args = (line.match(/'[^']*'|\S+/g) ?? []).slice(1).map((a) => a.replace(/^'|'$/g, ""));
            const run = spawnSync("ufw", ["--dry-run", ...args], { maxBuffer: CHILD_OUTPUT_MAX, encoding: "utf8" });
            assert.equal(run.status, 0, `${line}: ${run.stdout}${run.stderr}`);
            const port = /port (\S+)|^ufw allow (\d+(?::\d+)?)\//.exec(line)!;
            // A range becomes `-m multiport --dports A:B`, one port `--dport P`, in the v4 (and v6) user chain.
            assert.match(
                run.stdout,
                new RegExp(`-A ufw6?-user-input -p (tcp|udp)( -m multiport)? --dports? ${(port[1] ?? port[2])!}( |$)`, "m"),
                line,
            );
        }
    });

    it("cloud-init installs exactly the ruleset and loads it at boot", () => {
        const hosts = renderHostFirewalls(planRules(validateConfig(presetArgs("livekit")).spec!));
        assert.ok(hosts.cloudInit.startsWith("#cloud-config\n"));
        const doc = parseYaml(hosts.cloudInit) as {
            packages: string[];
            write_files: { path: string; content: string }[];
            runcmd: string[][];
        };
        assert.deepEqual(doc.packages, ["nftables"]);
        assert.equal(doc.write_files.find((f) => f.path === "/etc/webrtc-firewall.nft")!.content, hosts.nftables);
        assert.match(
            doc.write_files.find((f) => f.path.endsWith("webrtc-firewall.service"))!.content,
            /ExecStart=\/usr\/sbin\/nft -f \/etc\/webrtc-firewall\.nft/,
        );
        // The ruleset first, then the image's own firewall opened for the same ports (Oracle Cloud's images reject them there).
        assert.deepEqual(doc.runcmd.slice(-2), [
            ["systemctl", "enable", "--now", "webrtc-firewall.service"],
            ["/usr/local/sbin/webrtc-firewall-image-openings"],
        ]);
        const openings = doc.write_files.find((f) => f.path === "/usr/local/sbin/webrtc-firewall-image-openings") as unknown as {
            content: string;
            permissions: string;
        };
        assert.deepEqual([openings.content, openings.permissions], [hosts.iptables, "0755"]);
    });

    it("the component exposes the rulesets as outputs, and plan --format prints them", async () => {
        const { firewall } = await plan(presetArgs("jitsi"));
        const expected = renderHostFirewalls(firewall.plan);
        const value = (o: { apply: (f: (v: string) => void) => unknown }) => new Promise<string>((resolve) => o.apply(resolve));
        assert.equal(await value(firewall.nftablesRuleset), expected.nftables);
        assert.equal(await value(firewall.ufwCommands), expected.ufw);
        assert.equal(await value(firewall.cloudInit), expected.cloudInit);
        assert.equal(await value(firewall.iptablesScript), expected.iptables);
        assert.match(
            (await runPlan({ stack: "oci", format: "iptables" }, ROOT)).stdout,
            /^#!\/bin\/sh\n[^]*iptables -w -A WEBRTC-FIREWALL -p udp --dport 50000:60000 -j ACCEPT\n[^]*iptables -w -C INPUT -j WEBRTC-FIREWALL 2>\/dev\/null \|\| iptables -w -I INPUT 1 -j WEBRTC-FIREWALL/,
        );
        const fromCli = (await runPlan({ stack: "aws", format: "nftables" }, ROOT)).stdout;
        assert.match(fromCli, /^#!\/usr\/sbin\/nft -f\n/);
        assert.match(fromCli, /meta nfproto ipv4 udp dport \{ 3478, 50000-60000 \} accept/);
        assert.match((await runPlan({ stack: "aws", format: "ufw" }, ROOT)).stdout, /ufw allow 50000:60000\/udp/);
    });

    it("an invalid config renders nothing", async () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "wrf-bad-")), "Pulumi.bad.yaml");
        fs.writeFileSync(file, "config:\n  webrtc-firewall:cloud: aws\n  webrtc-firewall:ports: [{name: s, protocol: tcp, ports: 22}]\n");
        await assert.rejects(runPlan({ config: file, format: "nftables" }, ROOT), /opens 22\/tcp \(SSH\)/);
    });
});
