/**
 * Each cloud's pure mapping, without an engine: what it maps for every preset is, resource for resource,
 * what the golden files under tests/regression/<cloud>/ say deploys (hosts.test.ts writes those through
 * the component and the mocks). Milliseconds per case, so `npm run mutate` runs it before the engine tests.
 */
import { OCI_HOST_WARNING } from "../../src/clouds/oci/target";
import { labelWarning } from "../../src/clouds/linode/target";
import { OPENSTACK_EGRESS_WARNING, OPENSTACK_PORT_SECURITY_WARNING } from "../../src/clouds/openstack/target";
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { cloudOf, CLOUDS, type Cloud } from "../../src/clouds/registry";
import { inputsOf, type CloudMapping } from "../../src/clouds/cloud";
import { formatRange } from "../../src/contract/ports";
import { PRESET_NAMES } from "../../src/contract/types";
import { scanLate, validateConfig } from "../../src/pipeline/validate";
import { planRules } from "../../src/plan/plan";
import { batchNames, ruleIdentity } from "../../src/plan/naming";
import { golden, ipv4Networks, presetArgs } from "../helpers";

interface Registered {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
}

/** Every `{ name, args }` a mapping declares, wherever its resources hold them. */
function declsOf(resources: unknown): { name: string; args: Record<string, unknown> }[] {
    if (Array.isArray(resources)) return resources.flatMap(declsOf);
    if (resources === null || typeof resources !== "object") return [];
    const r = resources as { name?: unknown; args?: unknown };
    if (typeof r.name === "string" && r.args !== null && typeof r.args === "object")
        return [{ name: r.name, args: r.args as Record<string, unknown> }];
    return Object.values(resources).flatMap(declsOf);
}

const plain = (v: unknown) => JSON.parse(JSON.stringify(v)) as Record<string, unknown>;

/**
 * Each cloud's block, so any cloud validates; a config's own block replaces its cloud's. Short values, not
 * tests/cloudSettings.ts: the late-source golden files were planned with these and stay byte-identical.
 */
const BLOCKS = {
    gcp: { targetTags: ["m"] },
    digitalocean: { tags: ["m"] },
    azure: { resourceGroupName: "rg" },
    hetzner: { labelSelectors: ["r=m"] },
    oci: { compartmentId: "ocid1.compartment.oc1..aaaaaaaamedia", vcnId: "ocid1.vcn.oc1.eu-frankfurt-1.amaaaaaamedia" },
};
const out = <T>(v: T) => pulumi.output(v);

/** The spec and plan of `config`, its Outputs scanned as the component scans them; validation must pass. */
function planned(config: Record<string, unknown>) {
    const v = validateConfig(scanLate({ ...BLOCKS, ...config }).args);
    assert.deepEqual(v.problems, []);
    return { spec: v.spec!, plan: planRules(v.spec!) };
}

/** What the mapping of `config.cloud` makes of `config`, for a component named `name`. */
function mapped(config: Record<string, unknown>, name = "wrf"): CloudMapping<unknown> {
    const { spec, plan } = planned(config);
    return cloudOf(spec.cloud).target.map(plan, spec, name) as CloudMapping<unknown>;
}

const messages = (m: CloudMapping<unknown>) => m.problems.map((p) => `${p.path}: ${p.message}`);

/** `value` with every Output in it replaced by what it resolves to. */
async function resolved(value: unknown): Promise<unknown> {
    if (pulumi.Output.isInstance(value)) return resolved(await new Promise((resolve) => (value as pulumi.Output<unknown>).apply(resolve)));
    if (Array.isArray(value)) return Promise.all(value.map(resolved));
    if (value === null || typeof value !== "object") return value;
    return Object.fromEntries(await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await resolved(v)])));
}

describe("each cloud's pure mapping is what its golden file deploys", () => {
    for (const cloud of CLOUDS) {
        for (const preset of PRESET_NAMES) {
            it(`${cloud} ${preset}`, () => {
                const spec = validateConfig(presetArgs(preset, cloud)).spec!;
                const mapping = cloudOf(cloud).target.map(planRules(spec), spec, "media");
                const said: Partial<Record<Cloud, string[]>> = {
                    oci: [OCI_HOST_WARNING],
                    linode: [labelWarning("media")],
                    openstack: [OPENSTACK_EGRESS_WARNING, OPENSTACK_PORT_SECURITY_WARNING],
                };
                assert.deepEqual([mapping.problems, mapping.warnings], [[], said[cloud] ?? []]);
                const registered = (
                    JSON.parse(fs.readFileSync(path.join(__dirname, "..", "regression", cloud, `${preset}.json`), "utf8")) as Registered[]
                ).filter((r) => !r.type.startsWith("webrtc-firewall:"));
                const decls = declsOf(mapping.resources);
                assert.deepEqual(decls.map((d) => d.name).sort(), registered.map((r) => r.name).sort());
                for (const decl of decls) {
                    const inputs = registered.find((r) => r.name === decl.name)!.inputs;
                    const args = plain(decl.args);
                    assert.deepEqual(
                        Object.fromEntries(Object.keys(args).map((k) => [k, inputs[k]])),
                        args,
                        `${cloud} ${preset}: ${decl.name}`,
                    );
                }
            });
        }
    }
});

