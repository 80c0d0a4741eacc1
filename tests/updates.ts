/**
 * The update simulator's judge for the tests (src/update/simulate.ts): each state goes through the cloud's
 * effective-policy evaluator the property tests already hold to the spec, probed at every boundary of the two
 * specs' rules; and random everyday edits of a config, at and near every cloud's quota edges.
 */
import fc from "fast-check";
import { cloudOf } from "../src/clouds/registry";
import { isComponent, type RecordedResource } from "../src/cli/mockRun";
import { validateConfig } from "../src/pipeline/validate";
import { simulate, type Packet, type SimulateOptions, type Simulation } from "../src/update/simulate";
import type { LiveResource } from "../src/clouds/updates";
import { evaluatorFor } from "./conformance";
import { VNET } from "./evaluators/azure";
import { matcher } from "./evaluators/packet";
import { addressesToProbe, cidr, configs, familyOfAddress, type Generated } from "./generators";
import { plan } from "./helpers";

/** Azure's default rules below ours (AllowVNetInBound, AllowAzureLoadBalancerInBound): not the update's doing. */
const azureDefault = matcher([...VNET, "168.63.129.16/32"]);

/** The packets judged in every state: each boundary of both specs' rules, from each edge of their sources, and egress. */
export function witnesses(before: Generated, after: Generated): Packet[] {
    // Every boundary, uncapped (the conformance probes keep 40 ports): a rule that moves may be any of them.
    const ports = new Set<number>([...before.probePorts, ...after.probePorts]);
    for (const g of [before, after])
        for (const r of g.spec.rules)
            for (const x of r.ports) [x.from, x.to, x.from - 1, x.to + 1].forEach((p) => p >= 1 && p <= 65535 && ports.add(p));
    const addresses = [...new Set([...addressesToProbe(before), ...addressesToProbe(after)])];
    const packets: Packet[] = [];
    for (const address of addresses) {
        for (const protocol of ["tcp", "udp"] as const) {
            for (const port of ports) packets.push({ direction: "in", protocol, port, address });
            if (familyOfAddress(address) === "ipv4" || before.spec.ipv6 || after.spec.ipv6)
                packets.push({ direction: "out", protocol, port: 50000, address });
        }
    }
    return packets;
}

/** The cloud resources a config registers (the component itself left out). */
export async function resourcesOf(args: Record<string, unknown>): Promise<RecordedResource[]> {
    return (await plan(args)).resources.filter((r) => !isComponent(r));
}

/** The simulator's options for an update from `before` to `after`, judged by the tests' evaluator for their cloud. */
export function simulationOptions(
    before: Generated,
    after: Generated,
    old: readonly LiveResource[],
    next: readonly LiveResource[],
): SimulateOptions {
    const cloud = before.spec.cloud;
    const admits = (live: readonly RecordedResource[]) => {
        const evaluate = evaluatorFor(cloud, [...live]);
        return (p: Packet) => (cloud === "azure" && p.direction === "in" && azureDefault(p.address)) || evaluate(p);
    };
    return { old, next, model: cloudOf(cloud).updates, admits, witnesses: witnesses(before, after), maxStates: 256, samples: 32, seed: 1 };
}

/** Replays the update from `before` to `after` on their cloud, judged by the tests' evaluator. */
export async function simulateEdit(before: Generated, after: Generated): Promise<Simulation> {
    // One after the other: the mock engine is global to the process.
    const old = await resourcesOf(before.args);
    const next = await resourcesOf(after.args);
    return simulate(simulationOptions(before, after, old, next));
}

/** `args` as a Generated, or undefined when the config is refused (an edit may make it so). */
export function generated(args: Record<string, unknown>, probes: Pick<Generated, "probePorts" | "probeAddresses">): Generated | undefined {
    const spec = validateConfig(args).spec;
    return spec ? { args, spec, probePorts: probes.probePorts, probeAddresses: probes.probeAddresses } : undefined;
}

type Args = Record<string, any>;
const clone = (args: Args): Args => structuredClone(args);

/** The edit that takes the `i`-th entry (modulo their number) out of the list at `key`. */
const withoutEntry =
    (key: string, i: number) =>
    (args: Args): Args => {
        const next = clone(args);
        const list: unknown[] = [...(next[key] ?? [])];
        list.splice(i % Math.max(1, list.length), 1);
        next[key] = list;
        return next;
    };

