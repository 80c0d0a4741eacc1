/**
 * One source of truth: the media servers' own configs become the rules (with their origin), drift
 * between a stack and the files is reported exactly, and the stack's rules print as the servers'
 * config fragments.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import fc from "fast-check";
import { run as runCli } from "../../src/cli/main";
import { runPlan } from "../../src/cli/plan";
import { validateConfig } from "../../src/pipeline/validate";
import { renderCompose, renderCoturn, renderLiveKit } from "../../src/hosts/serverFragments";
import { planRules } from "../../src/plan/plan";
import { readServerConfig, readServerConfigs } from "../../src/sources/servers";
import { CLOUDS } from "../../src/clouds/registry";
import { checkDrift } from "../../src/verify/drift";
import { coturnPeerLines, liveKitPeerKeys } from "../../src/hosts/relayLockdown";
import { AWS_INGRESS, awsIngress, inFolder, ofType, plan, refuse, tempFile, itProperty } from "../helpers";

const ROOT = path.resolve(__dirname, "..", "..");
const FIXTURES = path.join(__dirname, "..", "fixtures", "servers");
const fixture = (name: string) => path.join(FIXTURES, name);
const DEFAULT_RELAY = { relayPorts: [], allowPeers: [], denyPeers: [], tcpRelay: false };
/** A livekit.yaml with the lockdown's deny list under its `turn:` (plan --format livekit writes the same). */
const lockedLiveKit = (text: string) =>
    text.replace(/^turn:\n/m, `turn:\n  deny_peer_cidrs: ${JSON.stringify(liveKitPeerKeys(DEFAULT_RELAY).deny_peer_cidrs)}\n`);
const rulesOf = (name: string) =>
    readServerConfig({ path: name }, FIXTURES).rules.map(
        (r) => `${r.name} ${r.protocol} ${r.ports.map((p) => (p.from === p.to ? p.from : `${p.from}-${p.to}`)).join(",")} <- ${r.origin}`,
    );