describe("each cloud's quotas at and one past the edge, mapped without an engine", () => {
    /** The mapping of an IPv4-only config on `cloud`. */
    const map = (cloud: Cloud, extra: Record<string, unknown>) => mapped({ cloud, ipv6: false, ...extra });
    /** One rule from `n` sources: n flows. */
    const sources = (n: number) => ({ ports: [{ name: "media", protocol: "udp", ports: "40000-41000", from: ipv4Networks(n) }] });
    /** One rule on `n` separate ports, from one source: n flows. */
    const separatePorts = (n: number, protocol = "udp") => ({
        name: `media-${protocol}`,
        protocol,
        ports: Array.from({ length: n }, (_, i) => 40000 + 2 * i),
        from: "10.0.0.0/8",
    });

    it("AWS: 55 rules per group of ours (5 of 60 kept free for an update's creates), 5 groups; 60 in an existing group", () => {
        const groups = (n: number) => (map("aws", sources(n)).resources as { groups: unknown[] }).groups.length;
        assert.deepEqual([groups(55), groups(56), groups(275)], [1, 2, 5]);
        assert.deepEqual(map("aws", sources(56)).quota, [
            { what: "IPv4 inbound rules (55 per group, 5 of 60 kept free for updates, 2 groups)", used: 56, limit: 110 },
            { what: "IPv6 inbound rules (55 per group, 5 of 60 kept free for updates, 2 groups)", used: 0, limit: 110 },
            { what: "security groups per network interface", used: 2, limit: 5 },
        ]);
        assert.deepEqual(messages(map("aws", sources(276))), [
            "ports: AWS needs 276 IPv4 inbound rules (one per protocol, port range and source): more than 5 security groups × 55 rules (60 each, 5 kept free for updates); use fewer or wider adminCidrs/source CIDRs, or fewer separate ports",
        ]);
        const existing = { aws: { securityGroupId: "sg-0123abcd" } };
        assert.deepEqual(messages(map("aws", { ...sources(60), ...existing })), []);
        assert.deepEqual(
            [map("aws", { ...sources(55), ...existing }).warnings, map("aws", { ...sources(56), ...existing }).warnings],
            [
                [],
                [
                    "aws: aws.securityGroupId holds 56 of the 60 rules it has room for: an update creates a changed rule before it deletes the old one, so a change of more than 4 rules there is refused half-way (the rules already made stay, nothing closes); `webrtc-firewall plan --diff OLD` shows it before you run it.",
                ],
            ],
        );
        assert.deepEqual(messages(map("aws", { ...sources(61), ...existing })), [
            "ports: AWS needs 61 IPv4 inbound rules (one per protocol, port range and source): more than the 60 rules of the one existing group (aws.securityGroupId); use fewer or wider adminCidrs/source CIDRs, or fewer separate ports",
        ]);
    });

    it("OCI: 120 rules per NSG with the egress in the first, 5 NSGs per VNIC; 120 in an existing NSG", () => {
        const placed = (n: number, extra: Record<string, unknown> = {}) => {
            const r = map("oci", { ...sources(n), ...extra }).resources as {
                groups: { name: string }[];
                rules: { name: string; group: number }[];
            };
            return [r.groups.map((g) => g.name), Math.max(...r.rules.map((x) => x.group))];
        };
        assert.deepEqual(
            [placed(109), placed(110), placed(549)],
            [
                [["wrf-nsg"], 0],
                [["wrf-nsg", "wrf-nsg-2"], 1],
                [["wrf-nsg", "wrf-nsg-2", "wrf-nsg-3", "wrf-nsg-4", "wrf-nsg-5"], 4],
            ],
        );
        const first = (map("oci", sources(130)).resources as { rules: { name: string; group: number }[] }).rules;
        assert.deepEqual(
            [first[0]!.name, first[0]!.group, first.filter((r) => r.group === 0).length, first.filter((r) => r.group === 1).length],
            ["wrf-egress-ipv4", 0, 110, 21],
        );
        assert.deepEqual(map("oci", sources(110)).quota, [
            { what: "security rules (110 per NSG (10 of 120 kept free for updates), ingress and egress, 2 NSGs)", used: 111, limit: 220 },
            { what: "NSGs per VNIC", used: 2, limit: 5 },
        ]);
        assert.deepEqual(messages(map("oci", sources(550))), [
            "ports: OCI needs 550 inbound rules (one per protocol, port range and source) and 1 outbound: more than 5 NSGs per VNIC × 110 rules (120 each, 10 kept free for updates) (OCI Networking limits); use fewer or wider adminCidrs/source CIDRs, or fewer separate ports",
        ]);
        const existing = { oci: { networkSecurityGroupId: "ocid1.networksecuritygroup.oc1.eu-frankfurt-1.aaaaaaaansg" } };
        assert.deepEqual(messages(map("oci", { ...sources(120), ...existing })), []);
        assert.deepEqual(placed(120, existing), [[], 0], "no NSG created, every rule in the existing one");
        assert.deepEqual(messages(map("oci", { ...sources(121), ...existing })), [
            "ports: OCI needs 121 inbound rules (one per protocol, port range and source) and 0 outbound: more than the 120 rules of the one existing NSG (oci.networkSecurityGroupId), whose own rules count too (OCI Networking limits); use fewer or wider adminCidrs/source CIDRs, or fewer separate ports",
        ]);
        assert.deepEqual(
            map("oci", { ...sources(1), ...existing }).warnings[0],
            "oci: rules are added to oci.networkSecurityGroupId; its egress is its own (and the subnet's security lists'): make sure it lets the server send to 0.0.0.0/0 and ::/0",
        );
        assert.deepEqual(
            [messages(map("oci", sources(549))), messages(map("oci", sources(550))).length],
            [[], 1],
            "5 NSGs hold 549 inbound rules and the egress, not one more",
        );
        assert.deepEqual(map("oci", { ...sources(120), ...existing }).quota, [
            { what: "security rules (in the existing NSG, with its own rules)", used: 120, limit: 120 },
            { what: "NSGs created (rules added to oci.networkSecurityGroupId)", used: 0, limit: 5 },
        ]);
        const nsgs = (map("oci", sources(130)).resources as { groups: { name: string; args: { displayName: string } }[] }).groups;
        assert.deepEqual(
            nsgs.map((g) => [g.name, g.args.displayName]),
            [
                ["wrf-nsg", "wrf"],
                ["wrf-nsg-2", "wrf-2"],
            ],
        );
        const over = (map("oci", { ...sources(130), ...existing }).resources as { rules: { group: number }[] }).rules;
        assert.ok(
            over.every((r) => r.group === 0),
            "past the limit every rule still names the one existing NSG",
        );
    });

    it("OCI: a whole list from another resource is refused at its key; an entry from another resource is one rule per range", () => {
        const whole = mapped({ cloud: "oci", ipv6: false, adminCidrs: out(["203.0.113.0/24"]) });
        assert.deepEqual(messages(whole), [
            "adminCidrs: is a whole list from another resource; an OCI rule takes one source and their number must be known before the update: give the entries one by one (each may come from another resource), or the CIDRs themselves",
        ]);
        const entry = mapped({
            cloud: "oci",
            ipv6: false,
            adminCidrs: [out("203.0.113.0/24")],
            ports: [{ name: "media", protocol: "udp", ports: "40000-41000" }],
        });
        assert.deepEqual(messages(entry), []);
        assert.deepEqual(
            (entry.resources as { rules: { name: string }[] }).rules.map((r) => r.name),
            ["wrf-egress-ipv4", "wrf-udp-40000-41000-0.0.0.0/0", "wrf-admin-late1-tcp-22"],
        );
    });

    it("DigitalOcean: 1000 sources per rule, 50 rules per firewall with the 3 outbound in the first", () => {
        const sizes = (n: number) =>
            (map("digitalocean", sources(n)).resources as { args: { inboundRules: { sourceAddresses: string[] }[] } }[]).flatMap((f) =>
                f.args.inboundRules.map((r) => r.sourceAddresses.length),
            );
        assert.deepEqual([sizes(1000), sizes(1001)], [[1000], [1000, 1]]);
        const firewalls = (n: number) =>
            (
                map("digitalocean", { ports: [separatePorts(n)] }).resources as {
                    name: string;
                    args: { inboundRules: unknown[]; outboundRules?: unknown[] };
                }[]
            ).map((f) => [
                f.name.replace(/^wrf-fw-[0-9a-f]{8}$/, "wrf-fw-<content>"),
                f.args.inboundRules.length,
                f.args.outboundRules?.length ?? 0,
            ]);
        // Split firewalls are named by what they hold, so a rule moving between them is a new firewall, never a gap.
        assert.deepEqual(
            [firewalls(47), firewalls(48)],
            [
                [["wrf-fw", 47, 3]],
                [
                    ["wrf-fw-<content>", 47, 3],
                    ["wrf-fw-<content>", 1, 0],
                ],
            ],
        );
    });

    it("Hetzner: 100 sources per rule, 50 rules per firewall, 5 firewalls per server", () => {
        const sizes = (n: number) =>
            (map("hetzner", sources(n)).resources as { args: { rules: { sourceIps: string[] }[] } }[]).flatMap((f) =>
                f.args.rules.map((r) => r.sourceIps.length),
            );
        assert.deepEqual([sizes(100), sizes(101)], [[100], [100, 1]]);
        const firewalls = (n: number) =>
            (map("hetzner", { ports: [separatePorts(n)] }).resources as { name: string; args: { rules: unknown[] } }[]).map(
                (f) => `${f.name.replace(/^wrf-fw-[0-9a-f]{8}$/, "wrf-fw-<content>")}:${f.args.rules.length}`,
            );
        const split = (sizes: number[]) => sizes.map((n) => `wrf-fw-<content>:${n}`);
        assert.deepEqual([firewalls(50), firewalls(51), firewalls(250)], [["wrf-fw:50"], split([50, 1]), split([50, 50, 50, 50, 50])]);
        assert.deepEqual(messages(map("hetzner", { ports: [separatePorts(251)] })), [
            "ports: Hetzner needs 251 inbound rules (one per protocol and port range, split at 100 sources), more than 5 firewalls × 50 rules that one server can have (Hetzner FAQ); use port ranges, fewer separate ports or fewer sources",
        ]);
    });

    it("GCP: 5000 source ranges fit one rule", () => {
        assert.deepEqual(
            (map("gcp", sources(5000)).resources as { args: { sourceRanges: string[] } }[]).map((f) => f.args.sourceRanges.length),
            [5000],
        );
    });

    it("Azure: 1000 rules per NSG, 4000 source prefixes summed over its rules", () => {
        const rules = (m: CloudMapping<unknown>) =>
            (m.resources as { nsg: { args: { securityRules: unknown[] } } }).nsg.args.securityRules.length;
        // Each rule from its own address, on udp and tcp: two security rules apiece.
        const own = (n: number) => ({
            ports: Array.from({ length: n }, (_, i) => ({
                name: `r${i}`,
                protocol: ["udp", "tcp"],
                ports: 1000 + i,
                from: [`10.0.${Math.floor(i / 200)}.${i % 200}`],
            })),
        });
        assert.equal(rules(map("azure", own(500))), 1000);
        assert.deepEqual(messages(map("azure", own(501))), [
            "ports: Azure needs 1002 security rules (one per family, protocol and source set), more than 1000 per network security group; give more rules the same sources",
        ]);
        assert.equal(rules(map("azure", sources(4000))), 1);
        assert.deepEqual(
            messages(
                map("azure", {
                    ports: [
                        { name: "media", protocol: "udp", ports: "40000-41000", from: ipv4Networks(2000) },
                        { name: "other", protocol: "tcp", ports: 443, from: ipv4Networks(2001) },
                    ],
                }),
            ),
            [
                "ports: Azure needs 4001 source prefixes in one network security group, more than the 4000 Azure allows per NSG summed over its rules (a NIC or subnet has one NSG, so it cannot be split); use fewer or wider adminCidrs/source CIDRs",
            ],
        );
    });
});

