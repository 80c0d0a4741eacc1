import * as pulumi from "@pulumi/pulumi";
import type { QuotaLine } from "../clouds/cloud";
import { CLOUD_OUTPUT_NAMES, type Cloud, type CloudArgs, type CloudOutputProperties } from "../clouds/registry";
import { buildFirewall } from "../pipeline/build";
import { renderHostFirewalls } from "../hosts";
import type { PlannedRule, RulePlan } from "../plan/plan";
import type { KubernetesArgs, PresetName } from "../contract/types";
import { isMocking } from "../contract/mockIds";

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
    /** Managed Kubernetes: how the node pool's media pods are reached (docs/kubernetes.md); the pool is named in the cloud's block. */
    kubernetes?: KubernetesArgs;
    /** Register every rule input and the `rules` output as Pulumi secrets (set by the stack program when a setting is secret). */
    secret?: boolean;
}

/** The component's args: the shared keys, and each cloud's own block (clouds/<cloud>/settings.ts). */
export type WebRtcFirewallArgs<C extends Cloud = Cloud> = CommonArgs<C> & CloudArgs;

/**
 * An Output's value as a Promise that rejects when the Output does (`apply` never runs then); undefined
 * while unknown in a preview. `promise()` is the SDK's own way to read one (@pulumi/pulumi output.js deferredOutput).
 */
const settled = <T>(output: pulumi.Output<T>): Promise<T | undefined> =>
    (output as unknown as { promise(): Promise<T | undefined> }).promise();

/** Handles the promises an Output holds besides its value (@pulumi/pulumi output.js OutputImpl: isKnown, isSecret). */
function quiet(output: pulumi.Output<unknown>): void {
    const inner = output as unknown as { isKnown?: Promise<unknown>; isSecret?: Promise<unknown> };
    inner.isKnown?.catch(() => undefined);
    inner.isSecret?.catch(() => undefined);
    settled(output).catch(() => undefined);
}

/** The rules, the warnings, and the ids the chosen cloud has (never an undefined one): what a stack or a caller exports. */
export function definedOutputs(firewall: WebRtcFirewall): Record<string, unknown> {
    const clouds = CLOUD_OUTPUT_NAMES.map((key) => [key, (firewall as unknown as Record<string, unknown>)[key]]);
    const outputs: Record<string, unknown> = { rules: firewall.rules, ...Object.fromEntries(clouds), warnings: firewall.warnings };
    return Object.fromEntries(Object.entries(outputs).filter(([, value]) => value !== undefined));
}

// The clouds' own outputs (securityGroupIds, firewallIds…), each typed as present when the chosen cloud fills it: declared by
// the registry from each folder's `defineCloud`, so a new cloud's output needs no line here; assigned in the constructor.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface WebRtcFirewall<C extends Cloud = Cloud> extends CloudOutputProperties<C> {}

/**
 * Opens exactly the ports a WebRTC media server needs, on any cloud of the registry (clouds/registry.ts).
 * The args are validated and planned before anything is registered: bad input throws a
 * ConfigError (a RunError: no stack trace) listing every problem.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class WebRtcFirewall<C extends Cloud = Cloud> extends pulumi.ComponentResource {
    /** The normalized plan as plain data: name, protocol, port ranges, sources. */
    readonly rules: pulumi.Output<PlannedRule[]>;
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
    /**
     * Settles once every value taken from another resource has resolved and passed the same checks as a
     * plain one: a test awaits it (`await assert.rejects(firewall.checked, /adminCidrs/)`). When it rejects,
     * so does every output, with the same ConfigError, and no resource carrying those values registers;
     * the update fails with that error once. Without such values it is already fulfilled.
     */
    readonly checked: Promise<void>;

    constructor(name: string, args: WebRtcFirewallArgs<C>, opts?: pulumi.ComponentResourceOptions) {
        // Validate and plan before registering anything, this component included.
        const built = buildFirewall(name, args);
        // Canonical inputs: reordering the user's lists must not show up as a change.
        const { cloud, preset, ipv6, secret } = built.spec;
        // With values from other resources, what follows the plan follows the resolved one.
        const finalPlan: pulumi.Output<RulePlan> = built.resolved
            ? built.resolved.apply((f) => f.plan)
            : pulumi.output(built.plan as RulePlan);
        // With late values, every output settles only after their check, and rejects when it fails
        // (a cloud output would otherwise wait forever on a resource that never registers).
        const gate = built.resolved;
        const gated = (value: pulumi.Output<unknown>) => (gate ? pulumi.all([gate, value]).apply(([, v]) => v) : value);
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
        // One promise of the check, handled here so that it rejects only where someone awaits it; the update
        // fails through registerOutputs below, once (@pulumi/pulumi cmd/run reports an unhandled error once).
        this.checked = gate
            ? settled(gate).then((f) => {
                  // Unknown in a preview: checked in the update.
                  for (const w of f?.warnings ?? []) if (!built.warnings.includes(w)) void pulumi.log.warn(w, this);
              })
            : Promise.resolve();
        this.checked.catch(() => undefined);

        const registered = built.target.register(built.mapping.resources, { parent: this, secret });
        const outputs = { rules, ...Object.fromEntries(Object.entries(registered).map(([key, value]) => [key, gated(value)])) };
        this.rules = rules;
        // Each cloud's register step fills exactly its own outputs (the others stay undefined); the types say which from `cloud`.
        const own = outputs as Record<string, unknown>;
        for (const key of CLOUD_OUTPUT_NAMES) (this as unknown as Record<string, unknown>)[key] = own[key];
        const hosts = finalPlan.apply(renderHostFirewalls);
        this.nftablesRuleset = keep(hosts.apply((h) => h.nftables));
        this.ufwCommands = keep(hosts.apply((h) => h.ufw));
        this.iptablesScript = keep(hosts.apply((h) => h.iptables));
        this.cloudInit = keep(hosts.apply((h) => h.cloudInit));
        const all = {
            ...outputs,
            nftablesRuleset: this.nftablesRuleset,
            ufwCommands: this.ufwCommands,
            iptablesScript: this.iptablesScript,
            cloudInit: this.cloudInit,
        };
        if (!gate) {
            this.registerOutputs(all);
            return;
        }
        // A rejected output rejects every promise it holds; those nobody reads are handled here, so the
        // error reaches a program only where it awaits `checked` or an output.
        for (const output of Object.values(all)) quiet(output);
        // The update fails once, through this registration: @pulumi/pulumi cmd/run reports the error once
        // and exits 32, and the registrations that wait forever on withheld values are never sent. Under mocks
        // there is no update to fail and nothing may escape unhandled: the error is logged once, as the
        // engine would show it, which also tells the SDK's leak check why those registrations still wait
        // (@pulumi/pulumi log/index.js `error`, runtime/debuggable.js).
        this.registerOutputs(
            this.checked.then(
                () => all,
                (err: Error) => {
                    if (!isMocking()) return Promise.reject(err);
                    void pulumi.log.error(err.message, this);
                    return {};
                },
            ),
        );
    }
}
