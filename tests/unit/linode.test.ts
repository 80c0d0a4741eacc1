/**
 * Linode (Akamai): what the mapping does with Linode's rule model (one rule per protocol and source set, its ports
 * packed 15 pieces at a time, both families in one rule, no outbound rule under outboundPolicy ACCEPT), each limit at
 * and one past its edge (15 pieces, 25 rules, one firewall a Linode), LKE's node rules, the label, and what it governs.
 */
import * as assert from "node:assert/strict";
import type { RecordedResource } from "../../src/cli/mockRun";
import * as pulumi from "@pulumi/pulumi";
import { LKE_WARNING, mapLinode, portStrings, ruleLabel } from "../../src/clouds/linode/target";
import { parentOf } from "../../src/cli/mockRun";
import { scanLate, validateConfig } from "../../src/pipeline/validate";
import { planRules } from "../../src/plan/plan";
import { readLinode } from "../../src/clouds/linode/policy";
import { evaluatorFor } from "../conformance";
import { late, ofType, plan, planLate, refuse } from "../helpers";
import { providerProblems } from "../providers/validators";

const FIREWALL = "linode:index/firewall:Firewall";
const inboundsOf = (resources: RecordedResource[]) =>
    ofType(resources, FIREWALL).flatMap((f) => f.inputs.inbounds as Record<string, any>[]);
const show = (r: Record<string, any>) =>
    `${r.label} ${r.protocol} ${r.ports ?? "all"} ${[...(r.ipv4s ?? []), ...(r.ipv6s ?? [])].join(",")}`;
/** `count` rules on separate UDP ports (3 apart, never adjacent), each open to the world. */
const separatePorts = (count: number, from: unknown = "public") =>
    Array.from({ length: count }, (_, i) => ({ name: `p${i}`, protocol: "udp", ports: 20000 + 3 * i, from }));

