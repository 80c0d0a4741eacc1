/**
 * The peers a TURN relay must never reach: one table, with where each entry comes from. A relay that
 * forwards to any peer lets anyone with credentials reach the server's own network, its loopback
 * services and the cloud's metadata service (Enable Security, "How we abused Slack's TURN servers to
 * gain access to internal services", 2020). Cloud firewalls cannot stop it: AWS security groups do not
 * filter instance metadata, Amazon DNS or Time Sync traffic, and Azure's 168.63.129.16 is not subject to
 * NSGs. So the lock lives in the relay's own config and in the host firewall (hosts/nftables.ts).
 */
import { addressBits, contains, lenientCidr, mergeIntervals, subtract, unionByFamily, type Interval } from "./addressSet";
import type { Cidr, Family } from "./cidr";
import { worldCovered } from "./coverage";

export interface DeniedPeer {
    cidr: string;
    what: string;
    source: string;
}

const IANA4 = "IANA IPv4 Special-Purpose Address Registry";
const IANA6 = "IANA IPv6 Special-Purpose Address Registry";
const peer = (cidr: string, what: string, source: string): DeniedPeer => ({ cidr, what, source });

/** Every address that is not a public internet host, plus cloud endpoints outside those ranges. */
export const DENIED_PEERS: readonly DeniedPeer[] = [
    peer("0.0.0.0/8", '"this network"', `${IANA4}, RFC 791`),
    peer("10.0.0.0/8", "private", `${IANA4}, RFC 1918`),
    peer("100.64.0.0/10", "shared address space (carrier-grade NAT; Alibaba Cloud metadata 100.100.100.200)", `${IANA4}, RFC 6598`),
    peer("127.0.0.0/8", "loopback", `${IANA4}, RFC 1122`),
    peer(
        "169.254.0.0/16",
        "link-local: the AWS, GCP, Azure and Oracle metadata service 169.254.169.254, Amazon DNS and Time Sync",
        `${IANA4}, RFC 3927`,
    ),
    peer("172.16.0.0/12", "private", `${IANA4}, RFC 1918`),
    peer("192.0.0.0/24", "IETF protocol assignments", `${IANA4}, RFC 6890`),
    peer("192.0.2.0/24", "documentation (TEST-NET-1)", `${IANA4}, RFC 5737`),
    peer("192.88.99.0/24", "6to4 relay anycast (deprecated)", `${IANA4}, RFC 7526`),
    peer("192.168.0.0/16", "private", `${IANA4}, RFC 1918`),
    peer("198.18.0.0/15", "benchmarking", `${IANA4}, RFC 2544`),
    peer("198.51.100.0/24", "documentation (TEST-NET-2)", `${IANA4}, RFC 5737`),
    peer("203.0.113.0/24", "documentation (TEST-NET-3)", `${IANA4}, RFC 5737`),
    peer("224.0.0.0/4", "multicast", "RFC 5771"),
    peer("240.0.0.0/4", "reserved, and the limited broadcast 255.255.255.255", `${IANA4}, RFC 1112, RFC 919`),
    peer(
        "168.63.129.16/32",
        "Azure WireServer (DHCP, DNS, health probes), not subject to NSGs",
        "Microsoft Learn, What is IP address 168.63.129.16",
    ),
    peer("::/128", "unspecified", `${IANA6}, RFC 4291`),
    peer("::1/128", "loopback", `${IANA6}, RFC 4291`),
    peer("::/96", "IPv4-compatible (deprecated): ::127.0.0.1 is loopback that coturn 4.6.1 does not recognise", "RFC 4291 2.5.5.1"),
    peer(
        "::ffff:0:0/96",
        "IPv4-mapped: ::ffff:127.0.0.1 and ::ffff:169.254.169.254 (coturn before 4.9 does not see them as IPv4)",
        `${IANA6}, RFC 4291`,
    ),
    peer("64:ff9b::/96", "NAT64 well-known prefix: embeds any IPv4 address, private ones included", `${IANA6}, RFC 6052`),
    peer("64:ff9b:1::/48", "local-use NAT64", `${IANA6}, RFC 8215`),
    peer("100::/64", "discard-only", `${IANA6}, RFC 6666`),
    peer("2001::/23", "IETF protocol assignments (Teredo 2001::/32 embeds IPv4)", `${IANA6}, RFC 2928`),
    peer("2001:db8::/32", "documentation", `${IANA6}, RFC 3849`),
    peer("2002::/16", "6to4: embeds any IPv4 address, private ones included", `${IANA6}, RFC 3056`),
    peer("3fff::/20", "documentation", `${IANA6}, RFC 9637`),
    peer("5f00::/16", "segment routing (SRv6) SIDs", `${IANA6}, RFC 9602`),
    peer("fc00::/7", "unique local: the AWS metadata service fd00:ec2::254 and Amazon DNS fd00:ec2::253", `${IANA6}, RFC 4193`),
    peer("fe80::/10", "link-local", `${IANA6}, RFC 4291`),
    peer("fec0::/10", "site-local (deprecated)", "RFC 3879"),
    peer("ff00::/8", "multicast", `${IANA6}, RFC 4291`),
];

