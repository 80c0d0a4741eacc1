/**
 * Details users see and deployed stacks depend on, pinned so they cannot drift between releases:
 * ForceNew texts, field placement, priorities, names, order, descriptions and the plan's quota lines.
 */
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { parentOf } from "../../src/cli/mockRun";
import { assignPriorities, homePriority } from "../../src/clouds/azure/target";
import { WebRtcFirewall } from "../../src/component/component";
import { AWS_EGRESS, AWS_GROUP, AWS_INGRESS, ipv6Networks, ofType, plan, refuse } from "../helpers";

const rg = { azure: { resourceGroupName: "rg" } };

describe("stability: AWS", () => {
    it("the security group description is a fixed text (ForceNew: changing it replaces the group)", async () => {
        const { resources } = await plan({ cloud: "aws", preset: "coturn" });
        assert.equal(ofType(resources, AWS_GROUP)[0]!.inputs.description, "WebRTC media server firewall, managed by webrtc-firewall");
    });

    it("IPv4 CIDRs go in cidrIpv4 and IPv6 CIDRs in cidrIpv6, for ingress and egress", async () => {
        const { resources } = await plan({
            cloud: "aws",
            ports: [{ name: "m", protocol: "udp", ports: 4000, from: ["192.0.2.0/24", "2001:db8::/32"] }],
        });
        const fields = ofType(resources, AWS_INGRESS).map((r) =>
            Object.keys(r.inputs)
                .filter((k) => k.startsWith("cidr"))
                .concat(String(r.inputs.cidrIpv4 ?? r.inputs.cidrIpv6)),
        );
        assert.deepEqual(fields, [
            ["cidrIpv4", "192.0.2.0/24"],
            ["cidrIpv6", "2001:db8::/32"],
        ]);
        assert.deepEqual(
            ofType(resources, AWS_EGRESS).map((r) => [r.name, r.inputs]),
            [
                [
                    "wrf-egress-ipv4",
                    {
                        ipProtocol: "-1",
                        cidrIpv4: "0.0.0.0/0",
                        description: "webrtc-firewall: all outbound (media to clients, updates)",
                        securityGroupId: "wrf-sg-id",
                    },
                ],
                [
                    "wrf-egress-ipv6",
                    {
                        ipProtocol: "-1",
                        cidrIpv6: "::/0",
                        description: "webrtc-firewall: all outbound (media to clients, updates)",
                        securityGroupId: "wrf-sg-id",
                    },
                ],
            ],
        );
    });

    it("split groups are named and tagged by number; quota lines say the counts", async () => {
        const admins = ipv6Networks(61);
        const { resources, firewall } = await plan({
            cloud: "aws",
            ipv6: false,
            adminCidrs: admins,
            ports: [{ name: "m", protocol: "udp", ports: 4000 }],
        });
        assert.deepEqual(
            ofType(resources, AWS_GROUP).map((g) => [g.name, g.inputs.tags]),
            [
                ["wrf-sg", { Name: "wrf" }],
                ["wrf-sg-2", { Name: "wrf-2" }],
            ],
        );
        assert.deepEqual(firewall.quota, [
            { what: "IPv4 inbound rules (55 per group, 5 of 60 kept free for updates, 2 groups)", used: 1, limit: 110 },
            { what: "IPv6 inbound rules (55 per group, 5 of 60 kept free for updates, 2 groups)", used: 61, limit: 110 },
            { what: "security groups per network interface", used: 2, limit: 5 },
        ]);
    });

    it("too many IPv6 rules name IPv6 in the error", () => {
        const admins = ipv6Networks(301);
        const lines = refuse({ cloud: "aws", ipv6: false, adminCidrs: admins, ports: [{ name: "m", protocol: "udp", ports: 4000 }] });
        assert.match(lines[0]!, /^ports: AWS needs 301 IPv6 inbound rules/);
    });

    it("descriptions name every rule behind a merged flow, sorted, and only those", async () => {
        const { resources } = await plan({
            cloud: "aws",
            ipv6: false,
            ports: [
                { name: "b", protocol: "tcp", ports: [2000], description: "B" },
                { name: "a", protocol: "tcp", ports: [1000, 2000], description: "A" },
            ],
        });
        assert.deepEqual(
            ofType(resources, AWS_INGRESS).map((r) => [r.inputs.fromPort, r.inputs.description]),
            [
                [1000, "a: A"],
                [2000, "a, b"],
            ],
        );
    });

    it("a description longer than 255 characters is cut with an ellipsis", async () => {
        const { resources } = await plan({
            cloud: "aws",
            ipv6: false,
            ports: [
                { name: "a", protocol: "tcp", ports: 1000, description: "x".repeat(200) },
                { name: "b".repeat(40), protocol: "tcp", ports: 1000 },
                { name: "c".repeat(40), protocol: "tcp", ports: 1000 },
                { name: "d".repeat(40), protocol: "tcp", ports: 1000 },
                { name: "e".repeat(40), protocol: "tcp", ports: 1000 },
                { name: "f".repeat(40), protocol: "tcp", ports: 1000 },
                { name: "g".repeat(40), protocol: "tcp", ports: 1000 },
                { name: "h".repeat(40), protocol: "tcp", ports: 1000 },
            ],
        });
        const description = ofType(resources, AWS_INGRESS)[0]!.inputs.description as string;
        assert.equal(description.length, 255);
        assert.ok(description.startsWith("a, bbbb") && description.endsWith("..."));
    });
});

