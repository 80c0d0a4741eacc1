/** An inclusive port range; a single port has `from === to`. */
export interface PortRange {
    from: number;
    to: number;
}

export type PortsResult = { ok: true; ranges: PortRange[] } | { ok: false; problems: { index?: number; message: string }[] };

const HOW = 'write a port (443 or "443"), a range ("50000-60000") or a list of those';

function parseOne(raw: unknown): { range?: PortRange; message?: string } {
    if (typeof raw === "number") {
        if (!Number.isInteger(raw)) return { message: `${raw} is not a whole number; ${HOW}` };
        return checkBounds(raw, raw, String(raw));
    }
    if (typeof raw !== "string") {
        return { message: `${JSON.stringify(raw)} is not a port; ${HOW}` };
    }
    const match = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/.exec(raw);
    if (!match) return { message: `"${raw}" is not a port or range; ${HOW}` };
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    return checkBounds(from, to, `"${raw}"`);
}

function checkBounds(from: number, to: number, quoted: string): { range?: PortRange; message?: string } {
    for (const port of [from, to]) {
        if (port < 1 || port > 65535) return { message: `${quoted}: port ${port} is outside 1..65535; use ports from 1 to 65535` };
    }
    if (from > to) return { message: `${quoted} is a reversed range (start ${from} > end ${to}); write it as "${to}-${from}"` };
    return { range: { from, to } };
}

/** Parses a rule's `ports` value; every bad element is reported, with its list index. */
export function parsePorts(raw: unknown): PortsResult {
    const items = Array.isArray(raw) ? raw : [raw];
    if (items.length === 0) return { ok: false, problems: [{ message: `[] opens no port; ${HOW}` }] };
    const ranges: PortRange[] = [];
    const problems: { index?: number; message: string }[] = [];
    items.forEach((item, index) => {
        const parsed = parseOne(item);
        if (parsed.range) ranges.push(parsed.range);
        else problems.push({ index: Array.isArray(raw) ? index : undefined, message: parsed.message! });
    });
    return problems.length ? { ok: false, problems } : { ok: true, ranges: mergeRanges(ranges) };
}

/** Sorts and merges overlapping and adjacent ranges (5060 and 5061 become 5060-5061). */
export function mergeRanges(ranges: readonly PortRange[]): PortRange[] {
    // By start only: of two ranges with one start, the longer wins the merge either way.
    const sorted = [...ranges].sort((a, b) => a.from - b.from);
    const merged: PortRange[] = [];
    for (const range of sorted) {
        const last = merged[merged.length - 1];
        if (last && range.from <= last.to + 1) last.to = Math.max(last.to, range.to);
        else merged.push({ ...range });
    }
    return merged;
}

/** `ranges` minus `remove`; the result is merged. One sweep over both sorted lists: linear, however many cuts. */
export function subtractRanges(ranges: readonly PortRange[], remove: readonly PortRange[]): PortRange[] {
    const cuts = mergeRanges(remove);
    const result: PortRange[] = [];
    let first = 0; // cuts before it end below every range still to come
    for (const range of mergeRanges(ranges)) {
        // Stryker disable next-line ConditionalExpression: only speed; a cut below the range moves `from` nowhere
        while (first < cuts.length && cuts[first]!.to < range.from) first++;
        let from = range.from;
        for (let i = first; i < cuts.length && cuts[i]!.from <= range.to; i++) {
            if (cuts[i]!.from > from) result.push({ from, to: cuts[i]!.from - 1 });
            from = Math.max(from, cuts[i]!.to + 1);
        }
        if (from <= range.to) result.push({ from, to: range.to });
    }
    return result;
}

export function rangesOverlap(a: PortRange, b: PortRange): boolean {
    return a.from <= b.to && b.from <= a.to;
}

export function includesPort(ranges: readonly PortRange[], port: number): boolean {
    return ranges.some((r) => r.from <= port && port <= r.to);
}

/** `443` or `50000-60000`: the text every cloud accepts for a range. */
export function formatRange(range: PortRange): string {
    return range.from === range.to ? String(range.from) : `${range.from}-${range.to}`;
}
