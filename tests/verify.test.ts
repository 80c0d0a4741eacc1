/** listen and probe on this machine's loopback: what cannot be bound is listed, bad input is a usage error. */
import * as assert from "node:assert/strict";
import * as dgram from "node:dgram";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { run as runCli } from "../src/cli/main";
import { validateConfig } from "../src/contract/validate";
import { planRules } from "../src/plan/plan";
import { listen } from "../src/verify/listen";
import { answer, readQuestion } from "../src/verify/wire";
import { probe } from "../src/verify/probe";

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
        const plan = planRules(validateConfig({ cloud: "aws", ports: [{ name: "a", protocol: "tcp", ports: [port, freePort] }, { name: "u", protocol: "udp", ports: 45000 }] }).spec!);
        const listening = await listen(plan);
        try {
            assert.deepEqual(listening.failed.map((f) => `${f.port}/${f.protocol}: ${f.reason}`), [`${port}/tcp: in use (is a media server already running?)`]);
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
        const plan = planRules(validateConfig({ cloud: "aws", ports: [{ name: "slow", protocol: "udp", ports: `${from}-${from + 199}` }] }).spec!);
        const queue: (() => void)[] = [];
        const sockets = await Promise.all(Array.from({ length: 200 }, (_, i) => new Promise<dgram.Socket>((resolve) => {
            const socket = dgram.createSocket("udp4");
            socket.on("message", (m, rinfo) => queue.push(() => socket.send(answer("udp", from + i, rinfo.address, readQuestion(m)), rinfo.port, rinfo.address)));
            socket.bind(from + i, "127.0.0.1", () => resolve(socket));
        })));
        const drain = setInterval(() => queue.shift()?.(), 5);
        try {
            const report = await probe(plan, { host: "127.0.0.1", timeoutMs: 100, retries: 3 });
            const slow = report.results.filter((r) => r.rule === "slow");
            assert.deepEqual(slow.filter((r) => r.observed !== "open").map((r) => r.port), []);
            assert.deepEqual(report.results.filter((r) => r.rule !== "slow").map((r) => r.observed), ["closed", "closed"], "the neighbours stay closed");
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
            const nothing = settings("config:\n  webrtc-firewall:cloud: aws\n");
            assert.equal((await runCli(["probe", "--config", nothing, "--host", "127.0.0.1"])).code, 1);
            assert.match(errors, /the config opens no port/);
        } finally {
            process.stderr.write = stderr;
        }
    });
});