/** One everyday edit of a config: the arbitrary picks which and how. */
const edits: fc.Arbitrary<(args: Args) => Args>[] = [
    // An office address changes, is added or removed.
    fc.tuple(fc.nat(), cidr).map(([i, c]) => (args: Args) => {
        const next = clone(args);
        const admin: string[] = [...(next.adminCidrs ?? [])];
        if (admin.length) admin[i % admin.length] = c;
        else admin.push(c);
        next.adminCidrs = admin;
        return next;
    }),
    fc.nat().map((i) => withoutEntry("adminCidrs", i)),
    // A port rule added or removed.
    fc
        .tuple(
            fc.integer({ min: 1024, max: 65000 }),
            fc.constantFrom("udp", "tcp"),
            fc.oneof(fc.constant("public"), fc.array(cidr, { minLength: 1, maxLength: 2 })),
        )
        .map(([port, protocol, from]) => (args: Args) => ({
            ...clone(args),
            ports: [...(args.ports ?? []), { name: `added-${port}`, protocol, ports: port, from }],
        })),
    fc.nat().map((i) => withoutEntry("ports", i)),
    // A range widened or narrowed.
    fc.tuple(fc.nat(), fc.integer({ min: -500, max: 500 })).map(([i, by]) => (args: Args) => {
        const next = clone(args);
        const ranged = (next.ports ?? []).filter((p: Args) => typeof p.ports === "string" && p.ports.includes("-"));
        const rule = ranged[i % Math.max(1, ranged.length)];
        if (rule) {
            const [from, to] = (rule.ports as string).split("-").map(Number) as [number, number];
            rule.ports = `${from}-${Math.max(from, Math.min(65535, to + by))}`;
        }
        return next;
    }),
    // A source added to or removed from a rule.
    fc.tuple(fc.nat(), cidr, fc.boolean()).map(([i, c, add]) => (args: Args) => {
        const next = clone(args);
        const listed = (next.ports ?? []).filter((p: Args) => Array.isArray(p.from));
        const rule = listed[i % Math.max(1, listed.length)];
        if (rule) rule.from = add || rule.from.length < 2 ? [...rule.from, c] : rule.from.slice(1);
        return next;
    }),
    // A preset option toggled, or the preset switched.
    fc.tuple(fc.nat(), fc.constantFrom("livekit", "jitsi", "coturn", "mediasoup")).map(([i, preset]) => (args: Args) => {
        const next = clone(args);
        if (!next.preset || i % 3 === 0) {
            next.preset = preset;
            delete next.presetOptions;
            delete next.ports;
            return next;
        }
        const options = { ...(next.presetOptions ?? {}) };
        const keys = ["turn", "udpMux", "https", "sip", "tcpFallback", "recording"];
        const key = keys[i % keys.length]!;
        options[key] = !options[key];
        next.presetOptions = options;
        return next;
    }),
];

/** `count` single-port rules of their own, to bring a config to a cloud's quota edge. */
function filler(count: number, offset: number): Args[] {
    return Array.from({ length: count }, (_, i) => ({ name: `fill-${i}`, protocol: "udp", ports: 20000 + offset + 3 * i, from: "public" }));
}

/** How many rules of their own bring each cloud near its quota edge (AWS: 60 a group; DO, Hetzner: 50; OCI: 120). */
const EDGES: Record<string, number[]> = {
    aws: [57, 60, 62],
    digitalocean: [46, 48, 50],
    hetzner: [48, 50, 52],
    oci: [58, 60, 62],
    // Linode: 25 rules a firewall, and a rule packs 15 port pieces: the fillers' ports sit 3 apart, one rule per 15.
    linode: [330, 360, 380],
    // OpenStack: the project's 100 rules, less the default group's 4 and 5 kept free; each filler is 2 rules (v4, v6).
    openstack: [40, 43, 46],
    gcp: [],
    azure: [],
};

/** The ways each cloud's settings place the rules: a group or firewall of our own, one of yours, a node pool's. */
const PLACEMENTS: Record<string, Args[]> = {
    aws: [{}, { securityGroupId: "sg-0123456789abcdef0" }, { eksClusterSecurityGroupId: "sg-0fedcba9876543210" }],
    gcp: [{ targetTags: ["media"] }, { gke: "standard" }],
    digitalocean: [{ tags: ["media"] }, { kubernetesClusterId: "1b8b2100-0e9f-4e8f-ad78-9eb578c2a0af" }],
    azure: [
        { resourceGroupName: "rg" },
        { resourceGroupName: "rg", networkSecurityGroupName: "subnet-nsg", priorityRange: "2000-2199" },
        { resourceGroupName: "rg", aks: true, networkSecurityGroupName: "subnet-nsg", priorityRange: "2000-2199" },
    ],
    hetzner: [{ labelSelectors: ["role=media"] }],
    oci: [{ compartmentId: "ocid1.compartment.oc1..aaaaaaaamedia", vcnId: "ocid1.vcn.oc1.eu-frankfurt-1.amaaaaaamedia" }],
    linode: [{ linodeIds: [41234567] }, { lkeClusterId: 123456 }],
    openstack: [{}, { secGroupId: "5b5ce4ab-2a4f-4c4b-8a6c-0c2c4a3d9f10" }],
};

/** A config and one to a few everyday edits of it: the pair an update goes between. */
export function editPairs(cloud: string): fc.Arbitrary<[Generated, Generated]> {
    const placed = fc
        .tuple(configs(cloud), fc.constantFrom(...PLACEMENTS[cloud]!))
        .map(([g, block]) => generated({ ...g.args, [cloud]: block }, g) ?? g);
    const base = fc.oneof(
        { weight: 3, arbitrary: placed },
        {
            weight: EDGES[cloud]!.length ? 1 : 0,
            arbitrary: fc
                .tuple(placed, fc.constantFrom(...(EDGES[cloud]!.length ? EDGES[cloud]! : [0])), fc.nat(40))
                .map(([g, count, offset]) => {
                    const args = { ...g.args, ports: [...((g.args.ports as Args[]) ?? []), ...filler(count, offset)] };
                    return generated(args, g) ?? g;
                }),
        },
    );
    return fc
        .tuple(base, fc.array(fc.oneof(...edits), { minLength: 1, maxLength: 3 }))
        .map(([g, chosen]) => {
            const args = chosen.reduce((a, edit) => edit(a), g.args as Args);
            return [g, generated(args, g)] as const;
        })
        .filter((pair): pair is [Generated, Generated] => pair[1] !== undefined);
}
