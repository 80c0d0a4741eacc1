/**
 * Drift between the firewall and the media server: every port a server listens on (its config's rules)
 * or a container publishes (compose) that the firewall does not open to the world, and every port the
 * firewall opens to the world that no given file uses. Admin-only rules (ssh, dashboards) are not
 * "unused": no server file lists them. Ports stay ranges throughout, so a file publishing `1-65535`
 * four hundred times costs four hundred ranges, not 26 million ports.
 */
import { isAnyAddress } from "../contract/cidr";
import { formatRange, mergeRanges, subtractRanges, type PortRange } from "../contract/ports";
import { neverExposedIn } from "../contract/exposure";
import type { PresetName, Protocol, ServerConfig } from "../contract/types";
import type { RulePlan } from "../plan/plan";
import { printable } from "../contract/text";
import { checkRelayDrift, type RelayDriftItem } from "./relayDrift";
import { append } from "../contract/lists";

export interface DriftItem {
    protocol: Protocol;
    /** `50000-60000` or `7881`. */
    ports: string;
    /** Where it comes from: the file and key, or the firewall rule. */
    origin: string;
}

/** A container's publication the spec does not open: Docker forwards it past the input rules all the same. */
export interface ExposedItem extends DriftItem {
    /** The entry to write instead, on loopback; or remove the publication. */
    fix: string;
    /** Set for a port the preset says must never be exposed (PostgreSQL, Redis): an error, not a choice. */
    never?: string;
}

export interface Drift {
    drift: boolean;
    /** Listened on by a server's own config, but not open to the world: the failure users hit. */
    missing: DriftItem[];
    /** Published by a container on every address but not opened by the spec (the host firewall outputs drop it; plain ufw would not). */
    exposed: ExposedItem[];
    /** Open to the world, but no given file uses it. */
    unused: DriftItem[];
    /** A TURN relay that can still reach peers the lockdown denies (relayDrift.ts). */
    relay: RelayDriftItem[];
}

interface Need {
    protocol: Protocol;
    ports: PortRange;
    origin: string;
}

const PROTOCOLS: Protocol[] = ["tcp", "udp"];

/** Ranges of one origin merged, sorted by protocol, origin and port, as the table prints them. */
function items(entries: Need[]): DriftItem[] {
    const byKey = new Map<string, { protocol: Protocol; origin: string; ranges: PortRange[] }>();
    for (const e of entries) {
        const key = `${e.protocol} ${e.origin}`;
        const group = byKey.get(key) ?? { protocol: e.protocol, origin: e.origin, ranges: [] };
        group.ranges.push(e.ports);
        byKey.set(key, group);
    }
    const groups = [...byKey.values()].sort((a, b) =>
        a.protocol !== b.protocol ? (a.protocol < b.protocol ? -1 : 1) : a.origin < b.origin ? -1 : a.origin > b.origin ? 1 : 0,
    );
    return groups.flatMap((g) => mergeRanges(g.ranges).map((r) => ({ protocol: g.protocol, ports: formatRange(r), origin: g.origin })));
}

/** `preset`: whose never-expose ports (exposure.ts neverExposedIn) make a publication an error. */
export function checkDrift(plan: RulePlan, servers: ServerConfig[], preset?: PresetName): Drift {
    const world = plan.flows.filter((f) => isAnyAddress(f.cidr));
    const openTo = (protocol: Protocol) => mergeRanges(world.filter((f) => f.protocol === protocol).map((f) => f.ports));
    const listened: Need[] = servers.flatMap((s) =>
        s.rules.flatMap((rule) => rule.ports.map((ports) => ({ protocol: rule.protocol, ports, origin: rule.origin }))),
    );
    const published = servers.flatMap((s) => s.published);
    const exposed: ExposedItem[] = [];
    for (const p of published) {
        const never = neverExposedIn(preset, p.ports)[0];
        for (const ports of subtractRanges([p.ports], openTo(p.protocol)))
            exposed.push({
                protocol: p.protocol,
                ports: formatRange(ports),
                origin: p.origin,
                fix: p.loopback,
                ...(never ? { never: never[1] } : {}),
            });
    }
    const missing: Need[] = [];
    const unused: Need[] = [];
    for (const protocol of PROTOCOLS) {
        const open = openTo(protocol);
        for (const n of listened.filter((l) => l.protocol === protocol))
            for (const ports of subtractRanges([n.ports], open)) missing.push({ protocol, ports, origin: n.origin });
        const used = mergeRanges([...listened, ...published].filter((n) => n.protocol === protocol).map((n) => n.ports));
        // Each world port once, named by the first flow that opens it.
        let named: PortRange[] = [];
        for (const f of world.filter((w) => w.protocol === protocol)) {
            for (const ports of subtractRanges(subtractRanges([f.ports], used), named))
                unused.push({ protocol, ports, origin: `rule ${f.rules.join(", ")}` });
            named = mergeRanges([...named, f.ports]);
        }
    }
    const result = { missing: items(missing), exposed, unused: items(unused), relay: checkRelayDrift(plan, servers) };
    return { drift: result.missing.length > 0 || exposed.length > 0 || result.unused.length > 0 || result.relay.length > 0, ...result };
}

/** The drift as a table; everything read from a file is escaped, so a file cannot write to the terminal. */
export function renderDrift(d: Drift): string {
    const lines = [
        d.drift
            ? "Drift between the firewall and the server configs:"
            : "No drift: the firewall opens exactly what the server configs use, " +
              "no container publishes more, and every TURN relay is locked down.",
    ];
    if (d.missing.length)
        append(lines, [
            "",
            "Listened on, but not open to the world (calls fail):",
            ...d.missing.map((m) => `  ${m.ports}/${m.protocol}  ${m.origin}`),
        ]);
    const never = d.exposed.filter((e) => e.never);
    const other = d.exposed.filter((e) => !e.never);
    if (never.length) {
        lines.push(
            "",
            "Published on every address though it must never be exposed (an error: Docker forwards it past ufw and input rules):",
        );
        for (const e of never) lines.push(`  ${e.ports}/${e.protocol}  ${e.origin}: ${e.never}; publish it as ${e.fix}, or not at all`);
    }
    if (other.length) {
        lines.push(
            "",
            "Published on every address, but not opened by the spec (Docker forwards " +
                "it past ufw and input rules; the nftables and ufw outputs drop it):",
        );
        for (const e of other)
            lines.push(
                `  ${e.ports}/${e.protocol}  ${e.origin}: open it in the spec if ` +
                    `it must be public, else publish it as ${e.fix}, or not at all`,
            );
    }
    if (d.unused.length)
        append(lines, [
            "",
            "Open to the world, but no given file uses it:",
            ...d.unused.map((m) => `  ${m.ports}/${m.protocol}  ${m.origin}`),
        ]);
    if (d.relay.length) {
        lines.push("", "The TURN relay can reach peers it must not (its own network, loopback, the metadata service):");
        for (const item of d.relay)
            append(lines, [
                `  ${item.origin}: ${item.problem}`,
                ...(item.add.length ? ["    add:", ...item.add.map((a) => `      ${a}`)] : []),
            ]);
    }
    return lines.map(printable).join("\n") + "\n";
}
