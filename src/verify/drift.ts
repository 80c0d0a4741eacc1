/**
 * Drift between the firewall and the media server: every port a server listens on (its config's rules)
 * or a container publishes (compose) that the firewall does not open to the world, and every port the
 * firewall opens to the world that no given file uses. Admin-only rules (ssh, dashboards) are not
 * "unused": no server file lists them.
 */
import { isAnyAddress } from "../contract/cidr";
import type { Protocol } from "../contract/presets";
import type { RulePlan } from "../plan/plan";
import type { ServerConfig } from "../sources/servers";
import { checkRelayDrift, type RelayDriftItem } from "./relayDrift";

export interface DriftItem {
    protocol: Protocol;
    /** `50000-60000` or `7881`. */
    ports: string;
    /** Where it comes from: the file and key, or the firewall rule. */
    origin: string;
}

export interface Drift {
    drift: boolean;
    /** Listened on or published, but not open to the world: the failure users hit. */
    missing: DriftItem[];
    /** Open to the world, but no given file uses it. */
    unused: DriftItem[];
    /** A TURN relay that can still reach peers the lockdown denies (relayDrift.ts). */
    relay: RelayDriftItem[];
}

/** Consecutive ports with the same origin, as ranges. */
function ranges(items: { protocol: Protocol; port: number; origin: string }[]): DriftItem[] {
    const sorted = [...items].sort((a, b) => (a.protocol < b.protocol ? -1 : a.protocol > b.protocol ? 1 : a.origin < b.origin ? -1 : a.origin > b.origin ? 1 : a.port - b.port));
    const out: (DriftItem & { from: number; to: number })[] = [];
    for (const i of sorted) {
        const last = out[out.length - 1];
        if (last && last.protocol === i.protocol && last.origin === i.origin && i.port <= last.to + 1) last.to = Math.max(last.to, i.port);
        else out.push({ protocol: i.protocol, from: i.port, to: i.port, origin: i.origin, ports: "" });
    }
    return out.map(({ protocol, from, to, origin }) => ({ protocol, ports: from === to ? String(from) : `${from}-${to}`, origin }));
}

export function checkDrift(plan: RulePlan, servers: ServerConfig[]): Drift {
    const world = plan.flows.filter((f) => isAnyAddress(f.cidr));
    const isOpen = (protocol: Protocol, port: number) => world.some((f) => f.protocol === protocol && f.ports.from <= port && port <= f.ports.to);
    const used = new Set<string>();
    const missing: { protocol: Protocol; port: number; origin: string }[] = [];
    const need = (protocol: Protocol, port: number, origin: string) => {
        used.add(`${protocol}/${port}`);
        if (!isOpen(protocol, port)) missing.push({ protocol, port, origin });
    };
    for (const server of servers) {
        for (const rule of server.rules) for (const r of rule.ports) for (let p = r.from; p <= r.to; p++) need(rule.protocol, p, rule.origin);
        for (const p of server.published) need(p.protocol, p.port, p.origin);
    }
    const unused: { protocol: Protocol; port: number; origin: string }[] = [];
    const seen = new Set<string>();
    for (const f of world) {
        for (let p = f.ports.from; p <= f.ports.to; p++) {
            const key = `${f.protocol}/${p}`;
            if (used.has(key) || seen.has(key)) continue;
            seen.add(key);
            unused.push({ protocol: f.protocol, port: p, origin: `rule ${f.rules.join(", ")}` });
        }
    }
    const result = { missing: ranges(missing), unused: ranges(unused), relay: checkRelayDrift(plan, servers) };
    return { drift: result.missing.length > 0 || result.unused.length > 0 || result.relay.length > 0, ...result };
}

export function renderDrift(d: Drift): string {
    const lines = [d.drift ? "Drift between the firewall and the server configs:" : "No drift: the firewall opens exactly what the server configs use, and every TURN relay is locked down."];
    if (d.missing.length) lines.push("", "Listened on or published, but not open to the world (calls fail):", ...d.missing.map((m) => `  ${m.ports}/${m.protocol}  ${m.origin}`));
    if (d.unused.length) lines.push("", "Open to the world, but no given file uses it:", ...d.unused.map((m) => `  ${m.ports}/${m.protocol}  ${m.origin}`));
    if (d.relay.length) {
        lines.push("", "The TURN relay can reach peers it must not (its own network, loopback, the metadata service):");
        for (const item of d.relay) lines.push(`  ${item.origin}: ${item.problem}`, ...(item.add.length ? ["    add:", ...item.add.map((a) => `      ${a}`)] : []));
    }
    return lines.join("\n") + "\n";
}
