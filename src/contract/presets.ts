/**
 * Named presets: the ports each media server documents, in one table (see README "Presets").
 * Sources: the vendors' firewall guides (LiveKit "Ports and firewall", Plug-N-Meet "Firewall Configuration
 * Guide", Reflector docsv2/firewall-ports.md, a mediasoup-on-EC2 guide), Jitsi and coturn docs.
 */
import type { PresetName, Protocol } from "./types";

export interface PresetRule {
    name: string;
    protocol: Protocol;
    ports: string;
    from: "public" | "admin";
    description: string;
}

export interface PresetOption {
    description: string;
    /** Rules the option adds. */
    add: PresetRule[];
    /** Base rule names the option replaces (removes before adding). */
    replaces?: string[];
}

export interface Preset {
    description: string;
    rules: PresetRule[];
    options: Record<string, PresetOption>;
    /** Ports that must never be opened with this preset: a config error. */
    forbiddenPorts?: Record<number, string>;
    /** Ports that should stay closed with this preset: a warning. */
    discouragedPorts?: Record<number, string>;
}

const rule = (name: string, protocol: Protocol, ports: string, description: string, from: "public" | "admin" = "public"): PresetRule => ({
    name,
    protocol,
    ports,
    from,
    description,
});

const WEB = [rule("http", "tcp", "80", "HTTP (ACME challenge, redirect)"), rule("https", "tcp", "443", "HTTPS")];
const DASHBOARD = rule("dashboard", "tcp", "8888", "Hatchet dashboard (plain HTTP)", "admin");

const REFLECTOR_INTERNAL = {
    5432: "PostgreSQL is internal to Reflector's Docker network and must never be exposed",
    6379: "Redis is internal to Reflector's Docker network and must never be exposed",
    7077: "Hatchet gRPC is internal to Reflector's Docker network and must never be exposed",
};