/** A list from another resource: one Output, or on OCI and OpenStack (which refuse that, compose.test.ts) one Output per entry. */
const lateList = (cloud: Cloud, list: string[]) => (cloud === "oci" || cloud === "openstack" ? list.map(out) : out(list));

describe("values from other resources, mapped without an engine", () => {
    for (const cloud of CLOUDS) {
        it(`${cloud}: a late address, a late list of both families, and a late group on AWS and OpenStack, as they resolve (golden file late-sources.json)`, async () => {
            const group = cloud === "aws" ? "sg-0123abcd" : cloud === "openstack" ? "5b5ce4ab-2a4f-4c4b-8a6c-0c2c4a3d9f10" : undefined;
            const groupSource = group ? [{ name: "from-lb", protocol: "tcp", ports: 8443, from: [out(group)] }] : [];
            const mapping = mapped({
                cloud,
                preset: "livekit",
                adminCidrs: [out("203.0.113.0/24"), "198.51.100.7"],
                ports: [
                    {
                        name: "api",
                        protocol: ["tcp", "udp"],
                        ports: [7880, "9000-9001"],
                        from: lateList(cloud, ["10.0.0.0/8", "2001:db8::/32"]),
                    },
                    ...groupSource,
                ],
            });
            golden(cloud, "late-sources.json", JSON.stringify(await resolved(mapping), null, 2) + "\n");
        });

        it(`${cloud}: a late list of one family, repeated and unsorted, beside a set that is not admin's (golden file late-one-family.json)`, async () => {
            const mapping = mapped({
                cloud,
                preset: "livekit",
                adminCidrs: ["203.0.113.0/24"],
                ports: [
                    {
                        name: "api",
                        protocol: "tcp",
                        ports: 7880,
                        from:
                            cloud === "oci" || cloud === "openstack"
                                ? lateList(cloud, [" 192.0.2.0/24", "10.0.0.0/8"])
                                : out([" 192.0.2.0/24", "10.0.0.0/8", "10.0.0.0/8"]),
                    },
                    { name: "other", protocol: "udp", ports: 9000, from: ["198.51.100.0/24"] },
                ],
            });
            golden(cloud, "late-one-family.json", JSON.stringify(await resolved(mapping), null, 2) + "\n");
        });
    }

    it("secret settings make every input a secret; others stay plain", async () => {
        const wrapped = inputsOf({ a: 1, b: ["x"] }, true);
        assert.deepEqual(await Promise.all(Object.values(wrapped).map((v) => pulumi.isSecret(v as unknown as pulumi.Output<unknown>))), [
            true,
            true,
        ]);
        const plainArgs = { a: 1 };
        assert.equal(inputsOf(plainArgs, false), plainArgs);
    });
});

