/**
 * Host firewall: one complete, idempotent nftables ruleset from the plan. Input policy drop; established
 * and related traffic, loopback, ICMP and the ICMPv6 that IPv6 needs (neighbour discovery, router
 * advertisements, packet-too-big) accepted; everything else exactly the plan's flows, on the input path and
 * on the forward path Docker's published ports take (forwardChain). Output stays open,
 * as on the clouds, except what a TURN relay sends from its relay ports to peers it must never reach.
 * Loading it twice gives the same ruleset (the table is replaced, nothing else touched).
 */
import { groupBySources, type RulePlan, type RelayPlan } from "../plan/plan";
import { ANY_IPV4, ANY_IPV6, type Family } from "../contract/cidr";
import { formatRange } from "../contract/ports";
import { UNPRINTABLE } from "../contract/text";
import { lockoutNotes, unexpressibleNotes } from "./notes";
import { lockdownOf, reservedPortsSysctl } from "./relayLockdown";
import { addressText, cidrsOf, FAMILIES, type Interval } from "../contract/addressSet";
export const NFT_TABLE = "webrtc_firewall";

/** ICMPv6 types IPv6 cannot work without (RFC 4890), plus echo for diagnostics. */
export const ICMPV6_TYPES = [
    "destination-unreachable",
    "packet-too-big",
    "time-exceeded",
    "parameter-problem",
    "echo-request",
    "echo-reply",
    "nd-router-solicit",
    "nd-router-advert",
    "nd-neighbor-solicit",
    "nd-neighbor-advert",
];

const set = (items: string[]) => (items.length === 1 ? items[0]! : `{ ${items.join(", ")} }`);
/** nft comments are quoted strings: keep them to safe characters. */
const comment = (names: string[]) =>
    `comment "${names
        .join(", ")
        .replace(UNPRINTABLE, "")
        .replace(/[^A-Za-z0-9 ._,:-]/g, "")
        .slice(0, 120)}"`;

/** nft set elements for address intervals: a CIDR where one covers it exactly, else a range. */
function addressElements(intervals: Interval[], family: Family): string[] {
    return intervals.map((i) => {
        const cidrs = cidrsOf(i, family);
        return cidrs.length === 1 ? cidrs[0]! : `${addressText(i.from, family)}-${addressText(i.to, family)}`;
    });
}

/**
 * The TURN relay's output chain: what leaves from a relay port as a new flow of its own (ct direction
 * original) to a denied peer is dropped; replies to clients, from any port, are never touched.
 */
function relayOutputChain(relay: RelayPlan): string[] {
    if (!relay.relayPorts.length) {
        return [
            "    # TURN relay: this config names no relay port range (a relay-udp rule, coturn's min-port..max-port), so " +
                "the relay's own lockdown (plan --format livekit or coturn) is the lock; add the range to filter it here too",
        ];
    }
    const lockdown = lockdownOf(relay);
    const from =
        `ct direction original meta l4proto ${relay.tcpRelay ? "{ tcp, udp }" : "udp"} ` +
        `th sport ${set(relay.relayPorts.map(formatRange))}`;
    const lines: string[] = [];
    for (const family of FAMILIES) {
        const daddr = family === "ipv4" ? "ip daddr" : "ip6 daddr";
        if (lockdown.allow[family].length)
            lines.push(
                `        ${from} ${daddr} ${set(addressElements(lockdown.allow[family], family))} accept comment "turn relay: allowPeers"`,
            );
        lines.push(
            `        ${from} ${daddr} ${set(addressElements(lockdown.deny[family], family))} drop comment "turn relay: denied peers"`,
        );
    }
    return ["    chain output {", "        type filter hook output priority filter; policy accept;", ...lines, "    }"];
}

/** The plan's flows as nft matches, one per source set and protocol: `from`, `protocol`, the port set. */
function flowMatches(plan: RulePlan): { from: string; protocol: "tcp" | "udp"; ports: string; comment: string }[] {
    return groupBySources(plan.flows, true).map((group) => {
        const protocol = group.ports.tcp ? "tcp" : "udp";
        const world = group.family === "ipv4" ? ANY_IPV4 : ANY_IPV6;
        const family = group.family === "ipv4" ? "ip" : "ip6";
        const from = group.cidrs.includes(world) ? `meta nfproto ${group.family}` : `${family} saddr ${set(group.cidrs)}`;
        return { from, protocol, ports: set(group.ports[protocol]!.map(formatRange)), comment: comment(group.rules) };
    });
}

/**
 * Docker publishes a container's port by DNAT in prerouting and accepts it in its own forward chain
 * (moby/moby integration/network/bridge/iptablesdoc/generated/usernet-portmap.md: nat DOCKER's DNAT,
 * filter DOCKER's ACCEPT), so it never meets the input chain (moby/moby#4737, #22054). Here forwarded
 * traffic that was DNATed is admitted only where the spec opens the port the client connected to
 * (`ct original proto-dst`, before DNAT changed it), from the same sources; the rest is dropped. A drop
 * in any base chain is final, so Docker's own accept cannot undo it, and Docker, which rewrites only its
 * own tables, cannot remove it. Containers' own traffic (from docker0 and br-* bridges) and anything not
 * DNATed pass untouched.
 */
function forwardChain(plan: RulePlan): string[] {
    return [
        "    chain forward {",
        "        type filter hook forward priority filter; policy accept;",
        "        ct state established,related accept",
        '        iifname "docker0" accept',
        '        iifname "br-*" accept',
        ...flowMatches(plan).map(
            (m) => `        ct status dnat ${m.from} meta l4proto ${m.protocol} ct original proto-dst ${m.ports} accept ${m.comment}`,
        ),
        '        ct status dnat drop comment "published by a container or DNAT but not opened by the spec"',
        "    }",
    ];
}

export function renderNftables(plan: RulePlan): string {
    const rules = flowMatches(plan).map((m) => `        ${m.from} ${m.protocol} dport ${m.ports} accept ${m.comment}`);
    const relay = plan.relay;
    const sysctl = relay ? reservedPortsSysctl(relay) : undefined;
    return [
        "#!/usr/sbin/nft -f",
        "# webrtc-firewall: the host firewall for this media server. Load with `nft -f FILE`; loading again replaces it.",
        ...lockoutNotes(plan),
        ...(sysctl
            ? [
                  `# The relay ports are filtered on the way out: reserve them (sysctl -w ` +
                      `${sysctl.replace(/ /g, "")}; the cloud-init does) so no other program sends from them.`,
              ]
            : []),
        `table inet ${NFT_TABLE}`,
        `delete table inet ${NFT_TABLE}`,
        `table inet ${NFT_TABLE} {`,
        "    chain input {",
        "        type filter hook input priority filter; policy drop;",
        "        ct state established,related accept",
        "        ct state invalid drop",
        '        iif "lo" accept',
        "        meta l4proto icmp accept",
        `        meta l4proto ipv6-icmp icmpv6 type { ${ICMPV6_TYPES.join(", ")} } accept`,
        ...rules,
        ...unexpressibleNotes(plan).map((note) => `        ${note}`),
        "    }",
        ...forwardChain(plan),
        ...(relay ? relayOutputChain(relay) : []),
        "}",
        "",
    ].join("\n");
}
