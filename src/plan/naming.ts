/** Names derived from what a rule is, never where it sits in a list, so updates stay calm. */
import { createHash } from "node:crypto";
import { ANY_IPV4, ANY_IPV6, type Family } from "../contract/cidr";
import { truncateUtf8, UNPRINTABLE } from "../contract/text";
import { formatRange } from "../contract/ports";
import type { Flow, RulePlan } from "./plan";

export function shortHash(text: string, length = 8): string {
    return createHash("sha256").update(text).digest("hex").slice(0, length);
}

export const FAMILY_TAG: Record<Family, string> = { ipv4: "v4", ipv6: "v6" };

/**
 * A short lowercase slug for a source set: `public`, `admin`, or `src-<hash>` of the sorted CIDRs.
 * Adding an admin CIDR keeps the `admin` name (an in-place update); other sets are named by content.
 */
export function sourceSetSlug(cidrs: readonly string[], family: Family, plan: RulePlan): string {
    const key = cidrs.join(",");
    if (key === (family === "ipv4" ? ANY_IPV4 : ANY_IPV6)) return "public";
    if (plan.adminCidrs[family].length && key === plan.adminCidrs[family].join(",")) return "admin";
    return `src-${shortHash(key)}`;
}

/** Splits a list into chunks of at most `size`, for per-rule source limits. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
    const out: T[][] = [];
    for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
    return out;
}

/** `name`, `name-2`, `name-3`: the first keeps the plain name so a split never renames it. */
export function numbered(base: string, index: number): string {
    return index === 0 ? base : `${base}-${index + 1}`;
}

/**
 * The names of a firewall's batches when its rules are split over several, from what each holds: Pulumi updates
 * the firewalls of one resource in parallel, so a rule moving from one batch to another could be gone from both
 * for a moment (src/update/ finds it); a batch named by its content is created anew instead, and the old one goes
 * after everything else (create-before-delete). One batch keeps the plain name and is updated in place, atomically.
 */
export function batchNames<T>(base: string, batches: readonly T[][], identity: (item: T) => string): string[] {
    if (batches.length <= 1) return batches.map(() => base);
    const names = batches.map((batch) => `${base}-${shortHash(batch.map(identity).join("\n"))}`);
    // Two batches of the same content (only late rules alike) would share a name: number the repeats.
    return names.map((n, i) => (names.indexOf(n) === i ? n : `${n}-${i + 1}`));
}

/**
 * A rule's identity for `batchNames`: its known values, with "late" where a value resolves only when deployed (an
 * Output, or any other object that is not plain data). Walked by hand: JSON.stringify would call an Output's
 * `toJSON`, which @pulumi/pulumi warns about and may make throw.
 */
export function ruleIdentity(rule: object): string {
    const known = (value: unknown): unknown => {
        if (Array.isArray(value)) return value.map(known);
        if (value === null || typeof value !== "object") return value;
        if (Object.getPrototypeOf(value) !== Object.prototype) return "late";
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, known(v)]));
    };
    return JSON.stringify(known(rule));
}

/**
 * A description naming the rules behind a cloud rule: `rtc-udp: WebRTC media (ICE/UDP)` for one,
 * `sip-tcp, sip-tls` for several; without control characters, filtered to the characters a cloud
 * allows, and cut to its limit in UTF-8 bytes (the providers' validators count bytes: Go's `len`).
 */
export function describeRules(names: readonly string[], plan: RulePlan, maxBytes: number, allowed?: RegExp): string {
    const only = names.length === 1 ? plan.rules.find((r) => r.name === names[0]) : undefined;
    let text = (only?.description ? `${only.name}: ${only.description}` : names.join(", ")).replace(UNPRINTABLE, "");
    if (allowed) text = [...text].filter((ch) => allowed.test(ch)).join("");
    return truncateUtf8(text, maxBytes);
}

/** `2001:db8::/32` → `2001_db8__/32`: Pulumi names must not contain "::". */
export function cidrSlug(cidr: string): string {
    return cidr.replace(/:/g, "_");
}

/** One rule per (protocol, port range, CIDR) as its logical name (AWS and OCI rules hold one source each). */
export function ingressName(name: string, flow: Flow): string {
    return `${name}-${flow.protocol}-${formatRange(flow.ports)}-${cidrSlug(flow.cidr)}`;
}
