/**
 * A docker compose file's `ports:` publications, short (`"50000-60000:50000-60000/udp"`,
 * `"127.0.0.1:7880:7880"`) and long (`{target, published, protocol, host_ip}`) syntax. Used by the drift
 * check only: what a container publishes must be open, and what is open should be published. Ports
 * published on a loopback address are not reachable from outside and are skipped.
 */
import type { Document } from "yaml";
import type { Protocol } from "../../contract/presets";
import { emptyConfig, type ServerConfig } from "./types";

const LOOPBACK = /^(127\.|::1$|\[::1\]$|localhost$)/;

function publish(config: ServerConfig, protocol: Protocol, published: string, origin: string): void {
    const match = /^(\d+)(?:-(\d+))?$/.exec(published);
    if (!match) {
        config.problems.push({ path: `${config.file}: ${origin}`, message: `${JSON.stringify(published)} is not a published port or range; write "50000-60000:50000-60000/udp" or "443:443"` });
        return;
    }
    const from = Number(match[1]);
    const to = Number(match[2] ?? match[1]);
    if (from < 1 || to > 65535 || from > to) {
        config.problems.push({ path: `${config.file}: ${origin}`, message: `${JSON.stringify(published)} is outside 1..65535 or reversed` });
        return;
    }
    for (let port = from; port <= to; port++) config.published.push({ protocol, port, origin });
}

export function readCompose(doc: Document, file: string, name: string): ServerConfig {
    const config = emptyConfig(file, "compose");
    const root = doc.toJS() as { services?: Record<string, { ports?: unknown[] }> } | null;
    for (const [service, body] of Object.entries(root?.services ?? {})) {
        (body?.ports ?? []).forEach((entry, i) => {
            const origin = `${name}: services.${service}.ports[${i}]`;
            if (entry !== null && typeof entry === "object") {
                const long = entry as { published?: unknown; protocol?: string; host_ip?: string };
                if (long.published === undefined || (long.host_ip && LOOPBACK.test(long.host_ip))) return;
                publish(config, long.protocol === "udp" ? "udp" : "tcp", String(long.published), origin);
                return;
            }
            const text = String(entry);
            const [spec, proto] = text.split("/");
            const parts = spec!.startsWith("[") ? [spec!.slice(0, spec!.indexOf("]") + 1), ...spec!.slice(spec!.indexOf("]") + 2).split(":")] : spec!.split(":");
            if (parts.length < 2) return; // a container port alone: Docker picks a random host port
            const host = parts.length === 3 ? parts[0]! : undefined;
            if (host && LOOPBACK.test(host)) return;
            publish(config, proto === "udp" ? "udp" : "tcp", parts[parts.length - 2]!, origin);
        });
    }
    return config;
}
