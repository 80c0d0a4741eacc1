/**
 * The real launcher: every stack in stacks/ runs through `@pulumi/pulumi/cmd/run`, spawned as the nodejs
 * language host spawns it, against a gRPC test engine; what it registers must equal the offline plan.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as ts from "typescript";
import { runPlan } from "../../../src/cli/plan";
import { launch, type LaunchResult } from "../../launch/languageHost";
import { UNKNOWN_MARK, type Registration } from "../../launch/testEngine";
import { symbolicIds, unwrapSecrets, type Entry } from "../../launch/compare";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const STACKS = fs
    .readdirSync(path.join(ROOT, "stacks"))
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => !!s);
const STACK_TYPE = "pulumi:pulumi:Stack";

/** What each cloud's stack exports (never an undefined output: Pulumi warns about those). */
const EXPORTS: Record<string, string[]> = {
    aws: ["rules", "securityGroupIds", "warnings"],
    gcp: ["firewallNames", "networkTags", "rules", "warnings"],
    digitalocean: ["firewallIds", "rules", "warnings"],
    azure: ["networkSecurityGroupId", "rules", "warnings"],
    hetzner: ["firewallIds", "rules", "warnings"],
    oci: ["networkSecurityGroupIds", "rules", "warnings"],
    linode: ["firewallIds", "rules", "warnings"],
    openstack: ["rules", "securityGroupIds", "securityGroupNames", "warnings"],
    // AKS: no NSG of ours; the pool takes these two.
    aks: ["allowedHostPorts", "applicationSecurityGroupIds", "rules", "warnings"],
};

const launched = (run: LaunchResult): Registration[] => run.engine.registrations.filter((r) => r.type !== STACK_TYPE);
const asEntries = (regs: Registration[]): Entry[] => regs.map(({ type, name, inputs, id }) => ({ type, name, inputs, id }));

