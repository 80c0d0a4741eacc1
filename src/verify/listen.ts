/**
 * `listen`: on the server, before the media server is installed (as the Plug-N-Meet guide does with
 * `ncat -l`, one port at a time), bind every TCP and UDP port the spec opens, on all addresses of both
 * families, and answer `probe` with the address seen.
 *
 * It runs on a public address, so it holds against anyone who sends to it (wire.ts says why the
 * messages look as they do): a UDP datagram is answered only when it is a well-formed question, never
 * with more bytes than it had; answers are rate-limited per source and in all; answers the kernel
 * cannot take yet wait in a bounded queue; a TCP connection gets its answer and is closed within
 * CONNECTION_MS, with a cap on connections held per source and in all. No datagram or connection ends
 * the process. How long it runs is the CLI's `--for`.
 */
import * as dgram from "node:dgram";
import * as net from "node:net";
import * as ipaddr from "ipaddr.js";
import type { RulePlan } from "../plan/plan";
import { openedPorts, type Target } from "./ports";
import { answer, plainAddress, readQuestion } from "./wire";

export interface ListenLimits {
    /** Answers (UDP) and connections (TCP) per second from one source (an IPv4 address or an IPv6 /64); twice that in a burst. */
    perSource: number;
    /** The same from every source together. */
    overall: number;
    /** UDP answers waiting for the kernel's send buffer; past it answers are dropped, not queued in memory. */
    queuedAnswers: number;
    /** TCP connections held at once from one source, and from all. */
    connectionsPerSource: number;
    connections: number;
    /** A TCP connection is closed this long after it was accepted, whatever the peer does. */
    connectionMs: number;
}

/**
 * A probe of the largest preset (10,006 UDP ports, IPv4 then IPv6 from one /64) needs about 10,000
 * answers in its first round; the budget refills within the second a round takes.
 */
export const LISTEN_LIMITS: ListenLimits = {
    perSource: 16_384,
    overall: 65_536,
    queuedAnswers: 256,
    connectionsPerSource: 16,
    connections: 1024,
    connectionMs: 2000,
};

export interface ListenCounts {
    answered: number;
    /** Datagrams that were not a well-formed question (answers, empty, anything else): never answered. */
    ignored: number;
    /** Over the per-source or overall rate. */
    limited: number;
    /** The send queue was full. */
    dropped: number;
    /** TCP connections closed at once: over the per-source or overall cap. */
    refused: number;
}

export interface Listening {
    tcp: number;
    udp: number;
    failed: (Target & { reason: string })[];
    counts: ListenCounts;
    close(): Promise<void>;
}

function reasonOf(err: NodeJS.ErrnoException, target: Target): string {
    if (err.code === "EADDRINUSE") return "in use (is a media server already running?)";
    if (err.code === "EACCES")
        return `below 1024: needs root or CAP_NET_BIND_SERVICE (sudo, or setcap cap_net_bind_service=+ep "$(command -v node)")`;
    if (err.code === "EMFILE" || err.code === "ENFILE") return "too many open files: raise the limit first (ulimit -n 70000) and run again";
    return `${err.code ?? err.message} on ${target.port}/${target.protocol}`;
}

/** Who a limit counts: an IPv4 address, or an IPv6 /64 (one host usually holds a whole /64). */
function sourceKey(address: string): string {
    const parsed = ipaddr.parse(address);
    return parsed.kind() === "ipv4" ? address : (parsed as ipaddr.IPv6).parts.slice(0, 4).join(":");
}

/** Token buckets per source plus one overall; a source whose bucket is full again is forgotten. */
class RateLimit {
    private readonly buckets = new Map<string, { tokens: number; at: number }>();
    private readonly all: { tokens: number; at: number };
    /** Past this many sources at once (spoofed, random), new ones wait for the next sweep. */
    private static readonly MAX_SOURCES = 65_536;

    constructor(
        private readonly perSource: number,
        private readonly overall: number,
    ) {
        this.all = { tokens: overall * 2, at: Date.now() };
    }

    private static refill(bucket: { tokens: number; at: number }, rate: number, now: number): void {
        bucket.tokens = Math.min(rate * 2, bucket.tokens + ((now - bucket.at) / 1000) * rate);
        bucket.at = now;
    }

    take(key: string): boolean {
        const now = Date.now();
        RateLimit.refill(this.all, this.overall, now);
        let bucket = this.buckets.get(key);
        if (!bucket) {
            if (this.buckets.size >= RateLimit.MAX_SOURCES) this.sweep(now);
            if (this.buckets.size >= RateLimit.MAX_SOURCES) return false;
            bucket = { tokens: this.perSource * 2, at: now };
            this.buckets.set(key, bucket);
        }
        RateLimit.refill(bucket, this.perSource, now);
        if (bucket.tokens < 1 || this.all.tokens < 1) return false;
        bucket.tokens--;
        this.all.tokens--;
        return true;
    }

    private sweep(now: number): void {
        for (const [key, bucket] of this.buckets) {
            RateLimit.refill(bucket, this.perSource, now);
            if (bucket.tokens >= this.perSource * 2) this.buckets.delete(key);
        }
    }
}

