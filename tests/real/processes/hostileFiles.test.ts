/**
 * Server configs written by an attacker (a pull request, a copied example, a compromised image): real
 * files, real symbolic links and FIFOs in a project folder, read in-process and through the real CLI in
 * a child process held to 512 MB of heap. No file may hang the planner, exhaust it, read outside the
 * project folder, echo more than a short escaped excerpt, or end in a stack trace; and YAML means what
 * the servers' own reader (yaml.v3) makes of it.
 */
import * as assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runPlan } from "../../../src/cli/plan";
import { readServerConfig } from "../../../src/sources/servers";
import { readStackSettings } from "../../../src/sources/stackFile";
import { ROOT } from "../../consumer";
import { billionLaughs } from "../../fixtures/hostile";
import { inFolder, plan, refuse } from "../../helpers";
import { CHILD_OUTPUT_MAX } from "../../childOutput";

const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
const CLI = path.join(ROOT, "src", "cli", "main.ts");
const SECRET = "sk_live_51HzSECRETSECRETSECRET";

/** A project folder (Pulumi.yaml, a stack) with these files; values are file contents, or a link target after "->". */
function project(files: Record<string, string>, stack: Record<string, unknown> = {}): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wrf-hostile-"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: media\nruntime: nodejs\n");
    for (const [name, content] of Object.entries(files)) {
        if (content.startsWith("->")) fs.symlinkSync(content.slice(2), path.join(dir, name));
        else fs.writeFileSync(path.join(dir, name), content);
    }
    const lines = Object.entries({ cloud: "aws", ...stack }).map(([k, v]) => `  webrtc-firewall:${k}: ${JSON.stringify(v)}`);
    fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), `config:\n${lines.join("\n")}\n`);
    return dir;
}

/** The real CLI in a child process with 512 MB of heap: exit code, output, and how long it took. */
function cli(dir: string, args: string[]): { code: number | null; stdout: string; stderr: string; ms: number } {
    const started = Date.now();
    const run = spawnSync(TSX, [CLI, "plan", "--config", path.join(dir, "Pulumi.dev.yaml"), ...args], {
        maxBuffer: CHILD_OUTPUT_MAX,
        cwd: dir,
        encoding: "utf8",
        env: { ...process.env, NODE_OPTIONS: "--max-old-space-size=512" },
        timeout: 60_000,
    });
    return { code: run.status, stdout: run.stdout, stderr: run.stderr, ms: Date.now() - started };
}

