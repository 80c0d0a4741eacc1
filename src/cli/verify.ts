/** `webrtc-firewall listen` and `probe`: seed 001's reachability test, for every port of the spec. */
import { promises as dns } from "node:dns";
import * as net from "node:net";
import { SingleBar } from "cli-progress";
import type { Protocol } from "../contract/presets";
import type { RulePlan } from "../plan/plan";
import { listen } from "../verify/listen";
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

export async function listenCommand(options: PlanOptions, write: (text: string) => void): Promise<{ close: () => Promise<void> }> {
    const plan = await planOf(options);
    const bar = progressBar("binding");
    const listening = await listen(plan, bar.update);
    bar.stop();
    for (const f of listening.failed.slice(0, 50)) write(`not listening on ${f.port}/${f.protocol}: ${f.reason}\n`);
    if (listening.failed.length > 50) write(`... and ${listening.failed.length - 50} more ports not listening\n`);
    write(`listening on ${listening.tcp} tcp and ${listening.udp} udp ports\n`);
    return { close: listening.close };
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
        if (!match || Number(match[2]) < 1 || Number(match[2]) > 65535) throw new UsageError(`--extra: "${item}" is not like tcp/5000 or udp/9`);
        return { protocol: match[1] as Protocol, port: Number(match[2]) };
    });
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
        throw new UsageError(`--source ${options.source} is IPv${net.isIP(options.source)} but --host ${host} is IPv${net.isIP(host)}: give addresses of one family`);
    }
    const extra = parseExtra(options.extra);
    const plan = await planOf(options);
    const family = net.isIPv6(host) ? "ipv6" : "ipv4";
    if (!plan.flows.some((f) => f.family === family)) {
        throw new UsageError(`--host ${host} is ${family === "ipv6" ? "IPv6" : "IPv4"}, and the config opens nothing over ${family === "ipv6" ? "IPv6 (ipv6: false, no IPv6 sources)" : "IPv4"}: probe an address of the other family`);
    }
    const bar = progressBar("probing");
    const report = await probe(plan, { host, source: options.source, timeoutMs: options.timeout ? Number(options.timeout) : undefined, retries: options.retries ? Number(options.retries) : undefined, extra, onProgress: bar.update });
    bar.stop();
    write(options.json || options.format === "json" ? JSON.stringify(report) + "\n" : summarize(report));
    return report.results.every((r) => r.observed === r.expected) ? 0 : 1;
}
