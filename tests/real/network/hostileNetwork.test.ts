/**
 * `listen` runs on a public address: what an attacker sends it, with real packets between network
 * namespaces (tests/netns/lab.ts, tests/netns/attacker.ts). Spoofed sources and source port 0 are made
 * by nftables rewriting the attacker's own datagrams (payload statements, untracked), as a spoofing
 * host would send them. Every flood is bounded in count and time. Needs root, iproute2 and nftables.
 */
import * as assert from "node:assert/strict";
import { type ChildProcess, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { QUESTION_BYTES } from "../../../src/verify/wire";
import { Lab, NET, sh, whyNot } from "../../netns/lab";
import { CHILD_OUTPUT_MAX } from "../../childOutput";

const PORT = 40000;
const SPOOFED_LISTENER_PORT = 40001;

/** Stops a listener and returns what it printed from now on (the summary comes at the stop). */
async function stop(child: ChildProcess): Promise<{ code: number | null; out: string }> {
    let out = "";
    child.stdout!.on("data", (d) => (out += d));
    if (child.exitCode !== null) return { code: child.exitCode, out };
    const exited = new Promise<number | null>((r) => child.once("exit", r));
    child.kill("SIGTERM");
    return { code: await exited, out };
}

/** The summary line's counts: answered, ignored, limited, dropped, refused. */
function counts(out: string): Record<string, number> {
    const m =
        /listen stopped: answered (\d+); not answered: (\d+) datagrams that were not a probe's question, (\d+) over the rate limit, (\d+) with the send queue full, (\d+) connections over the cap/.exec(
            out,
        );
    assert.ok(m, `no summary in: ${out}`);
    return { answered: Number(m[1]), ignored: Number(m[2]), limited: Number(m[3]), dropped: Number(m[4]), refused: Number(m[5]) };
}

function nftIn(ns: string, ruleset: string, dir: string): void {
    const file = path.join(dir, `${ns}-extra.nft`);
    fs.writeFileSync(file, ruleset);
    sh("ip", "netns", "exec", ns, "nft", "-f", file);
}

const packets = (ns: string, table: string): number =>
    Number(
        /packets (\d+)/.exec(
            execFileSync("ip", ["netns", "exec", ns, "nft", "list", "table", "inet", table], {
                maxBuffer: CHILD_OUTPUT_MAX,
                encoding: "utf8",
            }),
        )?.[1] ?? NaN,
    );