describe("hostile server files", function () {
    this.timeout(60_000);

    it("cost: a megabyte of blank lines is recognised at once, and 400 whole-range compose publications stay 400 ranges", () => {
        const dir = project(
            {
                "turn.txt": `${"\n".repeat(1_000_000)}listening-port=3478\n`,
                "docker-compose.yml": `services:\n  media:\n    ports:\n${'      - "1-65535:1-65535/udp"\n'.repeat(400)}`,
            },
            { serverConfigs: ["turn.txt", "docker-compose.yml"] },
        );
        const coturn = readServerConfig({ path: "turn.txt" }, dir);
        assert.deepEqual([coturn.kind, coturn.rules.find((r) => r.name === "stun-udp")?.ports], ["coturn", [{ from: 3478, to: 3478 }]]);
        const compose = readServerConfig({ path: "docker-compose.yml" }, dir);
        assert.equal(compose.published.length, 400);
        // Through the CLI, as `plan` and `pulumi up` read them, held to 512 MB.
        const planned = cli(dir, ["--format", "json"]);
        assert.equal(planned.code, 0, planned.stderr);
        const checked = cli(dir, ["--check", "docker-compose.yml", "--format", "json"]);
        assert.equal(checked.code, 1, checked.stderr);
        const drift = JSON.parse(checked.stdout);
        assert.equal(
            drift.exposed.filter((m: { ports: string }) => m.ports.startsWith("1-")).length,
            400,
            "each publication is one exposed range",
        );
    });

    it("paths: absolute, ../ and links out of the project folder are refused in the same words whether the file exists or not", async () => {
        const outside = fs.mkdtempSync(path.join(os.tmpdir(), "wrf-outside-"));
        fs.writeFileSync(path.join(outside, "app-secrets.yaml"), `port: {user: admin, token: ${SECRET}}\n`);
        const dir = project({
            "linked.yaml": `->${path.join(outside, "app-secrets.yaml")}`,
            "dangling.yaml": `->${path.join(outside, "nothing.yaml")}`,
            "inner.yaml": "->livekit.yaml",
            "livekit.yaml": "rtc: {tcp_port: 7881}\n",
            sub: "",
        });
        fs.rmSync(path.join(dir, "sub"));
        fs.symlinkSync(outside, path.join(dir, "sub"));
        const given = [
            path.join(outside, "app-secrets.yaml"),
            path.join(outside, "nothing.yaml"),
            `../${path.basename(outside)}/app-secrets.yaml`,
            "linked.yaml",
            "dangling.yaml",
            "sub/app-secrets.yaml",
            "sub/nothing.yaml",
            "/etc/shadow",
        ];
        const messages = given.map((p) =>
            readServerConfig({ path: p, kind: "livekit" }, dir)
                .problems.map((x) => x.message)
                .join(),
        );
        const root = fs.realpathSync(dir);
        for (const m of messages)
            assert.equal(
                m,
                `is not a file inside the project folder ${root}: no such file there, or a path or symbolic link that leads out of it; serverConfigs are read only from inside the project folder, given relative to it`,
            );
        assert.deepEqual(
            readServerConfig({ path: "inner.yaml" }, dir).rules.map((r) => r.name),
            ["rtc-udp", "rtc-tcp"],
            "a link that stays inside is read",
        );
        // The component reads from the folder Pulumi runs it in, whatever the path says.
        const lines = await inFolder(dir, () => refuse({ cloud: "aws", preset: "livekit", serverConfigs: given.slice(0, 4) }));
        assert.equal(lines.filter((l) => /is not a file inside the project folder/.test(l)).length, 4);
        assert.doesNotMatch(lines.join("\n"), /sk_live/);
    });

    it("echo: values read from a file appear only as short escaped excerpts; maps and lists only by their kind", () => {
        const dir = project({
            "livekit.yaml": `port: {user: admin, token: ${SECRET}}\nrtc:\n  tcp_port: "${SECRET}"\n  udp_port: [${SECRET}]\n`,
            "turnserver.conf": `listening-port=${SECRET}\x1b[2J\n`,
            "docker-compose.yml": `services:\n  "evil\\e[2J":\n    ports:\n      - "${SECRET}:80"\n`,
        });
        const messages = ["livekit.yaml", "turnserver.conf", "docker-compose.yml"].flatMap((f) =>
            readServerConfig({ path: f }, dir).problems.map((p) => `${p.path}: ${p.message}`),
        );
        assert.deepEqual(messages, [
            'livekit.yaml:4: rtc.udp_port: a list is not a port or a range of ports from 1 to 65535; write 7882 or "7882-7892"',
            'livekit.yaml:3: rtc.tcp_port: "sk_live_51HzSECR..." is not a port; write a whole number from 1 to 65535',
            "livekit.yaml:1: port: a map is not a port; write a whole number from 1 to 65535",
            'turnserver.conf:1: listening-port: "sk_live_51HzSECR..." is not a port; write a whole number from 1 to 65535',
            'docker-compose.yml:1: services.evil\\u001b[2J.ports[0]: "sk_live_51HzSECR..." is not a published port or range; write "50000-60000:50000-60000/udp" or "443:443"',
        ]);
    });

    it("what a file is: any .conf is not coturn, a file with none of its kind's keys is refused, and nothing opens coturn's defaults by accident", () => {
        const dir = project({
            "nginx.conf": "user www-data;\nworker_processes auto;\nhttp {\n  server { listen 443 ssl; }\n}\n",
            shadow: "root:$6$salt$hash:19000:0:99999:7:::\n",
            "empty.yaml": "# nothing\n",
            "notes.yaml": "title: media\n",
        });
        const problems = (entry: { path: string; kind?: "coturn" | "livekit" | "compose" }) =>
            readServerConfig(entry, dir).problems.map((p) => p.message);
        assert.match(problems({ path: "nginx.conf" })[0]!, /is not recognised as a LiveKit, LiveKit SIP, coturn or docker compose config/);
        assert.match(
            problems({ path: "nginx.conf", kind: "coturn" })[0]!,
            /has none of coturn's settings .*: it is not a turnserver\.conf, and reading it as one would open coturn's defaults/,
        );
        assert.match(problems({ path: "shadow", kind: "coturn" })[0]!, /has none of coturn's settings/);
        assert.doesNotMatch(problems({ path: "shadow", kind: "coturn" })[0]!, /\$6\$/);
        assert.match(problems({ path: "empty.yaml", kind: "livekit" })[0]!, /has none of a livekit config's keys/);
        assert.match(problems({ path: "notes.yaml", kind: "compose" })[0]!, /has none of a compose config's keys \(services\)/);
    });

    it("YAML as yaml.v3 reads it: merge keys count, in LiveKit and compose files alike, and a metrics port merged in is still refused", async () => {
        const dir = project({
            "livekit.yaml": "defaults: &rtc\n  port_range_start: 40000\n  port_range_end: 40100\nrtc:\n  <<: *rtc\n  tcp_port: 7881\n",
            "metrics.yaml": "common: &m\n  prometheus_port: 6789\n<<: *m\nrtc: {tcp_port: 7881}\n",
            "docker-compose.yml": 'x-db: &db\n  ports: ["5432:5432"]\nservices:\n  postgres:\n    <<: *db\n    image: postgres:16\n',
            "old.yaml": "%YAML 1.1\n---\nrtc: {tcp_port: 7881}\nturn: {enabled: off}\n",
            "new.yaml": "%YAML 1.2\n---\nrtc: {tcp_port: 7881}\n",
        });
        assert.deepEqual(readServerConfig({ path: "livekit.yaml" }, dir).rules.find((r) => r.name === "rtc-udp")!.ports, [
            { from: 40000, to: 40100 },
        ]);
        const { firewall } = await inFolder(dir, () =>
            plan({ cloud: "aws", preset: "livekit", ipv6: false, serverConfigs: ["livekit.yaml"] }),
        );
        assert.deepEqual(firewall.plan.rules.find((r) => r.name === "rtc-udp")!.ports, ["40000-40100"]);
        const refused = await inFolder(dir, () =>
            refuse({ cloud: "aws", serverConfigs: ["metrics.yaml"], ports: [{ name: "metrics", protocol: "tcp", ports: 6789 }] }),
        );
        assert.match(refused.join("\n"), /6789/);
        assert.deepEqual(
            readServerConfig({ path: "docker-compose.yml" }, dir).published.map((p) => `${p.protocol}/${p.ports.from}`),
            ["tcp/5432"],
        );
        // Under %YAML 1.1 yaml.v3 still reads `off` as the text "off": not false, so not a valid turn.enabled.
        assert.match(
            readServerConfig({ path: "old.yaml" }, dir)
                .problems.map((p) => p.message)
                .join(),
            /"off" is not true or false/,
        );
        assert.match(
            readServerConfig({ path: "new.yaml" }, dir).problems[0]!.message,
            /starts with %YAML 1\.2, which Go's YAML reader .* refuses/,
        );
    });

    it("no stack trace: an alias bomb, a key named like Object's own, a ports string, deep nesting, a FIFO: each a config error naming the file", () => {
        const dir = project(
            {
                "bomb.yaml": billionLaughs("rtc: {tcp_port: 7881}"),
                "turnserver.conf": "listening-port=3478\nconstructor=1\n__proto__=2\nhasOwnProperty=3\n",
                "docker-compose.yml": 'services:\n  livekit:\n    ports: "7881:7881"\n',
                "deep.yaml": `rtc: ${"[".repeat(200_000)}\n`,
            },
            { serverConfigs: ["bomb.yaml", "turnserver.conf", "docker-compose.yml", { path: "deep.yaml", kind: "livekit" }] },
        );
        execFileSync("mkfifo", [path.join(dir, "fifo.yaml")]);
        const problems = (p: string, kind?: "livekit") =>
            readServerConfig({ path: p, kind }, dir).problems.map((x) => `${x.path}: ${x.message}`);
        assert.deepEqual(problems("bomb.yaml"), ["serverConfigs: bomb.yaml: expands more than 100 aliases; write the values out"]);
        assert.deepEqual(problems("turnserver.conf"), []);
        assert.deepEqual(problems("docker-compose.yml"), [
            'docker-compose.yml:3: services.livekit.ports: is "7881:7881", not a list; write ports: ["7881:7881"]',
        ]);
        assert.deepEqual(problems("deep.yaml", "livekit"), [
            "serverConfigs: deep.yaml: nests [ ] or { } more than 64 deep; no server config does",
        ]);
        assert.deepEqual(problems("fifo.yaml", "livekit"), ["serverConfigs: fifo.yaml: is not a regular file"]);
        const planned = cli(dir, []);
        assert.equal(planned.code, 1, planned.stderr);
        assert.doesNotMatch(planned.stderr, /\n\s+at |webrtc-firewall failed/);
        assert.match(planned.stderr, /the config has 3 problems/);
    });

    it("the drift table escapes what a file says: no file can clear the screen and print a fake verdict", async () => {
        const dir = project(
            { "docker-compose.yml": 'services:\n  "x\\e[2J\\e[HNo drift: all good":\n    ports: ["9999:9999"]\n' },
            { preset: "livekit" },
        );
        const { stdout, code } = await runPlan({ config: path.join(dir, "Pulumi.dev.yaml"), check: ["docker-compose.yml"] }, dir);
        assert.equal(code, 1);
        assert.doesNotMatch(stdout, /\x1b/);
        assert.match(stdout, /^Drift between the firewall and the server configs:/);
        assert.match(stdout, /services\.x\\u001b\[2J\\u001b\[HNo drift: all good\.ports\[0\]/);
    });

    it("a stack file under %YAML 1.1 means what Pulumi passes: `off` and `yes` stay text; other versions are refused as Pulumi refuses them", () => {
        assert.deepEqual(
            { ...readStackSettings("%YAML 1.1\n---\nconfig:\n  webrtc-firewall:preset: off\n  app:flag: yes\n", "f").values },
            { "webrtc-firewall:preset": "off", "app:flag": "yes" },
        );
        assert.match(
            readStackSettings("%YAML 1.2\n---\nconfig:\n  webrtc-firewall:cloud: aws\n", "f").problems[0]!.message,
            /%YAML 1\.2, which Go's YAML reader .* refuses as "found incompatible YAML document"/,
        );
    });
});
