import * as pulumi from "@pulumi/pulumi";
import type { FirewallOutputs, QuotaLine } from "../clouds/cloud";
import { buildFirewall } from "./build";
import { renderHostFirewalls } from "../hosts";
import type { PlannedRule, RulePlan } from "../plan/plan";
import type { PresetName } from "../contract/presets";
import type { Cloud } from "../contract/schema";

export const WEBRTC_FIREWALL_TYPE = "webrtc-firewall:index:WebRtcFirewall";

/** `T` when the chosen cloud is `Want`, `undefined` for another; both when the cloud is not known statically. */
export type OnCloud<C extends Cloud, Want extends Cloud, T> = C extends Want ? T : undefined;

/** A list a program may take from other resources: the whole list, or any of its entries, an Output. */
export type InputList<T> = pulumi.Input<pulumi.Input<T>[]>;

/**
 * One rule in `ports`; see README "Config reference". Only `from` may come from other resources: the
 * rest decides which resources exist, so it is plain (README "Use it in your program").
 */
export interface PortRuleArgs {
    /** Unique, lowercase `[a-z][a-z0-9-]*`, at most 40 characters. */
    name: string;
    protocol?: "udp" | "tcp" | ("udp" | "tcp")[];
    /** 443, "443", "50000-60000", or a list of those. */
    ports?: number | string | (number | string)[];
    /** `public` (default), `admin`, IPv4/IPv6 CIDRs and addresses, or on AWS security group ids (`sg-…`). */
    from?: pulumi.Input<string> | InputList<string>;
    description?: string;
    /** `false` removes a preset rule of this name. */
    enabled?: boolean;
    /** Open a dangerous service (README "Least privilege") to the world on purpose. */
    allowDangerous?: boolean;
}

/** The component's args: the same keys, with the same meaning, as the stack config. */
export interface WebRtcFirewallArgs<C extends Cloud = Cloud> {
    cloud: C;
    preset?: PresetName;
    presetOptions?: Record<string, boolean>;
    ports?: PortRuleArgs[];
    adminCidrs?: InputList<string>;
    /** Whether `public` means 0.0.0.0/0 and ::/0 (default) or 0.0.0.0/0 only. */
    ipv6?: boolean;
    /** `securityGroupId`: add the rules to a group you already have (no group, no egress rule created). */
    aws?: { vpcId?: pulumi.Input<string>; securityGroupId?: pulumi.Input<string> };
    gcp?: { network?: pulumi.Input<string>; targetTags?: InputList<string> };
    digitalocean?: { dropletIds?: InputList<number>; tags?: InputList<string> };
    /** `networkSecurityGroupName` with `priorityRange` ("2000-2099"): standalone rules in an NSG you already have. */
    azure?: {
        resourceGroupName?: pulumi.Input<string>;
        location?: pulumi.Input<string>;
        networkSecurityGroupName?: pulumi.Input<string>;
        priorityRange?: string;
    };
    /** What the firewalls apply to: server ids and label selectors (`role=media`). */
    hetzner?: { serverIds?: InputList<number>; labelSelectors?: InputList<string> };
    /** The compartment and VCN of a new NSG, or `networkSecurityGroupId`: add the rules to an NSG you already have. */
    oci?: { compartmentId?: pulumi.Input<string>; vcnId?: pulumi.Input<string>; networkSecurityGroupId?: pulumi.Input<string> };
    /**
     * The TURN relay's peer lockdown is on wherever the config opens a relay: `allowPeers` exempts
     * peers it must reach (the SFU's private address), `denyPeers` adds more, `tcpRelay` allows RFC 6062.
     */
    turnRelay?: { allowPeers?: InputList<string>; denyPeers?: InputList<string>; tcpRelay?: boolean };
    /**
     * The media servers' own config files (livekit.yaml, LiveKit SIP config.yml, turnserver.conf, docker
     * compose files), relative to the project folder: their ports become the rules (see README).
     */
    serverConfigs?: (string | { path: string; kind?: "livekit" | "livekit-sip" | "coturn" | "compose" })[];
    /** Register every rule input and the `rules` output as Pulumi secrets (set by the stack program when a setting is secret). */
    secret?: boolean;
}

/** The rules, the warnings, and the ids the chosen cloud has (never an undefined one): what a stack or a caller exports. */
export function definedOutputs(firewall: WebRtcFirewall): Record<string, unknown> {
    const outputs: Record<string, unknown> = {
        rules: firewall.rules,
        securityGroupIds: firewall.securityGroupIds,
        firewallNames: firewall.firewallNames,
        firewallIds: firewall.firewallIds,
        networkSecurityGroupId: firewall.networkSecurityGroupId,
        networkSecurityGroupIds: firewall.networkSecurityGroupIds,
        warnings: firewall.warnings,
    };
    return Object.fromEntries(Object.entries(outputs).filter(([, value]) => value !== undefined));
}

/**
 * Opens exactly the ports a WebRTC media server needs, on AWS, GCP, DigitalOcean, Azure, Hetzner Cloud or Oracle Cloud.
 * The args are validated and planned before anything is registered: bad input throws a
 * ConfigError (a RunError: no stack trace) listing every problem.
 */
