/**
 * The real part: the policy pack in policy-pack/, installed as a user installs it (the packed package,
 * @pulumi/policy, TypeScript), started as the Pulumi CLI starts a policy pack and spoken to over the
 * Analyzer protocol (tests/launch/policyHost.ts), fed what real programs register through the real
 * launcher: our five stacks (no violation at all) and a program written by hand (every insecure part caught).
 */
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { NPM_FLAGS, packedTarball, pinned, ROOT } from "../../consumer";
import { launch, type LaunchResult } from "../../launch/languageHost";
import { FIREWALL_TYPES } from "../../../src/policy";
import { startPolicyPack, type Diagnostic, type PolicyRun } from "../../launch/policyHost";
import { CHILD_OUTPUT_MAX } from "../../childOutput";

const STACKS = ["aws", "gcp", "digitalocean", "azure", "hetzner", "oci", "linode", "openstack", "eks", "gke", "doks", "aks", "lke"];
const INSECURE = path.join(__dirname, "..", "..", "fixtures", "policy", "insecure");

/** The pack as a user sets it up: its three files, the package, and the pack's own dependencies. */
function installPack(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wrf-guards-"));
    for (const file of ["PulumiPolicy.yaml", "index.ts", "tsconfig.json"])
        fs.copyFileSync(path.join(ROOT, "policy-pack", file), path.join(dir, file));
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "policy-pack", "package.json"), "utf8"));
    const deps = [...Object.keys(manifest.dependencies), ...Object.keys(manifest.devDependencies)].filter((d) => d !== "webrtc-firewall");
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: manifest.name, version: manifest.version, private: true }));
    execFileSync("npm", ["install", packedTarball(), ...deps.map(pinned), ...NPM_FLAGS], {
        maxBuffer: CHILD_OUTPUT_MAX,
        cwd: dir,
        stdio: "pipe",
    });
    return dir;
}

const ADMIN_V4 = "203.0.113.0/24";

/** A deep copy with every string `from` replaced by `to`. */
function replaced<T>(value: T, from: string, to: string): T {
    return JSON.parse(JSON.stringify(value), (_key, v) => (v === from ? to : v));
}

const summary = (ds: Diagnostic[]) => ds.map((d) => `${d.level} ${d.policy} ${d.urn.split("::").pop()}: ${d.message.slice(0, 160)}`);