describe("server configs: the servers' own files become the rules", () => {
    it("livekit.yaml: the rtc range, ICE/TCP and the embedded TURN; the relay range stays closed", () => {
        assert.deepEqual(rulesOf("livekit.yaml"), [
            "rtc-udp udp 40000-40100 <- livekit.yaml: rtc.port_range_start..rtc.port_range_end",
            "rtc-tcp tcp 7881 <- livekit.yaml: rtc.tcp_port",
            "turn-udp udp 3478 <- livekit.yaml: turn.udp_port",
            "turn-tls tcp 5349 <- livekit.yaml: turn.tls_port",
        ]);
    });

    it("livekit.yaml with rtc.udp_port: the mux range replaces the port range", () => {
        assert.deepEqual(rulesOf("livekit-udpmux.yaml"), [
            "rtc-udp udp 7882-7892 <- livekit-udpmux.yaml: rtc.udp_port",
            "rtc-tcp tcp 7881 <- livekit-udpmux.yaml: rtc.tcp_port",
        ]);
    });

    it("an empty livekit.yaml takes LiveKit's defaults", () => {
        const config = readServerConfig({ path: tempFile("livekit.yaml", "keys: {}\n") }, "/");
        assert.deepEqual(
            config.rules.map((r) => `${r.name} ${r.ports[0]!.from}-${r.ports[0]!.to}`),
            ["rtc-udp 50000-60000", "rtc-tcp 7881-7881"],
        );
    });

    it("LiveKit SIP config.yml: SIP on UDP and TCP, TLS, the RTP range", () => {
        assert.deepEqual(rulesOf("livekit-sip.yml"), [
            "sip-udp udp 5060 <- livekit-sip.yml: sip_port",
            "sip-tcp tcp 5060 <- livekit-sip.yml: sip_port",
            "sip-tls tcp 5061 <- livekit-sip.yml: tls.port",
            "sip-rtp udp 10000-20000 <- livekit-sip.yml: rtp_port",
        ]);
    });

    it("turnserver.conf: commented defaults, the relay range, no-tcp and no-dtls", () => {
        assert.deepEqual(rulesOf("turnserver.conf"), [
            "stun-udp udp 3478 <- turnserver.conf: listening-port",
            "turns-tls tcp 5349 <- turnserver.conf: tls-listening-port",
            "relay-udp udp 49160-49200 <- turnserver.conf: min-port..max-port",
        ]);
        const defaults = readServerConfig({ path: tempFile("turnserver.conf", "# all defaults\nrealm=x\n") }, "/");
        assert.deepEqual(
            defaults.rules.map((r) => r.name),
            ["stun-udp", "stun-tcp", "turns-tls", "turns-dtls", "relay-udp"],
        );
        assert.deepEqual(defaults.rules.at(-1)!.ports, [{ from: 49152, to: 65535 }]);
    });

    it("coturn alternate ports, LiveKit SIP defaults, LiveKit's debug handler port", () => {
        const coturn = readServerConfig(
            { path: tempFile("turnserver.conf", "alt-listening-port=3479\nalt-tls-listening-port 5350\nno-udp\n") },
            "/",
        );
        assert.deepEqual(
            coturn.rules.map((r) => `${r.name} ${r.protocol} ${r.ports[0]!.from}`),
            [
                "stun-tcp tcp 3478",
                "turns-tls tcp 5349",
                "turns-dtls udp 5349",
                "stun-alt-tcp tcp 3479",
                "turns-alt-tls tcp 5350",
                "relay-udp udp 49152",
            ],
        );
        const sip = readServerConfig({ path: tempFile("config.yml", "sip_port: 5070\n") }, "/");
        assert.deepEqual(
            sip.rules.map((r) => `${r.name} ${r.ports.map((p) => `${p.from}-${p.to}`).join(",")}`),
            ["sip-udp 5070-5070", "sip-tcp 5070-5070", "sip-rtp 10000-20000"],
        );
        const debug = readServerConfig({ path: tempFile("livekit.yaml", "port: 7880\ndebug_handler_port:\n  port: 7070\n") }, "/");
        assert.deepEqual(
            debug.privatePorts.map((p) => `${p.port} ${p.error} ${p.origin}`),
            ["7880 false livekit.yaml: port", "7070 true livekit.yaml: debug_handler_port.port"],
        );
    });

    it("docker compose: short and long syntax, ranges; loopback and container-only ports are not published", () => {
        const compose = readServerConfig({ path: "docker-compose.yml" }, FIXTURES);
        const published = compose.published.map(
            (p) => `${p.protocol}/${p.ports.from === p.ports.to ? p.ports.from : `${p.ports.from}-${p.ports.to}`}`,
        );
        assert.deepEqual(published.sort(), ["tcp/5349", "tcp/7881", "udp/3478", "udp/40000-40100"]);
    });

    it("a bad file: every problem with the file, the key, the value and the fix; nothing registered", () => {
        const lines = refuse({
            cloud: "aws",
            serverConfigs: [fixture("livekit-bad.yaml"), fixture("missing.yaml"), { path: fixture("livekit.yaml"), kind: "nginx" }],
        });
        const text = lines.join("\n");
        assert.match(
            text,
            /livekit-bad\.yaml:3: rtc\.port_range_start: 60000\.\.50000 \(rtc\.port_range_start\.\.rtc\.port_range_end\) is a reversed range; swap the two values/,
        );
        assert.match(text, /livekit-bad\.yaml:5: rtc\.tcp_port: "seven" is not a port; write a whole number from 1 to 65535/);
        assert.match(text, /livekit-bad\.yaml:7: turn\.enabled: "yes" is not true or false/);
        assert.match(text, /livekit-bad\.yaml:1: port: 78800 is not a port/);
        assert.match(
            text,
            /serverConfigs: .*missing\.yaml: is not a file inside the project folder .*: no such file there, or a path or symbolic link that leads out of it/,
        );
        assert.match(text, /serverConfigs\[2\]: .* is not a server config; write a path, or \{path, kind\}/);
    });
});

