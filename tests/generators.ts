/** fast-check generators for valid configs, and the probes (ports, addresses) to test them with. */
import fc from "fast-check";
import { PRESETS, presetRules } from "../src/contract/presets";
import { PRESET_NAMES, type PresetName, type FirewallSpec } from "../src/contract/types";
import { validateConfig } from "../src/pipeline/validate";
import { cidrRange, fromBits, WIDTH, type Family } from "./evaluators/packet";

const v4Cidr = fc.tuple(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 8, max: 32 })).map(([n, prefix]) => {
    const network = (BigInt(n) >> BigInt(32 - prefix)) << BigInt(32 - prefix);
    return `${fromBits("ipv4", network)}/${prefix}`;
});
const v6Cidr = fc.tuple(fc.bigInt({ min: 0n, max: (1n << 128n) - 1n }), fc.integer({ min: 16, max: 128 })).map(([n, prefix]) => {
    const network = (n >> BigInt(128 - prefix)) << BigInt(128 - prefix);
    return `${fromBits("ipv6", network)}/${prefix}`;
});
export const cidr = fc.oneof(v4Cidr, v6Cidr);

const port = fc.integer({ min: 1024, max: 65535 });
const single = fc.oneof(port, port.map(String));
const range = fc.tuple(port, fc.integer({ min: 0, max: 2000 })).map(([from, width]) => `${from}-${Math.min(65535, from + width)}`);
const portSpec = fc.oneof(single, range, fc.array(fc.oneof(single, range), { minLength: 1, maxLength: 3 }));
const protocol = fc.constantFrom<"udp" | "tcp" | ("udp" | "tcp")[]>("udp", "tcp", ["udp", "tcp"]);
const from = fc.oneof(fc.constant("public"), fc.constant("admin"), fc.array(cidr, { minLength: 1, maxLength: 3 }));

// allowDangerous sometimes: public ranges may cover a dangerous service (dangerousPorts.ts), opened on purpose.
export const rule = fc
    .record({ protocol, ports: portSpec, from, allowDangerous: fc.boolean() })
    .map(({ allowDangerous, ...r }) => (allowDangerous ? { ...r, allowDangerous } : r));

const presetChoice = fc.option(
    fc.constantFrom(...PRESET_NAMES).chain((preset) =>
        fc.record({
            preset: fc.constant(preset),
            options: fc.subarray(Object.keys(PRESETS[preset].options)),
            disable: fc.option(fc.nat(), { nil: undefined }),
            override: fc.option(fc.record({ index: fc.nat(), rule }), { nil: undefined }),
        }),
    ),
    { nil: undefined },
);

export interface Generated {
    args: Record<string, unknown>;
    spec: FirewallSpec;
    probePorts: number[];
    probeAddresses: string[];
}

const CLOUD_BLOCKS = {
    aws: {},
    gcp: { targetTags: ["media"] },
    digitalocean: { tags: ["media"] },
    azure: { resourceGroupName: "rg" },
    hetzner: { labelSelectors: ["role=media"] },
    oci: { compartmentId: "ocid1.compartment.oc1..aaaaaaaamedia", vcnId: "ocid1.vcn.oc1.eu-frankfurt-1.amaaaaaamedia" },
    linode: { linodeIds: [41234567] },
    openstack: {},
};

