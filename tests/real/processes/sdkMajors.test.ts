/**
 * Every SDK major the peer ranges name, proven rather than guessed:
 * - the oldest and newest release of each major: the SDK slices our mappings declare, and every args
 *   field we send (tests/sdkShapes.ts), compile against that release's own declaration files
 *   (extracted from the registry's tarball, mapped in by `paths`);
 * - the newest of each major: the packed package installs into a fresh program pinned to it with plain
 *   `npm install` (no --legacy-peer-deps, no --force), the program registers, under Pulumi's mocks and
 *   that major's own resource classes, exactly the resources and inputs this repository's major does for
 *   every preset, and a TypeScript consumer type-checks against that major's types.
 */
import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runWithMocks } from "../../../src/cli/mockRun";
import { WebRtcFirewall } from "../../../src/component/component";
import { PRESET_NAMES } from "../../../src/contract/types";
import { NPM_FLAGS, packedTarball, pinned, ROOT, scratchDir } from "../../consumer";
import { CHILD_OUTPUT_MAX } from "../../childOutput";
import { settingsOf } from "../../cloudSettings";

/** The majors the peer ranges name beside the one this repository develops against, and the releases checked. */
export const MAJORS = [
    { sdk: "@pulumi/aws", cloud: "aws", major: 6, releases: ["6.0.0", "6.83.4"] },
    { sdk: "@pulumi/gcp", cloud: "gcp", major: 7, releases: ["7.0.0", "7.38.0"] },
    { sdk: "@pulumi/gcp", cloud: "gcp", major: 8, releases: ["8.0.0", "8.41.1"] },
    { sdk: "@pulumi/azure-native", cloud: "azure", major: 2, releases: ["2.21.1", "2.92.3"] },
] as const;

const execFileAsync = promisify(execFile);
const configs = (cloud: string) =>
    PRESET_NAMES.map((preset) => ({ cloud, preset, adminCidrs: ["203.0.113.0/24", "2001:db8:1::/48"], ...settingsOf(cloud) }));

/** A release's files, from the registry's tarball (npm pack), unpacked once per run. */
async function unpacked(sdk: string, version: string): Promise<string> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `wrf-${sdk.split("/")[1]}-${version}-`));
    const packed = await run("npm", ["pack", `${sdk}@${version}`, "--silent", ...NPM_FLAGS], dir);
    assert.equal(packed.status, 0, packed.stderr);
    const tgz = packed.stdout.trim().split("\n").pop()!;
    const untar = await run("tar", ["xzf", path.join(dir, tgz), "-C", dir], dir);
    assert.equal(untar.status, 0, untar.stderr);
    return path.join(dir, "package");
}

/** What `program` registers (type, name, inputs) for each config, run in `cwd` with its node_modules. */
const PROGRAM = `
const pulumi = require("@pulumi/pulumi");
const { WebRtcFirewall } = require("webrtc-firewall");
const configs = JSON.parse(process.argv[2]);
const out = [];
(async () => {
    for (const args of configs) {
        const recorded = [];
        pulumi.runtime.setMocks({ newResource: (a) => { recorded.push({ type: a.type, name: a.name, inputs: a.inputs }); return { id: a.name + "-id", state: a.inputs }; }, call: () => ({}) }, "consumer", "dev", false);
        new WebRtcFirewall("media", args);
        await new Promise((r) => setTimeout(r, 200));
        out.push(recorded.filter((r) => !r.type.startsWith("webrtc-firewall:")).sort((a, b) => (a.name < b.name ? -1 : 1)));
    }
    console.log(JSON.stringify(out));
})();
`;

async function ours(cloud: string): Promise<unknown[]> {
    const out = [];
    for (const args of configs(cloud)) {
        const run = await runWithMocks({}, () => new WebRtcFirewall("media", args as never));
        out.push(
            run.resources
                .filter((r) => !r.type.startsWith("webrtc-firewall:"))
                .map((r) => ({ type: r.type, name: r.name, inputs: r.inputs }))
                .sort((a, b) => (a.name < b.name ? -1 : 1)),
        );
    }
    return JSON.parse(JSON.stringify(out));
}

