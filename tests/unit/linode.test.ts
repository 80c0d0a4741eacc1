/**
 * Linode (Akamai): what the mapping does with Linode's rule model (one rule per protocol and source set, its ports
 * packed 15 pieces at a time, both families in one rule, no outbound rule under outboundPolicy ACCEPT), each limit at
 * and one past its edge (15 pieces, 25 rules, one firewall a Linode), LKE's node rules, the label, and what it governs.
 */
import * as assert from "node:assert/strict";
import type { RecordedResource } from "../../src/cli/mockRun";
import { portStrings, ruleLabel } from "../../src/clouds/linode/target";
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
        assert.match(firewall.warnings.join("\n"), /give the stack output firewallIds \(one id\) to the LKE node pool's firewall_id/);
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
            [ruleLabel("ab"), ruleLabel("tcp-r-x--y__z"), ruleLabel(`udp-${"a".repeat(40)}`)],
            ["ab-in", "tcp-r-x-y-z", `udp-${"a".repeat(28)}`],
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
});