describe("server configs: each problem at its file's line", () => {
    const read = (name: string, text: string, kind?: "coturn" | "compose") => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wrf-lines-"));
        fs.writeFileSync(path.join(dir, name), text);
        return readServerConfig({ path: name, kind }, dir).problems.map((p) => `${p.path}: ${p.message}`);
    };

    it("turnserver.conf: the line that sets the key, past comments and blank lines", () => {
        const lines = read(
            "turnserver.conf",
            "# coturn\n\nrealm=example.org\n#listening-port=3478\nlistening-port=99999\nmin-port=60000\nmax-port=50000\n",
            "coturn",
        );
        assert.deepEqual(lines, [
            'turnserver.conf:5: listening-port: "99999" is not a port; write a whole number from 1 to 65535',
            "turnserver.conf:6: min-port: 60000..50000 (min-port..max-port) is a reversed range; swap the two values",
        ]);
    });

    it("docker compose: the line of the published port, in a nested list", () => {
        const lines = read(
            "docker-compose.yml",
            'services:\n  livekit:\n    image: livekit/livekit-server\n    ports:\n      - "7881:7881"\n      - "70000:70000/udp"\n',
        );
        assert.equal(lines.length, 1, lines.join("\n"));
        assert.match(lines[0]!, /^docker-compose\.yml:6: services\.livekit\.ports\[1\]: /);
    });
});

describe("server configs in the plan", () => {
    it("with the livekit preset, the rules the file covers take its ports and carry its origin", async () => {
        const { resources } = await plan({ cloud: "aws", preset: "livekit", ipv6: false, serverConfigs: [fixture("livekit.yaml")] });
        assert.deepEqual(awsIngress(resources), [
            "tcp 5349 0.0.0.0/0",
            "tcp 7881 0.0.0.0/0",
            "udp 3478 0.0.0.0/0",
            "udp 40000-40100 0.0.0.0/0",
        ]);
        const rtc = ofType(resources, AWS_INGRESS).find((r) => r.inputs.fromPort === 40000)!;
        assert.equal(rtc.inputs.description, "rtc-udp: WebRTC media (ICE/UDP) (livekit.yaml: rtc.port_range_start..rtc.port_range_end)");
    });

    it("the file opens exactly what the server needs on every cloud", async () => {
        for (const cloud of CLOUDS) {
            const args = {
                cloud,
                serverConfigs: [fixture("turnserver.conf")],
                gcp: { targetTags: ["m"] },
                digitalocean: { tags: ["m"] },
                azure: { resourceGroupName: "rg" },
                oci: { compartmentId: "ocid1.compartment.oc1..aaaaaaaamedia", vcnId: "ocid1.vcn.oc1.eu-frankfurt-1.amaaaaaamedia" },
            };
            const { firewall } = await plan(args);
            assert.deepEqual(
                firewall.plan.rules.map((r) => `${r.name} ${r.protocol} ${r.ports.join(",")}`),
                ["relay-udp udp 49160-49200", "stun-udp udp 3478", "turns-tls tcp 5349"],
                cloud,
            );
        }
    });

    it("ports the server says are private: metrics to the world is an error, the API a warning", async () => {
        const lines = refuse({
            cloud: "aws",
            serverConfigs: [fixture("livekit-udpmux.yaml")],
            ports: [{ name: "metrics", protocol: "tcp", ports: 6789 }],
        });
        assert.match(
            lines.join("\n"),
            /^ports\[0\]\.ports: rule "metrics" opens 6789\/tcp \(livekit-udpmux\.yaml: prometheus_port\) to all of IPv4 and all of IPv6: Prometheus metrics must never be public; remove it from the rule$/m,
        );
        const { firewall } = await plan({
            cloud: "aws",
            serverConfigs: [fixture("livekit.yaml")],
            ports: [{ name: "api", protocol: "tcp", ports: 7880 }],
        });
        assert.ok(
            firewall.warnings.some((w) => /rule "api" opens 7880\/tcp \(livekit\.yaml: port\).*behind a TLS load balancer/.test(w)),
            firewall.warnings.join("\n"),
        );
    });

    it("a server listening on a dangerous service's port by its own config: planned, with a warning", async () => {
        const file = tempFile("turnserver.conf", "listening-port=3306\nno-udp\nno-tls\nno-dtls\n");
        const { firewall } = await inFolder(path.dirname(file), () => plan({ cloud: "aws", serverConfigs: ["turnserver.conf"] }));
        assert.ok(
            firewall.warnings.some((w) =>
                /opens 3306\/tcp \(MySQL.*\(the media server listens there by its own config: keep that service off this host\)/.test(w),
            ),
            firewall.warnings.join("\n"),
        );
    });

    it("the stack program reads serverConfigs relative to the project folder", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wrf-project-"));
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: media\nruntime: nodejs\n");
        fs.copyFileSync(fixture("livekit.yaml"), path.join(dir, "livekit.yaml"));
        fs.mkdirSync(path.join(dir, "stacks"));
        fs.writeFileSync(
            path.join(dir, "stacks", "Pulumi.dev.yaml"),
            "config:\n  webrtc-firewall:cloud: aws\n  webrtc-firewall:serverConfigs: [livekit.yaml]\n",
        );
        const { stdout } = await runPlan({ config: path.join(dir, "stacks", "Pulumi.dev.yaml"), format: "json" }, ROOT);
        assert.ok(JSON.parse(stdout).resources.some((r: { inputs: { fromPort?: number } }) => r.inputs.fromPort === 40000));
    });
});

