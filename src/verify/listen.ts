/**
 * `listen`: on the server, before the media server is installed (as the Plug-N-Meet guide does with
 * `ncat -l`, one port at a time), bind every TCP and UDP port the spec opens, on all addresses of both
 * families, and answer each contact with a short token naming the port and the address seen.
 */
import * as dgram from "node:dgram";
import * as net from "node:net";
import type { RulePlan } from "../plan/plan";
import { openedPorts, plainAddress, type Target } from "./ports";

export interface Listening {
    tcp: number;
    udp: number;
    failed: (Target & { reason: string })[];
    close(): Promise<void>;
}

/** The token a listener answers with; the probe reads the address the server saw from it. */
export const token = (protocol: string, port: number, seenAs: string) => `wrf ${protocol} ${port} ${plainAddress(seenAs)}\n`;

function reasonOf(err: NodeJS.ErrnoException, target: Target): string {
    if (err.code === "EADDRINUSE") return "in use (is a media server already running?)";
    if (err.code === "EACCES") return `below 1024: needs root or CAP_NET_BIND_SERVICE (sudo, or setcap cap_net_bind_service=+ep "$(command -v node)")`;
    if (err.code === "EMFILE" || err.code === "ENFILE") return "too many open files: raise the limit first (ulimit -n 70000) and run again";
    return `${err.code ?? err.message} on ${target.port}/${target.protocol}`;
}

function listenTcp(port: number): Promise<net.Server> {
    return new Promise((resolve, reject) => {
        const server = net.createServer((socket) => {
            socket.on("error", () => undefined);
            socket.end(token("tcp", port, socket.remoteAddress ?? "::"));
        });
        server.once("error", reject);
        // "::" with ipv6Only false takes both families on one socket.
        server.listen({ port, host: "::", ipv6Only: false, backlog: 64 }, () => resolve(server));
    });
}

function listenUdp(port: number): Promise<dgram.Socket> {
    return new Promise((resolve, reject) => {
        const socket = dgram.createSocket({ type: "udp6", ipv6Only: false });
        socket.once("error", reject);
        socket.on("message", (_msg, rinfo) => socket.send(token("udp", port, rinfo.address), rinfo.port, rinfo.address));
        socket.bind({ port, address: "::" }, () => {
            socket.removeListener("error", reject);
            socket.on("error", () => undefined);
            resolve(socket);
        });
    });
}

/** Binds every port of the plan; what cannot be bound is listed with the reason, the rest served. */
export async function listen(plan: RulePlan, onProgress?: (done: number, total: number) => void): Promise<Listening> {
    const targets = openedPorts(plan);
    const tcp: net.Server[] = [];
    const udp: dgram.Socket[] = [];
    const failed: Listening["failed"] = [];
    const BATCH = 512;
    for (let i = 0; i < targets.length; i += BATCH) {
        await Promise.all(
            targets.slice(i, i + BATCH).map(async (t) => {
                try {
                    if (t.protocol === "tcp") tcp.push(await listenTcp(t.port));
                    else udp.push(await listenUdp(t.port));
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
        close: async () => {
            await Promise.all(tcp.map((s) => new Promise((r) => s.close(r))));
            await Promise.all(udp.map((s) => new Promise<void>((r) => s.close(() => r()))));
        },
    };
}
