/**
 * A docker compose file's `ports:` publications, short (`"50000-60000:50000-60000/udp"`,
 * `"127.0.0.1:7880:7880"`) and long (`{target, published, protocol, host_ip}`) syntax. Used by the drift
 * check only: Docker forwards what a container publishes on every address past the host's input rules
 * (moby/moby#4737), so each such publication must be one the spec opens, or be moved to loopback. Ports
 * published on a loopback address are not reachable from outside and are skipped. A range stays one
 * range (`1-65535` is one entry, not 65,535), so no file can make the check expand it port by port.
 */
import type { Protocol, ServerConfig } from "../../contract/types";
import { clip, excerpt } from "../../contract/text";
import { emptyConfig } from "./types";
const LOOPBACK = /^(127\.|::1$|\[::1\]$|localhost$)/;
const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

function publish(config: ServerConfig, protocol: Protocol, published: string, origin: string, loopback: string): void {
    const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(published);
    if (!match) {
        config.problems.push({
            path: `${config.file}: ${origin}`,
            message: `${excerpt(published)} is not a published port or range; write "50000-60000:50000-60000/udp" or "443:443"`,
        });
        return;
    }
    const from = Number(match[1]);
    const to = Number(match[2] ?? match[1]);
    if (from < 1 || to > 65535 || from > to) {
        config.problems.push({ path: `${config.file}: ${origin}`, message: `${excerpt(published)} is outside 1..65535 or reversed` });
        return;
    }
    config.published.push({ protocol, ports: { from, to }, origin, loopback });
}

/** One `ports:` entry, short or long syntax. */
function publishEntry(config: ServerConfig, entry: unknown, origin: string): void {
    if (isMap(entry)) {
        if (entry.published === undefined || (typeof entry.host_ip === "string" && LOOPBACK.test(entry.host_ip))) return;
        publish(config, entry.protocol === "udp" ? "udp" : "tcp", String(entry.published), origin, "host_ip: 127.0.0.1");
        return;
    }
    if (typeof entry !== "string" && typeof entry !== "number") {
        config.problems.push({
            path: `${config.file}: ${origin}`,
            message: `is ${excerpt(entry)}; write "HOST:CONTAINER[/udp]" or {target, published, protocol}`,
        });
        return;
    }
    const [spec, proto] = String(entry).split("/");
    const bracket = spec!.startsWith("[") ? spec!.indexOf("]") : -1;
    const parts = bracket > 0 ? [spec!.slice(0, bracket + 1), ...spec!.slice(bracket + 2).split(":")] : spec!.split(":");
    if (parts.length < 2) return; // a container port alone: Docker picks a random host port
    const host = parts.length === 3 ? parts[0]! : undefined;
    if (host && LOOPBACK.test(host)) return;
    const published = parts.length === 3 ? parts.slice(1).join(":") : parts.join(":");
    publish(
        config,
        proto === "udp" ? "udp" : "tcp",
        parts[parts.length - 2]!,
        origin,
        JSON.stringify(`127.0.0.1:${clip(published, 40)}${proto ? `/${clip(proto, 8)}` : ""}`),
    );
}

export function readCompose(root: Record<string, unknown>, file: string, name: string): ServerConfig {
    const config = emptyConfig(file, "compose");
    const services = root.services ?? {};
    if (!isMap(services)) {
        config.problems.push({
            path: `${file}: services`,
            message: `is ${excerpt(services)}, not a map of services; write services: {name: {ports: [...]}}`,
        });
        return config;
    }
    for (const [service, body] of Object.entries(services)) {
        const at = `${name}: services.${clip(service)}`;
        if (body === null || body === undefined) continue;
        if (!isMap(body)) {
            config.problems.push({ path: at, message: `is ${excerpt(body)}, not a service map` });
            continue;
        }
        const ports = body.ports ?? [];
        if (!Array.isArray(ports)) {
            config.problems.push({
                path: `${at}.ports`,
                message: `is ${excerpt(ports)}, not a list; write ports: [${typeof ports === "string" ? excerpt(ports) : '"7881:7881"'}]`,
            });
            continue;
        }
        ports.forEach((entry, i) => publishEntry(config, entry, `${at}.ports[${i}]`));
    }
    return config;
}
