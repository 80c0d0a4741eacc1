/**
 * What a late source (contract/late.ts) resolves to, as the mappings need it: canonical CIDRs by family,
 * or a group id (on a cloud whose contract has a `groupSource`). The value reaching here has already passed validation (firewall.ts), so
 * parsing cannot fail; a failure would be a bug, not a user mistake.
 */
import * as pulumi from "@pulumi/pulumi";
import { compareCidrs, parseCidr, type Family } from "../contract/cidr";
import type { Late } from "../contract/late";

export interface LateSource {
    kind: Family | "group";
    /** A canonical CIDR (`203.0.113.7/32`) or a group id. */
    text: string;
}

function toSource(item: unknown, groups?: RegExp): LateSource {
    const text = String(item).trim();
    if (groups?.test(text)) return { kind: "group", text };
    const parsed = parseCidr(text);
    if (!parsed.ok) throw new Error(`internal: a late source reached a mapping unchecked: ${text}`);
    return { kind: parsed.cidr.family, text: parsed.cidr.text };
}

/** Every source one late entry resolves to (one for an entry, any number for a whole list); `groups`: the cloud's group ids. */
export function lateSources(entry: Late, groups?: RegExp): pulumi.Output<LateSource[]> {
    return entry.value.apply((v) => (Array.isArray(v) ? v : [v]).map((item) => toSource(item, groups)));
}

/** The one source a single late entry resolves to. */
export function lateSource(entry: Late, groups?: RegExp): pulumi.Output<LateSource> {
    return lateSources(entry, groups).apply((sources) => sources[0]!);
}

/**
 * A cloud's inline rules: the plain list, or, once a late rule may resolve to no source (only whole-list
 * entries can), an Output of the list without those rules, each with its resolved sources.
 */
export function withoutEmptyLateRules<R>(rules: (R & { mayBeEmpty?: boolean })[], sources: keyof R): pulumi.Input<R[]> {
    const strip = ({ mayBeEmpty: _, ...rule }: R & { mayBeEmpty?: boolean }) => rule as R;
    if (!rules.some((r) => r.mayBeEmpty)) return rules.map(strip);
    return pulumi
        .all(rules.map((r) => pulumi.output((r[sources] ?? []) as pulumi.Input<unknown[]>)))
        .apply((resolved) =>
            rules
                .map((r, i) => ({ ...strip(r), ...(r[sources] === undefined ? {} : { [sources]: resolved[i] }) }) as R)
                .filter((r, i) => !rules[i]!.mayBeEmpty || resolved[i]!.length > 0),
        );
}

/** The CIDRs of one family that some late entries resolve to, deduplicated and sorted. */
export function lateCidrs(entries: readonly Late[], family?: Family): pulumi.Output<string[]> {
    return pulumi.all(entries.map((entry) => lateSources(entry))).apply((lists) =>
        [
            ...new Set(
                lists
                    .flat()
                    .filter((s) => s.kind !== "group" && (!family || s.kind === family))
                    .map((s) => s.text),
            ),
        ].sort(compareCidrs),
    );
}
