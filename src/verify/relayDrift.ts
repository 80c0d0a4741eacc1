/**
 * Drift in the TURN relay's peer lockdown: a turnserver.conf or livekit.yaml whose relay can still
 * reach peers the lockdown denies (missing ranges, a CIDR coturn 4.6.1 silently drops, a flag that
 * re-opens loopback), named with the lines to add. Judged by the addresses the file really denies.
 */
import * as ipaddr from "ipaddr.js";
import {
    addressBits,
    cidrsOf,
    FAMILIES,
    lenientCidr,
    mergeIntervals,
    subtract,
    union,
    unionByFamily,
    type Interval,
} from "../contract/addressSet";
import { parseCidr, type Cidr, type Family } from "../contract/cidr";
import { peerLockdown } from "../contract/relayPeers";
import type { RulePlan } from "../plan/plan";
import type { ServerConfig } from "../contract/types";
import { coturnRange } from "../hosts/relayLockdown";
import { clip, excerpt } from "../contract/text";

export interface RelayDriftItem {
    /** `turnserver.conf: denied-peer-ip=172.16.0.0/12` */
    origin: string;
    problem: string;
    /** Lines to add to the file, as the file writes them. */
    add: string[];
}

type ByFamily = Record<Family, Interval[]>;
const empty = (): ByFamily => ({ ipv4: [], ipv6: [] });

/** coturn's `a` or `a-b`, both ends of one family; undefined for anything else (a CIDR included). */
function coturnInterval(value: string): { family: Family; interval: Interval } | undefined {
    const [a, b, extra] = value.split("-").map((s) => s.trim());
    if (extra !== undefined || !a || !ipaddr.isValid(a) || (b !== undefined && !ipaddr.isValid(b))) return undefined;
    const family: Family = a.includes(":") ? "ipv6" : "ipv4";
    if (b !== undefined && (b.includes(":") ? "ipv6" : "ipv4") !== family) return undefined;
    const from = addressBits(a);
    const to = b === undefined ? from : addressBits(b);
    return from <= to ? { family, interval: { from, to } } : undefined;
}

/** LiveKit 1.12+ denies these itself (Go's IsLoopback, IsLinkLocal*, IsMulticast, IsPrivate, IsUnspecified). */
const LIVEKIT_BUILT_IN = [
    "0.0.0.0/32",
    "10.0.0.0/8",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "224.0.0.0/4",
    "::/128",
    "::1/128",
    "fc00::/7",
    "fe80::/10",
    "ff00::/8",
];

