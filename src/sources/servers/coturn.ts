/**
 * coturn's `turnserver.conf` (`key=value` or `key value` lines, `#` comments, flags alone on a line; the
 * shipped file has every default commented out): `listening-port` (3478, UDP and TCP),
 * `tls-listening-port` (5349, TLS on TCP and DTLS on UDP), `alt-listening-port` and
 * `alt-tls-listening-port` (only when set), `min-port`..`max-port` (the relay range, 49152-65535),
 * and the flags `no-udp`, `no-tcp`, `no-tls`, `no-dtls`; for the relay's peer lockdown, every
 * `denied-peer-ip` and `allowed-peer-ip` line and the peer flags.
 */
import { emptyConfig, portValue, rangeValue, type ServerConfig } from "./types";

export function readCoturn(text: string, file: string, name: string): ServerConfig {
    const config = emptyConfig(file, "coturn");
    const settings = new Map<string, string>();
    // Keys coturn takes many times, one range a line.
    const lists: Record<string, string[]> = { "denied-peer-ip": [], "allowed-peer-ip": [] };
    for (const raw of text.split(/\r?\n/)) {
        const line = raw.replace(/#.*$/, "").trim();
        if (!line) continue;
        const match = /^([A-Za-z0-9-]+)\s*(?:=\s*|\s+)?(.*)$/.exec(line);
        if (!match) continue;
        const key = match[1]!.toLowerCase();
        const value = match[2]!.trim().replace(/^"(.*)"$/, "$1");
        settings.set(key, value);
        lists[key]?.push(value);
    }
    const flag = (key: string) => settings.has(key);
    const port = (key: string, fallback?: number) => (settings.has(key) ? portValue(config, key, settings.get(key)) : fallback);
    const at = (key: string) => `${name}: ${key}`;
    const listening = port("listening-port", 3478);
    const tls = port("tls-listening-port", 5349);
    const rule = (ruleName: string, protocol: "udp" | "tcp", p: number | undefined, description: string, key: string) => {
        if (p !== undefined) config.rules.push({ name: ruleName, protocol, ports: [{ from: p, to: p }], description, origin: at(key) });
    };
    if (!flag("no-udp")) rule("stun-udp", "udp", listening, "STUN/TURN over UDP", "listening-port");
    if (!flag("no-tcp")) rule("stun-tcp", "tcp", listening, "STUN/TURN over TCP", "listening-port");
    if (!flag("no-tls")) rule("turns-tls", "tcp", tls, "TURN over TLS", "tls-listening-port");
    if (!flag("no-dtls")) rule("turns-dtls", "udp", tls, "TURN over DTLS", "tls-listening-port");
    const alt = port("alt-listening-port");
    if (alt !== undefined) {
        if (!flag("no-udp")) rule("stun-alt-udp", "udp", alt, "STUN alternate port (RFC 5780)", "alt-listening-port");
        if (!flag("no-tcp")) rule("stun-alt-tcp", "tcp", alt, "STUN alternate port (RFC 5780)", "alt-listening-port");
    }
    const altTls = port("alt-tls-listening-port");
    if (altTls !== undefined && !flag("no-tls")) rule("turns-alt-tls", "tcp", altTls, "TURN over TLS, alternate port", "alt-tls-listening-port");
    const relay = rangeValue(config, "min-port", "max-port", port("min-port", 49152), port("max-port", 65535));
    if (relay) config.rules.push({ name: "relay-udp", protocol: "udp", ports: [relay], description: "TURN relay range", origin: at("min-port..max-port") });
    const flags = ["no-multicast-peers", "no-tcp-relay", "allow-loopback-peers", "no-loopback-peers"].filter(flag);
    config.relayPeers = { kind: "coturn", denied: lists["denied-peer-ip"]!, allowed: lists["allowed-peer-ip"]!, flags };
    return config;
}
