/**
 * What an attacker (or a careless peer) sends to `listen`, run inside a test's network namespace; every
 * loop is bounded in count and time. Prints one JSON line.
 *   flood HOST PORT COUNT SRCPORT KIND   KIND: question | answer | empty | junk; counts the replies
 *   hold HOST PORT COUNT                 opens COUNT TCP connections and keeps them, unread, until SIGTERM
 *   ask HOST PORT                        one UDP question and one TCP connection; what came back
 */
import { randomBytes } from "node:crypto";
import * as dgram from "node:dgram";
import * as net from "node:net";
import { answer, question, readAnswer } from "../../src/verify/wire";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const print = (value: unknown) => new Promise<void>((r) => process.stdout.write(JSON.stringify(value) + "\n", () => r()));

function payload(kind: string): Buffer {
    if (kind === "question") return question(randomBytes(16).toString("hex"));
    if (kind === "answer") return answer("udp", 40000, "198.18.0.9", randomBytes(16).toString("hex"));
    if (kind === "empty") return Buffer.alloc(0);
    return randomBytes(200);
}

async function flood(host: string, port: number, count: number, sourcePort: number, kind: string): Promise<void> {
    const socket = dgram.createSocket({ type: net.isIPv6(host) ? "udp6" : "udp4", recvBufferSize: 8 << 20 });
    let replies = 0;
    let largest = 0;
    socket.on("message", (msg) => {
        replies++;
        largest = Math.max(largest, msg.length);
    });
    await new Promise<void>((r) => socket.bind(sourcePort, () => r()));
    const sent = payload(kind);
    for (let i = 0; i < count; i++) {
        socket.send(kind === "question" ? payload(kind) : sent, port, host);
        if (i % 256 === 255) await sleep(1);
    }
    await sleep(1000);
    socket.close();
    await print({ sent: count, bytes: sent.length, replies, largest });
}

async function hold(host: string, port: number, count: number): Promise<void> {
    const sockets: net.Socket[] = [];
    let connected = 0;
    let answered = 0;
    let reset = 0;
    for (let i = 0; i < count; i++) {
        const socket = net.connect({ host, port });
        socket.on("connect", () => connected++);
        socket.on("error", () => reset++);
        // Never read: the answer stays in the receive buffer, the connection open from this side.
        socket.pause();
        socket.once("readable", () => answered++);
        sockets.push(socket);
        if (i % 32 === 31) await sleep(5);
    }
    await sleep(1000);
    await print({ tried: count, connected, answered, reset });
    await new Promise((r) => process.once("SIGTERM", r));
    for (const s of sockets) s.destroy();
}

async function ask(host: string, port: number): Promise<void> {
    const socket = dgram.createSocket(net.isIPv6(host) ? "udp6" : "udp4");
    const nonce = randomBytes(16).toString("hex");
    const udp = new Promise<string | undefined>((resolve) => {
        socket.on("message", (msg) => readAnswer(msg)?.nonce === nonce && resolve(readAnswer(msg)!.seenAs));
        setTimeout(() => resolve(undefined), 2000);
    });
    socket.send(question(nonce), port, host);
    const udpSeen = await udp;
    socket.close();
    const tcpSeen = await new Promise<string | undefined>((resolve) => {
        const conn = net.connect({ host, port });
        let data = Buffer.alloc(0);
        conn.on("data", (d: Buffer) => (data = Buffer.concat([data, d])));
        conn.on("close", () => resolve(readAnswer(data)?.seenAs));
        conn.on("error", () => resolve(undefined));
        setTimeout(() => conn.destroy(), 2000);
    });
    await print({ udpSeen, tcpSeen });
}

const [mode, host, port, ...rest] = process.argv.slice(2);
const run =
    mode === "flood"
        ? flood(host!, Number(port), Number(rest[0]), Number(rest[1]), rest[2]!)
        : mode === "hold"
          ? hold(host!, Number(port), Number(rest[0]))
          : ask(host!, Number(port));
run.then(
    () => process.exit(0),
    (err) => {
        console.error(err);
        process.exit(2);
    },
);