describe("drift: plan --check", () => {
    it("the livekit preset against the server's files: exactly the missing and the unused ports", () => {
        const args = { cloud: "aws", preset: "livekit" };
        const servers = readServerConfigs([fixture("livekit.yaml"), fixture("docker-compose.yml")], "/").configs;
        const drift = checkDrift(planRules(validateConfig(args).spec!), servers);
        assert.deepEqual(
            drift.missing.map((m) => `${m.ports}/${m.protocol} ${m.origin}`),
            [
                "5349/tcp livekit.yaml: turn.tls_port",
                "40000-40100/udp livekit.yaml: rtc.port_range_start..rtc.port_range_end",
                "3478/udp livekit.yaml: turn.udp_port",
            ],
        );
        // What the containers publish on every address but the spec does not open: Docker exposes it anyway.
        assert.deepEqual(
            drift.exposed.map((m) => `${m.ports}/${m.protocol} ${m.origin} -> ${m.fix}`),
            [
                '40000-40100/udp docker-compose.yml: services.livekit.ports[1] -> "127.0.0.1:40000-40100:40000-40100/udp"',
                "3478/udp docker-compose.yml: services.livekit.ports[3] -> host_ip: 127.0.0.1",
                "5349/tcp docker-compose.yml: services.livekit.ports[4] -> host_ip: 127.0.0.1",
            ],
        );
        assert.deepEqual(
            drift.unused.map((m) => `${m.ports}/${m.protocol} ${m.origin}`),
            ["50000-60000/udp rule rtc-udp"],
        );
    });

    it("exit 1 on drift, 0 without; a table and --json", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wrf-check-"));
        const settings = path.join(dir, "Pulumi.dev.yaml");
        fs.copyFileSync(fixture("livekit.yaml"), path.join(dir, "livekit.yaml"));
        fs.writeFileSync(settings, "config:\n  webrtc-firewall:cloud: aws\n  webrtc-firewall:serverConfigs: [livekit.yaml]\n");
        const unlocked = await runCli(["plan", "--config", settings, "--check", fixture("livekit.yaml")]);
        assert.equal(unlocked.code, 1, "a TURN relay without a deny list is drift");
        assert.match(
            unlocked.stdout,
            /livekit\.yaml: turn\.deny_peer_cidrs: leaves \d+ denied ranges open[^\n]*\n {4}add:\n {6}0\.0\.0\.0\/8\n {6}100\.64\.0\.0\/10\n/,
        );
        const clean = await runCli([
            "plan",
            "--config",
            settings,
            "--check",
            tempFile("livekit.yaml", lockedLiveKit(fs.readFileSync(fixture("livekit.yaml"), "utf8"))),
        ]);
        assert.equal(clean.code, 0);
        assert.match(clean.stdout, /^No drift/);
        const drifted = await runCli(["plan", "--config", settings, "--check", fixture("livekit-udpmux.yaml"), "--format", "json"]);
        assert.equal(drifted.code, 1);
        const doc = JSON.parse(drifted.stdout);
        assert.deepEqual(doc.missing, [{ protocol: "udp", ports: "7882-7892", origin: "livekit-udpmux.yaml: rtc.udp_port" }]);
    });

    itProperty(
        "property: a random LiveKit config plans exactly its ports on every cloud, no drift with itself, exact drift after an edit",
        async () => {
            const gen = fc.record({
                start: fc.integer({ min: 20000, max: 60000 }),
                width: fc.integer({ min: 0, max: 500 }),
                tcp: fc.integer({ min: 7000, max: 7999 }),
                turn: fc.boolean(),
                shift: fc.integer({ min: 1, max: 50 }),
            });
            for (const g of fc.sample(gen, { seed: 20261123, numRuns: 15 })) {
                const unlocked = `rtc:\n  port_range_start: ${g.start}\n  port_range_end: ${Math.min(65535, g.start + g.width)}\n  tcp_port: ${g.tcp}\nturn:\n  enabled: ${g.turn}\n`;
                const text = lockedLiveKit(unlocked);
                const file = tempFile("livekit.yaml", text);
                const server = readServerConfig({ path: file }, "/");
                for (const cloud of CLOUDS) {
                    const { firewall } = await inFolder(path.dirname(file), () =>
                        plan({
                            cloud,
                            serverConfigs: ["livekit.yaml"],
                            gcp: { targetTags: ["m"] },
                            digitalocean: { tags: ["m"] },
                            azure: { resourceGroupName: "rg" },
                            oci: {
                                compartmentId: "ocid1.compartment.oc1..aaaaaaaamedia",
                                vcnId: "ocid1.vcn.oc1.eu-frankfurt-1.amaaaaaamedia",
                            },
                        }),
                    );
                    assert.deepEqual(
                        checkDrift(firewall.plan, [server]),
                        { drift: false, missing: [], exposed: [], unused: [], relay: [] },
                        `${cloud}: ${text}`,
                    );
                    // Without its deny list, a TURN relay is drift; without TURN there is nothing to lock.
                    const relayDrift = checkDrift(firewall.plan, [
                        readServerConfig({ path: tempFile("livekit.yaml", unlocked) }, "/"),
                    ]).relay;
                    assert.equal(relayDrift.length, g.turn ? 1 : 0, unlocked);
                }
                // Edit the file: move the range up by `shift`; the drift is exactly the ports that moved.
                const end = Math.min(65535, g.start + g.width);
                const moved = readServerConfig(
                    {
                        path: tempFile(
                            "livekit.yaml",
                            text
                                .replace(`port_range_start: ${g.start}`, `port_range_start: ${g.start + g.shift}`)
                                .replace(`port_range_end: ${end}`, `port_range_end: ${Math.min(65535, end + g.shift)}`),
                        ),
                    },
                    "/",
                );
                const spec = validateConfig({ cloud: "aws", serverConfigs: [file] }, [server]).spec!;
                const drift = checkDrift(planRules(spec), [moved]);
                const newEnd = Math.min(65535, end + g.shift);
                const expectMissing =
                    newEnd > end
                        ? [
                              `${Math.max(end + 1, g.start + g.shift) === newEnd ? newEnd : `${Math.max(end + 1, g.start + g.shift)}-${newEnd}`}/udp`,
                          ]
                        : [];
                assert.deepEqual(
                    drift.missing.map((m) => `${m.ports}/${m.protocol}`),
                    expectMissing,
                    text,
                );
                const unusedEnd = Math.min(end, g.start + g.shift - 1);
                assert.deepEqual(
                    drift.unused.map((m) => `${m.ports}/${m.protocol}`),
                    [`${g.start === unusedEnd ? g.start : `${g.start}-${unusedEnd}`}/udp`],
                    text,
                );
            }
        },
    );
});