export class WebRtcFirewall<C extends Cloud = Cloud> extends pulumi.ComponentResource {
    /** The normalized plan as plain data: name, protocol, port ranges, sources. */
    readonly rules: pulumi.Output<PlannedRule[]>;
    /** AWS: the security group ids to attach to the media server's instances (typed as present when `cloud: "aws"`). */
    readonly securityGroupIds: OnCloud<C, "aws", pulumi.Output<string[]>>;
    /** GCP: the firewall rule names. */
    readonly firewallNames: OnCloud<C, "gcp", pulumi.Output<string[]>>;
    /** DigitalOcean: the Cloud Firewall ids; Hetzner: the firewall ids (for `firewallIds` on `hcloud.Server`). */
    readonly firewallIds: OnCloud<C, "digitalocean" | "hetzner", pulumi.Output<string[]>>;
    /** Azure: the NSG id to associate with a subnet or NIC. */
    readonly networkSecurityGroupId: OnCloud<C, "azure", pulumi.Output<string>>;
    /** OCI: the NSG ids to put the media server's VNIC in (`createVnicDetails.nsgIds` of `oci.core.Instance`). */
    readonly networkSecurityGroupIds: OnCloud<C, "oci", pulumi.Output<string[]>>;
    /** The same rules as a host firewall: an nftables ruleset, ufw commands, and cloud-init user data that installs the ruleset at boot. */
    readonly nftablesRuleset: pulumi.Output<string>;
    readonly ufwCommands: pulumi.Output<string>;
    /** A shell script opening the same ports in an image's own iptables or firewalld, ahead of its REJECT (Oracle Cloud's images); cloudInit runs it. */
    readonly iptablesScript: pulumi.Output<string>;
    readonly cloudInit: pulumi.Output<string>;
    /** Warnings found while planning (also logged to the engine). */
    readonly warnings: string[];
    /** The cloud-agnostic plan as known at construction; `plan.late` lists the sources known only at deployment. */
    readonly plan: RulePlan;
    /** Rule and resource counts against the cloud's documented limits. */
    readonly quota: QuotaLine[];

    constructor(name: string, args: WebRtcFirewallArgs<C>, opts?: pulumi.ComponentResourceOptions) {
        // Validate and plan before registering anything, this component included.
        const built = buildFirewall(name, args);
        // Canonical inputs: reordering the user's lists must not show up as a change.
        const { cloud, preset, ipv6, secret } = built.spec;
        // With values from other resources, what follows the plan follows the resolved one.
        const finalPlan: pulumi.Output<RulePlan> = built.resolved ? built.resolved.apply((f) => f.plan) : pulumi.output(built.plan as RulePlan);
        const keep = <T>(value: pulumi.Output<T>) => (secret ? pulumi.secret(value) : value);
        const rules = keep(finalPlan.apply((p) => p.rules));
        // The component's own inputs hold what was known at construction: were they to wait for late
        // values, a failed check would fail this registration, and with it every log line that names
        // the component, our error included (@pulumi/pulumi log/index.js chains each log on the URN).
        const known = keep(pulumi.output(built.plan.rules));
        super(WEBRTC_FIREWALL_TYPE, name, { cloud, preset, presetOptions: args.presetOptions, ipv6, rules: known }, opts);
        this.plan = built.plan;
        this.warnings = built.warnings;
        this.quota = built.mapping.quota;
        for (const warning of built.warnings) void pulumi.log.warn(warning, this);
        built.resolved?.apply((f) => f.warnings.filter((w) => !built.warnings.includes(w)).forEach((w) => void pulumi.log.warn(w, this)));

        const outputs: FirewallOutputs = { rules, ...built.target.register(built.mapping.resources, { parent: this, secret }) };
        this.rules = outputs.rules;
        // Each cloud's register step fills exactly its own output; the types say which from `cloud`.
        this.securityGroupIds = outputs.securityGroupIds as OnCloud<C, "aws", pulumi.Output<string[]>>;
        this.firewallNames = outputs.firewallNames as OnCloud<C, "gcp", pulumi.Output<string[]>>;
        this.firewallIds = outputs.firewallIds as OnCloud<C, "digitalocean" | "hetzner", pulumi.Output<string[]>>;
        this.networkSecurityGroupId = outputs.networkSecurityGroupId as OnCloud<C, "azure", pulumi.Output<string>>;
        this.networkSecurityGroupIds = outputs.networkSecurityGroupIds as OnCloud<C, "oci", pulumi.Output<string[]>>;
        const hosts = finalPlan.apply(renderHostFirewalls);
        this.nftablesRuleset = keep(hosts.apply((h) => h.nftables));
        this.ufwCommands = keep(hosts.apply((h) => h.ufw));
        this.iptablesScript = keep(hosts.apply((h) => h.iptables));
        this.cloudInit = keep(hosts.apply((h) => h.cloudInit));
        this.registerOutputs({ ...outputs, nftablesRuleset: this.nftablesRuleset, ufwCommands: this.ufwCommands, iptablesScript: this.iptablesScript, cloudInit: this.cloudInit });
    }
}
