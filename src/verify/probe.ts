/**
 * `probe`: from another computer, contact every port of every rule (TCP connects, UDP datagrams with
 * retries) on a host running `listen`, and compare what answers with what the spec opens to the address
 * the server saw this computer as. Also probes each range's neighbours, which must stay closed.
 *
 * The server may not be ours: a UDP answer counts only when it comes from the probed address and port
 * and echoes the nonce drawn for that port (wire.ts), so a third host cannot make a closed port read
 * open or change the address the rules are judged against; a TCP peer is read for at most
 * MAX_ANSWER_BYTES and two timeouts, however it dribbles or streams.
 */
import { randomBytes } from "node:crypto";
import * as dgram from "node:dgram";
import * as net from "node:net";
import { formatRange, parsePorts } from "../contract/ports";
import type { Protocol } from "../contract/types";
import type { RulePlan } from "../plan/plan";
import { admits } from "./ports";
import { MAX_ANSWER_BYTES, plainAddress, question, readAnswer, sameAddress } from "./wire";

export interface ProbeEntry {
    rule: string;
    protocol: Protocol;
    port: number;
    expected: "open" | "closed";
    observed: "open" | "closed";
}

export interface ProbeReport {
    host: string;
    seenAs: string;
    results: ProbeEntry[];
}

export interface ProbeOptions {
    host: string;
    /** Local address to send from (a client with several addresses). */
    source?: string;
    /** How long to wait for a UDP answer per round, and for a TCP connection, in ms. */
    timeoutMs?: number;
    /** UDP rounds: a datagram or its answer may be lost. */
    retries?: number;
    /** More ports to check, e.g. `tcp/5000`: expected as the plan says for this client. */
    extra?: { protocol: Protocol; port: number }[];
    onProgress?: (done: number, total: number) => void;
}

interface Wanted {
    rule: string;
    protocol: Protocol;
    port: number;
}

/** Every port of every rule, each range's neighbours, and the extra ports. */
function wanted(plan: RulePlan, extra: ProbeOptions["extra"] = []): Wanted[] {
    const out: Wanted[] = [];
    for (const rule of plan.rules) {
        const parsed = parsePorts(rule.ports);
        if (parsed.ok === false) continue;
        for (const range of parsed.ranges) {
            for (let port = range.from; port <= range.to; port++) out.push({ rule: rule.name, protocol: rule.protocol, port });
            for (const port of [range.from - 1, range.to + 1]) {
                if (port >= 1 && port <= 65535)
                    out.push({ rule: `${rule.name} (next to ${formatRange(range)})`, protocol: rule.protocol, port });
            }
        }
    }
    for (const e of extra) out.push({ rule: "(extra)", ...e });
    return out;
}

/** The local address this computer uses towards `host` (what the server sees without NAT). */
function localAddressTowards(host: string, source: string | undefined): Promise<string> {
    return new Promise((resolve, reject) => {
        const socket = dgram.createSocket(net.isIPv6(host) ? "udp6" : "udp4");
        socket.once("error", reject);
        socket.bind({ address: source, port: 0 }, () =>
            socket.connect(9, host, () => {
                const address = socket.address().address;
                socket.close();
                resolve(address);
            }),
        );
    });
}

interface TcpSeen {
    /** The handshake completed: the firewall let the connection through. */
    open: boolean;
    /** The address a listener named, when one answered. */
    seenAs?: string;
}

/** Connects once; ends at the first of: a listener's answer, the peer closing, more than an answer's bytes, the deadline. */
function probeTcp(host: string, port: number, source: string | undefined, deadlineMs: number): Promise<TcpSeen> {
    return new Promise((resolve) => {
        const socket = net.connect({ host, port, localAddress: source });
        let open = false;
        let data = Buffer.alloc(0);
        let ended = false;
        const done = (seenAs?: string) => {
            if (ended) return;
            ended = true;
            clearTimeout(timer);
            socket.destroy();
            resolve({ open, ...(seenAs ? { seenAs } : {}) });
        };
        const timer = setTimeout(() => done(), deadlineMs);
        socket.on("connect", () => (open = true));
        socket.on("data", (chunk: Buffer) => {
            data = Buffer.concat([data, chunk]);
            const newline = data.indexOf(0x0a);
            if (newline >= 0) {
                const said = readAnswer(data.subarray(0, newline + 1));
                done(said?.protocol === "tcp" && said.port === port ? said.seenAs : undefined);
            } else if (data.length > MAX_ANSWER_BYTES) done();
        });
        socket.on("error", () => done());
        socket.on("close", () => done());
    });
}

/**
 * Waits until `timeoutMs` pass without a new answer, at most 20 such periods: a server answering
 * thousands of datagrams drains its backlog for a while after the last one was sent, and its late
 * answers would otherwise read as closed ports (measured here: 16,384 ports, a few hundred answered
 * after a fixed wait had ended).
 */
async function quiet(answers: () => number, timeoutMs: number): Promise<void> {
    for (let period = 0; period < 20; period++) {
        const before = answers();
        await new Promise((r) => setTimeout(r, timeoutMs));
        if (answers() === before) return;
    }
}

