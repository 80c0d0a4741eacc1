/** listen and probe on this machine's loopback: what cannot be bound is listed, bad input is a usage error. */
import * as assert from "node:assert/strict";
import * as dgram from "node:dgram";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { run as runCli } from "../../src/cli/main";
import { validateConfig } from "../../src/pipeline/validate";
import { planRules } from "../../src/plan/plan";
import { listen } from "../../src/verify/listen";
import { answer, readQuestion } from "../../src/verify/wire";
import { probe } from "../../src/verify/probe";

function settings(yaml: string): string {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "wrf-verify-")), "Pulumi.v.yaml");
    fs.writeFileSync(file, yaml);
    return file;
}

describe("listen and probe on loopback", function () {
    this.timeout(60_000);

    it("a port already in use is listed with the reason, and every other port is still served and answers", async () => {
        const busy = net.createServer();
        await new Promise<void>((resolve) => busy.listen({ port: 0, host: "::", ipv6Only: false }, resolve));
        const port = (busy.address() as net.AddressInfo).port;
        const free = net.createServer();
        await new Promise<void>((resolve) => free.listen({ port: 0, host: "::", ipv6Only: false }, resolve));
        const freePort = (free.address() as net.AddressInfo).port;
        await new Promise((resolve) => free.close(resolve));
        const plan = planRules(
            validateConfig({
                cloud: "aws",
                ports: [
                    { name: "a", protocol: "tcp", ports: [port, freePort] },
                    { name: "u", protocol: "udp", ports: 45000 },
                ],
            }).spec!,
        );
        const listening = await listen(plan);
        try {
            assert.deepEqual(
                listening.failed.map((f) => `${f.port}/${f.protocol}: ${f.reason}`),
                [`${port}/tcp: in use (is a media server already running?)`],
            );
            assert.equal(listening.tcp, 1);
            assert.equal(listening.udp, 1);
            const report = await probe(plan, { host: "127.0.0.1", timeoutMs: 200 });
            assert.equal(report.seenAs, "127.0.0.1");
            const udp = report.results.find((r) => r.protocol === "udp" && r.port === 45000)!;
            assert.deepEqual([udp.expected, udp.observed], ["open", "open"]);
        } finally {
            await listening.close();
            busy.close();
        }
    });

    it("a server still draining its backlog after the wait is read as open: the probe waits while answers keep coming", async () => {
        // A busy listener answers thousands of datagrams one after another; here one answer per 5 ms, so
        // 200 ports take a second while each wait is 100 ms. A fixed wait read most of them as closed.
        const from = 45100;
        const plan = planRules(
            validateConfig({ cloud: "aws", ports: [{ name: "slow", protocol: "udp", ports: `${from}-${from + 199}` }] }).spec!,
        );
        const queue: (() => void)[] = [];
        const sockets = await Promise.all(
            Array.from(
                { length: 200 },
                (_, i) =>
                    new Promise<dgram.Socket>((resolve) => {
                        const socket = dgram.createSocket("udp4");
                        socket.on("message", (m, rinfo) =>
                            queue.push(() =>
                                socket.send(answer("udp", from + i, rinfo.address, readQuestion(m)), rinfo.port, rinfo.address),
                            ),
                        );
                        socket.bind(from + i, "127.0.0.1", () => resolve(socket));
                    }),
            ),
        );
        const drain = setInterval(() => queue.shift()?.(), 5);
        try {
            const report = await probe(plan, { host: "127.0.0.1", timeoutMs: 100, retries: 3 });
            const slow = report.results.filter((r) => r.rule === "slow");
            assert.deepEqual(
                slow.filter((r) => r.observed !== "open").map((r) => r.port),
                [],
            );
            assert.deepEqual(
                report.results.filter((r) => r.rule !== "slow").map((r) => r.observed),
                ["closed", "closed"],
                "the neighbours stay closed",
            );
        } finally {
            clearInterval(drain);
            for (const s of sockets) s.close();
        }
    });

    it("bad input is a usage error (exit 2): an unresolvable host, a family the config opens nothing on, a malformed --extra", async () => {
        const v4only = settings("config:\n  webrtc-firewall:cloud: aws\n  webrtc-firewall:preset: jitsi\n  webrtc-firewall:ipv6: false\n");
        const stderr = process.stderr.write;
        let errors = "";
        process.stderr.write = ((chunk: string) => ((errors += chunk), true)) as typeof process.stderr.write;
        try {
            assert.equal((await runCli(["probe", "--config", v4only, "--host", "no-such-host.invalid"])).code, 2);
            assert.match(errors, /--host no-such-host\.invalid: cannot resolve that name/);
            assert.equal((await runCli(["probe", "--config", v4only, "--host", "::1"])).code, 2);
            assert.match(errors, /--host ::1 is IPv6, and the config opens nothing over IPv6/);
            assert.equal((await runCli(["probe", "--config", v4only, "--host", "127.0.0.1", "--extra", "sctp/9"])).code, 2);
            assert.match(errors, /--extra: "sctp\/9" is not like tcp\/5000 or udp\/9/);
            assert.equal((await runCli(["probe", "--config", v4only])).code, 2, "--host is required");
            for (const [option, value] of [
                ["--timeout", "-1"],
                ["--timeout", "0"],
                ["--timeout", "abc"],
                ["--timeout", "99999999"],
                ["--retries", "0"],
                ["--retries", "11"],
            ] as const) {
                assert.equal(
                    (await runCli(["probe", "--config", v4only, "--host", "127.0.0.1", `${option}=${value}`])).code,
                    2,
                    `${option} ${value}`,
                );
            }
            assert.match(errors, /--timeout "-1": give a whole number of milliseconds from 1 to 60000/);
            assert.match(errors, /--retries "0": give a whole number of rounds from 1 to 10/);
            assert.equal((await runCli(["listen", "--config", v4only, "--for", "3d"])).code, 2);
            assert.match(errors, /--for "3d": give a duration from 1s to 24h, like 90s, 15m or 2h/);
            const nothing = settings("config:\n  webrtc-firewall:cloud: aws\n");
            assert.equal((await runCli(["probe", "--config", nothing, "--host", "127.0.0.1"])).code, 1);
            assert.match(errors, /the config opens no port/);
        } finally {
            process.stderr.write = stderr;
        }
    });
});

