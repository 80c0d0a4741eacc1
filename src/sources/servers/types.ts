/** What a media server's own config says it listens on, as rules with their origin in that file. */
import type { Problem } from "../../contract/problems";
import type { PortRange } from "../../contract/ports";
import type { Protocol } from "../../contract/presets";
import { excerpt } from "../../contract/text";

export const SERVER_KINDS = ["livekit", "livekit-sip", "coturn", "compose"] as const;
export type ServerKind = (typeof SERVER_KINDS)[number];

export interface ServerRule {
    /** The preset rule name it stands for (`rtc-udp`), so a preset rule of that name takes the file's ports. */
    name: string;
    protocol: Protocol;
    ports: PortRange[];
    description: string;
    /** `livekit.yaml: rtc.port_range_start..rtc.port_range_end` */
    origin: string;
}

/** A port the server listens on that must never be public (LiveKit's API, metrics, debug handlers). */
export interface PrivatePort {
    protocol: Protocol;
    port: number;
    origin: string;
    why: string;
    /** true: opening it to the world is a config error; false: a warning. */
    error: boolean;
}

/** A port range a container publishes on every address: Docker forwards it past the host's input rules. */
export interface Publication {
    protocol: Protocol;
    ports: PortRange;
    origin: string;
    /** The same entry published on loopback only, as the file would write it: `"127.0.0.1:5432:5432"` or `host_ip: 127.0.0.1`. */
    loopback: string;
}

/** What a server config says about its TURN relay's peers (the drift check compares it with the lockdown). */
export type RelayPeerSettings =
    | { kind: "coturn"; denied: string[]; allowed: string[]; flags: string[] }
    | { kind: "livekit"; denyPeerCidrs: string[]; allowRestrictedPeerCidrs: string[] };

export interface ServerConfig {
    file: string;
    kind: ServerKind;
    /** Set when the file opens a TURN relay. */
    relayPeers?: RelayPeerSettings;
    rules: ServerRule[];
    /** Port ranges a compose file publishes on every address (drift check only), kept as ranges: `1-65535` is one entry. */
    published: Publication[];
    privatePorts: PrivatePort[];
    problems: Problem[];
    warnings: string[];
}

export const emptyConfig = (file: string, kind: ServerKind): ServerConfig => ({ file, kind, rules: [], published: [], privatePorts: [], problems: [], warnings: [] });

/** A port value from a server file: a whole number 1..65535, or a problem naming the file, key and fix. */
export function portValue(config: ServerConfig, key: string, value: unknown): number | undefined {
    const n = typeof value === "string" && /^\d+$/.test(value.trim()) ? Number(value) : value;
    if (typeof n === "number" && Number.isInteger(n) && n >= 1 && n <= 65535) return n;
    config.problems.push({ path: `${config.file}: ${key}`, message: `${excerpt(value)} is not a port; write a whole number from 1 to 65535` });
    return undefined;
}

/** `from..to` from two keys; a reversed range is a problem with the fix. */
export function rangeValue(config: ServerConfig, fromKey: string, toKey: string, from: number | undefined, to: number | undefined): PortRange | undefined {
    if (from === undefined || to === undefined) return undefined;
    if (from > to) {
        config.problems.push({ path: `${config.file}: ${fromKey}`, message: `${from}..${to} (${fromKey}..${toKey}) is a reversed range; swap the two values` });
        return undefined;
    }
    return { from, to };
}
