/**
 * LiveKit's `livekit.yaml` (keys and defaults as livekit/livekit `config-sample.yaml` documents them):
 * `rtc.port_range_start`/`end` (50000-60000) unless `rtc.udp_port` (one port or "7882-7892") is set,
 * `rtc.tcp_port` (7881), `turn.enabled` with `turn.udp_port` (3478) and `turn.tls_port` (5349). The TURN
 * relay range connects the embedded TURN to the SFU on the same host, so it is not opened. `port`
 * (7880, the API) belongs behind a TLS load balancer; `prometheus_port` and `debug_handler_port.port`
 * must never be public.
 */
import { parsePorts } from "../../contract/ports";
import { excerpt } from "../../contract/text";
import { emptyConfig, portValue, rangeValue } from "./types";
import { type ServerConfig } from "../../contract/types";

type Map = Record<string, unknown>;
const isMap = (v: unknown): v is Map => v !== null && typeof v === "object" && !Array.isArray(v);

/** livekit-server's top-level keys (its config-sample.yaml): a file with none of them is not its config. */
export const LIVEKIT_KEYS = [
    "port",
    "bind_addresses",
    "rtc",
    "redis",
    "turn",
    "keys",
    "key_file",
    "room",
    "logging",
    "limit",
    "region",
    "node_ip",
    "webhook",
    "prometheus_port",
    "prometheus",
    "debug_handler_port",
    "audio",
    "video",
    "ingress",
    "signal_relay",
    "development",
] as const;

/** `root`: the file as LiveKit's YAML reader sees it (merge keys merged: files.ts). */
export function readLiveKit(root: Map, file: string, name: string): ServerConfig {
    const config = emptyConfig(file, "livekit");
    const rtc = isMap(root.rtc) ? root.rtc : {};
    const turn = isMap(root.turn) ? root.turn : {};
    const at = (key: string) => `${name}: ${key}`;
    if (rtc.udp_port !== undefined) {
        const parsed = parsePorts(typeof rtc.udp_port === "number" ? rtc.udp_port : String(rtc.udp_port));
        if (parsed.ok === true)
            config.rules.push({
                name: "rtc-udp",
                protocol: "udp",
                ports: parsed.ranges,
                description: "WebRTC media, UDP mux",
                origin: at("rtc.udp_port"),
            });
        else
            config.problems.push({
                path: `${file}: rtc.udp_port`,
                message: `${excerpt(rtc.udp_port)} is not a port or a range of ports from 1 to 65535; write 7882 or "7882-7892"`,
            });
    } else {
        const from = portValue(config, "rtc.port_range_start", rtc.port_range_start ?? 50000);
        const to = portValue(config, "rtc.port_range_end", rtc.port_range_end ?? 60000);
        const range = rangeValue(config, "rtc.port_range_start", "rtc.port_range_end", from, to);
        if (range)
            config.rules.push({
                name: "rtc-udp",
                protocol: "udp",
                ports: [range],
                description: "WebRTC media (ICE/UDP)",
                origin: at("rtc.port_range_start..rtc.port_range_end"),
            });
    }
    const tcp = portValue(config, "rtc.tcp_port", rtc.tcp_port ?? 7881);
    if (tcp !== undefined)
        config.rules.push({
            name: "rtc-tcp",
            protocol: "tcp",
            ports: [{ from: tcp, to: tcp }],
            description: "WebRTC over TCP (ICE/TCP)",
            origin: at("rtc.tcp_port"),
        });
    if (turn.enabled === true) {
        const list = (v: unknown) => (Array.isArray(v) ? v.map((e) => (typeof e === "string" ? e : excerpt(e))) : []);
        config.relayPeers = {
            kind: "livekit",
            denyPeerCidrs: list(turn.deny_peer_cidrs),
            allowRestrictedPeerCidrs: list(turn.allow_restricted_peer_cidrs),
        };
        const udp = portValue(config, "turn.udp_port", turn.udp_port ?? 3478);
        if (udp !== undefined)
            config.rules.push({
                name: "turn-udp",
                protocol: "udp",
                ports: [{ from: udp, to: udp }],
                description: "TURN/UDP (also STUN)",
                origin: at("turn.udp_port"),
            });
        const tls = portValue(config, "turn.tls_port", turn.tls_port ?? 5349);
        if (tls !== undefined) {
            config.rules.push({
                name: "turn-tls",
                protocol: "tcp",
                ports: [{ from: tls, to: tls }],
                description: "TURN over TLS",
                origin: at("turn.tls_port"),
            });
            if (turn.external_tls === true) {
                config.warnings.push(
                    `${at("turn.external_tls")}: a load balancer terminates TURN/TLS and forwards plain TCP to ${tls}; ` +
                        `limit rule turn-tls to the load balancer's addresses (a ports entry named turn-tls with from: [...])`,
                );
            }
        }
    } else if (turn.enabled !== undefined && turn.enabled !== false) {
        config.problems.push({ path: `${file}: turn.enabled`, message: `${excerpt(turn.enabled)} is not true or false` });
    }
    const api = portValue(config, "port", root.port ?? 7880);
    if (api !== undefined)
        config.privatePorts.push({
            protocol: "tcp",
            port: api,
            origin: at("port"),
            why: "LiveKit's API/WebSocket port belongs behind a TLS load balancer, not open to the internet",
            error: false,
        });
    if (root.prometheus_port !== undefined) {
        const p = portValue(config, "prometheus_port", root.prometheus_port);
        if (p !== undefined)
            config.privatePorts.push({
                protocol: "tcp",
                port: p,
                origin: at("prometheus_port"),
                why: "Prometheus metrics must never be public",
                error: true,
            });
    }
    const debug = isMap(root.debug_handler_port) ? root.debug_handler_port.port : root.debug_handler_port;
    if (debug !== undefined && debug !== null) {
        const p = portValue(config, "debug_handler_port.port", debug);
        if (p !== undefined)
            config.privatePorts.push({
                protocol: "tcp",
                port: p,
                origin: at("debug_handler_port.port"),
                why: "the debug handlers (pprof, rooms) must never be public",
                error: true,
            });
    }
    return config;
}
