/** `webrtc-firewall listen` and `probe`: seed 001's reachability test, for every port of the spec. */
import { promises as dns } from "node:dns";
import * as net from "node:net";
import { SingleBar } from "cli-progress";
import type { Protocol } from "../contract/types";
import type { RulePlan } from "../plan/plan";
import { listen, LISTEN_LIMITS } from "../verify/listen";
import { probe, summarize } from "../verify/probe";
import { planStack, UsageError, type PlanOptions } from "./plan";

async function planOf(options: PlanOptions): Promise<RulePlan> {
    return (await planStack(options)).run.firewall.plan;
}

/** A progress bar on a terminal; nothing when output goes to a file or a pipe. */
function progressBar(label: string): { update: (done: number, total: number) => void; stop: () => void } {
    if (!process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
    const bar = new SingleBar({ format: `${label} [{bar}] {value}/{total} ports`, stream: process.stderr, hideCursor: true });
    let started = false;
    return {
        update: (done, total) => {
            if (!started) bar.start(total, 0);
            started = true;
            bar.update(done);
        },
        stop: () => started && bar.stop(),
    };
}

export interface ListenCommandOptions extends PlanOptions {
    for?: string;
    rate?: string;
}

/** `listen` stops by itself: a forgotten listener on a public address is not left answering for weeks. */
export const LISTEN_FOR_DEFAULT = "15m";
const LISTEN_FOR_MAX_MS = 24 * 3600_000;

/** `90s`, `15m`, `2h` → milliseconds; anything else, or more than a day, is a usage error. */
export function parseDuration(text: string): number {
    const match = /^(\d{1,6})(s|m|h)$/.exec(text.trim());
    const ms = match ? Number(match[1]) * { s: 1000, m: 60_000, h: 3600_000 }[match[2] as "s" | "m" | "h"] : NaN;
    if (!(ms >= 1000 && ms <= LISTEN_FOR_MAX_MS))
        throw new UsageError(`--for ${JSON.stringify(text)}: give a duration from 1s to 24h, like 90s, 15m or 2h`);
    return ms;
}

export async function listenCommand(
    options: ListenCommandOptions,
    write: (text: string) => void,
): Promise<{ close: () => Promise<void>; forMs: number }> {
    const forMs = parseDuration(options.for ?? LISTEN_FOR_DEFAULT);
    const perSource = wholeNumber("--rate", options.rate, 1, 1_000_000, "answers a second") ?? LISTEN_LIMITS.perSource;
    const plan = await planOf(options);
    const bar = progressBar("binding");
    const listening = await listen(plan, bar.update, { ...LISTEN_LIMITS, perSource });
    bar.stop();
    for (const f of listening.failed.slice(0, 50)) write(`not listening on ${f.port}/${f.protocol}: ${f.reason}\n`);
    if (listening.failed.length > 50) write(`... and ${listening.failed.length - 50} more ports not listening\n`);
    const until = new Date(Date.now() + forMs).toISOString().replace(/\.\d+Z$/, "Z");
    write(
        `listening on ${listening.tcp} tcp and ${listening.udp} udp ports until ` +
            `${until} (--for ${options.for ?? LISTEN_FOR_DEFAULT}); Ctrl-C stops sooner\n`,
    );
    return {
        forMs,
        close: async () => {
            await listening.close();
            const c = listening.counts;
            write(
                `listen stopped: answered ${c.answered}; not answered: ${c.ignored} datagrams that were not a probe's question, ` +
                    `${c.limited} over the rate limit, ${c.dropped} with the send queue full, ${c.refused} connections over the cap\n`,
            );
        },
    };
}

export interface ProbeCommandOptions extends PlanOptions {
    host: string;
    source?: string;
    timeout?: string;
    retries?: string;
    extra?: string;
}

function parseExtra(text: string | undefined): { protocol: Protocol; port: number }[] {
    if (!text) return [];
    return text.split(",").map((item) => {
        const match = /^(tcp|udp)\/(\d{1,5})$/.exec(item.trim());
        if (!match || Number(match[2]) < 1 || Number(match[2]) > 65535)
            throw new UsageError(`--extra: "${item}" is not like tcp/5000 or udp/9`);
        return { protocol: match[1] as Protocol, port: Number(match[2]) };
    });
}

/** A whole number option within bounds, or a usage error; undefined when not given. */
function wholeNumber(option: string, text: string | undefined, min: number, max: number, unit: string): number | undefined {
    if (text === undefined) return undefined;
    if (!/^\d{1,9}$/.test(text.trim()) || Number(text) < min || Number(text) > max)
        throw new UsageError(`${option} ${JSON.stringify(text)}: give a whole number of ${unit} from ${min} to ${max}`);
    return Number(text);
}

/** Returns the exit code: 0 when every port is as the spec says, 1 otherwise. */
export async function probeCommand(options: ProbeCommandOptions, write: (text: string) => void): Promise<number> {
    let host = options.host;
    if (!net.isIP(host)) {
        try {
            host = (await dns.lookup(host)).address;
        } catch {
            throw new UsageError(`--host ${options.host}: cannot resolve that name; give an IP address or a resolvable host name`);
        }
    }
    if (options.source && net.isIP(options.source) !== net.isIP(host)) {
        throw new UsageError(
            `--source ${options.source} is IPv${net.isIP(options.source)} but ` +
                `--host ${host} is IPv${net.isIP(host)}: give addresses of one family`,
        );
    }
    const extra = parseExtra(options.extra);
    const timeoutMs = wholeNumber("--timeout", options.timeout, 1, 60_000, "milliseconds");
    const retries = wholeNumber("--retries", options.retries, 1, 10, "rounds");
    const plan = await planOf(options);
    const family = net.isIPv6(host) ? "ipv6" : "ipv4";
    if (!plan.flows.some((f) => f.family === family)) {
        throw new UsageError(
            `--host ${host} is ${family === "ipv6" ? "IPv6" : "IPv4"}, and the config opens nothing over ` +
                `${family === "ipv6" ? "IPv6 (ipv6: false, no IPv6 sources)" : "IPv4"}: probe an address of the other family`,
        );
    }
    const bar = progressBar("probing");
    const report = await probe(plan, { host, source: options.source, timeoutMs, retries, extra, onProgress: bar.update });
    bar.stop();
    write(options.json || options.format === "json" ? JSON.stringify(report) + "\n" : summarize(report));
    return report.results.every((r) => r.observed === r.expected) ? 0 : 1;
}
