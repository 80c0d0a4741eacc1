/**
 * Who really reaches a port through a set of rules: the union of every allowing rule's sources, less
 * what an earlier deny takes away (Azure and GCP evaluate by priority; at equal priority a deny wins
 * on GCP, and Azure priorities are unique), judged by what the addresses cover (contract/coverage.ts),
 * never by how they are spelled. The same world test as the component's own guards.
 */
import { FAMILIES, mergeIntervals, subtract, unionByFamily, type Interval } from "../contract/addressSet";
import type { Family } from "../contract/cidr";
import { worldCovered, worldCoveredBy } from "../contract/coverage";
import { formatRange, type PortRange } from "../contract/ports";
import type { Protocol } from "../contract/types";
import type { ObservedRule, Source } from "../clouds/observed";

/** A port the guards watch: an admin port or a dangerous service. */
export interface Watched {
    protocol: Protocol;
    ports: PortRange;
    /** `22/tcp (SSH)`, `6379/tcp (Redis: unauthenticated by default; remote code execution)`. */
    what: string;
}

/** Part of a watched port the world reaches, and the rules that let it in. */
export interface Opening {
    watched: Watched;
    ports: PortRange;
    covered: string[];
    through: ObservedRule[];
}

type AddressSet = Record<Family, Interval[]>;

/** Cut `watched` at every edge of the rules' ranges, so each rule holds a piece whole or not at all. */
function piecesOf(watched: PortRange, rules: readonly ObservedRule[]): PortRange[] {
    const edges = new Set([watched.from, watched.to + 1]);
    for (const rule of rules) {
        for (const r of rule.ports) {
            if (r.from > watched.from && r.from <= watched.to) edges.add(r.from);
            if (r.to >= watched.from && r.to < watched.to) edges.add(r.to + 1);
        }
    }
    const sorted = [...edges].sort((a, b) => a - b);
    return sorted.slice(0, -1).map((from, i) => ({ from, to: sorted[i + 1]! - 1 }));
}

/** Rules in evaluation order: lower priority numbers first, a deny before an allow of the same priority. */
const inOrder = (rules: readonly ObservedRule[]): ObservedRule[] =>
    [...rules].sort((a, b) => a.priority - b.priority || (a.action === b.action ? 0 : a.action === "deny" ? -1 : 1));

/** The addresses that reach one piece of port space, and the allowing rules that add to them. */
function reach(rules: readonly ObservedRule[]): { allowed: AddressSet; through: ObservedRule[] } {
    const allowed: AddressSet = { ipv4: [], ipv6: [] };
    const denied: AddressSet = { ipv4: [], ipv6: [] };
    const through: ObservedRule[] = [];
    for (const rule of inOrder(rules)) {
        const own = unionByFamily(rule.sources.flatMap((s) => s.cidrs));
        if (rule.action === "deny") {
            for (const f of FAMILIES) denied[f] = mergeIntervals([...denied[f], ...own[f]]);
            continue;
        }
        // A rule that lets in only what earlier ones let in already is not named as a way in.
        let adds = false;
        for (const f of FAMILIES) {
            const left = subtract(own[f], denied[f]);
            if (subtract(left, allowed[f]).length) adds = true;
            allowed[f] = mergeIntervals([...allowed[f], ...left]);
        }
        if (adds) through.push(rule);
    }
    return { allowed, through };
}

const covers = (rule: ObservedRule, protocol: Protocol, port: number): boolean =>
    rule.protocols.includes(protocol) && rule.ports.some((r) => r.from <= port && port <= r.to);

/** Every piece of the watched ports that the rules together open to the world. */
export function worldOpenings(rules: readonly ObservedRule[], watched: readonly Watched[]): Opening[] {
    const openings: Opening[] = [];
    for (const w of watched) {
        // Only speed: `covers` below picks each piece's rules again, and a piece with no allowing rule opens nothing.
        // Stryker disable all: the filter and the shortcut change how much work is done, never an opening
        const relevant = rules.filter(
            (r) => r.protocols.includes(w.protocol) && r.ports.some((p) => p.from <= w.ports.to && w.ports.from <= p.to),
        );
        // Stryker restore all
        // Stryker disable next-line all: see above
        if (!relevant.some((r) => r.action === "allow")) continue;
        let last: Opening | undefined;
        for (const piece of piecesOf(w.ports, relevant)) {
            const { allowed, through } = reach(relevant.filter((r) => covers(r, w.protocol, piece.from)));
            const covered = worldCoveredBy(allowed);
            if (!covered.length) {
                last = undefined;
                continue;
            }
            // Neighbouring pieces opened by the same rules read as one range.
            if (last && last.ports.to + 1 === piece.from && sameRules(last.through, through) && last.covered.join() === covered.join()) {
                last.ports = { from: last.ports.from, to: piece.to };
                continue;
            }
            last = { watched: w, ports: piece, covered, through };
            openings.push(last);
        }
    }
    return openings;
}

const sameRules = (a: readonly ObservedRule[], b: readonly ObservedRule[]): boolean =>
    a.length === b.length && a.every((r, i) => r === b[i]);

/** `22/tcp` or `5000-5100/tcp` for the part of a watched port that is open. */
export const openedText = (o: Opening): string => `${formatRange(o.ports)}/${o.watched.protocol}`;

/**
 * A rule's sources that cover the world although none says so: `0.0.0.0/1` with `128.0.0.0/1`,
 * `::ffff:0:0/96`, or a GCP rule with no source at all. Undefined when it is not the world or says it plainly.
 */
export function worldInDisguise(rule: ObservedRule): string[] | undefined {
    const covered = worldCovered(rule.sources.flatMap((s) => s.cidrs));
    if (!covered.length) return undefined;
    // A source holds more than one CIDR only as a world tag (both /0s): `some` and `every` agree on it.
    // Stryker disable next-line MethodExpression: equivalent, see above
    const plain = rule.sources.some((s) => !s.implicit && s.cidrs.some((c) => c.prefix === 0));
    return plain ? undefined : covered;
}

/** `0.0.0.0/1, 128.0.0.0/1`, cut after `max` entries: a violation stays readable with 1,000 sources. */
export function sourcesText(sources: readonly Source[], max = 6): string {
    const shown = sources.slice(0, max).map((s) => s.text);
    return sources.length > max ? `${shown.join(", ")} and ${sources.length - max} more` : shown.join(", ");
}