describe("drift, property: coturn, and edits on the rules' side", () => {
    itProperty(
        "a random turnserver.conf plans exactly its ports on every cloud; a rule added to the stack is exactly the unused drift",
        async () => {
            const gen = fc.record({
                listening: fc.integer({ min: 1024, max: 9000 }),
                tls: fc.integer({ min: 9001, max: 12000 }),
                min: fc.integer({ min: 30000, max: 50000 }),
                width: fc.integer({ min: 0, max: 2000 }),
                flags: fc.subarray(["no-udp", "no-tcp", "no-tls", "no-dtls"]),
                extra: fc.integer({ min: 13000, max: 29999 }),
            });
            for (const g of fc.sample(gen, { seed: 20261124, numRuns: 15 })) {
                const unlocked = `listening-port=${g.listening}\ntls-listening-port=${g.tls}\nmin-port=${g.min}\nmax-port=${g.min + g.width}\n${g.flags.join("\n")}\n`;
                const text = `${unlocked}${coturnPeerLines(DEFAULT_RELAY).join("\n")}\n`;
                assert.ok(
                    checkDrift(planRules(validateConfig({ cloud: "aws", preset: "coturn" }).spec!), [
                        readServerConfig({ path: tempFile("turnserver.conf", unlocked) }, "/"),
                    ]).relay.length > 0,
                    "the same file without the lockdown is drift",
                );
                const file = tempFile("turnserver.conf", text);
                const server = readServerConfig({ path: file }, "/");
                const needed = new Set(
                    server.rules.flatMap((r) =>
                        r.ports.flatMap((p) => Array.from({ length: p.to - p.from + 1 }, (_, i) => `${r.protocol}/${p.from + i}`)),
                    ),
                );
                for (const cloud of CLOUDS) {
                    const { firewall } = await inFolder(path.dirname(file), () =>
                        plan({
                            cloud,
                            ipv6: false,
                            serverConfigs: ["turnserver.conf"],
                            gcp: { targetTags: ["m"] },
                            digitalocean: { tags: ["m"] },
                            azure: { resourceGroupName: "rg" },
                            oci: {
                                compartmentId: "ocid1.compartment.oc1..aaaaaaaamedia",
                                vcnId: "ocid1.vcn.oc1.eu-frankfurt-1.amaaaaaamedia",
                            },
                        }),
                    );
                    const opened = new Set(
                        firewall.plan.flows.flatMap((f) =>
                            Array.from({ length: f.ports.to - f.ports.from + 1 }, (_, i) => `${f.protocol}/${f.ports.from + i}`),
                        ),
                    );
                    assert.deepEqual([...opened].sort(), [...needed].sort(), `${cloud}: ${text}`);
                    assert.equal(checkDrift(firewall.plan, [server]).drift, false);
                }
                // The other side: one more public rule in the stack is exactly the unused drift.
                const spec = validateConfig(
                    { cloud: "aws", ipv6: false, serverConfigs: [file], ports: [{ name: "extra", protocol: "tcp", ports: g.extra }] },
                    [server],
                ).spec!;
                const drift = checkDrift(planRules(spec), [server]);
                assert.deepEqual(
                    [drift.missing, drift.unused],
                    [[], [{ protocol: "tcp", ports: String(g.extra), origin: "rule extra" }]],
                    text,
                );
            }
        },
    );
});