interface Ran {
    status: number | null;
    stdout: string;
    stderr: string;
}

/** A child run without blocking the event loop, so the compiles below go on while npm installs. */
async function run(file: string, args: string[], cwd: string): Promise<Ran> {
    try {
        const { stdout, stderr } = await execFileAsync(file, args, { maxBuffer: CHILD_OUTPUT_MAX, cwd, encoding: "utf8" });
        return { status: 0, stdout, stderr };
    } catch (err) {
        const failed = err as { code?: number; stdout?: string; stderr?: string };
        return {
            status: typeof failed.code === "number" ? failed.code : null,
            stdout: failed.stdout ?? "",
            stderr: failed.stderr ?? String(err),
        };
    }
}

type Compiled = Ran & { dir: string };

/** `tests/sdkShapes.ts` compiled against one release's own declarations (`tsc --listFiles`: which files it read). */
async function compile(sdk: string, version: string): Promise<Compiled> {
    const dir = await unpacked(sdk, version);
    const tsconfig = path.join(ROOT, `tsconfig.sdk-${sdk.split("/")[1]}-${version}.json`);
    fs.writeFileSync(
        tsconfig,
        JSON.stringify({
            extends: "./tsconfig.json",
            compilerOptions: {
                noEmit: true,
                skipLibCheck: true,
                baseUrl: ".",
                paths: {
                    [sdk]: [dir],
                    [`${sdk}/*`]: [`${dir}/*`],
                    "@pulumi/pulumi": ["node_modules/@pulumi/pulumi"],
                    "@pulumi/pulumi/*": ["node_modules/@pulumi/pulumi/*"],
                },
            },
            include: [],
            files: ["tests/sdkShapes.ts"],
        }),
    );
    try {
        return { dir, ...(await run(path.join(ROOT, "node_modules", ".bin", "tsc"), ["-p", tsconfig, "--listFiles"], ROOT)) };
    } finally {
        fs.rmSync(tsconfig, { force: true });
    }
}

/** Runs tasks at most `os.cpus().length` at a time. */
const pool = (() => {
    let active = 0;
    const waiting: (() => void)[] = [];
    return async <T>(task: () => Promise<T>): Promise<T> => {
        if (active >= os.cpus().length) await new Promise<void>((resolve) => waiting.push(resolve));
        active++;
        try {
            return await task();
        } finally {
            active--;
            waiting.shift()?.();
        }
    };
})();

