import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { installRecordingMocks, runWithMocks, settle, sortResources, type RecordedResource } from "../src/cli/mockRun";
import { WebRtcFirewall, type WebRtcFirewallArgs } from "../src/component/component";
import { PRESETS } from "../src/contract/presets";
import { ConfigError } from "../src/contract/problems";
import { parseCidr } from "../src/contract/cidr";
import { CLOUD_SETTINGS } from "./cloudSettings";

export interface Planned {
    resources: RecordedResource[];
    firewall: WebRtcFirewall;
}

/** Constructs the component under recording mocks and waits for every registration. */
export function plan(args: WebRtcFirewallArgs | Record<string, unknown>, name = "wrf"): Promise<Planned> {
    return runWithMocks({}, () => new WebRtcFirewall(name, args as WebRtcFirewallArgs));
}

/** `count` distinct IPv4 /24 networks (10.x.y.0/24), for limit tests. */
export function ipv4Networks(count: number): string[] {
    return Array.from({ length: count }, (_, i) => `10.${Math.floor(i / 250)}.${i % 250}.0/24`);
}

/** `count` distinct IPv6 /48 networks (2001:db8:x::/48), for limit tests. */
export function ipv6Networks(count: number): string[] {
    return Array.from({ length: count }, (_, i) => `2001:db8:${i.toString(16)}::/48`);
}

/** Asserts that `args` is refused before anything is registered; returns the problem lines. */
export function refuse(args: Record<string, unknown>, name = "wrf"): string[] {
    const resources = installRecordingMocks({});
    let error: unknown;
    try {
        new WebRtcFirewall(name, args as unknown as WebRtcFirewallArgs);
    } catch (err) {
        error = err;
    }
    assert.ok(ConfigError.isInstance(error), `expected a ConfigError, got ${String(error)}`);
    assert.equal(resources.length, 0, "nothing may be registered for an invalid config");
    return (error as ConfigError).problems.map((p) => `${p.path}: ${p.message}`);
}

export function ofType(resources: RecordedResource[], type: string): RecordedResource[] {
    return resources.filter((r) => r.type === type);
}

export const AWS_INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
export const AWS_EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
export const AWS_GROUP = "aws:ec2/securityGroup:SecurityGroup";

/** AWS ingress rules as `udp 50000-60000 0.0.0.0/0`, sorted. */
export function awsIngress(resources: RecordedResource[]): string[] {
    return ofType(resources, AWS_INGRESS)
        .map((r) => {
            const i = r.inputs as Record<string, any>;
            const ports = i.fromPort === i.toPort ? `${i.fromPort}` : `${i.fromPort}-${i.toPort}`;
            return `${i.ipProtocol} ${ports} ${i.cidrIpv4 ?? i.cidrIpv6}`;
        })
        .sort();
}

/** Expands `tcp 443` style entries to one line per public CIDR. */
export function publicFlows(entries: string[], ipv6 = true): string[] {
    return entries.flatMap((e) => (ipv6 ? [`${e} 0.0.0.0/0`, `${e} ::/0`] : [`${e} 0.0.0.0/0`])).sort();
}

export interface LatePlanned extends Planned {
    /** The ConfigError raised when the values from other resources resolved, if any. */
    error?: ConfigError;
}

/**
 * Constructs the component with values from other resources (Outputs) under recording mocks and waits
 * until every registration finished, or until the check of the resolved values failed: `checked` rejects
 * with that ConfigError, as a consumer's test awaits it. Nothing may reject unhandled either way.
 */
export async function planLate(
    args: Record<string, unknown>,
    options: { name?: string; preview?: boolean; opts?: pulumi.ComponentResourceOptions } = {},
): Promise<LatePlanned> {
    const resources = installRecordingMocks({}, "plan", options.preview);
    const listeners = process.listeners("unhandledRejection");
    process.removeAllListeners("unhandledRejection");
    const unexpected: unknown[] = [];
    process.on("unhandledRejection", (err) => unexpected.push(err));
    try {
        let firewall: WebRtcFirewall;
        try {
            firewall = new WebRtcFirewall(options.name ?? "wrf", args as unknown as WebRtcFirewallArgs, options.opts);
        } catch (err) {
            // Refused at construction, from what was known then: nothing registered.
            if (!ConfigError.isInstance(err)) throw err;
            return { resources: sortResources(resources), firewall: undefined as unknown as WebRtcFirewall, error: err };
        }
        const error = await firewall.checked.then(
            () => undefined,
            (err: unknown) => {
                assert.ok(ConfigError.isInstance(err), `only a ConfigError may reject: ${String(err)}`);
                return err;
            },
        );
        if (!error) {
            await settle(firewall);
            if (!options.preview)
                await Promise.all(
                    [firewall.rules as pulumi.Output<unknown>, firewall.nftablesRuleset].map(
                        (o) => new Promise((resolve) => o.apply(resolve)),
                    ),
                );
        }
        // Let the registrations that were under way reach the mock engine (or wait forever) before counting them.
        await new Promise((resolve) => setTimeout(resolve, 20));
        assert.deepEqual(unexpected, [], "nothing may reject unhandled");
        return { resources: sortResources(resources), firewall, error };
    } finally {
        process.removeAllListeners("unhandledRejection");
        for (const l of listeners) process.on("unhandledRejection", l);
    }
}