describe("an existing group or NSG, late rules' places, and component names, mapped without an engine", () => {
    it("AWS: rules into an existing group keep its egress; a VPC id reaches every group created (golden file existing.json)", () => {
        golden(
            "aws",
            "existing.json",
            JSON.stringify(
                mapped({ cloud: "aws", preset: "livekit", aws: { securityGroupId: "sg-0123abcd" }, adminCidrs: ["203.0.113.0/24"] }),
                null,
                2,
            ) + "\n",
        );
        const split = mapped({ cloud: "aws", preset: "livekit", ipv6: false, aws: { vpcId: "vpc-0123abcd" }, adminCidrs: ipv4Networks(60) })
            .resources as { groups: { name: string; args: unknown }[] };
        assert.deepEqual(
            split.groups.map((g) => [g.name, g.args]),
            [1, 2].map((n) => [
                n === 1 ? "wrf-sg" : `wrf-sg-${n}`,
                {
                    description: "WebRTC media server firewall, managed by webrtc-firewall",
                    vpcId: "vpc-0123abcd",
                    tags: { Name: n === 1 ? "wrf" : `wrf-${n}` },
                },
            ]),
        );
    });

    it("AWS: late rules follow the known ones into the groups, and count against both families", () => {
        const m = mapped({
            cloud: "aws",
            ipv6: false,
            adminCidrs: [...ipv4Networks(52), out("198.51.100.7"), out("198.51.100.8")],
            ports: [
                { name: "media", protocol: "udp", ports: "40000-41000", from: "10.0.0.0/8" },
                { name: "api", protocol: "tcp", ports: 7880, from: out(["192.0.2.0/24"]) },
            ],
        });
        const r = m.resources as { groups: unknown[]; ingress: { name: string; group: number }[] };
        assert.equal(r.groups.length, 2);
        assert.deepEqual(
            r.ingress.filter((i) => i.name.includes("late")).map((i) => `${i.name}@${i.group}`),
            ["wrf-admin-late1-tcp-22@0", "wrf-admin-late2-tcp-22@0", "wrf-r-api-late1-v4-tcp-7880@1", "wrf-r-api-late1-v6-tcp-7880@1"],
        );
        assert.deepEqual(
            m.quota.map((q) => `${q.what}: ${q.used}/${q.limit}`),
            [
                "IPv4 inbound rules (55 per group, 5 of 60 kept free for updates, 2 groups) (+4 whose family is known at deployment, prefix lists counting their entries): 57/110",
                "IPv6 inbound rules (55 per group, 5 of 60 kept free for updates, 2 groups) (+4 whose family is known at deployment, prefix lists counting their entries): 4/110",
                "security groups per network interface: 2/5",
            ],
        );
        const existing = mapped({
            cloud: "aws",
            ipv6: false,
            aws: { securityGroupId: "sg-0123abcd" },
            adminCidrs: [...ipv4Networks(58), out("198.51.100.7")],
            ports: [{ name: "media", protocol: "udp", ports: "40000-41000", from: "10.0.0.0/8" }],
        });
        assert.deepEqual(messages(existing), []);
        assert.deepEqual(
            existing.quota.map((q) => `${q.what}: ${q.used}/${q.limit}`),
            [
                "IPv4 inbound rules (the existing group, with its own rules) (+1 whose family is known at deployment): 60/60",
                "IPv6 inbound rules (the existing group, with its own rules) (+1 whose family is known at deployment): 1/60",
                "security groups created (rules added to aws.securityGroupId): 0/5",
            ],
        );
        const over = mapped({
            cloud: "aws",
            ipv6: false,
            aws: { securityGroupId: "sg-0123abcd" },
            adminCidrs: [...ipv4Networks(59), out("198.51.100.7")],
            ports: [{ name: "media", protocol: "udp", ports: "40000-41000", from: "10.0.0.0/8" }],
        });
        assert.ok(messages(over)[0]!.startsWith("ports: AWS needs 61 IPv4 inbound rules"), messages(over)[0]);
    });

    it("AWS and Azure: the longest component name that fits, and one character more", () => {
        for (const cloud of ["aws", "azure"] as const) {
            const fits = (n: number) => messages(mapped({ cloud, preset: "livekit", ipv6: false }, "a".repeat(n))).length === 0;
            const longest = Array.from({ length: 300 }, (_, i) => i + 1)
                .filter(fits)
                .pop()!;
            assert.equal(longest, cloud === "aws" ? 242 : 68, cloud);
            assert.match(
                messages(mapped({ cloud, preset: "livekit", ipv6: false }, "a".repeat(longest + 1)))[0]!,
                new RegExp(`of at most ${longest} characters$`),
                cloud,
            );
        }
        assert.match(
            messages(mapped({ cloud: "aws", preset: "livekit" }, "sg-media"))[0]!,
            /^name: component name "sg-media" makes the security group name "sg-media-sg-…"; AWS refuses group names that start with "sg-"/,
        );
        assert.deepEqual(
            messages(mapped({ cloud: "aws", preset: "livekit", aws: { securityGroupId: "sg-0123abcd" } }, "sg-media")),
            [],
            "no group is created, so its name cannot be wrong",
        );
    });

    it("Azure: standalone rules in an existing NSG within its priorities (golden file existing.json); too few priorities; a whole late list", () => {
        const nsg = { networkSecurityGroupName: "their-nsg", priorityRange: "2000-2099" };
        golden(
            "azure",
            "existing.json",
            JSON.stringify(
                mapped({
                    cloud: "azure",
                    preset: "livekit",
                    adminCidrs: ["203.0.113.0/24"],
                    azure: { resourceGroupName: "rg", location: "westeurope", ...nsg },
                }),
                null,
                2,
            ) + "\n",
        );
        const priorities = (range: string) =>
            messages(
                mapped({
                    cloud: "azure",
                    preset: "livekit",
                    azure: { resourceGroupName: "rg", networkSecurityGroupName: "their-nsg", priorityRange: range },
                }),
            );
        assert.deepEqual(priorities("2000-2003"), [], "four rules (tcp and udp, both families) take four priorities");
        assert.deepEqual(priorities("2000-2002"), [
            'azure.priorityRange: "2000-2002" holds 3 priorities, but the config needs 4 rules (one per family, protocol and source set); widen the range to at least 4 unused priorities',
        ]);
        const whole = (config: Record<string, unknown>) =>
            messages(mapped({ cloud: "azure", preset: "livekit", azure: { resourceGroupName: "rg", ...nsg }, ...config }));
        const why =
            "is a whole list given as one Output, which becomes one rule per address family; in an existing NSG such a rule cannot drop out when its family resolves empty: pass a list whose entries are Outputs instead";
        assert.deepEqual(whole({ adminCidrs: out(["203.0.113.0/24"]) }), [`adminCidrs: ${why}`]);
        assert.deepEqual(whole({ ports: [{ name: "api", protocol: "tcp", ports: 7880, from: out(["192.0.2.0/24"]) }] }), [`ports: ${why}`]);
        assert.deepEqual(whole({ adminCidrs: [out("203.0.113.0/24")] }), [], "an entry as an Output is one rule that fills in");
    });
});