/** The guards every socket of one `listen` shares. */
class Guard {
    readonly counts: ListenCounts = { answered: 0, ignored: 0, limited: 0, dropped: 0, refused: 0 };
    private readonly rate: RateLimit;
    private queued = 0;
    private readonly held = new Map<string, number>();
    private heldAll = 0;

    constructor(readonly limits: ListenLimits) {
        this.rate = new RateLimit(limits.perSource, limits.overall);
    }

    /** Answers one UDP datagram when it is a question from a source within its budget. */
    onDatagram(socket: dgram.Socket, port: number, datagram: Buffer, rinfo: dgram.RemoteInfo): void {
        const nonce = readQuestion(datagram);
        const seen = plainAddress(rinfo.address);
        // Source port 0 cannot be answered (and Node's send throws on it).
        if (nonce === undefined || seen === undefined || rinfo.port < 1 || rinfo.port > 65535) return void this.counts.ignored++;
        if (!this.rate.take(sourceKey(seen))) return void this.counts.limited++;
        if (this.queued >= this.limits.queuedAnswers) return void this.counts.dropped++;
        const reply = answer("udp", port, seen, nonce);
        if (reply.length > datagram.length) return void this.counts.ignored++; // never more bytes than asked with
        this.queued++;
        const sent = (err: Error | null) => {
            this.queued--;
            if (err) this.counts.dropped++;
            else this.counts.answered++;
        };
        try {
            socket.send(reply, rinfo.port, rinfo.address, sent);
        } catch (err) {
            sent(err as Error);
        }
    }

    /** Answers one TCP connection and closes it; over a cap or the rate it is closed at once. */
    onConnection(socket: net.Socket, port: number): void {
        socket.on("error", () => undefined);
        const seen = plainAddress(socket.remoteAddress);
        if (seen === undefined) return void socket.destroy();
        const key = sourceKey(seen);
        const held = this.held.get(key) ?? 0;
        if (held >= this.limits.connectionsPerSource || this.heldAll >= this.limits.connections || !this.rate.take(key)) {
            this.counts.refused++;
            return void socket.destroy();
        }
        this.held.set(key, held + 1);
        this.heldAll++;
        const timer = setTimeout(() => socket.destroy(), this.limits.connectionMs);
        socket.once("close", () => {
            clearTimeout(timer);
            this.heldAll--;
            const left = (this.held.get(key) ?? 1) - 1;
            if (left) this.held.set(key, left);
            else this.held.delete(key);
        });
        // Nothing is read (pauseOnConnect): whatever the peer sends stays in the kernel until the close.
        socket.end(answer("tcp", port, seen), () => {
            this.counts.answered++;
            socket.destroy();
        });
    }
}

function listenTcp(port: number, guard: Guard): Promise<net.Server> {
    return new Promise((resolve, reject) => {
        const server = net.createServer({ pauseOnConnect: true }, (socket) => guard.onConnection(socket, port));
        server.once("error", reject);
        // "::" with ipv6Only false takes both families on one socket.
        server.listen({ port, host: "::", ipv6Only: false, backlog: 64 }, () => {
            server.removeListener("error", reject);
            // An accept that fails (EMFILE) is an error event: served on, never thrown.
            server.on("error", () => undefined);
            resolve(server);
        });
    });
}

function listenUdp(port: number, guard: Guard): Promise<dgram.Socket> {
    return new Promise((resolve, reject) => {
        const socket = dgram.createSocket({ type: "udp6", ipv6Only: false });
        socket.once("error", reject);
        socket.on("message", (datagram, rinfo) => guard.onDatagram(socket, port, datagram, rinfo));
        socket.bind({ port, address: "::" }, () => {
            socket.removeListener("error", reject);
            socket.on("error", () => undefined);
            resolve(socket);
        });
    });
}

/** Binds every port of the plan; what cannot be bound is listed with the reason, the rest served. */
export async function listen(
    plan: RulePlan,
    onProgress?: (done: number, total: number) => void,
    limits: ListenLimits = LISTEN_LIMITS,
): Promise<Listening> {
    const targets = openedPorts(plan);
    const guard = new Guard(limits);
    const tcp: net.Server[] = [];
    const udp: dgram.Socket[] = [];
    const failed: Listening["failed"] = [];
    const BATCH = 512;
    for (let i = 0; i < targets.length; i += BATCH) {
        await Promise.all(
            targets.slice(i, i + BATCH).map(async (t) => {
                try {
                    if (t.protocol === "tcp") tcp.push(await listenTcp(t.port, guard));
                    else udp.push(await listenUdp(t.port, guard));
                } catch (err) {
                    failed.push({ ...t, reason: reasonOf(err as NodeJS.ErrnoException, t) });
                }
            }),
        );
        onProgress?.(Math.min(i + BATCH, targets.length), targets.length);
    }
    return {
        tcp: tcp.length,
        udp: udp.length,
        failed,
        counts: guard.counts,
        close: async () => {
            await Promise.all(tcp.map((s) => new Promise((r) => s.close(r))));
            await Promise.all(udp.map((s) => new Promise<void>((r) => s.close(() => r()))));
        },
    };
}