describe("pulumi up: the real launcher (@pulumi/pulumi/cmd/run) against a test engine", function () {
    this.timeout(240_000);
    const runs = new Map<string, LaunchResult>();
    const plans = new Map<string, { cloud: string; resources: Entry[]; warnings: string[] }>();

    before(async () => {
        const jobs: [string, () => Promise<LaunchResult>][] = [];
        for (const stack of STACKS) {
            jobs.push([`${stack} preview`, () => launch({ projectDir: ROOT, stack, dryRun: true })]);
            jobs.push([`${stack} update`, () => launch({ projectDir: ROOT, stack, dryRun: false })]);
        }
        jobs.push([
            "aws secret",
            () => launch({ projectDir: ROOT, stack: "aws", dryRun: false, secretKeys: ["webrtc-firewall:adminCidrs"] }),
        ]);
        // The first alone (stack.js builds dist/ if src/ is newer: one build, never two at once), then two
        // at a time: these machines have two cores.
        runs.set(jobs[0]![0], await jobs[0]![1]());
        for (let i = 1; i < jobs.length; i += 2) {
            const batch = jobs.slice(i, i + 2);
            const results = await Promise.all(batch.map(([, run]) => run()));
            batch.forEach(([key], j) => runs.set(key, results[j]!));
        }
        for (const stack of STACKS) plans.set(stack, JSON.parse((await runPlan({ stack, json: true }, ROOT)).stdout));
    });

    for (const stack of STACKS) {
        for (const mode of ["preview", "update"] as const) {
            it(`${stack} ${mode}: exits 0, logs no error or stray warning, registers exactly the offline plan`, () => {
                const run = runs.get(`${stack} ${mode}`)!;
                const plan = plans.get(stack)!;
                assert.equal(
                    run.code,
                    0,
                    run.stderr
                        .split("\n")
                        .filter((l) => !l.startsWith("debug"))
                        .join("\n"),
                );
                const noisy = run.engine.logs.filter(
                    (l) => l.severity === "error" || (l.severity === "warning" && !plan.warnings.includes(l.message)),
                );
                assert.deepEqual(noisy, [], "only the plan's own warnings may be logged");

                const regs = launched(run);
                assert.equal(regs.filter((r) => r.type === "webrtc-firewall:index:WebRtcFirewall").length, 1);
                const fromLaunch = symbolicIds(asEntries(regs), (e) => (e as Registration).id).map(({ type, name, inputs }) => ({
                    type,
                    name,
                    inputs,
                }));
                const fromPlan = symbolicIds(plan.resources, (e) => `${e.name}-id`);
                if (mode === "update") {
                    assert.deepEqual(fromLaunch, fromPlan);
                } else {
                    // A preview knows no ids yet: exactly the fields that hold an id are unknown.
                    const expected = JSON.parse(JSON.stringify(fromPlan).replace(/"<id of [^"]+>"/g, JSON.stringify(UNKNOWN_MARK)));
                    assert.deepEqual(fromLaunch, expected);
                    // A group the stack creates has no id yet; a group the settings name (EKS's cluster group) has its own.
                    if (plan.resources.some((r: { type: string }) => r.type === "aws:ec2/securityGroup:SecurityGroup"))
                        assert.match(JSON.stringify(fromLaunch), /"securityGroupId":"<unknown>"/);
                }
                const exports = run.engine.outputs.get(run.engine.rootUrn()) ?? {};
                assert.deepEqual(Object.keys(exports).sort(), EXPORTS[stack] ?? EXPORTS[plan.cloud]);
            });
        }
    }

    it("a secret setting: every rule input and the rules output are registered as secrets, with the plan's values", () => {
        const run = runs.get("aws secret")!;
        assert.equal(run.code, 0, run.stderr);
        assert.deepEqual(JSON.parse(run.env.PULUMI_CONFIG_SECRET_KEYS!), ["webrtc-firewall:adminCidrs"]);
        const regs = launched(run);
        for (const reg of regs.filter((r) => r.custom)) {
            for (const [key, value] of Object.entries(reg.inputs)) {
                if (key === "securityGroupId") continue; // another resource's id, not a setting
                assert.ok(
                    value && typeof value === "object" && "secret" in value,
                    `${reg.name}.${key} must be secret, got ${JSON.stringify(value)}`,
                );
            }
        }
        const component = regs.find((r) => !r.custom)!;
        assert.ok(component.inputs.rules && typeof component.inputs.rules === "object" && "secret" in component.inputs.rules);
        const plain = regs.map((r) => ({ type: r.type, name: r.name, inputs: unwrapSecrets(r.inputs) }));
        assert.deepEqual(
            symbolicIds(plain, (e) => regs.find((r) => r.name === e.name)!.id),
            symbolicIds(plans.get("aws")!.resources, (e) => `${e.name}-id`),
        );
        const exported = run.engine.outputs.get(run.engine.rootUrn())!;
        assert.ok(exported.rules && typeof exported.rules === "object" && "secret" in exported.rules, "the rules output is secret");
    });

    it("launches as the language host does: entry and pwd from Pulumi.yaml main, runtime options", () => {
        const run = runs.get("aws update")!;
        const at = (flag: string) => run.args[run.args.indexOf(flag) + 1];
        assert.match(run.args[0]!, /@pulumi\/pulumi\/cmd\/run\/index\.js$/);
        assert.equal(at("--pwd"), ROOT, "main is at the project root, so the program runs there");
        assert.equal(run.args[run.args.length - 1], "stack.js");
        assert.equal(run.env.PULUMI_NODEJS_TYPESCRIPT, undefined, "typescript: false: the compiled program, no TypeScript at launch");
        const config = JSON.parse(run.env.PULUMI_CONFIG!);
        assert.equal(config["webrtc-firewall:config:cloud"], "aws");
        assert.equal(config["webrtc-firewall:config:ports"], "[]", "project defaults fill unset keys, lists JSON-encoded");
    });
});

describe("stack.js never deploys a stale build", function () {
    this.timeout(120_000);
    it("when src/ is newer than dist/, the launch builds first, then runs the new build", async () => {
        const built = path.join(ROOT, "dist", "stack", "program.js");
        const past = new Date(Date.now() - 3600_000);
        fs.utimesSync(built, past, past);
        const run = await launch({ projectDir: ROOT, stack: "digitalocean", dryRun: true });
        assert.equal(run.code, 0, run.stderr);
        assert.match(run.stdout, /src\/ changed since the last build; building/);
        assert.ok(fs.statSync(built).mtimeMs > past.getTime() + 1000, "dist/ was rebuilt");
        assert.equal(launched(run).length > 1, true);
    });
});

describe("the sources compile under any reasonable compiler options, not only this repo's strict tsconfig", function () {
    this.timeout(120_000);
    const roots = [
        path.join(ROOT, "src", "stack", "program.ts"),
        path.join(ROOT, "src", "index.ts"),
        path.join(ROOT, "src", "cli", "main.ts"),
    ];
    const optionSets: [string, ts.CompilerOptions][] = [
        // What cmd/run gives ts-node when it finds no tsconfig.json in the program folder.
        [
            "Pulumi's defaults (no tsconfig, not strict)",
            {
                target: ts.ScriptTarget.ES2020,
                module: ts.ModuleKind.NodeNext,
                moduleResolution: ts.ModuleResolutionKind.NodeNext,
                sourceMap: true,
            },
        ],
        // Pulumi's TypeScript templates' tsconfig.json.
        [
            "Pulumi's template tsconfig (strict)",
            {
                strict: true,
                target: ts.ScriptTarget.ES2020,
                module: ts.ModuleKind.CommonJS,
                moduleResolution: ts.ModuleResolutionKind.Node10,
                experimentalDecorators: true,
                noFallthroughCasesInSwitch: true,
                noImplicitReturns: true,
                skipLibCheck: true,
            },
        ],
    ];
    for (const [label, options] of optionSets) {
        it(label, () => {
            const program = ts.createProgram(roots, { ...options, noEmit: true, types: ["node"] });
            const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => d.file && !d.file.fileName.includes("node_modules"));
            const text = diagnostics.map(
                (d) => `${path.relative(ROOT, d.file!.fileName)}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`,
            );
            assert.deepEqual(text, []);
        });
    }
});