describe("policy pack: the analyzer as the Pulumi CLI runs it", function () {
    this.timeout(600_000);
    let packDir: string;
    const runs = new Map<string, LaunchResult>();
    const packs = new Map<boolean, PolicyRun>();

    before(async () => {
        packDir = installPack();
        const jobs: [string, Promise<LaunchResult>][] = [];
        for (const dryRun of [true, false]) {
            for (const stack of STACKS) jobs.push([`${stack} ${dryRun}`, launch({ projectDir: ROOT, stack, dryRun })]);
            jobs.push([
                `insecure ${dryRun}`,
                launch({
                    projectDir: INSECURE,
                    stack: "dev",
                    dryRun,
                    provider: (type) =>
                        type === "aws:ec2/vpc:Vpc" ? { outputs: { ipv6CidrBlock: "2600:1f18:4a2:7e00::/56" } } : undefined,
                }),
            ]);
        }
        for (const [key, job] of jobs) {
            const run = await job;
            assert.equal(run.code, 0, `${key}: ${run.stderr}`);
            runs.set(key, run);
        }
        // One pack process for previews and one for updates, configured as `pulumi preview`/`up` configure it.
        for (const dryRun of [true, false])
            packs.set(
                dryRun,
                await startPolicyPack({
                    packDir,
                    engineAddress: runs.get(`aws ${dryRun}`)!.engine.engineAddress,
                    project: "webrtc-firewall",
                    stack: "dev",
                    dryRun,
                }),
            );
    });

    after(async () => {
        for (const pack of packs.values()) await pack.stop();
        if (packDir) fs.rmSync(packDir, { recursive: true, force: true });
    });

    it("the pack announces its policies and their levels", () => {
        const info = packs.get(true)!.info;
        assert.equal(info.name, "webrtc-firewall-guards");
        assert.deepEqual(
            info.policies.map((p) => `${p.name}:${p.level}`),
            [
                "admin-ports-not-from-world:mandatory",
                "admin-ports-not-from-world-combined:mandatory",
                "dangerous-services-not-from-world:advisory",
                "dangerous-services-not-from-world-combined:advisory",
                "world-by-another-spelling:advisory",
                "media-egress-not-starved:advisory",
            ],
        );
    });

    for (const stack of STACKS) {
        for (const dryRun of [true, false]) {
            it(`${stack} ${dryRun ? "preview" : "update"}: what our component registers has no violation, not even advisory`, async () => {
                const run = runs.get(`${stack} ${dryRun}`)!;
                // On AKS the component registers no rule: the AgentPool (not in this stack) takes allowedHostPorts.
                assert.ok(
                    stack === "aks" || run.engine.registrations.some((r) => FIREWALL_TYPES.includes(r.type)),
                    `${stack} registered no firewall`,
                );
                const { resource, stack: stackLevel } = await packs.get(dryRun)!.analyze(run.engine.registrations, { dryRun });
                assert.deepEqual([...summary(resource), ...summary(stackLevel)], []);
                // The same resources with the office network (the stacks' adminCidrs) widened to the world: caught.
                // The Kubernetes stacks open no SSH to their nodes, so there is nothing to widen there.
                if (!JSON.stringify(run.engine.registrations).includes(ADMIN_V4)) return;
                const widened = run.engine.registrations.map((r) => ({ ...r, inputs: replaced(r.inputs, ADMIN_V4, "0.0.0.0/0") }));
                const caught = await packs.get(dryRun)!.analyze(widened, { dryRun });
                assert.ok(
                    caught.resource.some((d) => d.level === "mandatory" && /22\/tcp \(SSH\) is open to all of IPv4/.test(d.message)),
                    summary(caught.resource).join("\n"),
                );
            });
        }
    }

    it("a hand-written insecure program: every part is caught, with the level its policy has", async () => {
        const run = runs.get("insecure false")!;
        const { resource, stack } = await packs.get(false)!.analyze(run.engine.registrations, { dryRun: false });
        const got = [...resource, ...stack].map((d) => `${d.level} ${d.policy} ${d.urn.split("::").pop()}`).sort();
        assert.deepEqual(
            got,
            [
                "advisory dangerous-services-not-from-world redis",
                "advisory media-egress-not-starved media",
                "advisory media-egress-not-starved media",
                "advisory world-by-another-spelling rdp",
                "advisory world-by-another-spelling ssh-split",
                "mandatory admin-ports-not-from-world nsg",
                "mandatory admin-ports-not-from-world rdp",
                "mandatory admin-ports-not-from-world ssh-split",
                "mandatory admin-ports-not-from-world-combined media",
                "mandatory admin-ports-not-from-world-combined media-nsg",
            ],
            summary([...resource, ...stack]).join("\n"),
        );
        const message = (policy: string, name: string) =>
            [...resource, ...stack].find((d) => d.policy === policy && d.urn.endsWith(`::${name}`))!.message;
        assert.match(
            message("admin-ports-not-from-world", "ssh-split"),
            /22\/tcp \(SSH\) is open to all of IPv4 through the rule \(from 0\.0\.0\.0\/1, 128\.0\.0\.0\/1\)/,
        );
        assert.match(message("admin-ports-not-from-world", "nsg"), /securityRules\[0\] "ssh" \(from Internet\)/);
        assert.match(
            message("admin-ports-not-from-world", "rdp"),
            /3389\/tcp \(RDP\) is open to all of IPv4 through allows\[0\] \(from no sourceRanges/,
        );
        assert.match(
            message("admin-ports-not-from-world-combined", "media"),
            /"media": 3389\/tcp \(RDP\) is open to all of IPv4 through 2 rules together: "rdp-low" \(from 0\.0\.0\.0\/1\), "rdp-high" \(from 128\.0\.0\.0\/1\)/,
        );
    });

    it("in a preview, a source the cloud computes is not yet checkable (advisory), and the rest is judged", async () => {
        const run = runs.get("insecure true")!;
        const { resource, stack } = await packs.get(true)!.analyze(run.engine.registrations, { dryRun: true });
        const late = resource.filter((d) => d.urn.endsWith("::ssh-from-office"));
        assert.deepEqual(
            late.map((d) => `${d.level} ${d.policy}`),
            ["advisory admin-ports-not-from-world", "advisory dangerous-services-not-from-world"],
        );
        assert.match(late[0]!.message, /not yet checkable: cidrIpv6 is known only once the update computes it/);
        assert.ok(resource.some((d) => d.level === "mandatory" && d.urn.endsWith("::ssh-split")));
        assert.ok(
            stack.some((d) => d.level === "mandatory" && d.policy === "admin-ports-not-from-world-combined"),
            "the union is linked by dependency while the group id is unknown",
        );
    });

    it("config as --policy-pack-config gives it: levels, admin ports, exemptions; a bad value is refused by the schema", async () => {
        const run = runs.get("insecure false")!;
        const media = run.engine.registrations.find((r) => r.type === "aws:ec2/securityGroup:SecurityGroup")!.urn;
        const pack = await startPolicyPack({
            packDir,
            engineAddress: run.engine.engineAddress,
            project: "insecure-by-hand",
            stack: "dev",
            dryRun: false,
            config: {
                "dangerous-services-not-from-world": "mandatory",
                "media-egress-not-starved": "disabled",
                "admin-ports-not-from-world": { adminPorts: ["6379/tcp"] },
                "admin-ports-not-from-world-combined": { exemptUrns: [media] },
            },
        });
        try {
            const { resource, stack } = await pack.analyze(run.engine.registrations, { dryRun: false });
            const got = [...resource, ...stack].map((d) => `${d.level} ${d.policy} ${d.urn.split("::").pop()}`).sort();
            assert.deepEqual(
                got,
                [
                    "advisory world-by-another-spelling rdp",
                    "advisory world-by-another-spelling ssh-split",
                    "mandatory admin-ports-not-from-world redis",
                    "mandatory admin-ports-not-from-world-combined media-nsg",
                    "mandatory dangerous-services-not-from-world redis",
                ],
                summary([...resource, ...stack]).join("\n"),
            );
        } finally {
            await pack.stop();
        }
        await assert.rejects(
            startPolicyPack({
                packDir,
                engineAddress: run.engine.engineAddress,
                project: "p",
                stack: "dev",
                dryRun: false,
                config: { "admin-ports-not-from-world": { adminPorts: ["ssh"] } },
            }),
            /policy pack configuration is invalid: .*adminPorts\/0 must match pattern/,
        );
    });
});
