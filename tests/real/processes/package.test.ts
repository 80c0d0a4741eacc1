/**
 * The package as a consumer gets it: `npm pack` (which builds through `prepare`, as a git install
 * does), installed into a fresh project with only @pulumi/pulumi and @pulumi/aws, used from CommonJS
 * and from an ES module under Pulumi's mocks, through the `webrtc-firewall` bin, and without the SDK
 * of the cloud it asks for.
 */
import * as assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { consumerProject, packedTarball, ROOT } from "../../consumer";
import { CHILD_OUTPUT_MAX } from "../../childOutput";
import { PULUMI_TEMPLATE_COMPILER_OPTIONS } from "../../pulumiTemplate";

/** Mocks that record each registration as `type name inputs`; printed at exit for the test to read. */
const MOCKS = `
const recorded = [];
pulumi.runtime.setMocks({
    newResource: (a) => { recorded.push({ type: a.type, name: a.name, inputs: a.inputs }); return { id: a.name + "-id", state: a.inputs }; },
    call: () => ({}),
}, "consumer", "dev", false);
process.on("beforeExit", () => { if (!process.exitCode) { console.log(JSON.stringify(recorded)); process.exit(0); } });
`;

const USE = `
const firewall = new WebRtcFirewall("media", { cloud: "aws", preset: "livekit", presetOptions: { turn: true }, adminCidrs: ["203.0.113.0/24"] });
new aws.ec2.Instance("livekit", { ami: "ami-0123456789abcdef0", instanceType: "t3.small", vpcSecurityGroupIds: firewall.securityGroupIds });
`;

const CJS = `const pulumi = require("@pulumi/pulumi");\nconst aws = require("@pulumi/aws");\nconst { WebRtcFirewall } = require("webrtc-firewall");\n${MOCKS}${USE}`;
const ESM = `import * as pulumi from "@pulumi/pulumi";\nimport * as aws from "@pulumi/aws";\nimport { WebRtcFirewall } from "webrtc-firewall";\n${MOCKS}${USE}`;
const MISSING_SDK = `const pulumi = require("@pulumi/pulumi");\nconst { WebRtcFirewall } = require("webrtc-firewall");\n${MOCKS}
try { new WebRtcFirewall("media", { cloud: "gcp", preset: "livekit" }); }
catch (err) { console.log(JSON.stringify({ runError: pulumi.RunError.isInstance(err), message: err.message, registered: recorded.length })); process.exitCode = 1; }`;