/** Random valid configs for `cloud`: presets with options, overrides and removals, extra rules, both families. */
export function configs(cloud: string): fc.Arbitrary<Generated> {
    return fc
        .record({
            preset: presetChoice,
            adminCidrs: fc.array(cidr, { maxLength: 4 }),
            extra: fc.array(rule, { maxLength: 4 }),
            ipv6: fc.boolean(),
            probePorts: fc.array(fc.integer({ min: 1, max: 65535 }), { minLength: 2, maxLength: 2 }),
            probeAddresses: fc.array(
                cidr.map((c) => c.split("/")[0]!),
                { minLength: 4, maxLength: 4 },
            ),
        })
        .map((g) => {
            const ports: Record<string, unknown>[] = g.extra.map((r, i) => ({ name: `extra-${i}`, ...r }));
            const args: Record<string, unknown> = { cloud, ipv6: g.ipv6, adminCidrs: g.adminCidrs, ...CLOUD_BLOCKS };
            if (g.preset) {
                args.preset = g.preset.preset;
                if (g.preset.options.length) args.presetOptions = Object.fromEntries(g.preset.options.map((o) => [o, true]));
                const names = presetRules(g.preset.preset as PresetName, (args.presetOptions as Record<string, boolean>) ?? {}).map(
                    (r) => r.name,
                );
                if (g.preset.disable !== undefined) ports.push({ name: names[g.preset.disable % names.length], enabled: false });
                const override = g.preset.override;
                if (override && !ports.some((p) => p.name === names[override.index % names.length]))
                    ports.push({ name: names[override.index % names.length], ...override.rule });
            }
            if (ports.length) args.ports = ports;
            return { args, spec: validateConfig(args).spec, probePorts: g.probePorts, probeAddresses: g.probeAddresses };
        })
        .filter((g): g is Generated => g.spec !== undefined);
}

/** Boundary ports of every range (start, end, one below, one above), plus the random probes. */
export function portsToProbe(g: Generated): number[] {
    const ports = new Set<number>(g.probePorts);
    for (const r of g.spec.rules)
        for (const x of r.ports) [x.from, x.to, x.from - 1, x.to + 1].forEach((p) => p >= 1 && p <= 65535 && ports.add(p));
    return [...ports].slice(0, 40);
}

function edges(cidrText: string): string[] {
    const r = cidrRange(cidrText);
    const max = (1n << BigInt(WIDTH[r.family])) - 1n;
    const out = [r.first, r.last];
    if (r.first > 0n) out.push(r.first - 1n);
    if (r.last < max) out.push(r.last + 1n);
    return out.map((bits) => fromBits(r.family, bits));
}

/** Addresses inside, at the edges of and just outside every source, plus random ones. */
export function addressesToProbe(g: Generated): string[] {
    const sources = new Set<string>(g.spec.adminCidrs.map((c) => c.text));
    for (const r of g.spec.rules) r.from.cidrs.forEach((c) => sources.add(c.text));
    const out = new Set<string>(["198.51.100.77", "2001:db8:ffff::77", ...g.probeAddresses]);
    for (const s of sources) edges(s).forEach((a) => out.add(a));
    return [...out].slice(0, 32);
}

export const familyOfAddress = (a: string): Family => (a.includes(":") ? "ipv6" : "ipv4");

/** A rule on ports no existing rule touches (not even adjacent), so adding it can only add. */
export function freshRule(spec: FirewallSpec, start: number, sources: string[] | "public"): Record<string, unknown> | undefined {
    const taken = spec.rules.flatMap((r) => r.ports);
    for (let p = start; p < start + 65535; p++) {
        const port = 1024 + (p % (65535 - 1024));
        if (taken.every((x) => port < x.from - 1 || port > x.to + 1))
            return { name: "zz-added", protocol: "udp", ports: port, from: sources };
    }
    return undefined;
}

/** Deterministically reverses and rotates every list in the args (rules, sources, ports). */
export function shuffleArgs(args: Record<string, unknown>, k: number): Record<string, unknown> {
    const rotate = <T>(list: T[]): T[] =>
        list.length ? [...list.slice(k % list.length), ...list.slice(0, k % list.length)].reverse() : list;
    const deep = (v: unknown): unknown =>
        Array.isArray(v)
            ? rotate(v.map(deep))
            : v && typeof v === "object"
              ? Object.fromEntries(Object.entries(v).map(([key, x]) => [key, deep(x)]))
              : v;
    return deep(args) as Record<string, unknown>;
}