describe("AWS security groups as sources, planned and mapped without an engine", () => {
    it("one rule per protocol, merged range and group, naming every rule behind it", () => {
        const { spec, plan } = planned({
            cloud: "aws",
            preset: "livekit",
            ports: [
                { name: "b", protocol: "tcp", ports: "8005-8020", from: ["sg-0123abcd", "sg-0fedcba9"] },
                { name: "a", protocol: ["tcp", "udp"], ports: ["8000-8010", 9000], from: ["sg-0123abcd"] },
            ],
        });
        assert.deepEqual(
            plan.groupFlows.map((f) => `${f.protocol} ${formatRange(f.ports)} ${f.group} ${f.rules.join(",")}`),
            [
                "tcp 8000-8020 sg-0123abcd a,b",
                "tcp 8005-8020 sg-0fedcba9 b",
                "tcp 9000 sg-0123abcd a",
                "udp 8000-8010 sg-0123abcd a",
                "udp 9000 sg-0123abcd a",
            ],
        );
        const ingress = (
            cloudOf("aws").target.map(plan, spec, "wrf").resources as {
                ingress: { name: string; args: { referencedSecurityGroupId?: unknown; description: string } }[];
            }
        ).ingress.filter((r) => r.args.referencedSecurityGroupId);
        assert.deepEqual(
            ingress.map((r) => [r.name, r.args.referencedSecurityGroupId, r.args.description]),
            [
                ["wrf-tcp-8000-8020-sg-0123abcd", "sg-0123abcd", "a, b"],
                ["wrf-tcp-8005-8020-sg-0fedcba9", "sg-0fedcba9", "b"],
                ["wrf-tcp-9000-sg-0123abcd", "sg-0123abcd", "a"],
                ["wrf-udp-8000-8010-sg-0123abcd", "sg-0123abcd", "a"],
                ["wrf-udp-9000-sg-0123abcd", "sg-0123abcd", "a"],
            ],
        );
    });
});