const reason = whyNot();
if (reason && process.env.CI === "true") {
    describe("listen against hostile traffic", () => it("can run on CI", () => assert.fail(`CI must run these: ${reason}`)));
} else if (reason) {
    console.log(`  (skipping hostile-network tests: ${reason})`);
} else {
    describe("listen against hostile traffic, with real packets", function () {
        this.timeout(120_000);
        const lab = new Lab();
        let settings: string;
        before(() => {
            lab.up();
            settings = lab.settings("hostile", {
                cloud: "aws",
                ipv6: true,
                ports: [
                    { name: "u", protocol: "udp", ports: PORT },
                    { name: "t", protocol: "tcp", ports: PORT },
                ],
            });
        });
        after(() => lab.down());

        it("one spoofed datagram between two listeners starts no loop: each side sees it once", async () => {
            // A second listener in the client namespace, and the spoofer's datagram made to come from it.
            const other = lab.settings("other", { cloud: "aws", ports: [{ name: "u", protocol: "udp", ports: SPOOFED_LISTENER_PORT }] });
            const server = await lab.listen(settings);
            const peer = await lab.listen(other, { ns: lab.cli });
            try {
                nftIn(
                    lab.srv,
                    `table inet wrf_count {\n  chain in { type filter hook input priority -150; udp dport ${PORT} counter; }\n}\n`,
                    lab.dir,
                );
                nftIn(
                    lab.cli,
                    `table ip wrf_spoof {\n  chain out { type filter hook output priority raw; udp sport 41999 notrack ip saddr set ${NET.other4} udp sport set ${SPOOFED_LISTENER_PORT}; }\n}\ntable inet wrf_count {\n  chain in { type filter hook input priority -150; udp dport ${SPOOFED_LISTENER_PORT} counter; }\n}\n`,
                    lab.dir,
                );
                const sent = await lab.attacker(["flood", NET.server4, String(PORT), "1", "41999", "question"]).result;
                assert.equal(sent.sent, 1);
                await new Promise((r) => setTimeout(r, 1500));
                assert.equal(packets(lab.srv, "wrf_count"), 1, "the server's port saw the spoofed datagram only");
                assert.equal(packets(lab.cli, "wrf_count"), 1, "the other listener got one answer, and did not answer it");
            } finally {
                const a = await stop(server);
                const b = await stop(peer);
                assert.equal(counts(a.out).answered, 1);
                assert.equal(counts(b.out).ignored, 1, "an answer is never answered");
                sh("ip", "netns", "exec", lab.srv, "nft", "delete", "table", "inet", "wrf_count");
                sh("ip", "netns", "exec", lab.cli, "nft", "delete", "table", "inet", "wrf_count");
                sh("ip", "netns", "exec", lab.cli, "nft", "delete", "table", "ip", "wrf_spoof");
            }
        });

        it("nothing but a well-formed question is answered, and never with more bytes than it had", async () => {
            const server = await lab.listen(settings);
            try {
                for (const kind of ["empty", "junk", "answer"]) {
                    const got = await lab.attacker(["flood", NET.server4, String(PORT), "5", "0", kind]).result;
                    assert.equal(got.replies, 0, `${kind} datagrams are not answered`);
                }
                const asked = await lab.attacker(["flood", NET.server4, String(PORT), "1", "0", "question"]).result;
                assert.deepEqual([asked.replies, asked.bytes], [1, QUESTION_BYTES]);
                assert.ok(asked.largest <= asked.bytes, `an answer of ${asked.largest} bytes to a question of ${asked.bytes}`);
            } finally {
                assert.equal(counts((await stop(server)).out).ignored, 15);
            }
        });

        it("source port 0 and a link-local sender on an interface named br-3f2a1c end nothing; both are served on", async () => {
            sh("ip", "link", "add", "br-3f2a1c", "netns", lab.srv, "type", "veth", "peer", "name", "eth0.100", "netns", lab.cli);
            // Only the addresses given here: no address made from the MAC competes as the source.
            sh("ip", "-n", lab.srv, "link", "set", "br-3f2a1c", "addrgenmode", "none");
            sh("ip", "-n", lab.cli, "link", "set", "eth0.100", "addrgenmode", "none");
            sh("ip", "-n", lab.srv, "addr", "add", "fe80::b/64", "dev", "br-3f2a1c", "nodad");
            sh("ip", "-n", lab.cli, "addr", "add", "fe80::c/64", "dev", "eth0.100", "nodad");
            sh("ip", "-n", lab.srv, "link", "set", "br-3f2a1c", "up");
            sh("ip", "-n", lab.cli, "link", "set", "eth0.100", "up");
            const server = await lab.listen(settings);
            try {
                nftIn(
                    lab.cli,
                    "table ip wrf_zero {\n  chain out { type filter hook output priority raw; udp sport 41998 notrack udp sport set 0; }\n}\n",
                    lab.dir,
                );
                await lab.attacker(["flood", NET.server4, String(PORT), "3", "41998", "question"]).result;
                const linkLocal = await lab.attacker(["ask", "fe80::b%eth0.100", String(PORT)]).result;
                assert.deepEqual(
                    linkLocal,
                    { udpSeen: "fe80::c", tcpSeen: "fe80::c" },
                    "answered over the link-local address, zone left out",
                );
                const after = await lab.attacker(["ask", NET.server4, String(PORT)]).result;
                assert.deepEqual(after, { udpSeen: NET.admin4, tcpSeen: NET.admin4 });
                assert.equal(server.exitCode, null, "listen is still running");
            } finally {
                const { out } = await stop(server);
                assert.equal(counts(out).ignored, 3, "the datagrams from port 0 were dropped, not answered");
                sh("ip", "netns", "exec", lab.cli, "nft", "delete", "table", "ip", "wrf_zero");
            }
        });

        it("400 connections held open by one address do not starve a real client, even at a low open-files limit", async () => {
            const server = await lab.listen(settings, { ulimit: 256 });
            const holder = lab.attacker(["hold", NET.server4, String(PORT), "400"]);
            try {
                const held = await holder.result;
                assert.ok(held.connected + held.reset >= 300, JSON.stringify(held));
                const { code, report, stderr } = await lab.probe(settings, NET.server4, NET.other4);
                assert.equal(code, 0, stderr);
                assert.deepEqual(
                    report.results
                        .filter((r) => r.port === PORT)
                        .map((r) => `${r.protocol} ${r.observed}`)
                        .sort(),
                    ["tcp open", "udp open"],
                );
                assert.equal(report.seenAs, NET.other4);
            } finally {
                holder.child.kill("SIGTERM");
                const c = counts((await stop(server)).out);
                assert.ok(
                    c.answered >= 300,
                    `the connections were answered and closed by the server, none left holding a descriptor: ${JSON.stringify(c)}`,
                );
            }
        });

        it("a flood of questions from one address is answered only up to its rate (--rate), and served again once it refills", async () => {
            // A low rate, so a paced flood the listener reads whole overruns it on any machine: 200 a second, 400 in a burst.
            const server = await lab.listen(settings, { args: ["--rate", "200"] });
            let c: Record<string, number>;
            try {
                const started = Date.now();
                const flood = await lab.attacker(["flood", NET.server4, String(PORT), "4000", "0", "question"]).result;
                const seconds = (Date.now() - started) / 1000;
                assert.ok(flood.replies <= 400 + 200 * seconds, `${flood.replies} answers to ${flood.sent} questions in ${seconds} s`);
                await new Promise((r) => setTimeout(r, 2500));
                const after = await lab.attacker(["ask", NET.server4, String(PORT)]).result;
                assert.deepEqual(after, { udpSeen: NET.admin4, tcpSeen: NET.admin4 }, "served again once the budget refills");
            } finally {
                c = counts((await stop(server)).out);
            }
            assert.ok(c.limited > 0 && c.answered <= 400 + 200 * 6, `the listener's own count: ${JSON.stringify(c)}`);
        });

        it("when the reply path is congested, answers are dropped at a bounded queue instead of piling up in memory", async () => {
            // 64 kbit/s out of the server with a deep queue: the socket's send buffer fills and stays full.
            sh(
                "ip",
                "netns",
                "exec",
                lab.srv,
                "tc",
                "qdisc",
                "add",
                "dev",
                "wrfs",
                "root",
                "tbf",
                "rate",
                "64kbit",
                "burst",
                "1600",
                "limit",
                "4000000",
            );
            const server = await lab.listen(settings);
            try {
                await lab.attacker(["flood", NET.server4, String(PORT), "20000", "0", "question"]).result;
            } finally {
                sh("ip", "netns", "exec", lab.srv, "tc", "qdisc", "del", "dev", "wrfs", "root");
                const c = counts((await stop(server)).out);
                assert.ok(c.dropped > 0, `the send queue is bounded: ${JSON.stringify(c)}`);
            }
        });

        it("listen stops by itself after --for, and says so when it starts", async () => {
            const started = Date.now();
            const server = await lab.listen(settings, { args: ["--for", "2s"] });
            const { code, out } = await new Promise<{ code: number | null; out: string }>((resolve) => {
                let text = "";
                server.stdout!.on("data", (d) => (text += d));
                server.once("exit", (c) => resolve({ code: c, out: text }));
            });
            assert.equal(code, 0);
            assert.ok(Date.now() - started < 60_000);
            assert.match(out, /listen stopped: answered 0/);
        });
    });
}