/** Whether adminCidrs or a rule's from names one network twice (in any spelling). */
export function repeatsASource(args: Record<string, unknown>): boolean {
    const lists = [args.adminCidrs, ...((args.ports as { from?: unknown }[] | undefined) ?? []).map((r) => r.from)].filter(
        Array.isArray,
    ) as string[][];
    return lists.some((list) => {
        const texts = list
            .filter((s) => s !== "public" && s !== "admin")
            .map((s) => parseCidr(s))
            .map((p) => (p.ok ? p.cidr.text : ""));
        return new Set(texts).size !== texts.length;
    });
}

/** A value from another resource, as a program passes it: known in an update, unknown in a preview. */
export const late = <T>(value: T): pulumi.Output<T> => pulumi.output(value) as pulumi.Output<T>;
export const unknown = <T>(): pulumi.Output<T> => pulumi.output(pulumi.unknown) as unknown as pulumi.Output<T>;

/** Replaces every CIDR or list of CIDRs in `ports[].from` and `adminCidrs` by Outputs (each entry, or the whole list). */
export function withLateSources(args: Record<string, unknown>, whole: boolean): Record<string, unknown> {
    const wrap = (list: unknown) => {
        if (!Array.isArray(list)) return typeof list === "string" && list !== "public" && list !== "admin" ? late(list) : list;
        const cidrs = list.filter((s) => s !== "public" && s !== "admin");
        const named = list.filter((s) => s === "public" || s === "admin");
        if (!cidrs.length) return list;
        // A whole list can be one Output only when it holds no public/admin (those must stay plain).
        return whole && !named.length ? late(cidrs) : [...named, ...cidrs.map(late)];
    };
    const out: Record<string, unknown> = { ...args };
    if (Array.isArray(args.adminCidrs) && args.adminCidrs.length)
        out.adminCidrs = whole ? late(args.adminCidrs) : args.adminCidrs.map(late);
    if (Array.isArray(args.ports))
        out.ports = args.ports.map((r) =>
            r && typeof r === "object" && "from" in r ? { ...r, from: wrap((r as { from: unknown }).from) } : r,
        );
    return out;
}

/**
 * A test whose inputs are drawn (with WRF_SEED, or a seed of its own). Mutant runs (`npm run mutate` sets WRF_MUTATION=1) leave
 * these out: whether a draw happens to catch a mutant would make the score depend on the seed, so the
 * deterministic tests must catch every one themselves. `npm test` always runs them.
 */
export const itProperty: Mocha.TestFunction = process.env.WRF_MUTATION === "1" ? (it.skip as Mocha.TestFunction) : it;

/** A test that drives a real tool in another process (nft, ufw, node): it proves other things, and mutant runs leave it out. */
export const itRealPart: Mocha.TestFunction = process.env.WRF_MUTATION === "1" ? (it.skip as Mocha.TestFunction) : it;

/**
 * A limit proven with thousands of entries through the component and the engine mocks (a second or so
 * each). Mutant runs leave it out: a case at the same edge without the engine (tests/mappings.test.ts,
 * tests/contract.test.ts) stands for it there, in milliseconds. `npm test` always runs it.
 */
export const itAtScale: Mocha.TestFunction = process.env.WRF_MUTATION === "1" ? (it.skip as Mocha.TestFunction) : it;

const ROOT = path.resolve(__dirname, "..");

/** Every preset with all its options, admin sources of both families: the configs of the golden files. */
export function presetArgs(preset: string, cloud = "aws"): Record<string, unknown> {
    const presetOptions = Object.fromEntries(Object.keys(PRESETS[preset as keyof typeof PRESETS].options).map((o) => [o, true]));
    return {
        cloud,
        preset,
        ...(Object.keys(presetOptions).length ? { presetOptions } : {}),
        adminCidrs: ["203.0.113.0/24", "2001:db8:1234::/48"],
        ...CLOUD_SETTINGS,
    };
}

/**
 * Compares `actual` with the golden file `tests/regression/<platform>/<file>`, so a reviewer reads a
 * diff of what would deploy; WRF_UPDATE_GOLDEN=1 rewrites it, and on CI a missing one is a failure.
 */
export function golden(platform: string, file: string, actual: string): void {
    const where = path.join(ROOT, "tests", "regression", platform, file);
    if (process.env.WRF_UPDATE_GOLDEN === "1" || !fs.existsSync(where)) {
        assert.ok(
            process.env.WRF_UPDATE_GOLDEN === "1" || process.env.CI !== "true",
            `${path.relative(ROOT, where)} is missing: run WRF_UPDATE_GOLDEN=1 npm test and commit it`,
        );
        fs.mkdirSync(path.dirname(where), { recursive: true });
        fs.writeFileSync(where, actual);
    }
    assert.equal(
        actual,
        fs.readFileSync(where, "utf8"),
        `${path.relative(ROOT, where)} differs: review the diff, then WRF_UPDATE_GOLDEN=1 npm test`,
    );
}

/** A file with `text` under a fresh temporary directory, named `name` (the name decides a server config's kind). */
export function tempFile(name: string, text: string): string {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "wrf-test-")), name);
    fs.writeFileSync(file, text);
    return file;
}

/** Runs `fn` in `dir`, as Pulumi runs a program in its project folder: serverConfigs are read from there only. */
export async function inFolder<T>(dir: string, fn: () => Promise<T> | T): Promise<T> {
    const before = process.cwd();
    process.chdir(dir);
    try {
        return await fn();
    } finally {
        process.chdir(before);
    }
}
