/**
 * `probe`: from another computer, contact every port of every rule (TCP connects, UDP datagrams with
 * retries) on a host running `listen`, and compare what answers with what the spec opens to the address
 * the server saw this computer as. Also probes each range's neighbours, which must stay closed.
 */
import * as dgram from "node:dgram";
import * as net from "node:net";
import { formatRange, parsePorts } from "../contract/ports";
import type { Protocol } from "../contract/presets";
import type { RulePlan } from "../plan/plan";
import { admits, plainAddress } from "./ports";

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
                if (port >= 1 && port <= 65535) out.push({ rule: `${rule.name} (next to ${formatRange(range)})`, protocol: rule.protocol, port });
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

function probeTcp(host: string, port: number, source: string | undefined, timeoutMs: number): Promise<string | undefined> {
    return new Promise((resolve) => {
        const socket = net.connect({ host, port, localAddress: source, timeout: timeoutMs });
        let data = "";
        const done = (seen: string | undefined) => {
            socket.destroy();
            resolve(seen);
        };
        socket.on("data", (chunk) => {
            data += chunk;
            const match = /^wrf tcp (\d+) (\S+)\n/.exec(data);
            if (match) done(match[2]);
        });
        socket.on("timeout", () => done(undefined));
        socket.on("error", () => done(undefined));
        socket.on("end", () => done(/^wrf tcp \d+ (\S+)/.exec(data)?.[1]));
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

/** Sends to every port, `retries` rounds, and collects which answered (and as whom). */
async function probeUdp(host: string, ports: number[], source: string | undefined, timeoutMs: number, retries: number, progress: () => void): Promise<Map<number, string>> {
    // A large receive buffer: 10,000 answers arrive in bursts (the kernel caps it at net.core.rmem_max).
    const socket = dgram.createSocket({ type: net.isIPv6(host) ? "udp6" : "udp4", recvBufferSize: 8 << 20 });
    const answered = new Map<number, string>();
    socket.on("message", (msg, rinfo) => {
        const match = /^wrf udp (\d+) (\S+)/.exec(msg.toString());
        if (match && Number(match[1]) === rinfo.port && !answered.has(rinfo.port)) {
            answered.set(rinfo.port, match[2]!);
            progress();
        }
    });
    socket.on("error", () => undefined);
    await new Promise<void>((resolve) => socket.bind({ address: source, port: 0 }, () => resolve()));
    const payload = Buffer.from("wrf?");
    for (let round = 0; round < retries; round++) {
        const pending = ports.filter((p) => !answered.has(p));
        if (!pending.length) break;
        for (let i = 0; i < pending.length; i++) {
            socket.send(payload, pending[i]!, host);
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
    const tcpSeen = new Map<number, string | undefined>();
    const POOL = 256;
    for (let i = 0; i < tcpPorts.length; i += POOL) {
        await Promise.all(tcpPorts.slice(i, i + POOL).map(async (port) => {
            tcpSeen.set(port, await probeTcp(options.host, port, options.source, timeoutMs * 2));
            tick();
        }));
    }
    const udpSeen = await probeUdp(options.host, udpPorts, options.source, timeoutMs, options.retries ?? 3, tick);
    options.onProgress?.(total, total);
    // The server's view wins (NAT): any answer says which address the rules are judged against.
    const reported = [...tcpSeen.values(), ...udpSeen.values()].find((a) => a !== undefined);
    if (reported) seenAs = reported;
    seenAs = plainAddress(seenAs);

    const results = wants.map((w): ProbeEntry => {
        const answered = w.protocol === "tcp" ? tcpSeen.get(w.port) !== undefined : udpSeen.has(w.port);
        return { rule: w.rule, protocol: w.protocol, port: w.port, expected: admits(plan, w.protocol, w.port, seenAs) ? "open" : "closed", observed: answered ? "open" : "closed" };
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
        lines.push(`  ${mark.padEnd(8)} ${rule}: ${open}/${entries.length} open${wrong.length ? `; expected ${wrong[0]!.expected} but ${wrong[0]!.observed}: ${wrong.map((w) => w.port).slice(0, 20).join(", ")}${wrong.length > 20 ? ", ..." : ""}` : ""}`);
    }
    const bad = report.results.filter((r) => r.observed !== r.expected).length;
    lines.push(bad ? `${bad} of ${report.results.length} ports differ from the spec` : `all ${report.results.length} ports as the spec says`);
    return lines.join("\n") + "\n";
}