/** Sends a question with its own nonce to every port, `retries` rounds; collects which answered (and as whom). */
async function probeUdp(
    host: string,
    ports: number[],
    source: string | undefined,
    timeoutMs: number,
    retries: number,
    progress: () => void,
): Promise<Map<number, string>> {
    // A large receive buffer: 10,000 answers arrive in bursts (the kernel caps it at net.core.rmem_max).
    const socket = dgram.createSocket({ type: net.isIPv6(host) ? "udp6" : "udp4", recvBufferSize: 8 << 20 });
    const random = randomBytes(16 * ports.length).toString("hex");
    const nonces = new Map(ports.map((port, i) => [port, random.slice(32 * i, 32 * i + 32)]));
    const answered = new Map<number, string>();
    socket.on("message", (msg, rinfo) => {
        if (!sameAddress(rinfo.address, host)) return;
        const said = readAnswer(msg);
        if (
            !said ||
            said.protocol !== "udp" ||
            said.port !== rinfo.port ||
            said.nonce !== nonces.get(rinfo.port) ||
            answered.has(rinfo.port)
        )
            return;
        answered.set(rinfo.port, said.seenAs);
        progress();
    });
    socket.on("error", () => undefined);
    await new Promise<void>((resolve) => socket.bind({ address: source, port: 0 }, () => resolve()));
    for (let round = 0; round < retries; round++) {
        const pending = ports.filter((p) => !answered.has(p));
        if (!pending.length) break;
        for (let i = 0; i < pending.length; i++) {
            socket.send(question(nonces.get(pending[i]!)!), pending[i]!, host);
            // Paced: bursts overflow socket buffers on both ends, and a lost answer costs a round.
            if (i % 128 === 127) await new Promise((r) => setTimeout(r, 2));
        }
        await quiet(() => answered.size, timeoutMs);
    }
    socket.close();
    return answered;
}

export async function probe(plan: RulePlan, options: ProbeOptions): Promise<ProbeReport> {
    const timeoutMs = options.timeoutMs ?? 400;
    const wants = wanted(plan, options.extra);
    const unique = (protocol: Protocol) => [...new Set(wants.filter((w) => w.protocol === protocol).map((w) => w.port))];
    const tcpPorts = unique("tcp");
    const udpPorts = unique("udp");
    const total = tcpPorts.length + udpPorts.length;
    let done = 0;
    const tick = () => options.onProgress?.(++done, total);

    let seenAs = await localAddressTowards(options.host, options.source);
    const tcpSeen = new Map<number, TcpSeen>();
    const POOL = 256;
    for (let i = 0; i < tcpPorts.length; i += POOL) {
        await Promise.all(
            tcpPorts.slice(i, i + POOL).map(async (port) => {
                tcpSeen.set(port, await probeTcp(options.host, port, options.source, timeoutMs * 2));
                tick();
            }),
        );
    }
    const udpSeen = await probeUdp(options.host, udpPorts, options.source, timeoutMs, options.retries ?? 3, tick);
    options.onProgress?.(total, total);
    // The server's view wins (NAT): any answer says which address the rules are judged against.
    const reported = [...[...tcpSeen.values()].map((t) => t.seenAs), ...udpSeen.values()].find((a) => a !== undefined);
    seenAs = plainAddress(reported ?? seenAs) ?? seenAs;

    const results = wants.map((w): ProbeEntry => {
        const answered = w.protocol === "tcp" ? tcpSeen.get(w.port)!.open : udpSeen.has(w.port);
        return {
            rule: w.rule,
            protocol: w.protocol,
            port: w.port,
            expected: admits(plan, w.protocol, w.port, seenAs) ? "open" : "closed",
            observed: answered ? "open" : "closed",
        };
    });
    return { host: options.host, seenAs, results };
}

/** One line per rule: how many of its ports answered as expected, and the ports that did not. */
export function summarize(report: ProbeReport): string {
    const byRule = new Map<string, ProbeEntry[]>();
    for (const r of report.results) byRule.set(`${r.rule} ${r.protocol}`, [...(byRule.get(`${r.rule} ${r.protocol}`) ?? []), r]);
    const lines = [`probe ${report.host}, seen as ${report.seenAs}`];
    for (const [rule, entries] of byRule) {
        const open = entries.filter((e) => e.observed === "open").length;
        const wrong = entries.filter((e) => e.observed !== e.expected);
        const mark = wrong.length ? "MISMATCH" : "ok";
        lines.push(
            `  ${mark.padEnd(8)} ${rule}: ${open}/${entries.length} open${
                wrong.length
                    ? `; expected ${wrong[0]!.expected} but ${wrong[0]!.observed}: ${wrong
                          .map((w) => w.port)
                          .slice(0, 20)
                          .join(", ")}${wrong.length > 20 ? ", ..." : ""}`
                    : ""
            }`,
        );
    }
    const bad = report.results.filter((r) => r.observed !== r.expected).length;
    lines.push(
        bad ? `${bad} of ${report.results.length} ports differ from the spec` : `all ${report.results.length} ports as the spec says`,
    );
    return lines.join("\n") + "\n";
}
