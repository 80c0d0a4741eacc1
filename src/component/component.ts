import * as pulumi from "@pulumi/pulumi";
import type { QuotaLine } from "../clouds/cloud";
import { CLOUD_OUTPUT_NAMES, type Cloud, type CloudArgs, type CloudOutput } from "../clouds/registry";
import { buildFirewall } from "../pipeline/build";
import { renderHostFirewalls } from "../hosts";
import type { PlannedRule, RulePlan } from "../plan/plan";
import type { PresetName } from "../contract/types";

export const WEBRTC_FIREWALL_TYPE = "webrtc-firewall:index:WebRtcFirewall";

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
    /** `public` (default), `admin`, IPv4/IPv6 CIDRs and addresses, or a cloud's group ids (README "Config reference"). */
    from?: pulumi.Input<string> | InputList<string>;
    description?: string;
    /** `false` removes a preset rule of this name. */
    enabled?: boolean;
    /** Open a dangerous service (README "Least privilege") to the world on purpose. */
    allowDangerous?: boolean;
}

/** The component's args: the same keys, with the same meaning, as the stack config. */
/** The args every cloud shares: the same keys, with the same meaning, as the stack config. */
export interface CommonArgs<C extends Cloud = Cloud> {
    cloud: C;
    preset?: PresetName;
    presetOptions?: Record<string, boolean>;
    ports?: PortRuleArgs[];
    adminCidrs?: InputList<string>;
    /** Whether `public` means 0.0.0.0/0 and ::/0 (default) or 0.0.0.0/0 only. */
    ipv6?: boolean;
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

/** The component's args: the shared keys, and each cloud's own block (clouds/<cloud>/settings.ts). */
export type WebRtcFirewallArgs<C extends Cloud = Cloud> = CommonArgs<C> & CloudArgs;

/** The rules, the warnings, and the ids the chosen cloud has (never an undefined one): what a stack or a caller exports. */
export function definedOutputs(firewall: WebRtcFirewall): Record<string, unknown> {
    const clouds = CLOUD_OUTPUT_NAMES.map((key) => [key, (firewall as unknown as Record<string, unknown>)[key]]);
    const outputs: Record<string, unknown> = { rules: firewall.rules, ...Object.fromEntries(clouds), warnings: firewall.warnings };
    return Object.fromEntries(Object.entries(outputs).filter(([, value]) => value !== undefined));
}

/**
 * Opens exactly the ports a WebRTC media server needs, on any cloud of the registry (clouds/registry.ts).
 * The args are validated and planned before anything is registered: bad input throws a
 * ConfigError (a RunError: no stack trace) listing every problem.
 */
export class WebRtcFirewall<C extends Cloud = Cloud> extends pulumi.ComponentResource {
    /** The normalized plan as plain data: name, protocol, port ranges, sources. */
    readonly rules: pulumi.Output<PlannedRule[]>;
    // The clouds' own outputs, each typed as present when the chosen cloud fills it (its folder's
    // index.ts says which and what for; the multi-language schema describes them from there).
    readonly securityGroupIds: CloudOutput<C, "securityGroupIds">;
    readonly firewallNames: CloudOutput<C, "firewallNames">;
    readonly firewallIds: CloudOutput<C, "firewallIds">;
    readonly networkSecurityGroupId: CloudOutput<C, "networkSecurityGroupId">;
    readonly networkSecurityGroupIds: CloudOutput<C, "networkSecurityGroupIds">;
    /** The same rules as a host firewall: an nftables ruleset, ufw commands, and cloud-init user data that installs the ruleset at boot. */
    readonly nftablesRuleset: pulumi.Output<string>;
    readonly ufwCommands: pulumi.Output<string>;
    /**
     * A shell script opening the same ports in an image's own iptables or firewalld, ahead of its REJECT
     * (Oracle Cloud's images); cloudInit runs it.
     */
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
        const finalPlan: pulumi.Output<RulePlan> = built.resolved
            ? built.resolved.apply((f) => f.plan)
            : pulumi.output(built.plan as RulePlan);
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

        const outputs = { rules, ...built.target.register(built.mapping.resources, { parent: this, secret }) };
        this.rules = rules;
        // Each cloud's register step fills exactly its own outputs; the types say which from `cloud`.
        const own = outputs as unknown as Record<string, never>;
        this.securityGroupIds = own.securityGroupIds;
        this.firewallNames = own.firewallNames;
        this.firewallIds = own.firewallIds;
        this.networkSecurityGroupId = own.networkSecurityGroupId;
        this.networkSecurityGroupIds = own.networkSecurityGroupIds;
        const hosts = finalPlan.apply(renderHostFirewalls);
        this.nftablesRuleset = keep(hosts.apply((h) => h.nftables));
        this.ufwCommands = keep(hosts.apply((h) => h.ufw));
        this.iptablesScript = keep(hosts.apply((h) => h.iptables));
        this.cloudInit = keep(hosts.apply((h) => h.cloudInit));
        this.registerOutputs({
            ...outputs,
            nftablesRuleset: this.nftablesRuleset,
            ufwCommands: this.ufwCommands,
            iptablesScript: this.iptablesScript,
            cloudInit: this.cloudInit,
        });
    }
}