describe("stability: every cloud parents its resources to the component", () => {
    for (const [cloud, extra] of [
        ["gcp", {}],
        ["digitalocean", {}],
        ["azure", rg],
    ] as const) {
        it(cloud, async () => {
            const { resources } = await plan({ cloud, preset: "jitsi", ...extra }, "media");
            assert.ok(resources.length > 1);
            for (const r of resources.slice(1)) assert.match(parentOf.get(r.name) ?? "", /WebRtcFirewall::media$/, r.name);
        });
    }
});

describe("stability: GCP", () => {
    it("quota lines, and the warning for a network given as an Output", async () => {
        const { firewall } = await plan({ cloud: "gcp", preset: "jitsi", gcp: { network: pulumi.output("net") } });
        assert.deepEqual(firewall.quota, [
            { what: "largest source range list in one rule", used: 1, limit: 5000 },
            { what: "longest logical name (auto-named, 55 max)", used: 22, limit: 55 },
        ]);
        assert.match(firewall.warnings[0]!, /every instance in network "\(given\)"/);
    });

    it("one-letter component names are fine; names with characters GCP refuses are not", async () => {
        await plan({ cloud: "gcp", preset: "jitsi" }, "m");
        assert.throws(() => new WebRtcFirewall("media_x", { cloud: "gcp", preset: "jitsi" }), /GCP needs lowercase letters/);
        assert.throws(() => new WebRtcFirewall("media-", { cloud: "gcp", preset: "jitsi" }), /GCP needs lowercase letters/);
    });
});

describe("stability: DigitalOcean", () => {
    it("inbound rules are ordered by protocol then port; a component name DigitalOcean cannot take is refused", async () => {
        const config = {
            cloud: "digitalocean",
            ipv6: false,
            digitalocean: { dropletIds: [7] },
            ports: [
                { name: "u", protocol: "udp", ports: [5000, "4000-4100"] },
                { name: "t", protocol: "tcp", ports: [9000, 80] },
            ],
        };
        const { resources } = await plan(config, "my-media");
        const [fw] = ofType(resources, "digitalocean:index/firewall:Firewall");
        assert.equal(fw!.name, "my-media-fw");
        assert.equal(fw!.inputs.name, undefined, "auto-named by Pulumi");
        assert.deepEqual(
            (fw!.inputs.inboundRules as any[]).map((r) => `${r.protocol} ${r.portRange}`),
            ["tcp 80", "tcp 9000", "udp 4000-4100", "udp 5000"],
        );
    });

    it("dropletIds alone or tags alone attach the firewall: no warning; quota lines", async () => {
        for (const digitalocean of [{ dropletIds: [7] }, { tags: ["m"] }]) {
            const { firewall } = await plan({ cloud: "digitalocean", preset: "jitsi", digitalocean });
            assert.deepEqual(firewall.warnings, []);
            assert.deepEqual(firewall.quota, [
                { what: "rules in wrf-fw (inbound + outbound)", used: 6, limit: 50 },
                { what: "largest source list in one rule", used: 2, limit: 1000 },
            ]);
        }
    });
});

describe("stability: Azure", () => {
    it("priorities are a fixed function of the rule name (upgrades must not renumber deployed rules)", () => {
        assert.deepEqual(
            ["tcp-v4-public", "tcp-v6-public", "udp-v4-public", "udp-v6-public", "tcp-v4-admin", "tcp-v6-admin"].map(homePriority),
            [1242, 2906, 3709, 3374, 3773, 747],
        );
    });

    it("a collision at 4096 wraps around to 100", () => {
        const at4096: string[] = [];
        for (let i = 0; at4096.length < 2; i++) if (homePriority(`rule-${i}`) === 4096) at4096.push(`rule-${i}`);
        assert.deepEqual(
            [...assignPriorities(at4096).values()].sort((a, b) => a - b),
            [100, 4096],
        );
    });

    it("rules are listed by priority, without location unless given, with no warnings; quota lines", async () => {
        const { resources, firewall } = await plan({
            cloud: "azure",
            preset: "livekit",
            adminCidrs: ["192.0.2.0/24", "198.51.100.0/24"],
            ...rg,
        });
        const nsg = ofType(resources, "azure-native:network:NetworkSecurityGroup")[0]!;
        const priorities = (nsg.inputs.securityRules as any[]).map((r) => r.priority);
        assert.deepEqual(
            priorities,
            [...priorities].sort((a, b) => a - b),
        );
        assert.ok(!("location" in nsg.inputs));
        assert.deepEqual(firewall.warnings, []);
        assert.deepEqual(firewall.quota, [
            { what: "security rules per NSG", used: 5, limit: 1000 },
            { what: "source prefixes per NSG (all rules)", used: 6, limit: 4000 },
        ]);
    });
});
