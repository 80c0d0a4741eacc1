/**
 * The fewest resources and rules that can express a spec on each cloud, computed here from the
 * spec alone (a port-by-port sweep), independently of src/plan and src/clouds.
 * Model: a cloud rule opens one source set to its ports; sources that partially overlap in ports
 * could in theory share rules differently, which no preset does.
 */
import * as ipaddr from "ipaddr.js";
import type { FirewallSpec } from "../src/contract/types";

interface Net {
    text: string;
    v6: boolean;
    first: bigint;
    last: bigint;
}

function net(text: string): Net {
    const [address, prefix] = text.split("/");
    const parsed = ipaddr.parse(address!);
    const width = parsed.kind() === "ipv6" ? 128 : 32;
    const bits = parsed.toByteArray().reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
    const host = (1n << BigInt(width - Number(prefix ?? width))) - 1n;
    return { text, v6: width === 128, first: bits & ~host, last: (bits & ~host) | host };
}

export interface Minimum {
    resources: number;
    rules: number;
}

type Segments = { protocol: string; from: number; to: number; sources: Net[] }[];

/** Splits the port space into segments with a constant set of (non-redundant) sources. */
function segments(spec: FirewallSpec): Segments {
    const out: Segments = [];
    for (const protocol of ["tcp", "udp"]) {
        const opens = spec.rules
            .filter((r) => (r.protocols as string[]).includes(protocol))
            .flatMap((r) => {
                const sources = r.from.cidrs.map((c) => c.text);
                if (r.from.public) sources.push("0.0.0.0/0", ...(spec.ipv6 ? ["::/0"] : []));
                if (r.from.admin) sources.push(...spec.adminCidrs.map((c) => c.text));
                return r.ports.map((p) => ({ ...p, sources: sources.map(net) }));
            });
        const cuts = [...new Set(opens.flatMap((o) => [o.from, o.to + 1]))].sort((a, b) => a - b);
        for (let i = 0; i + 1 < cuts.length; i++) {
            const [from, to] = [cuts[i]!, cuts[i + 1]! - 1];
            const here = new Map<string, Net>();
            for (const o of opens) if (o.from <= from && to <= o.to) o.sources.forEach((s) => here.set(s.text, s));
            const all = [...here.values()];
            const kept = all.filter((s) => !all.some((o) => o !== s && o.v6 === s.v6 && o.first <= s.first && s.last <= o.last));
            if (kept.length) out.push({ protocol, from, to, sources: kept });
        }
    }
    return out;
}

const key = (nets: Net[]) =>
    nets
        .map((n) => n.text)
        .sort()
        .join(",");

/** Runs of adjacent segments (same protocol) for which `inRun` holds, counted per distinct key. */
function runs(segs: Segments, keyOf: (s: Segments[number]) => string[]): number {
    let count = 0;
    const open = new Map<string, number>(); // key → end port of the current run
    for (const s of segs) {
        for (const k of keyOf(s)) {
            const runKey = `${s.protocol} ${k}`;
            if (open.get(runKey) !== s.from - 1) count++;
            open.set(runKey, s.to);
        }
    }
    return count;
}

/** Per key, the port pieces its runs of adjacent segments make (a single port one, a range two: Linode's count). */
function piecesPerKey(segs: Segments, keyOf: (s: Segments[number]) => string): Map<string, number> {
    const runsOf = new Map<string, { from: number; to: number }[]>();
    for (const s of segs) {
        const k = `${s.protocol} ${keyOf(s)}`;
        const list = runsOf.get(k) ?? [];
        const last = list[list.length - 1];
        if (last && last.to === s.from - 1) last.to = s.to;
        else list.push({ from: s.from, to: s.to });
        runsOf.set(k, list);
    }
    return new Map([...runsOf].map(([k, list]) => [k, list.reduce((n, r) => n + (r.from === r.to ? 1 : 2), 0)]));
}

export function minimum(cloud: string, spec: FirewallSpec): Minimum {
    const segs = segments(spec);
    const families = (s: Segments[number]) => [s.sources.filter((n) => !n.v6), s.sources.filter((n) => n.v6)].filter((f) => f.length);
    if (cloud === "aws") {
        const perSource = runs(segs, (s) => s.sources.map((n) => n.text));
        const v4 = runs(segs, (s) => s.sources.filter((n) => !n.v6).map((n) => n.text));
        // 60 rules a family in a group, 5 of them kept free so an update can create before it deletes (docs/updates.md).
        const groups = Math.max(1, Math.ceil(v4 / 55), Math.ceil((perSource - v4) / 55));
        const egress = spec.ipv6 ? 2 : 1;
        return { resources: groups + perSource + egress, rules: perSource + egress };
    }
    if (cloud === "oci") {
        // One source per rule, as on AWS, and an NSG holds 120 rules of both directions, 10 kept free for updates.
        const rules = runs(segs, (s) => s.sources.map((n) => n.text)) + (spec.ipv6 ? 2 : 1);
        return { resources: Math.ceil(rules / 110) + rules, rules };
    }
    if (cloud === "linode") {
        // One firewall; a rule holds one protocol, any addresses of both families and 15 port pieces (a range two).
        const rules = [...piecesPerKey(segs, (s) => key(s.sources)).values()].reduce((n, pieces) => n + Math.ceil(pieces / 15), 0);
        return { resources: 1, rules };
    }
    if (cloud === "openstack") {
        // One remote prefix per rule, as on OCI; one group, and egress for both families as rules of ours.
        const rules = runs(segs, (s) => s.sources.map((n) => n.text)) + 2;
        return { resources: 1 + rules, rules };
    }
    if (cloud === "gcp") {
        const sets = new Set(segs.flatMap((s) => families(s).map(key)));
        return { resources: sets.size, rules: sets.size };
    }
    if (cloud === "digitalocean") {
        const inbound = runs(segs, (s) => [key(s.sources)]);
        const rules = inbound + 3;
        return { resources: Math.ceil(rules / 50), rules };
    }
    if (cloud === "hetzner") {
        // One rule per protocol and port or range, with every source of both families; no outbound rule
        // (a Hetzner firewall without one allows all outbound), 50 rules per firewall.
        const rules = runs(segs, (s) => [key(s.sources)]);
        return { resources: Math.ceil(rules / 50), rules };
    }
    const sets = new Set(segs.flatMap((s) => families(s).map((f) => `${s.protocol} ${key(f)}`)));
    return { resources: 1, rules: sets.size };
}
