/**
 * What a set of sources covers, judged by the union of the addresses, not by how they are spelled:
 * `0.0.0.0/1` plus `128.0.0.0/1` is the whole IPv4 internet, and `2002::/16` (6to4) stands for every
 * IPv4 host. Used to decide when a rule is open to the world.
 */
import type { Cidr, Family } from "./cidr";
import { intervalOf, unionByFamily, type Interval } from "./addressSet";

/** A prefix that stands for every IPv4 host (or all of one family). */
export interface WorldPrefix {
    cidr: Cidr;
    what: string;
}

const v6 = (text: string, prefix: number, what: string): WorldPrefix => ({
    cidr: { text: `${text}/${prefix}`, family: "ipv6", prefix },
    what,
});

/** Whole families, and the IPv6 prefixes that embed any IPv4 address (RFC 4291, 3056, 4380, 6052). */
export const WORLD_PREFIXES: WorldPrefix[] = [
    { cidr: { text: "0.0.0.0/0", family: "ipv4", prefix: 0 }, what: "all of IPv4" },
    v6("::", 0, "all of IPv6"),
    v6("::ffff:0:0", 96, "every IPv4 host (IPv4-mapped ::ffff:0:0/96)"),
    v6("2002::", 16, "every IPv4 host (6to4 2002::/16)"),
    v6("2001::", 32, "every IPv4 host (Teredo 2001::/32)"),
    v6("64:ff9b::", 96, "every IPv4 host (NAT64 64:ff9b::/96)"),
];

/** The world prefixes a source set covers whole, e.g. `["all of IPv4"]`; empty when it covers none. */
export const worldCovered = (sources: readonly Cidr[]): string[] => worldCoveredBy(unionByFamily(sources));

/** The same for address sets already merged per family (what is left of a source after denies). */
export function worldCoveredBy(byFamily: Record<Family, readonly Interval[]>): string[] {
    const covered: string[] = [];
    for (const world of WORLD_PREFIXES) {
        const target = intervalOf(world.cidr);
        if (byFamily[world.cidr.family].some((i) => i.from <= target.from && target.to <= i.to)) covered.push(world.what);
    }
    // Covering all of IPv6 covers the IPv4-embedding prefixes too: name it once.
    return covered.includes("all of IPv6") ? covered.filter((w) => !w.startsWith("every IPv4 host")) : covered;
}
