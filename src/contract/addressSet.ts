/**
 * Sets of addresses as sorted, merged intervals per family: the one piece of address arithmetic that
 * world detection (coverage.ts) and the TURN relay's peer lockdown (relayPeers.ts) share. Judged by
 * what the addresses cover, never by how they are spelled.
 */
import * as ipaddr from "ipaddr.js";
import { networkBits, type Cidr, type Family } from "./cidr";

export const WIDTH: Record<Family, number> = { ipv4: 32, ipv6: 128 };
export const FAMILIES: readonly Family[] = ["ipv4", "ipv6"];

export interface Interval {
    from: bigint;
    to: bigint;
}

export function intervalOf(cidr: Cidr): Interval {
    const from = networkBits(cidr);
    return { from, to: from + (1n << BigInt(WIDTH[cidr.family] - cidr.prefix)) - 1n };
}

/** Sorted, merged intervals: adjacent and overlapping ones become one. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
    // Mutants of the `> ? 1 : 0` half (and `<` to `<=`) cannot change the result: V8's sort only asks
    // whether the comparison is negative, and intervals with equal starts merge to the same union.
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, see above
    const sorted = intervals.map((i) => ({ ...i })).sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
    const merged: Interval[] = [];
    for (const i of sorted) {
        const last = merged[merged.length - 1];
        if (last && i.from <= last.to + 1n) {
            // Stryker disable next-line EqualityOperator: with equal ends, assigning changes nothing
            if (i.to > last.to) last.to = i.to;
        } else merged.push(i);
    }
    return merged;
}

/** Sorted, merged address intervals of one family. */
export const union = (cidrs: readonly Cidr[]): Interval[] => mergeIntervals(cidrs.map(intervalOf));

/** The union of each family's CIDRs: an IPv4 block never stands for IPv6 bits, nor the other way. */
export function unionByFamily(cidrs: readonly Cidr[]): Record<Family, Interval[]> {
    return { ipv4: union(cidrs.filter((c) => c.family === "ipv4")), ipv6: union(cidrs.filter((c) => c.family === "ipv6")) };
}

/**
 * A CIDR as Go's net.ParseCIDR reads it (LiveKit) and as the deny table writes it: host bits masked,
 * IPv4-mapped prefixes accepted. parseCidr is the strict reader for what users write as sources.
 */
export function lenientCidr(text: string): Cidr | undefined {
    const trimmed = text.trim();
    if (!ipaddr.isValidCIDR(trimmed)) return undefined;
    const [address, prefix] = ipaddr.parseCIDR(trimmed);
    const family: Family = address.kind() === "ipv4" ? "ipv4" : "ipv6";
    const host = BigInt(WIDTH[family] - prefix);
    return { text: `${addressText((addressBits(address.toString()) >> host) << host, family)}/${prefix}`, family, prefix };
}

/** What `a` covers and `b` does not; both merged. */
export function subtract(a: readonly Interval[], b: readonly Interval[]): Interval[] {
    const out: Interval[] = [];
    for (const i of a) {
        let from = i.from;
        for (const cut of b) {
            if (cut.to < from || cut.from > i.to) continue;
            if (cut.from > from) out.push({ from, to: cut.from - 1n });
            from = cut.to + 1n;
            // Stryker disable next-line ConditionalExpression: never breaking only skips cuts that lie past the interval
            if (from > i.to) break;
        }
        if (from <= i.to) out.push({ from, to: i.to });
    }
    return out;
}

export const contains = (set: readonly Interval[], address: bigint): boolean => set.some((i) => i.from <= address && address <= i.to);

/** The text of an address given as its bits. */
export function addressText(bits: bigint, family: Family): string {
    const bytes: number[] = [];
    for (let i = WIDTH[family] / 8 - 1; i >= 0; i--) bytes.push(Number((bits >> BigInt(i * 8)) & 0xffn));
    return ipaddr.fromByteArray(bytes).toString();
}

/** The bits of an address's text (both families). */
export function addressBits(text: string): bigint {
    return ipaddr
        .parse(text)
        .toByteArray()
        .reduce((acc, byte) => (acc << 8n) | BigInt(byte), 0n);
}

/** The fewest CIDRs that cover exactly the interval: the largest aligned block at each step. */
export function cidrsOf(interval: Interval, family: Family): string[] {
    const width = BigInt(WIDTH[family]);
    const out: string[] = [];
    let from = interval.from;
    while (from <= interval.to) {
        let size = 0n; // host bits of the block
        // Stops at the whole family at most: a block of 2^(width+1) addresses never fits an interval of the family.
        while ((from & ((1n << (size + 1n)) - 1n)) === 0n && from + (1n << (size + 1n)) - 1n <= interval.to) size++;
        out.push(`${addressText(from, family)}/${width - size}`);
        from += 1n << size;
    }
    return out;
}