describe("the other direction: plan --format livekit|coturn|compose", () => {
    it("prints the config fragments that match the stack's rules, and they read back without drift", async () => {
        const livekit = validateConfig({ cloud: "aws", preset: "livekit", presetOptions: { turn: true } }).spec!;
        const p = planRules(livekit);
        const fragment = renderLiveKit(p);
        assert.match(
            fragment,
            /rtc:\n {2}port_range_start: 50000\n {2}port_range_end: 60000\n {2}tcp_port: 7881\nturn:\n {2}enabled: true\n {2}udp_port: 3478\n {2}tls_port: 5349\n/,
        );
        assert.deepEqual(checkDrift(p, [readServerConfig({ path: tempFile("livekit.yaml", fragment) }, "/")]), {
            drift: false,
            missing: [],
            exposed: [],
            unused: [],
            relay: [],
        });
        const coturn = planRules(validateConfig({ cloud: "aws", preset: "coturn" }).spec!);
        assert.ok(
            renderCoturn(coturn).startsWith(
                "# turnserver.conf: the ports webrtc-firewall opens\nlistening-port=3478\ntls-listening-port=5349\nmin-port=49152\nmax-port=65535\nno-dtls\n",
            ),
            renderCoturn(coturn),
        );
        assert.deepEqual(
            checkDrift(coturn, [readServerConfig({ path: tempFile("turnserver.conf", renderCoturn(coturn)) }, "/")]).drift,
            false,
        );
        assert.match(
            renderCompose(p),
            /ports:\n {2}- 5349:5349\n {2}- 7881:7881\n {2}- 3478:3478\/udp\n {2}- 50000-60000:50000-60000\/udp\n/,
        );
        assert.match((await runPlan({ stack: "aws", format: "livekit" }, ROOT)).stdout, /port_range_start: 50000/);
    });
});