describe("serverConfigs through the real launcher: read from the program's folder, hostile files refused", function () {
    this.timeout(240_000);
    const SECRET = "sk_live_LAUNCHSECRET";

    /** A Pulumi project beside this one whose stack.js is this repository's: Pulumi runs it with the project as its folder. */
    function project(files: Record<string, string>, config: Record<string, unknown>): string {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wrf-launch-files-"));
        fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
        fs.writeFileSync(path.join(dir, "stack.js"), `module.exports = require(${JSON.stringify(path.join(ROOT, "stack.js"))});\n`);
        fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
        fs.mkdirSync(path.join(dir, "stacks"));
        const lines = Object.entries(config).map(([k, v]) => `  webrtc-firewall:${k}: ${JSON.stringify(v)}`);
        fs.writeFileSync(path.join(dir, "stacks", "Pulumi.dev.yaml"), `config:\n${lines.join("\n")}\n`);
        for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
        return dir;
    }

    it("a livekit.yaml with merge keys, named relative to the project: its ports are what registers", async () => {
        const dir = project(
            { "livekit.yaml": "defaults: &rtc\n  port_range_start: 40000\n  port_range_end: 40100\nrtc:\n  <<: *rtc\n  tcp_port: 7881\n" },
            { cloud: "aws", preset: "livekit", ipv6: false, serverConfigs: ["livekit.yaml"] },
        );
        const run = await launch({ projectDir: dir, stack: "dev", dryRun: false });
        assert.equal(run.code, 0, run.stderr);
        const ingress = launched(run)
            .filter((r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
            .map((r) => `${r.inputs.ipProtocol} ${r.inputs.fromPort}-${r.inputs.toPort}`);
        assert.deepEqual(ingress.sort(), ["tcp 7881-7881", "udp 40000-40100"]);
    });

    it("a path out of the project, a value beside a secret and a bad port: the config error at its lines, no secret, no stack trace, nothing registered", async () => {
        const outside = fs.mkdtempSync(path.join(os.tmpdir(), "wrf-outside-"));
        fs.writeFileSync(path.join(outside, "app-secrets.yaml"), `port: {token: ${SECRET}}\n`);
        const dir = project(
            { "livekit.yaml": `port: {user: admin, token: ${SECRET}}\n` },
            {
                cloud: "aws",
                preset: "livekit",
                serverConfigs: [path.join(outside, "app-secrets.yaml"), "livekit.yaml"],
                ports: [{ name: "api", protocol: "tcp", ports: 99999 }],
            },
        );
        const run = await launch({ projectDir: dir, stack: "dev", dryRun: false });
        assert.notEqual(run.code, 0);
        const said = [run.stdout, run.stderr, ...run.engine.logs.map((l) => l.message)].join("\n");
        assert.match(said, /app-secrets\.yaml: is not a file inside the project folder/);
        assert.match(said, /livekit\.yaml:1: port: a map is not a port/);
        assert.match(
            said,
            /stacks\/Pulumi\.dev\.yaml:5: ports\[0\]\.ports: 99999: port 99999 is outside 1\.\.65535/,
            "the stack file's line, as the engine runs it",
        );
        assert.doesNotMatch(said, /sk_live|\n\s+at /);
        assert.deepEqual(launched(run), []);
    });
});