function coturnDrift(
    server: ServerConfig,
    settings: { denied: string[]; allowed: string[]; flags: string[] },
    required: ByFamily,
    tcpRelay: boolean,
): RelayDriftItem[] {
    const name = server.file;
    const items: RelayDriftItem[] = [];
    const read = (key: string, values: string[]): ByFamily => {
        const out = empty();
        for (const value of values) {
            const parsed = coturnInterval(value);
            if (parsed) {
                out[parsed.family].push(parsed.interval);
                continue;
            }
            const cidr = parseCidr(value);
            const asRange = cidr.ok === true ? unionByFamily([cidr.cidr]) : undefined;
            items.push({
                origin: `${name}: ${key}=${clip(value)}`,
                problem:
                    cidr.ok === true
                        ? 'is a CIDR: coturn 4.6.1 logs "Wrong address format" and drops the line, so the relay runs without it'
                        : "is not an address or an address range (FROM-TO)",
                add: asRange ? FAMILIES.flatMap((f) => asRange[f].map((i) => `${key}=${coturnRange(i, f)}`)) : [],
            });
        }
        return { ipv4: mergeIntervals(out.ipv4), ipv6: mergeIntervals(out.ipv6) };
    };
    const denied = read("denied-peer-ip", settings.denied);
    const allowed = read("allowed-peer-ip", settings.allowed);
    for (const family of FAMILIES) {
        const reopened = mergeIntervals(subtract(required[family], subtract(required[family], allowed[family])));
        if (reopened.length) {
            items.push({
                origin: `${name}: allowed-peer-ip`,
                problem:
                    `re-opens denied peers (${reopened.map((i) => coturnRange(i, family)).join(", ")}): an allowed ` +
                    `match wins over a denied one; remove those lines, or list the peers in turnRelay.allowPeers`,
                add: [],
            });
        }
        const missing = subtract(required[family], subtract(denied[family], allowed[family]));
        const notReopened = subtract(missing, reopened);
        if (notReopened.length) {
            items.push({
                origin: `${name}: denied-peer-ip`,
                problem:
                    `the relay can still reach ${notReopened.length} denied ` +
                    `${family === "ipv4" ? "IPv4" : "IPv6"} range${notReopened.length > 1 ? "s" : ""}`,
                add: notReopened.map((i) => `denied-peer-ip=${coturnRange(i, family)}`),
            });
        }
    }
    if (settings.flags.includes("allow-loopback-peers"))
        items.push({
            origin: `${name}: allow-loopback-peers`,
            problem: "lets the relay reach the server's own loopback services; remove it",
            add: [],
        });
    if (settings.flags.includes("no-loopback-peers"))
        items.push({
            origin: `${name}: no-loopback-peers`,
            problem: "is obsolete since coturn 4.5.1 and ignored (loopback is denied by default); remove it",
            add: [],
        });
    if (!settings.flags.includes("no-multicast-peers"))
        items.push({
            origin: `${name}: no-multicast-peers`,
            problem: "is missing: without it coturn relays to multicast addresses",
            add: ["no-multicast-peers"],
        });
    if (!tcpRelay && !settings.flags.includes("no-tcp-relay"))
        items.push({
            origin: `${name}: no-tcp-relay`,
            problem: "is missing: RFC 6062 TCP relays are open though WebRTC media needs UDP only (or set turnRelay.tcpRelay: true)",
            add: ["no-tcp-relay"],
        });
    return items;
}

function liveKitDrift(server: ServerConfig, settings: { denyPeerCidrs: string[] }, required: ByFamily): RelayDriftItem[] {
    const parsed = settings.denyPeerCidrs.map((c) => lenientCidr(c));
    const items: RelayDriftItem[] = settings.denyPeerCidrs
        .filter((_, i) => parsed[i] === undefined)
        .map((value) => ({
            origin: `${server.file}: turn.deny_peer_cidrs`,
            problem: `${excerpt(value)} is not a CIDR: LiveKit refuses to start`,
            add: [],
        }));
    const have = unionByFamily(parsed.filter((c): c is Cidr => c !== undefined));
    const builtIn = unionByFamily(LIVEKIT_BUILT_IN.map((c) => lenientCidr(c)!));
    // Name whole blocks of the lockdown (0.0.0.0/8, not its 24 pieces outside 0.0.0.0/32).
    const covered = (f: Family) => mergeIntervals([...builtIn[f], ...have[f]]);
    const missing = FAMILIES.flatMap((f) =>
        required[f].flatMap((i) => cidrsOf(i, f)).filter((block) => subtract(union([lenientCidr(block)!]), covered(f)).length > 0),
    );
    if (missing.length) {
        items.push({
            origin: `${server.file}: turn.deny_peer_cidrs`,
            problem:
                `leaves ${missing.length} denied range${missing.length > 1 ? "s" : ""} ` +
                `open that LiveKit does not deny itself (even 1.12, which ` +
                (`denies private, loopback, link-local and multicast peers; older ` +
                    `versions deny none: plan --format livekit writes the whole list)`),
            add: missing,
        });
    }
    return items;
}

export function checkRelayDrift(plan: RulePlan, servers: ServerConfig[]): RelayDriftItem[] {
    const relay = plan.relay ?? { relayPorts: [], allowPeers: [], denyPeers: [], tcpRelay: false };
    const required = peerLockdown(relay.allowPeers, relay.denyPeers).effective;
    return servers.flatMap((server) => {
        const settings = server.relayPeers;
        if (!settings) return [];
        return settings.kind === "coturn"
            ? coturnDrift(server, settings, required, relay.tcpRelay)
            : liveKitDrift(server, settings, required);
    });
}
