/**
 * coturn's `turnserver.conf` (`key=value` or `key value` lines, `#` comments, flags alone on a line; the
 * shipped file has every default commented out): `listening-port` (3478, UDP and TCP),
 * `tls-listening-port` (5349, TLS on TCP and DTLS on UDP), `alt-listening-port` and
 * `alt-tls-listening-port` (only when set), `min-port`..`max-port` (the relay range, 49152-65535),
 * and the flags `no-udp`, `no-tcp`, `no-tls`, `no-dtls`; for the relay's peer lockdown, every
 * `denied-peer-ip` and `allowed-peer-ip` line and the peer flags.
 */
import { emptyConfig, portValue, rangeValue } from "./types";
import { type ServerConfig } from "../../contract/types";

/**
 * coturn's option names (its turnserver.conf and `turnserver --help`): a file with none of them is not
 * a turnserver.conf, whatever its name, and is never read as coturn's defaults. Words other configs
 * start lines with too (nginx's `user`, `pid`; `cert`, `verbose`) are left out of the list.
 */
export const COTURN_KEYS = [
    "listening-port",
    "tls-listening-port",
    "alt-listening-port",
    "alt-tls-listening-port",
    "min-port",
    "max-port",
    "realm",
    "lt-cred-mech",
    "use-auth-secret",
    "static-auth-secret",
    "userdb",
    "listening-ip",
    "relay-ip",
    "external-ip",
    "relay-threads",
    "fingerprint",
    "no-auth",
    "server-name",
    "no-udp",
    "no-tcp",
    "no-tls",
    "no-dtls",
    "no-udp-relay",
    "no-tcp-relay",
    "pkey-pwd",
    "cipher-list",
    "dh-file",
    "log-file",
    "simple-log",
    "no-stdout-log",
    "denied-peer-ip",
    "allowed-peer-ip",
    "no-multicast-peers",
    "allow-loopback-peers",
    "no-loopback-peers",
    "stale-nonce",
    "total-quota",
    "user-quota",
    "max-bps",
    "bps-capacity",
    "no-cli",
    "cli-ip",
    "cli-port",
    "cli-password",
    "pidfile",
    "proc-user",
    "proc-group",
    "mobility",
    "secure-stun",
    "stun-only",
    "no-stun",
    "prometheus",
    "web-admin",
    "redis-userdb",
    "psql-userdb",
    "mysql-userdb",
    "mongo-userdb",
    "redis-statsdb",
    "alternate-server",
    "tls-alternate-server",
    "no-tlsv1",
    "no-tlsv1_1",
    "no-tlsv1_2",
    "no-rfc5780",
    "no-software-attribute",
    "channel-lifetime",
    "permission-lifetime",
    "max-allocate-lifetime",
    "check-origin-consistency",
    "keep-address-family",
    "allocation-default-address-family",
    "tcp-proxy-port",
    "web-admin-ip",
    "web-admin-port",
    "secret-key-file",
    "oauth",
    "relay-device",
    "listening-device",
    "ec-curve-name",
    "max-allocate-timeout",
] as const;

const KEY_LINE = new RegExp(`^[ \\t]*(${COTURN_KEYS.join("|")})([ \\t]*=|[ \\t]|$)`, "m");

/** Whether any line sets a coturn option (a literal after blanks on the same line: linear in the text). */
export const hasCoturnKey = (text: string): boolean => KEY_LINE.test(text);

export function readCoturn(text: string, file: string, name: string): ServerConfig {
    const config = emptyConfig(file, "coturn");
    const settings = new Map<string, string>();
    // Keys coturn takes many times, one range a line; a Map, so no key of the file reaches Object's own.
    const lists = new Map<string, string[]>([
        ["denied-peer-ip", []],
        ["allowed-peer-ip", []],
    ]);
    for (const raw of text.split(/\r?\n/)) {
        const line = raw.replace(/#.*$/, "").trim();
        if (!line) continue;
        const match = /^([A-Za-z0-9_-]+)[ \t]*(?:=[ \t]*|[ \t]+)?(.*)$/.exec(line);
        if (!match) continue;
        const key = match[1]!.toLowerCase();
        const value = match[2]!.trim().replace(/^"(.*)"$/, "$1");
        settings.set(key, value);
        lists.get(key)?.push(value);
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
    if (altTls !== undefined && !flag("no-tls"))
        rule("turns-alt-tls", "tcp", altTls, "TURN over TLS, alternate port", "alt-tls-listening-port");
    const relay = rangeValue(config, "min-port", "max-port", port("min-port", 49152), port("max-port", 65535));
    if (relay)
        config.rules.push({
            name: "relay-udp",
            protocol: "udp",
            ports: [relay],
            description: "TURN relay range",
            origin: at("min-port..max-port"),
        });
    const flags = ["no-multicast-peers", "no-tcp-relay", "allow-loopback-peers", "no-loopback-peers"].filter(flag);
    config.relayPeers = { kind: "coturn", denied: lists.get("denied-peer-ip")!, allowed: lists.get("allowed-peer-ip")!, flags };
    return config;
}
