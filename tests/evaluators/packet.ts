/** Packets, address math and a compiled CIDR matcher shared by the evaluators. */
import * as ipaddr from "ipaddr.js";

export type Direction = "in" | "out";
export interface Packet {
    direction: Direction;
    protocol: "tcp" | "udp";
    port: number;
    /** The remote address: the source of inbound traffic, the destination of outbound. */
    address: string;
}

/** One allow rule of a union-of-rules firewall (Hetzner, OCI), compiled: what it admits in one direction. */
export interface CompiledRule {
    direction: string;
    protocol: string;
    from: number;
    to: number;
    contains: (a: string) => boolean;
}

export type Family = "ipv4" | "ipv6";
export const WIDTH: Record<Family, number> = { ipv4: 32, ipv6: 128 };

const parsedAddresses = new Map<string, { family: Family; bits: bigint }>();

export function toBits(address: string): { family: Family; bits: bigint } {
    let hit = parsedAddresses.get(address);
    if (!hit) {
        const parsed = ipaddr.parse(address);
        hit = { family: parsed.kind() as Family, bits: parsed.toByteArray().reduce((acc, b) => (acc << 8n) | BigInt(b), 0n) };
        if (parsedAddresses.size > 100_000) parsedAddresses.clear();
        parsedAddresses.set(address, hit);
    }
    return hit;
}

export function fromBits(family: Family, bits: bigint): string {
    const bytes: number[] = [];
    for (let i = 0; i < WIDTH[family] / 8; i++) bytes.unshift(Number((bits >> BigInt(8 * i)) & 255n));
    return ipaddr.fromByteArray(bytes).toString();
}

export interface CidrRange {
    family: Family;
    first: bigint;
    last: bigint;
}

export function cidrRange(cidr: string): CidrRange {
    const [address, prefixText] = cidr.split("/");
    const { family, bits } = toBits(address!);
    const prefix = prefixText === undefined ? WIDTH[family] : Number(prefixText);
    const host = (1n << BigInt(WIDTH[family] - prefix)) - 1n;
    return { family, first: bits & ~host, last: (bits & ~host) | host };
}

/** A compiled "is this address inside any of these CIDRs" check. */
export function matcher(cidrs: readonly string[]): (address: string) => boolean {
    const ranges = cidrs.map(cidrRange);
    return (address) => {
        const { family, bits } = toBits(address);
        return ranges.some((r) => r.family === family && r.first <= bits && bits <= r.last);
    };
}

/** `443`, `50000-60000`, `all`, `*` → an inclusive range. */
export function portSpan(text: string | undefined): [number, number] {
    if (text === undefined || text === "all" || text === "*") return [1, 65535];
    const [from, to] = text.split("-").map(Number);
    return [from!, to ?? from!];
}

export type Evaluator = (packet: Packet) => boolean;
