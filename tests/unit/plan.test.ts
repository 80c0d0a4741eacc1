import * as assert from "node:assert/strict";
import { isComponent } from "../../src/cli/mockRun";
import { AWS_INGRESS, awsIngress, ipv4Networks, ofType, plan, refuse, itAtScale } from "../helpers";

const rule = (name: string, protocol: string | string[], ports: unknown, from?: unknown) => ({
    name,
    protocol,
    ports,
    ...(from ? { from } : {}),
});

describe("normalization", () => {
    it("merges overlapping and adjacent ranges of one protocol and source", async () => {
        const { resources } = await plan({
            cloud: "aws",
            ipv6: false,
            ports: [
                rule("a", "udp", ["10000-10010", "10005-10020"]),
                rule("b", "udp", 10021),
                rule("c", "udp", 10023),
                rule("d", "tcp", 10021),
            ],
        });
        assert.deepEqual(awsIngress(resources), ["tcp 10021 0.0.0.0/0", "udp 10000-10021 0.0.0.0/0", "udp 10023 0.0.0.0/0"]);
        const merged = ofType(resources, AWS_INGRESS).find((r) => r.inputs.fromPort === 10000)!;
        assert.equal(merged.inputs.description, "a, b");
    });

    it("drops duplicate CIDRs and bare-address spellings of the same host", async () => {
        const { resources } = await plan({
            cloud: "aws",
            adminCidrs: ["198.51.100.7", "198.51.100.7/32", "2001:db8::1", "2001:DB8:0::1/128"],
            ports: [rule("a", "tcp", 9000, "admin")],
        });
        assert.deepEqual(awsIngress(resources), [
            "tcp 22 198.51.100.7/32",
            "tcp 22 2001:db8::1/128",
            "tcp 9000 198.51.100.7/32",
            "tcp 9000 2001:db8::1/128",
        ]);
    });

    it("drops a source where a containing source already opens the same ports, and keeps what it adds", async () => {
        const { resources } = await plan({
            cloud: "aws",
            ipv6: false,
            ports: [rule("web", "tcp", [443, 8443]), rule("office", "tcp", ["443", "8000-8443"], ["10.1.0.0/16", "10.0.0.0/8"])],
        });
        assert.deepEqual(awsIngress(resources), ["tcp 443 0.0.0.0/0", "tcp 8000-8442 10.0.0.0/8", "tcp 8443 0.0.0.0/0"]);
    });

    it("[udp, tcp] opens both protocols", async () => {
        const { resources } = await plan({ cloud: "aws", ipv6: false, ports: [rule("turn", ["udp", "tcp"], 3478)] });
        assert.deepEqual(awsIngress(resources), ["tcp 3478 0.0.0.0/0", "udp 3478 0.0.0.0/0"]);
    });

    it("a rule named like a preset rule replaces it entirely; enabled: false removes it", async () => {
        const { resources } = await plan({
            cloud: "aws",
            ipv6: false,
            preset: "livekit",
            ports: [rule("rtc-udp", "udp", "51000-52000", ["192.0.2.0/24"]), { name: "rtc-tcp", enabled: false }],
        });
        assert.deepEqual(awsIngress(resources), ["udp 51000-52000 192.0.2.0/24"]);
    });
});

