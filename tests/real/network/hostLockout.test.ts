/**
 * Host outputs that must not lock the owner out: a relay range that covers the ephemeral ports is not
 * reserved whole (checked in a network namespace with the kernel's own port allocator), a ruleset with
 * no SSH says so where it is printed and inside it, and the plan table prints no rule it does not have.
 */
import * as assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { run as runCli } from "../../../src/cli/main";
import { runPlan } from "../../../src/cli/plan";
import { renderHostFirewalls } from "../../../src/hosts";
import { SYSCTL_PATH } from "../../../src/hosts/cloudInit";
import { NO_SSH_WARNING } from "../../../src/hosts/notes";
import { ROOT } from "../../consumer";
import { inFolder, plan } from "../../helpers";
import { whyNot } from "../../netns/lab";
import { CHILD_OUTPUT_MAX } from "../../childOutput";

const cloudInitOf = (dir: string) =>
    inFolder(dir, () => plan({ cloud: "aws", preset: "coturn", adminCidrs: ["198.51.100.7/32"], serverConfigs: ["turnserver.conf"] }));

/** A project folder whose turnserver.conf relays on `min`..`max`. */
function coturnProject(min: number, max: number): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wrf-lockout-"));
    fs.writeFileSync(path.join(dir, "turnserver.conf"), `listening-port=3478\nmin-port=${min}\nmax-port=${max}\n`);
    return dir;
}

/** In a fresh network namespace, applies `sysctl` and opens one outgoing TCP connection on loopback. */
function connectsAfter(sysctl: string): string {
    const ns = `wrf-eph-${process.pid}`;
    execFileSync("ip", ["netns", "add", ns]);
    try {
        execFileSync("ip", ["-n", ns, "link", "set", "lo", "up"]);
        const [key, value] = sysctl.split("=").map((s) => s.trim());
        execFileSync("ip", ["netns", "exec", ns, "sysctl", "-q", "-w", `${key}=${value}`]);
        const script =
            "const net=require('net');const s=net.createServer().listen(4000,'127.0.0.1',()=>{const c=net.connect(4000,'127.0.0.1');c.on('connect',()=>{console.log('connected');process.exit(0)});c.on('error',e=>{console.log(e.code);process.exit(0)})})";
        return execFileSync("ip", ["netns", "exec", ns, process.execPath, "-e", script], {
            maxBuffer: CHILD_OUTPUT_MAX,
            encoding: "utf8",
        }).trim();
    } finally {
        spawnSync("ip", ["netns", "del", ns]);
    }
}

describe("host outputs that do not lock the owner out", function () {
    this.timeout(60_000);

    it("coturn's min-port=20000 max-port=65535: the ephemeral range is not reserved, the warning says what to change, and the kernel still connects", async () => {
        const wide = await cloudInitOf(coturnProject(20000, 65535));
        const doc = parse(renderHostFirewalls(wide.firewall.plan).cloudInit) as { write_files: { path: string; content: string }[] };
        const sysctl = doc.write_files
            .find((f) => f.path === SYSCTL_PATH)!
            .content.split("\n")
            .find((l) => l.startsWith("net."))!;
        assert.equal(sysctl, "net.ipv4.ip_local_reserved_ports = 20000-32767,61000-65535");
        const warning = wide.firewall.warnings.find((w) => /ephemeral/.test(w));
        assert.match(
            warning ?? "",
            /the TURN relay range 20000-65535 covers Linux's ephemeral ports 32768-60999 .* Narrow the relay range \(coturn min-port\/max-port, e\.g\. 49152-65535, its default\), or move the ephemeral range off it/,
        );
        // coturn's own default still reserves all of its range: 16,384 ephemeral ports stay free.
        const usual = await cloudInitOf(coturnProject(49152, 65535));
        assert.equal(
            usual.firewall.warnings.some((w) => /ephemeral/.test(w)),
            false,
        );
        const reason = whyNot();
        if (reason && process.env.CI !== "true") return console.log(`      (kernel check skipped: ${reason})`);
        assert.equal(connectsAfter(sysctl), "connected");
        assert.equal(
            connectsAfter("net.ipv4.ip_local_reserved_ports = 20000-65535"),
            "EADDRNOTAVAIL",
            "what reserving the whole relay range did",
        );
    });

    it("no adminCidrs: nftables, ufw and cloud-init say in the file and on stderr that no SSH stays open, and how to keep it", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wrf-nossh-"));
        const bare = path.join(dir, "Pulumi.bare.yaml");
        fs.writeFileSync(bare, "config:\n  webrtc-firewall:cloud: aws\n  webrtc-firewall:preset: livekit\n");
        const admin = path.join(dir, "Pulumi.admin.yaml");
        fs.writeFileSync(
            admin,
            "config:\n  webrtc-firewall:cloud: aws\n  webrtc-firewall:preset: livekit\n  webrtc-firewall:adminCidrs: [198.51.100.7/32]\n",
        );
        const stderr = process.stderr.write;
        for (const format of ["nftables", "ufw", "cloud-init"] as const) {
            let errors = "";
            process.stderr.write = ((chunk: string) => ((errors += chunk), true)) as typeof process.stderr.write;
            try {
                const { stdout } = await runPlan({ config: bare, format });
                assert.ok(stdout.includes(`# ${NO_SSH_WARNING}`), `${format} says it inside`);
                assert.match(errors, /opens no SSH \(tcp\/22\).*set adminCidrs: \[YOUR\.ADDRESS\/32\]/);
                errors = "";
                const kept = await runPlan({ config: admin, format });
                assert.ok(!kept.stdout.includes("opens no SSH") && errors === "", `${format} with adminCidrs says nothing`);
            } finally {
                process.stderr.write = stderr;
            }
        }
    });

    it("the plan table lists inline rules only of the resources that hold them: never the component's own rules as `undefined`", async () => {
        for (const stack of fs
            .readdirSync(path.join(ROOT, "stacks"))
            .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
            .filter(Boolean)) {
            const { stdout, code } = await runCli(["plan", "--config", path.join(ROOT, "stacks", `Pulumi.${stack}.yaml`)]);
            assert.equal(code, 0);
            assert.doesNotMatch(stdout, /undefined/, stack!);
        }
    });
});