export const PRESETS = {
    livekit: {
        description: "LiveKit server: ICE/UDP range and ICE/TCP fallback",
        rules: [
            rule("rtc-udp", "udp", "50000-60000", "WebRTC media (ICE/UDP)"),
            rule("rtc-tcp", "tcp", "7881", "WebRTC over TCP (ICE/TCP)"),
        ],
        options: {
            udpMux: {
                description: "all UDP media on 7882 (rtc.udp_port) instead of the range",
                replaces: ["rtc-udp"],
                add: [rule("rtc-udp-mux", "udp", "7882", "WebRTC media, UDP mux")],
            },
            turn: {
                description: "embedded TURN: 3478/udp and TURN/TLS 5349/tcp",
                add: [rule("turn-udp", "udp", "3478", "TURN/UDP (also STUN)"), rule("turn-tls", "tcp", "5349", "TURN over TLS")],
            },
            sip: {
                description: "LiveKit SIP: 5060 udp+tcp, 5061/tcp TLS, RTP 10000-20000/udp",
                add: [
                    rule("sip-udp", "udp", "5060", "SIP signaling over UDP"),
                    rule("sip-tcp", "tcp", "5060", "SIP signaling over TCP"),
                    rule("sip-tls", "tcp", "5061", "SIP signaling over TLS"),
                    rule("sip-rtp", "udp", "10000-20000", "SIP RTP media"),
                ],
            },
            https: { description: "HTTP 80 and HTTPS 443 on this host", add: WEB },
        },
        discouragedPorts: { 7880: "LiveKit's API/WebSocket port 7880 belongs behind a TLS load balancer, not open to the internet" },
    },
    mediasoup: {
        description: "mediasoup: RTP/RTCP range and the Node.js signaling port",
        rules: [rule("rtc-udp", "udp", "40000-41000", "mediasoup RTP/RTCP media"), rule("signaling", "tcp", "3000", "Socket.IO signaling")],
        options: { https: { description: "HTTP 80 and HTTPS 443 on this host", add: WEB } },
    },
    plugnmeet: {
        description: "Plug-N-Meet with its bundled LiveKit and TURN on 443",
        rules: [
            ...WEB,
            rule("turn-udp", "udp", "443", "TURN/UDP on 443"),
            rule("rtc-tcp", "tcp", "7881", "WebRTC over TCP (ICE/TCP)"),
            rule("rtc-udp", "udp", "50000-60000", "WebRTC media (ICE/UDP)"),
        ],
        options: {},
    },
    reflector: {
        description: "Reflector behind Caddy: web on 443/80, LiveKit media",
        rules: [
            rule("https", "tcp", "443", "Caddy HTTPS: app, API, LiveKit signaling"),
            rule("http", "tcp", "80", "Caddy HTTP redirect"),
            rule("livekit-udp", "udp", "44200-44300", "LiveKit WebRTC media"),
            rule("livekit-tcp", "tcp", "7881", "LiveKit TCP media fallback"),
        ],
        options: { dashboard: { description: "Hatchet dashboard 8888/tcp from adminCidrs", add: [DASHBOARD] } },
        forbiddenPorts: REFLECTOR_INTERNAL,
        discouragedPorts: {
            1250: "Reflector's API 1250 is proxied by Caddy on 443",
            3000: "Reflector's frontend 3000 is proxied by Caddy on 443",
            7880: "LiveKit signaling 7880 is proxied by Caddy on 443 (/lk-ws)",
            3900: "Garage S3 3900 is proxied by Caddy on 443",
        },
    },
    "reflector-direct": {
        description: "Reflector without Caddy: every service on its own port",
        rules: [
            rule("frontend", "tcp", "3000", "Reflector frontend (Next.js)"),
            rule("api", "tcp", "1250", "Reflector API (FastAPI)"),
            rule("livekit-signaling", "tcp", "7880", "LiveKit signaling (WebSocket)"),
            rule("livekit-tcp", "tcp", "7881", "LiveKit TCP media fallback"),
            rule("livekit-udp", "udp", "44200-44300", "LiveKit WebRTC media"),
            rule("reflector-udp", "udp", "40000-40100", "Reflector WebRTC (browser recording)"),
            rule("garage-s3", "tcp", "3900", "Garage S3 presigned URLs"),
        ],
        options: { dashboard: { description: "Hatchet dashboard 8888/tcp from adminCidrs", add: [DASHBOARD] } },
        forbiddenPorts: REFLECTOR_INTERNAL,
    },
    jitsi: {
        description: "Jitsi Meet: web and the videobridge's single UDP port",
        rules: [...WEB, rule("jvb-udp", "udp", "10000", "Jitsi Videobridge media")],
        options: {
            turn: {
                description: "TURN 3478/udp and TURN/TLS 5349/tcp",
                add: [rule("turn-udp", "udp", "3478", "TURN/UDP (also STUN)"), rule("turn-tls", "tcp", "5349", "TURN over TLS")],
            },
        },
    },
    coturn: {
        description: "coturn STUN/TURN server with its relay range",
        rules: [
            rule("stun-udp", "udp", "3478", "STUN/TURN over UDP"),
            rule("stun-tcp", "tcp", "3478", "STUN/TURN over TCP"),
            rule("turns-tls", "tcp", "5349", "TURN over TLS"),
            rule("relay-udp", "udp", "49152-65535", "TURN relay range"),
        ],
        options: {},
    },
} satisfies Record<PresetName, Preset>;

export function presetOf(name: PresetName): Preset {
    return PRESETS[name];
}

/** The preset's rules after applying its switched-on options, in table order. */
export function presetRules(name: PresetName, options: Record<string, boolean>): PresetRule[] {
    const preset = presetOf(name);
    let rules = [...preset.rules];
    for (const [optionName, option] of Object.entries(preset.options)) {
        if (!options[optionName]) continue;
        // No option adds a rule its preset already has (tests/contract.test.ts checks the table).
        rules = [...rules.filter((r) => !option.replaces?.includes(r.name)), ...option.add];
    }
    return rules;
}
