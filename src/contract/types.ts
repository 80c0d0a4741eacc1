/**
 * The spec's types: what a validated config is, whatever cloud it deploys to. Every layer above the
 * contract speaks these; the contract's own files import them from here, so none imports another's.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { Cidr } from "./cidr";
import type { Late } from "./late";
import type { PortRange } from "./ports";
import type { Problem } from "./problems";

export type Protocol = "udp" | "tcp";

/** The preset table's names (contract/presets.ts holds one entry for each). */
export const PRESET_NAMES = ["livekit", "mediasoup", "plugnmeet", "reflector", "reflector-direct", "jitsi", "coturn"] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** `public`, `admin`, CIDRs, group ids and late values (late.ts), or a list mixing those. */
export interface SourceSpec {
    public: boolean;
    admin: boolean;
    cidrs: Cidr[];
    /** Group ids of a cloud that can name a group as a source (AWS `sg-…`): ingress from every member. */
    groups: string[];
    /** Sources known only when they resolve: CIDRs, lists of CIDRs, or a group id. */
    late: Late[];
}

export interface RuleSpec {
    name: string;
    protocols: Protocol[];
    ports: PortRange[];
    from: SourceSpec;
    description?: string;
    /** Where the rule came from, for messages: `ports[2]`, `preset`, `adminCidrs`. */
    origin: string;
    /** The user opened a dangerous service to the world on purpose (see dangerousPorts.ts). */
    allowDangerous?: boolean;
    /** From a media server's own config file (serverConfigs): the server listens there by design. */
    fromServerConfig?: boolean;
}

export interface TurnRelaySpec {
    /** Known entries, canonical; late ones are checked and added when they resolve. */
    allowPeers: string[];
    denyPeers: string[];
    tcpRelay: boolean;
}

/** `Input<Input<T>[]>` as the resources take it; `given` says whether it may hold anything. */
export interface InputList<T> {
    value: pulumi.Input<pulumi.Input<T>[]>;
    given: boolean;
}

/**
 * A validated config. `settings` is the chosen cloud's own block as its folder's contract made it
 * (clouds/<cloud>/settings.ts); the other clouds' blocks are validated and ignored.
 */
export interface FirewallSpec<Settings = unknown> {
    cloud: string;
    preset?: PresetName;
    rules: RuleSpec[];
    ipv6: boolean;
    /** adminCidrs known at construction. */
    adminCidrs: Cidr[];
    /** adminCidrs entries (or the whole list) known only when they resolve (late.ts). */
    adminLate: Late[];
    settings: Settings;
    /** The TURN relay's peer lockdown, when the config opens a relay (contract/relayPeers.ts). */
    turnRelay?: TurnRelaySpec;
    secret: boolean;
}

/** The media server config files `serverConfigs` may name (sources/servers/ reads each kind). */
export const SERVER_KINDS = ["livekit", "livekit-sip", "coturn", "compose"] as const;
export type ServerKind = (typeof SERVER_KINDS)[number];

export interface ServerRule {
    /** The preset rule name it stands for (`rtc-udp`), so a preset rule of that name takes the file's ports. */
    name: string;
    protocol: Protocol;
    ports: PortRange[];
    description: string;
    /** `livekit.yaml: rtc.port_range_start..rtc.port_range_end` */
    origin: string;
}

/** A port the server listens on that must never be public (LiveKit's API, metrics, debug handlers). */
export interface PrivatePort {
    protocol: Protocol;
    port: number;
    origin: string;
    why: string;
    /** true: opening it to the world is a config error; false: a warning. */
    error: boolean;
}

/** A port range a container publishes on every address: Docker forwards it past the host's input rules. */
export interface Publication {
    protocol: Protocol;
    ports: PortRange;
    origin: string;
    /** The same entry published on loopback only, as the file would write it: `"127.0.0.1:5432:5432"` or `host_ip: 127.0.0.1`. */
    loopback: string;
}

/** What a server config says about its TURN relay's peers (the drift check compares it with the lockdown). */
export type RelayPeerSettings =
    | { kind: "coturn"; denied: string[]; allowed: string[]; flags: string[] }
    | { kind: "livekit"; denyPeerCidrs: string[]; allowRestrictedPeerCidrs: string[] };

export interface ServerConfig {
    file: string;
    kind: ServerKind;
    /** Set when the file opens a TURN relay. */
    relayPeers?: RelayPeerSettings;
    rules: ServerRule[];
    /** Port ranges a compose file publishes on every address (drift check only), kept as ranges: `1-65535` is one entry. */
    published: Publication[];
    privatePorts: PrivatePort[];
    problems: Problem[];
    warnings: string[];
}

/** How a node pool's media pods are reached (contract/kubernetes.ts). */
export type Exposure = "hostNetwork" | "nodePort" | "loadBalancer";

/**
 * What one managed Kubernetes service does with a LoadBalancer Service in front of the pool (docs/kubernetes.md),
 * or, as a string, why the component cannot put such a Service's rules where they apply.
 */
export type LoadBalancerFacts =
    | string
    | {
          /** Where a passthrough load balancer's packets arrive: the Service's node port, or its own port (the address kept). */
          delivers: "nodePort" | "servicePort";
          /**
           * Where its health checks come from, when the cloud documents it; "user": the user gives them
           * (kubernetes.healthCheckSources); "controller": the service's controller opens them itself.
           */
          healthChecks: { sources: string[]; from: string } | { user: string } | "controller";
          /** Rules kept to some sources cannot be kept so on the node: why (the controller opens the ports to all). */
          worldOnly?: string;
          /** The service's controller's own rules for the Service, and what to set so they open no more than the spec. */
          controller: string;
      };

/** The component's `kubernetes` args: how the node pool's media pods are reached (docs/kubernetes.md). */
export interface KubernetesArgs {
    /** hostNetwork (default: the pod's ports are the node's), nodePort, or loadBalancer (a passthrough LoadBalancer Service in front). */
    exposure?: Exposure;
    /** Rule name → its NodePort Service's node port; only these are opened. */
    nodePorts?: Record<string, number>;
    /** The cluster's NodePort range, "30000-32767" by default. */
    nodePortRange?: string;
    /** With loadBalancer: the Service's spec.healthCheckNodePort (externalTrafficPolicy: Local). */
    healthCheckNodePort?: number;
    /** With loadBalancer, where the cloud does not say: the CIDRs its health checks come from (the VPC's on AWS). */
    healthCheckSources?: pulumi.Input<pulumi.Input<string>[]>;
}
