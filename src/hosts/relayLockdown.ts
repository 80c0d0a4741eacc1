/**
 * The TURN relay's peer lockdown (contract/relayPeers.ts) in each layer's own words: coturn 4.6.1's
 * `denied-peer-ip` ranges, LiveKit's `turn.deny_peer_cidrs`, and the host firewall's outbound filter on
 * the relay ports. Pure functions of the plan.
 */
import { addressText, cidrsOf, type Interval } from "../contract/addressSet";
import type { Family } from "../contract/cidr";
import { formatRange, type PortRange } from "../contract/ports";
import { peerLockdown, type PeerLockdown } from "../contract/relayPeers";
import type { RelayPlan } from "../plan/plan";

const FAMILIES: Family[] = ["ipv4", "ipv6"];

export const lockdownOf = (relay: RelayPlan): PeerLockdown => peerLockdown(relay.allowPeers, relay.denyPeers);

/** `a-b`, or `a` alone: coturn 4.6.1 reads no CIDR (userdb.c add_ip_list_range logs "Wrong address format" and drops the line). */
export const coturnRange = (i: Interval, family: Family): string => (i.from === i.to ? addressText(i.from, family) : `${addressText(i.from, family)}-${addressText(i.to, family)}`);

/** coturn lines: allowed first (an allowed match wins in good_peer_addr), then the deny set, then the flags. */
export function coturnPeerLines(relay: RelayPlan): string[] {
    const lockdown = lockdownOf(relay);
    const lines = ["# TURN relay peer lockdown (webrtc-firewall): no relaying into private, loopback, metadata or other special-purpose addresses"];
    for (const family of FAMILIES) for (const i of lockdown.allow[family]) lines.push(`allowed-peer-ip=${coturnRange(i, family)}`);
    for (const family of FAMILIES) for (const i of lockdown.deny[family]) lines.push(`denied-peer-ip=${coturnRange(i, family)}`);
    lines.push("no-multicast-peers");
    if (!relay.tcpRelay) lines.push("no-tcp-relay");
    return lines;
}

/** LiveKit's deny list wins over its allow list (pkg/service/turn.go), so the exemptions are cut out of it. */
export function liveKitPeerKeys(relay: RelayPlan): { deny_peer_cidrs: string[]; allow_restricted_peer_cidrs?: string[] } {
    const lockdown = lockdownOf(relay);
    const deny = FAMILIES.flatMap((family) => lockdown.effective[family].flatMap((i) => cidrsOf(i, family)));
    return { deny_peer_cidrs: deny, ...(relay.allowPeers.length ? { allow_restricted_peer_cidrs: relay.allowPeers } : {}) };
}

/** nft set elements for intervals: a CIDR where one covers it exactly, else a range. */
function nftElements(intervals: Interval[], family: Family): string[] {
    return intervals.map((i) => {
        const cidrs = cidrsOf(i, family);
        return cidrs.length === 1 ? cidrs[0]! : `${addressText(i.from, family)}-${addressText(i.to, family)}`;
    });
}

const nftSet = (items: string[]) => (items.length === 1 ? items[0]! : `{ ${items.join(", ")} }`);

/**
 * The output chain: what leaves from a relay port as a new flow of its own (ct direction original) to
 * a denied peer is dropped; replies to clients, from any port, are never touched.
 */
export function nftablesOutputChain(relay: RelayPlan): string[] {
    if (!relay.relayPorts.length) {
        return ["    # TURN relay: this config names no relay port range (a relay-udp rule, coturn's min-port..max-port), so the relay's own lockdown (plan --format livekit or coturn) is the lock; add the range to filter it here too"];
    }
    const lockdown = lockdownOf(relay);
    const from = `ct direction original meta l4proto ${relay.tcpRelay ? "{ tcp, udp }" : "udp"} th sport ${nftSet(relay.relayPorts.map(formatRange))}`;
    const lines: string[] = [];
    for (const family of FAMILIES) {
        const daddr = family === "ipv4" ? "ip daddr" : "ip6 daddr";
        if (lockdown.allow[family].length) lines.push(`        ${from} ${daddr} ${nftSet(nftElements(lockdown.allow[family], family))} accept comment "turn relay: allowPeers"`);
        lines.push(`        ${from} ${daddr} ${nftSet(nftElements(lockdown.deny[family], family))} drop comment "turn relay: denied peers"`);
    }
    return [
        "    chain output {",
        "        type filter hook output priority filter; policy accept;",
        ...lines,
        "    }",
    ];
}

const ufwPorts = (r: PortRange) => (r.from === r.to ? String(r.from) : `${r.from}:${r.to}`);

/** ufw's own before-output accepts established traffic, so these rules see only new flows, as nftables does. */
export function ufwOutputRules(relay: RelayPlan): string[] {
    if (!relay.relayPorts.length) return [];
    const lockdown = lockdownOf(relay);
    const protocols = relay.tcpRelay ? ["udp", "tcp"] : ["udp"];
    const lines: string[] = [];
    for (const [verb, sets, what] of [["allow", lockdown.allow, "allowPeers"], ["deny", lockdown.deny, "denied peers"]] as const) {
        for (const protocol of protocols) {
            for (const ports of relay.relayPorts) {
                for (const family of FAMILIES) {
                    for (const cidr of sets[family].flatMap((i) => cidrsOf(i, family))) {
                        lines.push(`ufw ${verb} out proto ${protocol} from any port ${ufwPorts(ports)} to ${cidr} comment 'turn relay: ${what}'`);
                    }
                }
            }
        }
    }
    return lines;
}

/** The sysctl that keeps other programs' outgoing traffic off the relay ports (they would be filtered too). */
export const reservedPortsSysctl = (relay: RelayPlan): string | undefined =>
    relay.relayPorts.length ? `net.ipv4.ip_local_reserved_ports = ${relay.relayPorts.map((r) => (r.from === r.to ? String(r.from) : `${r.from}-${r.to}`)).join(",")}` : undefined;