describe("naming: resource names come from what a rule is", () => {
    const base = {
        cloud: "aws",
        preset: "livekit",
        presetOptions: { turn: true },
        adminCidrs: ["203.0.113.0/24", "2001:db8:1234::/48", "198.51.100.9"],
        ports: [rule("metrics", "tcp", 9090, "admin"), rule("whip", "tcp", [8080, "8443"], ["192.0.2.0/24"])],
    };

    it("reordering ports and adminCidrs plans identical resources and inputs", async () => {
        const a = await plan(base);
        const b = await plan({ ...base, adminCidrs: [...base.adminCidrs].reverse(), ports: [...base.ports].reverse() });
        assert.deepEqual(b.resources, a.resources);
    });

    it("adding a rule adds only its own resources and changes no other input", async () => {
        const a = await plan(base);
        const b = await plan({ ...base, ports: [...base.ports, rule("recorder", "udp", "30000-30100")] });
        const before = new Map(a.resources.filter((r) => !isComponent(r)).map((r) => [r.name, r]));
        const added = b.resources.filter((r) => !isComponent(r) && !before.has(r.name));
        assert.deepEqual(added.map((r) => r.name).sort(), ["wrf-udp-30000-30100-0.0.0.0/0", "wrf-udp-30000-30100-__/0"]);
        for (const [name, r] of before)
            assert.deepEqual(
                b.resources.find((x) => x.name === name),
                r,
                `${name} unchanged`,
            );
    });

    it("names ingress rules by protocol, ports and CIDR, with no '::' in any name", async () => {
        const { resources } = await plan(base);
        const names = ofType(resources, AWS_INGRESS).map((r) => r.name);
        assert.ok(names.includes("wrf-tcp-9090-2001_db8_1234__/48"));
        assert.ok(names.includes("wrf-udp-50000-60000-0.0.0.0/0"));
        assert.ok(names.every((n) => !n.includes("::")));
    });
});

describe("AWS quota: 60 inbound rules per family per group (5 kept free in ours), 5 groups", () => {
    const manyAdmins = ipv4Networks;

    it("55 IPv4 rules fit one group, 5 of its 60 kept free for an update's creates", async () => {
        // ssh from 54 admin CIDRs + 1 public rule (ipv6 off) = 55 IPv4 rules
        const { resources, firewall } = await plan({
            cloud: "aws",
            ipv6: false,
            adminCidrs: manyAdmins(54),
            ports: [rule("media", "udp", "40000-41000")],
        });
        assert.equal(ofType(resources, "aws:ec2/securityGroup:SecurityGroup").length, 1);
        assert.deepEqual(firewall.quota[0], {
            what: "IPv4 inbound rules (55 per group, 5 of 60 kept free for updates, 1 group)",
            used: 55,
            limit: 55,
        });
    });

    it("56 IPv4 rules spread over two groups, each at most 55, and both ids are exported", async () => {
        const { resources, firewall } = await plan({
            cloud: "aws",
            ipv6: false,
            adminCidrs: manyAdmins(55),
            ports: [rule("media", "udp", "40000-41000")],
        });
        const groups = ofType(resources, "aws:ec2/securityGroup:SecurityGroup").map((g) => g.name);
        assert.deepEqual(groups, ["wrf-sg", "wrf-sg-2"]);
        const perGroup = new Map<unknown, number>();
        for (const r of ofType(resources, AWS_INGRESS))
            perGroup.set(r.inputs.securityGroupId, (perGroup.get(r.inputs.securityGroupId) ?? 0) + 1);
        assert.deepEqual([...perGroup.entries()].sort(), [
            ["wrf-sg-2-id", 1],
            ["wrf-sg-id", 55],
        ]);
        const ids = await new Promise((resolve) => firewall.securityGroupIds!.apply(resolve));
        assert.deepEqual(ids, ["wrf-sg-id", "wrf-sg-2-id"]);
    });

    itAtScale("275 IPv4 rules fit five groups; 276 is a config error", async () => {
        const five = await plan({ cloud: "aws", ipv6: false, adminCidrs: manyAdmins(274), ports: [rule("media", "udp", "40000-41000")] });
        assert.equal(ofType(five.resources, "aws:ec2/securityGroup:SecurityGroup").length, 5);
        const lines = refuse({ cloud: "aws", ipv6: false, adminCidrs: manyAdmins(275), ports: [rule("media", "udp", "40000-41000")] });
        assert.equal(lines.length, 1);
        assert.match(
            lines[0]!,
            /^ports: AWS needs 276 IPv4 inbound rules .* more than 5 security groups × 55 rules \(60 each, 5 kept free for updates\)/,
        );
    });
});
