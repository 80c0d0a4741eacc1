/**
 * LiveKit SIP's `config.yml`: `sip_port` (5060, UDP and TCP), `tls.port` (SIP over TLS, when a tls
 * block is given), `rtp_port` (the RTP media range, "10000-20000" by default).
 */
import type { Document } from "yaml";
import { parsePorts } from "../../contract/ports";
import { emptyConfig, portValue, type ServerConfig } from "./types";

export function readLiveKitSip(doc: Document, file: string, name: string): ServerConfig {
    const config = emptyConfig(file, "livekit-sip");
    const root = doc.toJS() as Record<string, unknown> | null;
    if (root === null || typeof root !== "object" || Array.isArray(root)) {
        config.problems.push({ path: file, message: "is not a LiveKit SIP config map (expected keys like sip_port, rtp_port)" });
        return config;
    }
    const sip = portValue(config, "sip_port", root.sip_port ?? 5060);
    if (sip !== undefined) {
        config.rules.push({ name: "sip-udp", protocol: "udp", ports: [{ from: sip, to: sip }], description: "SIP signaling over UDP", origin: `${name}: sip_port` });
        config.rules.push({ name: "sip-tcp", protocol: "tcp", ports: [{ from: sip, to: sip }], description: "SIP signaling over TCP", origin: `${name}: sip_port` });
    }
    const tls = root.tls as Record<string, unknown> | undefined;
    if (tls && typeof tls === "object" && tls.port !== undefined) {
        const p = portValue(config, "tls.port", tls.port);
        if (p !== undefined) config.rules.push({ name: "sip-tls", protocol: "tcp", ports: [{ from: p, to: p }], description: "SIP signaling over TLS", origin: `${name}: tls.port` });
    }
    const rtp = root.rtp_port ?? "10000-20000";
    const parsed = parsePorts(typeof rtp === "number" ? rtp : String(rtp));
    if (parsed.ok === true) config.rules.push({ name: "sip-rtp", protocol: "udp", ports: parsed.ranges, description: "SIP RTP media", origin: `${name}: rtp_port` });
    else config.problems.push({ path: `${file}: rtp_port`, message: `${JSON.stringify(rtp)}: ${parsed.problems[0]!.message}` });
    return config;
}