describe("the npm package, packed and installed as a consumer gets it", function () {
    this.timeout(300_000);
    let project = "";
    let tarball = "";

    before(() => {
        tarball = packedTarball();
        project = consumerProject(["@pulumi/pulumi", "@pulumi/aws"]);
    });

    const node = (file: string, source: string) => {
        fs.writeFileSync(path.join(project, file), source);
        return spawnSync(process.execPath, [file], {
            maxBuffer: CHILD_OUTPUT_MAX,
            cwd: project,
            encoding: "utf8",
            env: { ...process.env, NODE_OPTIONS: "" },
        });
    };

    it("ships the built JS, types, README, LICENSE, the plugin manifest and the policy pack's files, and nothing else", () => {
        const files = execFileSync("tar", ["tzf", tarball], { maxBuffer: CHILD_OUTPUT_MAX, encoding: "utf8" }).trim().split("\n");
        assert.ok(
            files.includes("package/dist/index.js") &&
                files.includes("package/dist/index.d.ts") &&
                files.includes("package/dist/cli/main.js"),
        );
        assert.deepEqual(files.filter((f) => !f.startsWith("package/dist/")).sort(), [
            "package/LICENSE",
            "package/PulumiPlugin.yaml",
            "package/README.md",
            "package/package.json",
            "package/policy-pack/PulumiPolicy.yaml",
            "package/policy-pack/index.ts",
            "package/policy-pack/tsconfig.json",
        ]);
        assert.ok(!files.some((f) => f.endsWith(".map")), "no source maps pointing at sources that are not shipped");
        const dts = files
            .filter((f) => f.endsWith(".d.ts"))
            .map((f) => execFileSync("tar", ["xzOf", tarball, f], { maxBuffer: CHILD_OUTPUT_MAX, encoding: "utf8" }))
            .join("\n");
        assert.doesNotMatch(dts, /\.\.\/shared/, "no .d.ts cites files outside the package");
        assert.doesNotMatch(dts, /(from |import\()["']@pulumi\/(aws|gcp|digitalocean|azure-native)/, "no .d.ts needs a cloud SDK");
    });

    for (const [label, file, source] of [
        ["CommonJS", "program.cjs", CJS],
        ["an ES module", "program.mjs", ESM],
    ] as const) {
        it(`${label}: the component registers its group and rules, and the instance gets the group ids`, () => {
            const run = node(file, source);
            assert.equal(run.status, 0, run.stderr);
            const recorded = JSON.parse(run.stdout.trim().split("\n").pop()!) as {
                type: string;
                name: string;
                inputs: Record<string, unknown>;
            }[];
            const types = recorded.map((r) => r.type);
            // 4 public flows on both families, and ssh from the one IPv4 admin network.
            assert.equal(types.filter((t) => t === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").length, 9);
            const instance = recorded.find((r) => r.type === "aws:ec2/instance:Instance")!;
            assert.deepEqual(instance.inputs.vpcSecurityGroupIds, ["media-sg-id"]);
        });
    }

    it("deep imports of internals are closed by the exports map", () => {
        const run = node("deep.cjs", 'require("webrtc-firewall/dist/plan/plan.js");');
        assert.notEqual(run.status, 0);
        assert.match(run.stderr, /ERR_PACKAGE_PATH_NOT_EXPORTED/);
    });

    it("a cloud whose SDK is not installed: a RunError naming the package to install, before anything is registered", () => {
        const run = node("missing.cjs", MISSING_SDK);
        const result = JSON.parse(run.stdout.trim().split("\n").pop()!);
        assert.equal(result.runError, true);
        assert.equal(result.registered, 0);
        assert.match(result.message, /cloud: "gcp" needs the @pulumi\/gcp package, which is not installed; run `npm install @pulumi\/gcp`/);
    });

    it("the bin: `webrtc-firewall plan` with a settings file relative to where it runs", () => {
        fs.mkdirSync(path.join(project, "stacks"), { recursive: true });
        fs.writeFileSync(
            path.join(project, "stacks", "Pulumi.dev.yaml"),
            "config:\n  webrtc-firewall:cloud: aws\n  webrtc-firewall:preset: coturn\n",
        );
        const bin = path.join(project, "node_modules", ".bin", "webrtc-firewall");
        const run = spawnSync(bin, ["plan", "--config", "Pulumi.dev.yaml", "--format", "json"], {
            maxBuffer: CHILD_OUTPUT_MAX,
            cwd: path.join(project, "stacks"),
            encoding: "utf8",
        });
        assert.equal(run.status, 0, run.stderr);
        assert.equal(JSON.parse(run.stdout).cloud, "aws");
        const usage = spawnSync(bin, ["plan", "--cloud", "ovh", "--config", "stacks/Pulumi.dev.yaml"], {
            maxBuffer: CHILD_OUTPUT_MAX,
            cwd: project,
            encoding: "utf8",
        });
        assert.equal(usage.status, 2, usage.stderr);
    });
});

/** The README's named blocks (`<!-- file: NAME -->` above the fence): a consumer's program and its tests. */
function readmeFiles(): Record<string, string> {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    return Object.fromEntries([...readme.matchAll(/<!-- file: (\S+) -->\n```ts\n([\s\S]*?)^```/gm)].map((m) => [m[1]!, m[2]!]));
}

/** Pulumi's TypeScript template's tsconfig, with mocha's types. */
const TEMPLATE_TSCONFIG = {
    compilerOptions: { ...PULUMI_TEMPLATE_COMPILER_OPTIONS, types: ["node", "mocha"] },
    files: ["index.ts", "index.test.ts"],
};

describe("a consumer's own unit tests, written as Pulumi's guide writes them: the README's example against the packed package", function () {
    this.timeout(300_000);
    let project = "";
    before(() => {
        project = consumerProject(["@pulumi/pulumi", "@pulumi/aws", "mocha", "@types/mocha", "@types/node", "typescript"]);
    });

    it("compiles with the template's tsconfig, and mocha passes both tests: mock ids accepted, a late value's error awaited, nothing left behind", () => {
        const files = readmeFiles();
        assert.deepEqual(Object.keys(files).sort(), ["index.test.ts", "index.ts"]);
        for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(project, name), text);
        fs.writeFileSync(path.join(project, "tsconfig.json"), JSON.stringify(TEMPLATE_TSCONFIG, null, 2));
        const tsc = spawnSync(process.execPath, [path.join(project, "node_modules", "typescript", "bin", "tsc"), "-p", "."], {
            maxBuffer: CHILD_OUTPUT_MAX,
            cwd: project,
            encoding: "utf8",
        });
        assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
        // A listener of our own counts what escapes unhandled (mocha would stay silent about it).
        fs.writeFileSync(
            path.join(project, "count-unhandled.js"),
            'let n = 0; process.on("unhandledRejection", () => n++); process.on("exit", () => console.log(`unhandled rejections: ${n}`));\n',
        );
        const mocha = spawnSync(
            process.execPath,
            [
                path.join(project, "node_modules", "mocha", "bin", "mocha.js"),
                "--require",
                "./count-unhandled.js",
                "--timeout",
                "20000",
                "bin/index.test.js",
            ],
            { maxBuffer: CHILD_OUTPUT_MAX, cwd: project, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } },
        );
        const said = mocha.stdout + mocha.stderr;
        assert.equal(mocha.status, 0, said);
        assert.match(said, /2 passing/);
        assert.match(said, /unhandled rejections: 0/);
        assert.doesNotMatch(said, /promises were still active/, "no registration left waiting without the error said");
        // The failed check is said once, as the engine would show it.
        assert.equal(said.split("the config has 1 problem once the values from other resources resolved").length - 1, 1, said);
    });
});

describe("a Hetzner-only consumer with only @pulumi/hcloud installed", function () {
    this.timeout(300_000);
    let project = "";
    before(() => {
        project = consumerProject(["@pulumi/pulumi", "@pulumi/hcloud"]);
    });

    it("the firewall registers and its ids reach hcloud.Server's firewallIds", () => {
        const source = `const pulumi = require("@pulumi/pulumi");\nconst hcloud = require("@pulumi/hcloud");\nconst { WebRtcFirewall } = require("webrtc-firewall");\n${MOCKS}
const firewall = new WebRtcFirewall("media", { cloud: "hetzner", preset: "livekit", presetOptions: { turn: true }, adminCidrs: ["203.0.113.0/24"] });
new hcloud.Server("livekit", { image: "ubuntu-24.04", serverType: "cx32", location: "fsn1", firewallIds: firewall.firewallIds.apply((ids) => ids.map(Number)) });
`;
        fs.writeFileSync(path.join(project, "hetzner.cjs"), source);
        const run = spawnSync(process.execPath, ["hetzner.cjs"], {
            maxBuffer: CHILD_OUTPUT_MAX,
            cwd: project,
            encoding: "utf8",
            env: { ...process.env, NODE_OPTIONS: "" },
        });
        assert.equal(run.status, 0, run.stderr);
        const recorded = JSON.parse(run.stdout.trim().split("\n").pop()!) as { type: string; name: string; inputs: Record<string, any> }[];
        const firewall = recorded.find((r) => r.type === "hcloud:index/firewall:Firewall")!;
        assert.deepEqual(
            firewall.inputs.rules.map((r: any) => `${r.protocol} ${r.port}`),
            ["tcp 22", "tcp 5349", "tcp 7881", "udp 3478", "udp 50000-60000"],
        );
        assert.ok(
            fs.existsSync(path.join(project, "node_modules", "@pulumi", "hcloud")) &&
                !fs.existsSync(path.join(project, "node_modules", "@pulumi", "aws")),
        );
        const server = recorded.find((r) => r.type === "hcloud:index/server:Server")!;
        assert.ok(Array.isArray(server.inputs.firewallIds), JSON.stringify(server.inputs));
    });
});