describe("every SDK major the peer ranges name", function () {
    this.timeout(900_000);
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));

    it("the peer ranges are exactly the majors proven here plus the ones this repository develops against", () => {
        const own = (sdk: string) => Number(pkg.devDependencies[sdk].replace(/^[\^~]/, "").split(".")[0]);
        for (const sdk of ["@pulumi/aws", "@pulumi/gcp", "@pulumi/azure-native"]) {
            const majors = [...MAJORS.filter((m) => m.sdk === sdk).map((m) => m.major), own(sdk)].sort((a, b) => a - b);
            const lowest = (m: number) => MAJORS.find((x) => x.sdk === sdk && x.major === m)?.releases[0] ?? `${m}.0.0`;
            assert.equal(pkg.peerDependencies[sdk], majors.map((m) => `^${lowest(m)}`).join(" || "), sdk);
        }
    });

    // Each release's compile is CPU-bound and independent: all start at once, as many at a time as
    // there are cores, while the installs below wait on the network; each test awaits its own.
    const compiles = new Map<string, Promise<Compiled>>();
    before(() => {
        for (const m of MAJORS)
            for (const version of m.releases)
                compiles.set(
                    `${m.sdk}@${version}`,
                    pool(() => compile(m.sdk, version)),
                );
    });

    for (const m of MAJORS) {
        for (const version of m.releases) {
            it(`${m.sdk}@${version}: the SDK slices and every field we send compile against its own declarations`, async () => {
                const { dir, status, stdout, stderr } = await compiles.get(`${m.sdk}@${version}`)!;
                assert.equal(
                    status,
                    0,
                    stdout
                        .split("\n")
                        .filter((l) => !l.startsWith("/"))
                        .join("\n") + stderr,
                );
                // The declarations really came from that release, not this repository's copy.
                assert.equal(JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).version.replace(/^v/, ""), version);
                const files = stdout.split("\n");
                assert.ok(
                    files.some((f) => f.startsWith(`${dir}/`)),
                    "tsc read that release's declarations",
                );
                assert.ok(!files.some((f) => f.startsWith(path.join(ROOT, "node_modules", m.sdk) + "/")), "and not this repository's");
            });
        }

        const newest = m.releases[m.releases.length - 1]!;
        it(`${m.sdk}@${newest}: npm install into a program pinned to it, then every preset registers what this repository's major does, and a TypeScript consumer type-checks`, async () => {
            const project = scratchDir(`wrf-major-${m.major}-`);
            fs.writeFileSync(
                path.join(project, "package.json"),
                JSON.stringify({ name: "consumer", version: "1.0.0", private: true, dependencies: { [m.sdk]: newest } }),
            );
            const before = await run("npm", ["install", ...NPM_FLAGS], project); // the program as it was: pinned to that major
            assert.equal(before.status, 0, before.stderr);
            const install = await run("npm", ["install", packedTarball(), pinned("@pulumi/pulumi"), ...NPM_FLAGS], project);
            assert.equal(install.status, 0, install.stderr);
            assert.equal(
                JSON.parse(fs.readFileSync(path.join(project, "node_modules", m.sdk, "package.json"), "utf8")).version,
                newest,
                "the program keeps its major",
            );
            fs.writeFileSync(path.join(project, "program.js"), PROGRAM);
            const program = await run(process.execPath, ["program.js", JSON.stringify(configs(m.cloud))], project);
            assert.equal(program.status, 0, program.stderr);
            const registered = JSON.parse(program.stdout);
            assert.deepEqual(registered, await ours(m.cloud));
            const use = {
                aws: `import * as aws from "@pulumi/aws";\nconst fw = new WebRtcFirewall("media", { cloud: "aws", preset: "livekit", adminCidrs: ["203.0.113.0/24"] });\nnew aws.ec2.Instance("sfu", { ami: "ami-0123456789abcdef0", instanceType: "t3.small", vpcSecurityGroupIds: fw.securityGroupIds });\n`,
                gcp: `import * as gcp from "@pulumi/gcp";\nconst fw = new WebRtcFirewall("media", { cloud: "gcp", preset: "livekit", gcp: { targetTags: ["media"] } });\nexport const names: pulumi.Output<string[]> = fw.firewallNames;\nexport const net = new gcp.compute.Network("net", {});\n`,
                azure: `import * as network from "@pulumi/azure-native/network";\nconst fw = new WebRtcFirewall("media", { cloud: "azure", preset: "livekit", azure: { resourceGroupName: "rg" } });\nnew network.NetworkInterface("nic", { resourceGroupName: "rg", networkSecurityGroup: { id: fw.networkSecurityGroupId } });\n`,
            }[m.cloud];
            fs.writeFileSync(
                path.join(project, "index.ts"),
                `import * as pulumi from "@pulumi/pulumi";\nimport { WebRtcFirewall } from "webrtc-firewall";\n${use}void pulumi;\n`,
            );
            fs.writeFileSync(
                path.join(project, "tsconfig.json"),
                JSON.stringify({
                    compilerOptions: {
                        strict: true,
                        target: "es2020",
                        module: "commonjs",
                        moduleResolution: "node",
                        esModuleInterop: true,
                        skipLibCheck: true,
                        noEmit: true,
                    },
                    files: ["index.ts"],
                }),
            );
            const tsc = await run(path.join(ROOT, "node_modules", ".bin", "tsc"), ["-p", "tsconfig.json"], project);
            assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
        });
    }
});
