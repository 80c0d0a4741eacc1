/**
 * The other direction: the media server config fragment that matches the stack's rules, so either side
 * can be the source. Rules are found by the preset names (rtc-udp, rtc-tcp, turn-udp, turn-tls;
 * stun-udp, stun-tcp, turns-tls, relay-udp); a fragment says so when the rules have none of them.
 */
import { stringify } from "yaml";
import { isAnyAddress } from "../contract/cidr";
import { parsePorts, type PortRange } from "../contract/ports";
import type { Protocol } from "../contract/types";
import type { RulePlan } from "../plan/plan";
import { coturnPeerLines, liveKitPeerKeys } from "./relayLockdown";
import { append } from "../contract/lists";

function rangesOf(plan: RulePlan, name: string, protocol: Protocol): PortRange[] {
    const rule = plan.rules.find((r) => r.name === name && r.protocol === protocol);
    const parsed = rule ? parsePorts(rule.ports) : undefined;
    return parsed?.ok === true ? parsed.ranges : [];
}

export function renderLiveKit(plan: RulePlan): string {
    const udp = rangesOf(plan, "rtc-udp", "udp").concat(rangesOf(plan, "rtc-udp-mux", "udp"));
    const tcp = rangesOf(plan, "rtc-tcp", "tcp");
    const rtc: Record<string, unknown> = {};
    if (udp.length === 1 && udp[0]!.to - udp[0]!.from >= 100)
        Object.assign(rtc, { port_range_start: udp[0]!.from, port_range_end: udp[0]!.to });
    else if (udp.length === 1) rtc.udp_port = udp[0]!.from === udp[0]!.to ? udp[0]!.from : `${udp[0]!.from}-${udp[0]!.to}`;
    if (tcp.length) rtc.tcp_port = tcp[0]!.from;
    const doc: Record<string, unknown> = {};
    if (Object.keys(rtc).length) doc.rtc = rtc;
    const turnUdp = rangesOf(plan, "turn-udp", "udp");
    const turnTls = rangesOf(plan, "turn-tls", "tcp");
    if (turnUdp.length || turnTls.length) {
        doc.turn = {
            enabled: true,
            ...(turnUdp.length ? { udp_port: turnUdp[0]!.from } : {}),
            ...(turnTls.length ? { tls_port: turnTls[0]!.from } : {}),
            ...(plan.relay ? liveKitPeerKeys(plan.relay) : {}),
        };
    }
    if (!Object.keys(doc).length)
        return "# the stack's rules have no rtc-udp, rtc-tcp, turn-udp or turn-tls rule to write into livekit.yaml\n";
    return `# livekit.yaml: the ports webrtc-firewall opens\n${stringify(doc)}`;
}

export function renderCoturn(plan: RulePlan): string {
    const udp = rangesOf(plan, "stun-udp", "udp");
    const tcp = rangesOf(plan, "stun-tcp", "tcp");
    const tls = rangesOf(plan, "turns-tls", "tcp");
    const relay = rangesOf(plan, "relay-udp", "udp");
    const lines = ["# turnserver.conf: the ports webrtc-firewall opens"];
    const listening = (udp[0] ?? tcp[0])?.from;
    if (listening !== undefined) lines.push(`listening-port=${listening}`);
    if (tls.length) lines.push(`tls-listening-port=${tls[0]!.from}`);
    if (relay.length) lines.push(`min-port=${relay[0]!.from}`, `max-port=${relay[relay.length - 1]!.to}`);
    if (!udp.length && listening !== undefined) lines.push("no-udp");
    if (!tcp.length && listening !== undefined) lines.push("no-tcp");
    if (!tls.length) lines.push("no-tls");
    if (!rangesOf(plan, "turns-dtls", "udp").length) lines.push("no-dtls");
    if (lines.length > 1 && plan.relay) append(lines, coturnPeerLines(plan.relay));
    return lines.length > 1
        ? `${lines.join("\n")}\n`
        : "# the stack's rules have no coturn rule (stun-udp, stun-tcp, turns-tls, relay-udp)\n";
}

/** The compose `ports:` list publishing what the firewall opens to the world, one entry per range. */
export function renderCompose(plan: RulePlan): string {
    const entries = new Set<string>();
    for (const f of plan.flows) {
        if (!isAnyAddress(f.cidr)) continue;
        const ports = f.ports.from === f.ports.to ? String(f.ports.from) : `${f.ports.from}-${f.ports.to}`;
        entries.add(`${ports}:${ports}${f.protocol === "udp" ? "/udp" : ""}`);
    }
    return `# docker compose: the media server's ports: list, matching the firewall\n${stringify({ ports: [...entries] })}`;
}
