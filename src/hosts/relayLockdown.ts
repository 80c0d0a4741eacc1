/**
 * The TURN relay's peer lockdown (contract/relayPeers.ts) in the relays' own words: coturn 4.6.1's
 * `denied-peer-ip` ranges and LiveKit's `turn.deny_peer_cidrs`; the host firewalls' outbound filters on
 * the relay ports live with their platforms (nftables.ts, ufw.ts). Pure functions of the plan.
 */
import { addressText, cidrsOf, FAMILIES, type Interval } from "../contract/addressSet";
import type { Family } from "../contract/cidr";
import { formatRange } from "../contract/ports";
import { peerLockdown, type PeerLockdown } from "../contract/relayPeers";
import type { RelayPlan } from "../plan/plan";

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

/** The sysctl that keeps other programs' outgoing traffic off the relay ports (they would be filtered too). */
export const reservedPortsSysctl = (relay: RelayPlan): string | undefined =>
    relay.relayPorts.length ? `net.ipv4.ip_local_reserved_ports = ${relay.relayPorts.map(formatRange).join(",")}` : undefined;