describe("probe against a hostile server (real sockets on loopback; 127.0.0.3 is a third host)", function () {
    this.timeout(30_000);
    const TCP = { dribble: 45210, stream: 45220, lies: 45230 };
    const UDP = { hostile: 45240, forgedAway: 45250, forgedHere: 45260 };

    it("cannot be made to hang, crash, or read a closed port as open, nor to judge the rules against a forged address", async () => {
        const servers: { close(): void }[] = [];
        const timers: NodeJS.Timeout[] = [];
        const tcp = (port: number, onSocket: (s: net.Socket) => void) =>
            new Promise<void>((resolve) => {
                const server = net.createServer((socket) => {
                    socket.on("error", () => undefined);
                    onSocket(socket);
                });
                servers.push(server);
                server.listen(port, "127.0.0.1", resolve);
            });
        // One byte every 300 ms, forever: an idle timeout never fires.
        await tcp(TCP.dribble, (s) => timers.push(setInterval(() => s.write("W"), 300)));
        // A stream with no end and no newline.
        await tcp(TCP.stream, (s) => {
            const chunk = Buffer.alloc(64 * 1024, "x");
            const pump = () => {
                while (!s.destroyed && s.write(chunk));
            };
            s.on("drain", pump);
            pump();
        });
        // Answers naming an address that is none.
        await tcp(TCP.lies, (s) => s.end(`wrf tcp ${TCP.lies} not-an-address\nWRFA1 tcp ${TCP.lies} not-an-address\n`));
        const udp = async (address: string, port: number) => {
            const socket = dgram.createSocket("udp4");
            servers.push(socket);
            await new Promise<void>((r) => socket.bind(port, address, () => r()));
            return socket;
        };
        const forgers = [await udp("127.0.0.3", UDP.forgedAway), await udp("127.0.0.3", UDP.forgedHere)];
        const wrongNonce = await udp("127.0.0.1", UDP.forgedHere);
        wrongNonce.on("message", (_m, rinfo) =>
            wrongNonce.send(answer("udp", UDP.forgedHere, "203.0.113.9", "0".repeat(32)), rinfo.port, rinfo.address),
        );
        // A server that answers its own port honestly, and tells a third host where the probe listens.
        const hostile = await udp("127.0.0.1", UDP.hostile);
        hostile.on("message", (m, rinfo) => {
            hostile.send(answer("udp", UDP.hostile, rinfo.address, readQuestion(m)), rinfo.port, rinfo.address);
            for (const [i, forger] of forgers.entries()) {
                const port = i === 0 ? UDP.forgedAway : UDP.forgedHere;
                for (const lie of [answer("udp", port, "203.0.113.9", readQuestion(m)), Buffer.from(`wrf udp ${port} 203.0.113.9\n`)])
                    forger.send(lie, rinfo.port, "127.0.0.1");
            }
        });
        try {
            const plan = planRules(
                validateConfig({
                    cloud: "aws",
                    ports: [
                        { name: "tcp", protocol: "tcp", ports: Object.values(TCP) },
                        { name: "udp", protocol: "udp", ports: Object.values(UDP) },
                    ],
                }).spec!,
            );
            const report = await probe(plan, { host: "127.0.0.1", timeoutMs: 200 });
            const observed = (protocol: string, port: number) =>
                report.results.find((r) => r.protocol === protocol && r.port === port)!.observed;
            assert.equal(
                report.seenAs,
                "127.0.0.1",
                "no answer from a third host, nor a lie about an address, moves who the rules are judged for",
            );
            assert.deepEqual(
                Object.values(TCP).map((p) => observed("tcp", p)),
                ["open", "open", "open"],
                "each accepted the connection",
            );
            assert.deepEqual(
                Object.values(UDP).map((p) => observed("udp", p)),
                ["open", "closed", "closed"],
                "forged answers open nothing",
            );
        } finally {
            for (const t of timers) clearInterval(t);
            for (const s of servers) s.close();
        }
    });
});
