/**
 * LiveKit SIP's `config.yml`: `sip_port` (5060, UDP and TCP), `tls.port` (SIP over TLS, when a tls
 * block is given), `rtp_port` (the RTP media range, "10000-20000" by default).
 */
import { parsePorts } from "../../contract/ports";
import { excerpt } from "../../contract/text";
import { emptyConfig, portValue } from "./types";
import { type ServerConfig } from "../../contract/types";

/** LiveKit SIP's top-level keys (its config.yml): a file with none of them is not its config. */
export const LIVEKIT_SIP_KEYS = [
    "sip_port",
    "rtp_port",
    "api_key",
    "api_secret",
    "ws_url",
    "redis",
    "tls",
    "logging",
    "health_port",
    "prometheus_port",
    "use_external_ip",
    "nat_1_to_1_ip",
    "sip_port_listen",
    "sip_hostname",
] as const;

/** `root`: the file as LiveKit SIP's YAML reader sees it (merge keys merged: files.ts). */
export function readLiveKitSip(root: Record<string, unknown>, file: string, name: string): ServerConfig {
    const config = emptyConfig(file, "livekit-sip");
    const sip = portValue(config, "sip_port", root.sip_port ?? 5060);
    if (sip !== undefined) {
        config.rules.push({
            name: "sip-udp",
            protocol: "udp",
            ports: [{ from: sip, to: sip }],
            description: "SIP signaling over UDP",
            origin: `${name}: sip_port`,
        });
        config.rules.push({
            name: "sip-tcp",
            protocol: "tcp",
            ports: [{ from: sip, to: sip }],
            description: "SIP signaling over TCP",
            origin: `${name}: sip_port`,
        });
    }
    const tls = root.tls as Record<string, unknown> | undefined;
    if (tls && typeof tls === "object" && !Array.isArray(tls) && tls.port !== undefined) {
        const p = portValue(config, "tls.port", tls.port);
        if (p !== undefined)
            config.rules.push({
                name: "sip-tls",
                protocol: "tcp",
                ports: [{ from: p, to: p }],
                description: "SIP signaling over TLS",
                origin: `${name}: tls.port`,
            });
    }
    const rtp = root.rtp_port ?? "10000-20000";
    const parsed = parsePorts(typeof rtp === "number" ? rtp : String(rtp));
    if (parsed.ok === true)
        config.rules.push({
            name: "sip-rtp",
            protocol: "udp",
            ports: parsed.ranges,
            description: "SIP RTP media",
            origin: `${name}: rtp_port`,
        });
    else
        config.problems.push({
            path: `${file}: rtp_port`,
            message: `${excerpt(rtp)} is not a port or a range of ports from 1 to 65535; write "10000-20000"`,
        });
    return config;
}
