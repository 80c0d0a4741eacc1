/**
 * The TURN relay's peer lockdown (contract/relayPeers.ts) in the relays' own words: coturn 4.6.1's
 * `denied-peer-ip` ranges and LiveKit's `turn.deny_peer_cidrs`; the host firewalls' outbound filters on
 * the relay ports live with their platforms (nftables.ts, ufw.ts). Pure functions of the plan.
 */
import { addressText, cidrsOf, FAMILIES, type Interval } from "../contract/addressSet";
import type { Family } from "../contract/cidr";
import { formatRange, subtractRanges, type PortRange } from "../contract/ports";
import { peerLockdown, type PeerLockdown } from "../contract/relayPeers";
import type { RelayPlan } from "../plan/plan";

export const lockdownOf = (relay: RelayPlan): PeerLockdown => peerLockdown(relay.allowPeers, relay.denyPeers);

/** `a-b`, or `a` alone: coturn 4.6.1 reads no CIDR (userdb.c add_ip_list_range logs "Wrong address format" and drops the line). */
export const coturnRange = (i: Interval, family: Family): string =>
    i.from === i.to ? addressText(i.from, family) : `${addressText(i.from, family)}-${addressText(i.to, family)}`;

/** coturn lines: allowed first (an allowed match wins in good_peer_addr), then the deny set, then the flags. */
export function coturnPeerLines(relay: RelayPlan): string[] {
    const lockdown = lockdownOf(relay);
    const lines = [
        "# TURN relay peer lockdown (webrtc-firewall): no relaying into private, loopback, metadata or other special-purpose addresses",
    ];
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

/**
 * Linux's default ephemeral range (net.ipv4.ip_local_port_range): the source ports of every outgoing
 * connection, DNS lookups included. Reserving all of it leaves a server that cannot connect anywhere.
 */
export const EPHEMERAL_PORTS: PortRange = { from: 32768, to: 60999 };
/** Fewer free ephemeral ports than this and the reservation is cut back to what lies outside the range. */
export const MIN_EPHEMERAL_LEFT = 8192;

/** The relay ports to reserve: all of them, unless that would leave fewer than MIN_EPHEMERAL_LEFT ephemeral ports. */
function reservable(relay: RelayPlan): { ports: PortRange[]; cutBack: boolean } {
    const left = subtractRanges([EPHEMERAL_PORTS], relay.relayPorts).reduce((n, r) => n + r.to - r.from + 1, 0);
    if (left >= MIN_EPHEMERAL_LEFT) return { ports: relay.relayPorts, cutBack: false };
    return { ports: subtractRanges(relay.relayPorts, [EPHEMERAL_PORTS]), cutBack: true };
}

/** The sysctl that keeps other programs' outgoing traffic off the relay ports (they would be filtered too). */
export function reservedPortsSysctl(relay: RelayPlan): string | undefined {
    const { ports } = reservable(relay);
    return ports.length ? `net.ipv4.ip_local_reserved_ports = ${ports.map(formatRange).join(",")}` : undefined;
}

/** Said when the relay range covers so much of the ephemeral range that it is not reserved there. */
export function reservationWarning(relay: RelayPlan | undefined): string | undefined {
    if (!relay || !reservable(relay).cutBack) return undefined;
    const ranges = relay.relayPorts.map(formatRange).join(", ");
    return (
        `the TURN relay range ${ranges} covers Linux's ephemeral ports ${formatRange(EPHEMERAL_PORTS)} (the ` +
        `source ports of every outgoing connection, DNS included), leaving fewer than ${MIN_EPHEMERAL_LEFT}: ` +
        (`the host outputs do not reserve it there (reserving it would leave the server unable to resolve names or ` +
            `connect anywhere), so another program sending from one of those ports to a denied peer is dropped too. `) +
        (`Narrow the relay range (coturn min-port/max-port, e.g. 49152-65535, its ` +
            `default), or move the ephemeral range off it (net.ipv4.ip_local_port_range)`)
    );
}