describe("Hetzner: what a firewall applies to, a list that resolves empty, names and splits, mapped without an engine", () => {
    type Firewalls = CloudMapping<{ name: string; args: { rules: unknown; applyTos?: unknown } }[]>;
    const hetzner = (config: Record<string, unknown>, name?: string) =>
        mapped({ cloud: "hetzner", preset: "livekit", ipv6: false, ...config }, name) as Firewalls;

    it("servers by id and label selectors, plain while both are plain, resolved in order when either is late", async () => {
        const plainTo = hetzner({ hetzner: { serverIds: [5, "6"], labelSelectors: ["role=media"] } }).resources[0]!.args.applyTos;
        assert.deepEqual(plainTo, [{ server: 5 }, { server: 6 }, { labelSelector: "role=media" }]);
        assert.deepEqual(hetzner({ hetzner: { serverIds: [5] } }).resources[0]!.args.applyTos, [{ server: 5 }]);
        const lateTo = hetzner({ hetzner: { serverIds: [out(5), 6], labelSelectors: out(["role=media", "env=prod"]) } }).resources[0]!.args
            .applyTos;
        assert.ok(pulumi.Output.isInstance(lateTo));
        assert.deepEqual(await resolved(lateTo), [
            { server: 5 },
            { server: 6 },
            { labelSelector: "role=media" },
            { labelSelector: "env=prod" },
        ]);
    });

    it("a rule whose whole late list resolves empty is left out; one with a late entry stays", async () => {
        const rules = async (from: unknown) =>
            (
                (await resolved(
                    hetzner({ hetzner: { serverIds: [5] }, ports: [{ name: "api", protocol: "tcp", ports: 7880, from }] }).resources[0]!
                        .args.rules,
                )) as { port: string }[]
            ).map((r) => r.port);
        assert.deepEqual(await rules(out([])), ["7881", "50000-60000"]);
        assert.deepEqual(await rules(out(["10.0.0.0/8"])), ["7881", "50000-60000", "7880"]);
        assert.deepEqual(await rules([out("10.0.0.0/8")]), ["7881", "50000-60000", "7880"]);
    });

    it("five firewalls are no problem, their quota says so; a split warns; names fit with the split's suffix", () => {
        const separate = (n: number) => ({
            hetzner: { serverIds: [5] },
            preset: undefined,
            ports: [{ name: "media", protocol: "udp", ports: Array.from({ length: n }, (_, i) => 40000 + 2 * i), from: "10.0.0.0/8" }],
        });
        const five = hetzner(separate(250));
        assert.deepEqual([five.problems, five.quota.at(-1)], [[], { what: "firewalls per server", used: 5, limit: 5 }]);
        assert.deepEqual(hetzner(separate(51)).warnings, [
            "hetzner: 51 rules exceed 50 per firewall: split into 2 firewalls on the same servers (they combine as a union)",
        ]);
        const one = hetzner({ hetzner: { serverIds: [5] } });
        assert.deepEqual(
            [one.warnings, one.quota.map((q) => q.what)],
            [
                [],
                [
                    "rules in wrf-fw (inbound; no outbound rule, so outbound stays open)",
                    "largest source list in one rule",
                    "firewalls per server",
                ],
            ],
        );
        const longest = (config: Record<string, unknown>) =>
            Array.from({ length: 200 }, (_, i) => i + 1)
                .filter((n) => hetzner(config, "a".repeat(n)).problems.length === 0)
                .pop()!;
        const alone = longest({ hetzner: { serverIds: [5] } });
        assert.equal(longest(separate(51)), alone - 9, "split firewalls, named by their content, are nine characters longer (-<8 hex>)");
        assert.match(
            hetzner({ hetzner: { serverIds: [5] } }, "a".repeat(alone + 1)).problems[0]!.message,
            new RegExp(`of at most ${alone} characters$`),
        );
        for (const bad of ["-wrf", "wrf-", "wr f"])
            assert.equal(hetzner({ hetzner: { serverIds: [5] } }, bad).problems[0]?.path, "name", bad);
        assert.deepEqual(hetzner({ hetzner: { serverIds: [5] } }, "w.r_f-1").problems, []);
    });
});