/** Addresses an allowPeers entry may never cover: what the attack reaches for. */
const NEVER_ALLOWED: readonly { address: string; what: string }[] = [
    { address: "169.254.169.254", what: "the instance metadata service of AWS, GCP, Azure and Oracle Cloud" },
    { address: "fd00:ec2::254", what: "the AWS instance metadata service over IPv6" },
    { address: "168.63.129.16", what: "Azure's WireServer" },
    { address: "100.100.100.200", what: "the Alibaba Cloud metadata service" },
    { address: "127.0.0.1", what: "loopback (the server's own local services)" },
    { address: "::1", what: "loopback (the server's own local services)" },
];

/** Why an allowPeers list must be refused: the metadata or loopback addresses it covers, or the world. */
export function allowPeersProblems(allow: readonly Cidr[]): string[] {
    const world = worldCovered(allow);
    // The world covers every address below: say it once.
    if (world.length) return [`covers ${world.join(" and ")}: the relay would reach every peer again`];
    const reasons: string[] = [];
    const families = unionByFamily(allow);
    for (const never of NEVER_ALLOWED) {
        const family: Family = never.address.includes(":") ? "ipv6" : "ipv4";
        if (contains(families[family], addressBits(never.address))) reasons.push(`covers ${never.address}, ${never.what}`);
    }
    return reasons;
}

/** The relay's peer policy, as address intervals per family. */
export interface PeerLockdown {
    /** Denied: the table plus denyPeers. */
    deny: Record<Family, Interval[]>;
    /** Exempted: allowPeers (they win over the deny set, as coturn's allowed-peer-ip does). */
    allow: Record<Family, Interval[]>;
    /** What is really denied once the exemptions are taken out. */
    effective: Record<Family, Interval[]>;
}

/** The rule names that mean the config opens a TURN relay (presets and server configs alike). */
export const RELAY_RULES: readonly string[] = ["relay-udp", "turn-udp", "turn-tls", "stun-udp", "stun-tcp", "turns-tls", "turns-dtls"];

export function peerLockdown(allowPeers: readonly string[], denyPeers: readonly string[]): PeerLockdown {
    // The table and the plan hold canonical CIDRs, IPv4-mapped ones included (parseCidr refuses those as sources).
    const cidrs = (texts: readonly string[]) => texts.map((t) => lenientCidr(t)!);
    const result = {
        deny: unionByFamily(cidrs([...DENIED_PEERS.map((p) => p.cidr), ...denyPeers])),
        allow: unionByFamily(cidrs(allowPeers)),
    };
    const effective = (family: Family) => mergeIntervals(subtract(result.deny[family], result.allow[family]));
    return { ...result, effective: { ipv4: effective("ipv4"), ipv6: effective("ipv6") } };
}