describe("Linode Cloud Firewalls", function () {
    this.timeout(60_000);

    it("livekit: one firewall, DROP in and ACCEPT out, a rule per protocol and source set with both families, governing the Linodes", async () => {
        const { resources, firewall } = await plan({
            cloud: "linode",
            preset: "livekit",
            presetOptions: { turn: true },
            adminCidrs: ["203.0.113.0/24", "2001:db8::/48"],
            linode: { linodeIds: [41234567, "41234568"], nodeBalancerIds: [512345] },
        });
        const [fw, ...others] = ofType(resources, FIREWALL);
        assert.equal(others.length, 0, "a Linode takes one enabled firewall");
        assert.deepEqual(
            { ...fw!.inputs, inbounds: undefined },
            {
                label: "wrf",
                inboundPolicy: "DROP",
                outboundPolicy: "ACCEPT",
                inbounds: undefined,
                linodes: [41234567, 41234568],
                nodebalancers: [512345],
                tags: ["webrtc-firewall"],
            },
        );
        assert.deepEqual(inboundsOf(resources).map(show), [
            "tcp-admin TCP 22 203.0.113.0/24,2001:db8::/48",
            "tcp-public TCP 5349, 7881 0.0.0.0/0,::/0",
            "udp-public UDP 3478, 50000-60000 0.0.0.0/0,::/0",
        ]);
        assert.ok(inboundsOf(resources).every((r) => r.action === "ACCEPT"));
        assert.equal(fw!.inputs.outbounds, undefined, "no outbound rule: outboundPolicy ACCEPT lets the server send anywhere");
        assert.deepEqual(firewall.warnings, [
            "linode: a NodeBalancer keeps only the inbound rules, and sees the client's address; its backends see the NodeBalancer's",
            "linode: the firewall's label is the component's name, and labels are unique in the account: a second stack of this program in the same account needs its own linode.firewallLabel (now \"wrf\")",
        ]);
        const allowed = evaluatorFor("linode", resources);
        assert.ok(allowed({ direction: "out", protocol: "udp", port: 50000, address: "198.51.100.1" }), "egress works");
        assert.ok(allowed({ direction: "in", protocol: "tcp", port: 22, address: "2001:db8::1" }));
        assert.ok(!allowed({ direction: "in", protocol: "tcp", port: 22, address: "198.51.100.1" }));
        assert.ok(!allowed({ direction: "in", protocol: "udp", port: 7881, address: "198.51.100.1" }));
        assert.deepEqual(providerProblems(resources), []);
    });

    it("ports: 15 pieces in one rule, a range counting two; the 16th starts another rule of the same sources", () => {
        const ports = (n: number) => Array.from({ length: n }, (_, i) => ({ from: 1000 + 10 * i, to: 1000 + 10 * i }));
        assert.deepEqual(portStrings(ports(15)).length, 1);
        assert.deepEqual(
            portStrings(ports(16)).map((s) => s.split(", ").length),
            [15, 1],
        );
        const ranges = Array.from({ length: 8 }, (_, i) => ({ from: 2000 + 10 * i, to: 2005 + 10 * i }));
        assert.deepEqual(portStrings([...ranges.slice(0, 7), { from: 3000, to: 3000 }]), [
            "2000-2005, 2010-2015, 2020-2025, 2030-2035, 2040-2045, 2050-2055, 2060-2065, 3000",
        ]);
        assert.deepEqual(portStrings(ranges), ["2000-2005, 2010-2015, 2020-2025, 2030-2035, 2040-2045, 2050-2055, 2060-2065", "2070-2075"]);
    });

    it("rules: 25 in the firewall, 26 refused with the counts (a Linode takes one firewall, so nothing is split)", async () => {
        const own = (n: number) => separatePorts(n).map((r, i) => ({ ...r, from: [`10.0.${i}.0/24`] }));
        const at = await plan({ cloud: "linode", ipv6: false, ports: own(25), linode: { linodeIds: [1] } });
        assert.equal(inboundsOf(at.resources).length, 25);
        assert.deepEqual(providerProblems(at.resources), []);
        assert.deepEqual(refuse({ cloud: "linode", ipv6: false, ports: own(26) }), [
            "ports: Linode needs 26 inbound rules (one per protocol and source set, 15 port pieces each, a range counting two), more than the 25 a firewall holds, and a Linode takes one firewall (Linode API): use port ranges, fewer separate ports or fewer distinct source sets",
        ]);
        // One source set packs 15 ports a rule: 375 separate public ports are 25 rules.
        assert.equal(inboundsOf((await plan({ cloud: "linode", ports: separatePorts(375) })).resources).length, 25);
        assert.equal(refuse({ cloud: "linode", ports: separatePorts(376) }).length, 1);
    });

    it("LKE: the nodes' own rules from the cluster's private network, counted against the 25; a NodeBalancer in front refused with the reason", async () => {
        const { resources, firewall } = await plan({ cloud: "linode", preset: "coturn", linode: { lkeClusterId: 123456 } });
        assert.deepEqual(inboundsOf(resources).slice(-3).map(show), [
            "lke-tcp TCP 53, 179, 10250, 10256 192.168.128.0/17",
            "lke-udp UDP 53, 51820 192.168.128.0/17",
            "lke-ipencap IPENCAP all 192.168.128.0/17",
        ]);
        assert.equal(ofType(resources, FIREWALL)[0]!.inputs.linodes, undefined);
        assert.match(firewall.warnings.join("\n"), /LKE: give output firewallIds \(one id\) to the node pool's firewall_id/);
        assert.match(firewall.warnings.join("\n"), /cloud-firewall-controller, if installed, puts its own firewall on them/);
        assert.deepEqual(providerProblems(resources), []);
        const own = (n: number) => separatePorts(n).map((r, i) => ({ ...r, from: [`10.0.${i}.0/24`] }));
        assert.equal(
            inboundsOf((await plan({ cloud: "linode", ipv6: false, ports: own(22), linode: { lkeClusterId: 1 } })).resources).length,
            25,
        );
        assert.match(
            refuse({ cloud: "linode", ipv6: false, ports: own(23), linode: { lkeClusterId: 1 } })[0]!,
            /^ports: Linode needs 26 inbound rules \(3 of them LKE's own\)/,
        );
        assert.deepEqual(
            refuse({
                cloud: "linode",
                preset: "coturn",
                linode: { lkeClusterId: 1, nodeBalancerIds: [2] },
                kubernetes: { exposure: "loadBalancer" },
            }),
            [
                "kubernetes.exposure: is loadBalancer: LKE's LoadBalancer Services are NodeBalancers, which proxy: packets reach the nodes from 192.168.255.0/24, not the client's address (Akamai, LKE network and firewall details), so no node rule can keep them to the spec's sources; keep those at the NodeBalancer (its own firewall, linode.nodeBalancerIds) and use exposure: hostNetwork or nodePort for media",
                "linode.nodeBalancerIds: is set together with linode.lkeClusterId; the node pool's firewall holds LKE's node rules, which a NodeBalancer does not need: give the NodeBalancers a firewall of their own (another component)",
            ],
        );
    });

    it("an existing firewall is refused with the reason and the way out; ids and labels are checked like the other clouds' ids", () => {
        assert.deepEqual(
            refuse({
                cloud: "linode",
                preset: "coturn",
                linode: { firewallId: 1234567, linodeIds: [0, "x"], firewallLabel: "a--b", lable: 1 },
            }),
            [
                "linode.linodeIds[0]: 0 is not a Linode id; use the numeric id (a whole number from 1 to 9007199254740991), e.g. 41234567",
                'linode.linodeIds[1]: "x" is not a Linode id; use the numeric id (a whole number from 1 to 9007199254740991), e.g. 41234567',
                'linode.firewallLabel: "a--b" is not a Linode firewall label; use 3-32 letters, digits, "-", "_" or ".", beginning with a letter, ending with a letter or digit, no two of "-", "_", "." in a row, e.g. "media-fw"',
                'linode.lable: unknown key "lable"; valid keys here: linodeIds, nodeBalancerIds, firewallLabel, lkeClusterId, firewallId',
            ],
        );
        assert.deepEqual(refuse({ cloud: "linode", preset: "coturn", linode: { firewallId: 1234567 } }), [
            "linode.firewallId: Linode keeps a firewall's rules as one set with no separate rule resource (terraform-provider-linode #625, #1606), and a Linode takes one enabled firewall, so rules cannot be added to a firewall the component does not own: remove firewallId, give the servers as linode.linodeIds and detach the old firewall from them; put any rules of it you still need in ports",
        ]);
    });

    it("label: the component's name when it is one, 3 and 32 characters fit, 33 and a leading digit are refused with the fix", async () => {
        for (const name of ["abc", "a".repeat(32), "media.fw_1-x"])
            assert.equal(ofType((await plan({ cloud: "linode", preset: "coturn" }, name)).resources, FIREWALL)[0]!.inputs.label, name);
        for (const name of ["ab", "a".repeat(33), "9media", "media-", "me--dia"])
            assert.deepEqual(refuse({ cloud: "linode", preset: "coturn" }, name), [
                `name: component name "${name}" is the firewall's label, which Linode takes as 3-32 letters, digits, "-", "_" or ".", beginning with a letter and ending with a letter or digit: set linode.firewallLabel, e.g. "media-fw"`,
            ]);
        const named = await plan({ cloud: "linode", preset: "coturn", linode: { firewallLabel: "media-fw" } }, "9bad");
        assert.equal(ofType(named.resources, FIREWALL)[0]!.inputs.label, "media-fw");
        assert.doesNotMatch(named.firewall.warnings.join("\n"), /labels are unique/, "a label of the user's own needs no warning");
        assert.deepEqual(
            [ruleLabel("tcp r/x"), ruleLabel("tcp-r-x--y__z"), ruleLabel(`udp-${"a".repeat(40)}`), ruleLabel(`udp-${"a".repeat(27)}-bbbb`)],
            ["tcp-r-x", "tcp-r-x-y-z", `udp-${"a".repeat(28)}`, `udp-${"a".repeat(27)}`],
            "no character Linode refuses, no two of - _ . in a row, 32 at most and never ending in one",
        );
    });

    it("sources from other resources: one rule per protocol, split by family once resolved, a family with none left out", async () => {
        const run = await planLate({
            cloud: "linode",
            adminCidrs: [late("203.0.113.7/32")],
            ports: [
                { name: "api", protocol: ["tcp", "udp"], ports: [7880, "9000-9001"], from: late(["10.0.0.0/8", "2001:db8::/32"]) },
                { name: "v6", protocol: "tcp", ports: 8443, from: late(["2001:db8:1::/48"]) },
            ],
            linode: { linodeIds: [late(41234567)] },
        });
        assert.equal(run.error, undefined, run.error?.message);
        assert.deepEqual(inboundsOf(run.resources).map(show), [
            "tcp-admin TCP 22 203.0.113.7/32",
            "tcp-r-api TCP 7880, 9000-9001 10.0.0.0/8,2001:db8::/32",
            "udp-r-api UDP 7880, 9000-9001 10.0.0.0/8,2001:db8::/32",
            "tcp-r-v6 TCP 8443 2001:db8:1::/48",
        ]);
        assert.equal(inboundsOf(run.resources)[0]!.ipv6s, undefined);
        assert.equal(inboundsOf(run.resources)[3]!.ipv4s, undefined);
        assert.deepEqual(ofType(run.resources, FIREWALL)[0]!.inputs.linodes, [41234567]);
        assert.deepEqual(providerProblems(run.resources), []);
    });

    it("ids from other resources are checked as strictly once they resolve: a bad one fails, and no firewall carries it", async () => {
        const run = await planLate({ cloud: "linode", preset: "coturn", linode: { linodeIds: [late(0)], lkeClusterId: late("x") } });
        assert.deepEqual(
            run.error?.problems.map((p) => `${p.path}: ${p.message}`),
            refuse({ cloud: "linode", preset: "coturn", linode: { linodeIds: [0], lkeClusterId: "x" } }),
        );
        assert.deepEqual(ofType(run.resources, FIREWALL), []);
    });

    it("the evaluator and the policy pack's reader can fail: the first matching rule decides, and inboundPolicy ACCEPT opens everything", () => {
        const fw = (inputs: Record<string, unknown>) => [
            { type: FIREWALL, name: "x", inputs: { inboundPolicy: "DROP", outboundPolicy: "ACCEPT", ...inputs } },
        ];
        const drop = { label: "no", action: "DROP", protocol: "TCP", ports: "22", ipv4s: ["198.51.100.0/24"] };
        const accept = { label: "yes", action: "ACCEPT", protocol: "TCP", ports: "22", ipv4s: ["0.0.0.0/0"] };
        const inFrom = (address: string) => ({ direction: "in" as const, protocol: "tcp" as const, port: 22, address });
        assert.equal(evaluatorFor("linode", fw({ inbounds: [drop, accept] }))(inFrom("198.51.100.1")), false);
        assert.equal(evaluatorFor("linode", fw({ inbounds: [accept, drop] }))(inFrom("198.51.100.1")), true);
        assert.equal(
            evaluatorFor("linode", fw({ inboundPolicy: "ACCEPT" }))({ ...inFrom("198.51.100.1"), protocol: "udp", port: 9 }),
            true,
        );
        assert.equal(evaluatorFor("linode", fw({ outboundPolicy: "DROP" }))({ ...inFrom("198.51.100.1"), direction: "out" }), false);
        const reading = readLinode(FIREWALL, "urn:x", { inboundPolicy: "ACCEPT", outboundPolicy: "DROP", inbounds: [drop] })!;
        assert.deepEqual(
            reading.ingress.map((r) => [r.label, r.action, r.priority, r.protocols, r.ports, r.sources.map((s) => s.text)]),
            [
                ["inbounds[0]", "deny", 0, ["tcp"], [{ from: 22, to: 22 }], ["198.51.100.0/24"]],
                ["inboundPolicy", "allow", 1, ["tcp", "udp"], [{ from: 1, to: 65535 }], ["inboundPolicy ACCEPT"]],
            ],
        );
        assert.equal(reading.egressRules, 0, "outboundPolicy DROP with no outbound ACCEPT sends nothing");
        assert.equal(readLinode(FIREWALL, "urn:x", { outboundPolicy: "ACCEPT" })!.egressRules, 1);
    });

    describe("exactly", () => {
        /** The mapping of `config` without an engine, its Outputs scanned as the component scans them. */
        const mapped = (config: Record<string, unknown>) => {
            const v = validateConfig(scanLate({ cloud: "linode", ...config }).args);
            assert.deepEqual(v.problems, []);
            return mapLinode(planRules(v.spec!), v.spec as Parameters<typeof mapLinode>[1], "wrf");
        };
        const resolved = <T>(value: pulumi.Input<T>) => new Promise<T>((resolve) => pulumi.output(value).apply((v) => resolve(v as T)));

        it("labels name each rule's protocol and source set, per family, numbered when its ports go on in another rule", async () => {
            const m = mapped({
                adminCidrs: ["203.0.113.0/24", "2001:db8:1::/48"],
                ports: [
                    { name: "mixed", protocol: "tcp", ports: 7000, from: ["10.0.0.0/8", "2001:db8::/32"] },
                    { name: "v6only", protocol: "tcp", ports: 7100, from: ["2001:db8:9::/48"] },
                    ...separatePorts(16),
                    { name: "adm", protocol: "udp", ports: 9000, from: "admin" },
                ],
            });
            const labels = ((await resolved(m.resources[0]!.args.inbounds)) as { label: string }[]).map((r) => r.label);
            assert.deepEqual(
                labels.map((l) => l.replace(/src-[0-9a-f]{8}/g, "src-<hash>")),
                ["tcp-admin", "tcp-src-<hash>-src-<hash>", "tcp-src-<hash>", "udp-admin", "udp-public-1", "udp-public-2"],
            );
            assert.notEqual(labels[1]!.split("-src-")[1], labels[2]!.replace("tcp-src-", ""), "the IPv6 set has a name of its own");
        });

        it("a late set whose ports go on in another rule is numbered; plain lists stay plain, so a preview shows them", async () => {
            const many = Array.from({ length: 16 }, (_, i) => 20000 + 3 * i);
            const late = mapped({ ports: [{ name: "x", protocol: "udp", ports: many, from: [pulumi.output("10.0.0.0/8")] }] });
            assert.ok(pulumi.Output.isInstance(late.resources[0]!.args.inbounds));
            const rules = (await resolved(late.resources[0]!.args.inbounds)) as unknown as Record<string, unknown>[];
            assert.deepEqual(
                rules.map((r) => [r.label, (r.ports as string).split(", ").length]),
                [
                    ["udp-r-x-1", 15],
                    ["udp-r-x-2", 1],
                ],
            );
            const plain = mapped({ preset: "coturn", linode: { lkeClusterId: 1 } });
            assert.ok(Array.isArray(plain.resources[0]!.args.inbounds), "LKE's own rules are known: the list stays plain");
        });

        it("LKE's rules, exactly: no ports key where Linode refuses one, each described", () => {
            const m = mapped({ preset: "coturn", ipv6: false, linode: { lkeClusterId: 1 } });
            const rules = m.resources[0]!.args.inbounds as unknown as Record<string, unknown>[];
            assert.deepEqual(rules.slice(-3), [
                {
                    label: "lke-tcp",
                    action: "ACCEPT",
                    protocol: "TCP",
                    ports: "53, 179, 10250, 10256",
                    ipv4s: ["192.168.128.0/17"],
                    description: "LKE: cluster DNS, Calico BGP, kubelet health checks",
                },
                {
                    label: "lke-udp",
                    action: "ACCEPT",
                    protocol: "UDP",
                    ports: "53, 51820",
                    ipv4s: ["192.168.128.0/17"],
                    description: "LKE: cluster DNS, WireGuard tunnel for kubectl proxy",
                },
                {
                    label: "lke-ipencap",
                    action: "ACCEPT",
                    protocol: "IPENCAP",
                    ipv4s: ["192.168.128.0/17"],
                    description: "LKE: Calico IP-in-IP between nodes",
                },
            ]);
            assert.deepEqual(m.warnings, [
                LKE_WARNING,
                "linode: the firewall's label is the component's name, and labels are unique in the account: a second stack of this program in the same account needs its own linode.firewallLabel (now \"wrf\")",
            ]);
            assert.equal(
                LKE_WARNING,
                "linode: LKE: give output firewallIds (one id) to the node pool's firewall_id (LKE API, terraform-provider-linode 3.8+); until then the firewall governs nothing. Nodes listed in linode.linodeIds lose it when the pool recycles or autoscales them, and LKE's cloud-firewall-controller, if installed, puts its own firewall on them (a Linode takes one): remove it first",
            );
        });

        it("a late rule whose addresses resolve to none is left out (Linode refuses a rule without addresses)", async () => {
            const m = mapped({
                ports: [
                    { name: "x", protocol: "tcp", ports: 7000, from: pulumi.output([]) },
                    { name: "y", protocol: "tcp", ports: 7001 },
                ],
            });
            const rules = (await resolved(m.resources[0]!.args.inbounds)) as { label: string }[];
            assert.deepEqual(
                rules.map((r) => r.label),
                ["tcp-public"],
            );
        });

        it("the firewall is the component's child, and its id is the output", async () => {
            const { firewall } = await plan({ cloud: "linode", preset: "coturn", linode: { linodeIds: [1] } });
            assert.equal(parentOf.get("wrf-fw"), await resolved(firewall.urn));
            assert.deepEqual(await resolved(firewall.firewallIds as pulumi.Output<string[]>), ["wrf-fw-id"]);
        });
    });
});