describe("the plan's own lists: late sets, relay peers, sources and flow order", () => {
    const planOf = (config: Record<string, unknown>) => planned({ cloud: "aws", ...config }).plan;

    it("a late set per owner: adminCidrs for every admin rule (names sorted), ports[i].from for a rule's own", () => {
        const p = planOf({
            preset: "reflector",
            presetOptions: { dashboard: true },
            adminCidrs: [out("203.0.113.0/24")],
            ports: [
                { name: "a-admin", protocol: "tcp", ports: 9443, from: "admin" },
                { name: "api", protocol: "tcp", ports: 7880, from: [out("10.0.0.0/8")] },
            ],
        });
        assert.deepEqual(
            p.late.map((s) => [s.owner, s.slug, s.rules, s.entries.map((e) => e.path)]),
            [
                ["adminCidrs", "admin", ["a-admin", "dashboard", "ssh"], ["adminCidrs[0]"]],
                ["ports[1].from", "r-api", ["api"], ["ports[1].from[0]"]],
            ],
        );
    });

    it("relay peers sorted and deduplicated; a rule's sources list its groups after its CIDRs, sorted", () => {
        const relay = planOf({
            preset: "coturn",
            turnRelay: { allowPeers: ["10.0.2.0/24", "10.0.1.0/24"], denyPeers: ["192.0.2.128/25", "100.0.0.0/8"] },
        }).relay!;
        assert.deepEqual(
            [relay.allowPeers, relay.denyPeers],
            [
                ["10.0.1.0/24", "10.0.2.0/24"],
                ["100.0.0.0/8", "192.0.2.128/25"],
            ],
        );
        const rules = planOf({
            preset: "livekit",
            ports: [{ name: "x", protocol: "tcp", ports: 8443, from: ["sg-0fedcba9", "198.51.100.0/24", "sg-0123abcd"] }],
        }).rules.filter((r) => r.name === "x");
        assert.deepEqual(
            rules.map((r) => r.sources),
            [["198.51.100.0/24", "sg-0123abcd", "sg-0fedcba9"]],
        );
    });

    it("flows by protocol, then start, then end, then source", () => {
        const p = planOf({
            ports: [
                { name: "b", protocol: "udp", ports: "40000-40020", from: "10.0.0.0/8" },
                { name: "a", protocol: "udp", ports: "40000-40010", from: "192.0.2.0/24" },
                { name: "c", protocol: "tcp", ports: 9, from: "192.0.2.0/24" },
            ],
        });
        assert.deepEqual(
            p.flows.map((f) => `${f.protocol} ${formatRange(f.ports)} ${f.cidr}`),
            ["tcp 9 192.0.2.0/24", "udp 40000-40010 192.0.2.0/24", "udp 40000-40020 10.0.0.0/8"],
        );
    });
});

describe("update safety in the mappings, exactly (docs/updates.md)", () => {
    it("split batches are named by content; the same content twice is numbered; one batch keeps the plain name", () => {
        const id = (x: string) => x;
        assert.deepEqual(batchNames("fw", [["a"]], id), ["fw"]);
        const [first, second] = batchNames("fw", [["a"], ["b"]], id);
        assert.match(first!, /^fw-[0-9a-f]{8}$/);
        assert.match(second!, /^fw-[0-9a-f]{8}$/);
        assert.notEqual(first, second);
        assert.deepEqual(batchNames("fw", [["a"], ["b"]], id), [first, second], "the same content, the same names");
        const twice = batchNames("fw", [["a"], ["a"], ["a"]], id);
        assert.deepEqual(twice, [twice[0], `${twice[0]}-2`, `${twice[0]}-3`]);
        assert.equal(
            ruleIdentity({ a: out("v"), b: [1, out(2)], c: { d: 2 }, e: null }),
            '{"a":"late","b":[1,"late"],"c":{"d":2},"e":null}',
        );
    });

    it("OCI: an NSG of yours within 10 rules of 120 is warned about, with the room an update has", () => {
        const existing = { oci: { networkSecurityGroupId: "ocid1.networksecuritygroup.oc1.eu-frankfurt-1.aaaaaaaansg" } };
        const full = (n: number) =>
            mapped({
                cloud: "oci",
                ipv6: false,
                ports: [{ name: "m", protocol: "udp", ports: Array.from({ length: n }, (_, i) => 20000 + 3 * i), from: "public" }],
                ...existing,
            }).warnings;
        assert.equal(full(110).filter((w) => w.includes("plan --diff")).length, 0);
        assert.deepEqual(
            full(111).filter((w) => w.includes("plan --diff")),
            [
                "oci: oci.networkSecurityGroupId holds 111 of our rules besides its own: an update creates a changed rule before it deletes the old one, so a change of more than 9 there may pass its 120 rules half-way (what was made stays, nothing closes); `webrtc-firewall plan --diff OLD` shows it before you run it.",
            ],
        );
        assert.equal(
            mapped({
                cloud: "oci",
                ipv6: false,
                ports: [{ name: "m", protocol: "udp", ports: Array.from({ length: 111 }, (_, i) => 20000 + 3 * i), from: "public" }],
            }).warnings.filter((w) => w.includes("plan --diff")).length,
            0,
            "an NSG of ours keeps its own room",
        );
    });

    it("DigitalOcean: the cluster's tag joins a plain tags list as an entry; the warnings and the name problem, word for word", () => {
        const doks = mapped({
            cloud: "digitalocean",
            digitalocean: { tags: ["media"], kubernetesClusterId: "1b8b2100-0e9f-4e8f-ad78-9eb578c2a0af" },
            preset: "coturn",
        });
        const args = (doks.resources as { args: { tags: unknown } }[])[0]!.args;
        assert.ok(Array.isArray(args.tags) && args.tags[0] === "media" && pulumi.Output.isInstance(args.tags[1]));
        assert.deepEqual(mapped({ cloud: "digitalocean", digitalocean: {}, preset: "coturn" }).warnings, [
            "digitalocean: no dropletIds and no tags, so the firewall protects nothing yet; set digitalocean.dropletIds or digitalocean.tags",
        ]);
        assert.deepEqual(messages(mapped({ cloud: "digitalocean", preset: "coturn" }, "_bad")), [
            'name: component name "_bad" makes the firewall name "_bad-fw-…"; ' +
                messages(mapped({ cloud: "digitalocean", preset: "coturn" }, "_bad"))[0]!.split('"_bad-fw-…"; ')[1],
        ]);
        assert.match(
            messages(mapped({ cloud: "digitalocean", preset: "coturn" }, "_bad"))[0]!,
            /and use only letters, digits, "\." and "-" \(API firewall model, pattern/,
        );
    });

    it("Azure: no location key without a location; a refused mapping registers nothing and says nothing else", () => {
        const nsg = (mapped({ cloud: "azure", preset: "coturn" }).resources as { nsg: { args: Record<string, unknown> } }).nsg;
        assert.ok(!("location" in nsg.args));
        const aks = mapped({ cloud: "azure", preset: "coturn", azure: { resourceGroupName: "rg", aks: true } }).resources as {
            asg: { args: Record<string, unknown> };
        };
        assert.ok(!("location" in aks.asg.args));
        const refused = mapped({
            cloud: "azure",
            preset: "coturn",
            adminCidrs: ["203.0.113.0/24"],
            azure: { resourceGroupName: "rg", aks: true },
        });
        assert.deepEqual([refused.warnings, refused.quota, refused.resources], [[], [], { standalone: [] }]);
        assert.ok(refused.problems.length > 0);
    });
});
