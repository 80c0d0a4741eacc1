/**
 * The policy pack's guards over every firewall resource type of the five clouds, with the validation
 * args @pulumi/policy builds (tests/policy/harness.ts). The real analyzer over gRPC is in policyPack.test.ts.
 */
import { strict as assert } from "node:assert";
import { REFUSED } from "./fixtures/hostile";
import { runResource, runStack, UNKNOWN, urn, type TestResource, type Violation } from "./policy/harness";

const ADMIN = "admin-ports-not-from-world";
const ADMIN_UNION = "admin-ports-not-from-world-combined";
const DANGEROUS = "dangerous-services-not-from-world";
const DANGEROUS_UNION = "dangerous-services-not-from-world-combined";
const SPELLING = "world-by-another-spelling";
const EGRESS = "media-egress-not-starved";

const T = {
    sg: "aws:ec2/securityGroup:SecurityGroup",
    sgRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    gcp: "gcp:compute/firewall:Firewall",
    gcpNetwork: "gcp:compute/network:Network",
    doFirewall: "digitalocean:index/firewall:Firewall",
    nsg: "azure-native:network:NetworkSecurityGroup",
    azureRule: "azure-native:network:SecurityRule",
    hetzner: "hcloud:index/firewall:Firewall",
};

/** One resource of each type opening `port`/`protocol` to `sources` (a family's sources in the field it belongs to). */
function opening(port: number, sources: string[], protocol = "tcp"): TestResource[] {
    const v4 = sources.filter((s) => !s.includes(":"));
    const v6 = sources.filter((s) => s.includes(":"));
    return [
        { type: T.sg, name: "sg", props: { ingress: [{ protocol, fromPort: port, toPort: port, cidrBlocks: v4, ipv6CidrBlocks: v6 }] } },
        { type: T.sgRule, name: "sg-rule", props: { type: "ingress", protocol, fromPort: port, toPort: port, cidrBlocks: v4, ipv6CidrBlocks: v6, securityGroupId: "sg-0abc" } },
        { type: T.gcp, name: "fw", props: { network: "default", sourceRanges: sources, allows: [{ protocol, ports: [String(port)] }] } },
        { type: T.doFirewall, name: "do", props: { inboundRules: [{ protocol, portRange: String(port), sourceAddresses: sources }], outboundRules: [{ protocol: "udp", portRange: "all", destinationAddresses: ["0.0.0.0/0"] }] } },
        { type: T.nsg, name: "nsg", props: { securityRules: [{ name: "r", direction: "Inbound", access: "Allow", priority: 100, protocol: protocol === "tcp" ? "Tcp" : "Udp", sourceAddressPrefixes: sources, destinationPortRange: String(port) }] } },
        { type: T.azureRule, name: "azure-rule", props: { direction: "Inbound", access: "Allow", priority: 100, protocol: "*", sourceAddressPrefixes: sources, destinationPortRanges: [String(port)], networkSecurityGroupName: "nsg" } },
        { type: T.hetzner, name: "hz", props: { rules: [{ direction: "in", protocol, port: String(port), sourceIps: sources }] } },
    ];
}

/** The world spellings of the hostile corpus: every source list it uses on 22/tcp. */
const WORLD_SPELLINGS = REFUSED.flatMap(([title, config]) => {
    const rule = (config.ports as { ports: unknown; from: unknown }[] | undefined)?.[0];
    return rule?.ports === 22 && Array.isArray(rule.from) ? [[title, rule.from as string[]] as const] : [];
});

const only = (violations: Violation[], level: string) => violations.filter((v) => v.level === level);

describe("policy pack: resource policies", () => {
    it("the corpus gives at least eight world spellings", () => assert.ok(WORLD_SPELLINGS.length >= 8, String(WORLD_SPELLINGS.length)));

    for (const [title, sources] of WORLD_SPELLINGS) {
        it(`22/tcp from ${title} is a mandatory violation on every resource type`, async () => {
            for (const resource of opening(22, sources)) {
                const violations = await runResource(ADMIN, resource);
                assert.equal(only(violations, "mandatory").length, 1, `${resource.type}: ${JSON.stringify(violations)}`);
                assert.match(violations[0]!.message, /22\/tcp \(SSH\) is open to (all of IPv4|all of IPv6|every IPv4 host)/);
            }
        });
    }

    it("a violation names the resource, the rule, the covering sources and the fix", async () => {
        const [v] = await runResource(ADMIN, { type: T.sg, name: "web", props: { ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }, { protocol: "tcp", fromPort: 20, toPort: 30, cidrBlocks: ["0.0.0.0/1", "128.0.0.0/1"] }] } });
        assert.equal(
            v!.message,
            'aws:ec2/securityGroup:SecurityGroup "web": 22/tcp (SSH) is open to all of IPv4 through ingress[1] (from 0.0.0.0/1, 128.0.0.0/1); admin ports are for your own networks: give your office, VPN or bastion CIDRs as the sources, or reach the host through a bastion or a session manager',
        );
        assert.equal(v!.urn, urn(T.sg, "web"));
    });

    it("two inline rules that each look narrow are one world opening", async () => {
        const violations = await runResource(ADMIN, { type: T.sg, name: "halves", props: { ingress: [
            { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/1"] },
            { protocol: "tcp", fromPort: 0, toPort: 65535, cidrBlocks: ["128.0.0.0/1"] },
        ] } });
        assert.equal(violations.length, 1);
        assert.match(violations[0]!.message, /through 2 rules together: ingress\[0\] \(from 0\.0\.0\.0\/1\), ingress\[1\] \(from 128\.0\.0\.0\/1\)/);
    });

    it("protocol -1 opens every port, whatever fromPort and toPort say", async () => {
        const v = await runResource(ADMIN, { type: T.ingress, name: "all", props: { ipProtocol: "-1", cidrIpv4: "0.0.0.0/0", securityGroupId: "sg-1" } });
        assert.deepEqual(v.map((x) => x.message.split(": ")[1]!.split(" is open")[0]), ["22/tcp (SSH)", "3389/tcp (RDP)"]);
    });

    it("GCP: no source at all is 0.0.0.0/0, RDP is an admin port, a disabled or egress rule opens nothing", async () => {
        const [rdp] = await runResource(ADMIN, { type: T.gcp, name: "rdp", props: { network: "default", allows: [{ protocol: "tcp", ports: ["3389"] }] } });
        assert.match(rdp!.message, /3389\/tcp \(RDP\) is open to all of IPv4 through allows\[0\] \(from no sourceRanges \(GCP reads that as 0\.0\.0\.0\/0\)\)/);
        assert.deepEqual(await runResource(ADMIN, { type: T.gcp, name: "off", props: { disabled: true, allows: [{ protocol: "tcp", ports: ["22"] }] } }), []);
        assert.deepEqual(await runResource(ADMIN, { type: T.gcp, name: "out", props: { direction: "EGRESS", destinationRanges: ["0.0.0.0/0"], allows: [{ protocol: "all" }] } }), []);
        assert.deepEqual(await runResource(ADMIN, { type: T.gcp, name: "tagged", props: { sourceTags: ["bastion"], allows: [{ protocol: "tcp", ports: ["22"] }] } }), []);
        const [all] = await runResource(ADMIN, { type: T.gcp, name: "all", props: { sourceRanges: ["::/0"], allows: [{ protocol: "all" }] } });
        assert.match(all!.message, /22\/tcp \(SSH\) is open to all of IPv6/);
    });

    it("Azure: Internet, * and Any are the world; an earlier Deny closes what a later Allow opens", async () => {
        for (const tag of ["Internet", "*", "any"]) {
            const v = await runResource(ADMIN, { type: T.azureRule, name: "r", props: { direction: "Inbound", access: "Allow", priority: 300, protocol: "Tcp", sourceAddressPrefix: tag, destinationPortRange: "20-30" } });
            assert.equal(v.length, 1, tag);
        }
        const allowThenDeny = (denyPriority: number) => runResource(ADMIN, { type: T.nsg, name: "nsg", props: { securityRules: [
            { name: "deny-ssh", direction: "Inbound", access: "Deny", priority: denyPriority, protocol: "*", sourceAddressPrefix: "*", destinationPortRange: "22" },
            { name: "allow-all", direction: "Inbound", access: "Allow", priority: 200, protocol: "Tcp", sourceAddressPrefix: "Internet", destinationPortRange: "*" },
        ] } });
        assert.deepEqual((await allowThenDeny(100)).map((v) => v.message.split(" is open")[0]!.split(": ").pop()), ["3389/tcp (RDP)"]);
        assert.equal((await allowThenDeny(300)).length, 2);
        assert.match((await allowThenDeny(300))[0]!.message, /securityRules\[1\] "allow-all" \(from Internet\)/);
        for (const tag of ["VirtualNetwork", "AzureLoadBalancer", "10.0.0.0/8"]) {
            assert.deepEqual(await runResource(ADMIN, { type: T.azureRule, name: "r", props: { direction: "Inbound", access: "Allow", priority: 300, protocol: "Tcp", sourceAddressPrefix: tag, destinationPortRange: "22" } }), [], tag);
        }
    });

    it("DigitalOcean and Hetzner: all and any are every port; named sources are never the world", async () => {
        assert.equal((await runResource(ADMIN, { type: T.doFirewall, name: "d", props: { inboundRules: [{ protocol: "tcp", portRange: "all", sourceAddresses: ["0.0.0.0/0"] }] } })).length, 2);
        assert.deepEqual(await runResource(ADMIN, { type: T.doFirewall, name: "d", props: { inboundRules: [{ protocol: "tcp", portRange: "22", sourceTags: ["bastion"] }] } }), []);
        assert.equal((await runResource(ADMIN, { type: T.hetzner, name: "h", props: { rules: [{ direction: "in", protocol: "tcp", port: "any", sourceIps: ["::/0"] }] } })).length, 2);
        assert.deepEqual(await runResource(ADMIN, { type: T.hetzner, name: "h", props: { rules: [{ direction: "out", protocol: "tcp", port: "any", destinationIps: ["0.0.0.0/0"] }] } }), []);
    });

    it("admin ports from your own networks and media ports from the world pass on every resource type", async () => {
        for (const resource of [...opening(22, ["203.0.113.0/24", "2001:db8::/48"]), ...opening(50000, ["0.0.0.0/0", "::/0"], "udp")]) {
            for (const policy of [ADMIN, DANGEROUS, SPELLING]) assert.deepEqual(await runResource(policy, resource), [], `${policy} ${resource.type}`);
        }
    });

    it("dangerous services from the world are advisory, named with their risk", async () => {
        for (const resource of opening(6379, ["0.0.0.0/1", "128.0.0.0/1"])) {
            const v = await runResource(DANGEROUS, resource);
            assert.deepEqual(v.map((x) => x.level), ["advisory"], resource.type);
            assert.match(v[0]!.message, /6379\/tcp \(Redis: unauthenticated by default; remote code execution\) is open to all of IPv4 .*a media server never needs it public/);
        }
        const wide = await runResource(DANGEROUS, { type: T.hetzner, name: "h", props: { rules: [{ direction: "in", protocol: "udp", port: "1-65535", sourceIps: ["0.0.0.0/0"] }] } });
        assert.deepEqual(wide.map((v) => v.message.split(": ")[1]!.split(" (")[0]), ["19/udp", "53/udp", "123/udp", "161/udp", "1900/udp", "11211/udp"]);
    });

    it("world by another spelling: pieces and omissions are named, 0.0.0.0/0 and tags are not", async () => {
        for (const [title, sources] of WORLD_SPELLINGS) {
            for (const resource of opening(443, sources)) {
                const v = await runResource(SPELLING, resource);
                assert.equal(v.length, 1, `${title} ${resource.type}`);
                assert.match(v[0]!.message, /together cover .*write 0\.0\.0\.0\/0 \(and ::\/0\)/);
            }
        }
        assert.equal((await runResource(SPELLING, { type: T.gcp, name: "g", props: { allows: [{ protocol: "tcp", ports: ["443"] }] } })).length, 1);
        for (const resource of opening(443, ["0.0.0.0/0", "::/0"])) assert.deepEqual(await runResource(SPELLING, resource), []);
    });

    it("a value unknown in a preview is reported as not yet checkable (advisory), and judged once known", async () => {
        const preview = await runResource(ADMIN, { type: T.sgRule, name: "late", props: { type: "ingress", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: UNKNOWN, securityGroupId: UNKNOWN } });
        assert.deepEqual(preview.map((v) => [v.level, v.message]), [["advisory", 'aws:ec2/securityGroupRule:SecurityGroupRule "late": not yet checkable: cidrBlocks is known only once the update computes it; this policy checks again during the update, when it is known.']]);
        const element = await runResource(ADMIN, { type: T.nsg, name: "n", props: { securityRules: [{ name: "a", direction: "Inbound", access: "Allow", priority: 100, protocol: "Tcp", sourceAddressPrefix: "Internet", destinationPortRange: "22" }, UNKNOWN] } });
        assert.deepEqual(element.map((v) => v.level), ["mandatory", "advisory"], JSON.stringify(element));
        assert.match(element[1]!.message, /securityRules\[1\] is known only/);
        const update = await runResource(ADMIN, { type: T.sgRule, name: "late", props: { type: "ingress", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"], securityGroupId: "sg-1" } });
        assert.deepEqual(update.map((v) => v.level), ["mandatory"]);
        assert.deepEqual(await runResource(ADMIN, { type: T.ingress, name: "group-late", props: { ipProtocol: "udp", fromPort: 50000, toPort: 60000, cidrIpv4: "0.0.0.0/0", securityGroupId: UNKNOWN } }), []);
    });

    it("config: admin ports, exemptions by URN and by tag", async () => {
        const sg = (tags?: Record<string, string>): TestResource => ({ type: T.sg, name: "sg", props: { tags, ingress: [{ protocol: "tcp", fromPort: 22, toPort: 2222, cidrBlocks: ["0.0.0.0/0"] }] } });
        const custom = await runResource(ADMIN, sg(), { adminPorts: ["2222/tcp", "2000-2100/tcp"] });
        assert.deepEqual(custom.map((v) => v.message.split(": ")[1]!.split(" is open")[0]), ["2222/tcp (an admin port)", "2000-2100/tcp (an admin port)"]);
        assert.deepEqual(await runResource(ADMIN, sg(), { exemptUrns: [urn(T.sg, "sg")] }), []);
        assert.deepEqual(await runResource(ADMIN, sg({ "webrtc-firewall/exempt": "ssh-jump" }), { exemptTags: ["webrtc-firewall/exempt=ssh-jump"] }), []);
        assert.deepEqual(await runResource(ADMIN, sg({ bastion: "" }), { exemptTags: ["bastion"] }), []);
        assert.equal((await runResource(ADMIN, sg({ bastion: "no" }), { exemptTags: ["bastion=yes"] })).length, 1);
    });

    it("resources that are no firewall are left alone", async () => {
        assert.deepEqual(await runResource(ADMIN, { type: "aws:s3/bucket:Bucket", name: "b", props: { ingress: [{ protocol: "-1", cidrBlocks: ["0.0.0.0/0"] }] } }), []);
    });
});

describe("policy pack: stack policies over the union of a group's rules", () => {
    const half = (name: string, cidr: string, deps?: Record<string, string[]>, group: unknown = UNKNOWN): TestResource => ({
        type: T.ingress, name, props: { ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: cidr, securityGroupId: group }, deps,
    });
    const group: TestResource = { type: T.sg, name: "media", props: { id: UNKNOWN, egress: [] } };

    it("two standalone rules, each a /1, linked by dependency while the group id is unknown", async () => {
        const resources = [group, half("a", "0.0.0.0/1", { securityGroupId: ["media"] }), half("b", "128.0.0.0/1", { securityGroupId: ["media"] })];
        const v = await runStack(ADMIN_UNION, resources);
        assert.equal(v.length, 1, JSON.stringify(v));
        assert.equal(v[0]!.message.split(" through ")[0], 'aws:ec2/securityGroup:SecurityGroup "media": 22/tcp (SSH) is open to all of IPv4');
        assert.match(v[0]!.message, /2 rules together: "a" \(from 0\.0\.0\.0\/1\), "b" \(from 128\.0\.0\.0\/1\)/);
        assert.equal(v[0]!.urn, urn(T.sg, "media"));
        for (const r of resources) assert.deepEqual(await runResource(ADMIN, r), []);
    });

    it("linked by a known id, the group outside the stack", async () => {
        const v = await runStack(ADMIN_UNION, [half("a", "0.0.0.0/1", {}, "sg-0abc"), half("b", "128.0.0.0/1", {}, "sg-0abc"), half("c", "10.0.0.0/8", {}, "sg-other")]);
        assert.equal(v.length, 1);
        assert.match(v[0]!.message, /^sg-0abc \(not in this stack; joined by "a", "b"\): 22\/tcp/);
    });

    it("rules of different groups never add up", async () => {
        assert.deepEqual(await runStack(ADMIN_UNION, [half("a", "0.0.0.0/1", {}, "sg-1"), half("b", "128.0.0.0/1", {}, "sg-2")]), []);
    });

    it("what one resource opens alone is left to its resource policy", async () => {
        assert.deepEqual(await runStack(ADMIN_UNION, [group, half("a", "0.0.0.0/0", { securityGroupId: ["media"] }), half("b", "128.0.0.0/1", { securityGroupId: ["media"] })]), []);
    });

    it("a rule whose group is unknown and not a dependency is not yet checkable", async () => {
        const v = await runStack(ADMIN_UNION, [half("a", "0.0.0.0/1")]);
        assert.deepEqual(v.map((x) => x.level), ["advisory"]);
        assert.match(v[0]!.message, /"a": not yet checkable: its group is known only once the update computes it/);
    });

    it("Azure: an NSG and a standalone rule; a Deny in the NSG ahead of the rule closes it", async () => {
        const nsg = (deny: boolean): TestResource => ({ type: T.nsg, name: "nsg", props: { name: "nsg-1", securityRules: [
            { name: "half", direction: "Inbound", access: "Allow", priority: 200, protocol: "Tcp", sourceAddressPrefix: "0.0.0.0/1", destinationPortRange: "22" },
            ...(deny ? [{ name: "no-ssh", direction: "Inbound", access: "Deny", priority: 100, protocol: "*", sourceAddressPrefix: "*", destinationPortRange: "22" }] : []),
        ] } });
        const rule: TestResource = { type: T.azureRule, name: "other-half", props: { direction: "Inbound", access: "Allow", priority: 300, protocol: "Tcp", sourceAddressPrefix: "128.0.0.0/1", destinationPortRange: "22", networkSecurityGroupName: "nsg-1" } };
        assert.equal((await runStack(ADMIN_UNION, [nsg(false), rule])).length, 1);
        assert.deepEqual(await runStack(ADMIN_UNION, [nsg(true), rule]), []);
    });

    it("GCP: rules of one network add up for the instances they both reach", async () => {
        const fw = (name: string, cidr: string, targetTags?: string[]): TestResource => ({ type: T.gcp, name, props: { network: "projects/p/global/networks/default", sourceRanges: [cidr], targetTags, allows: [{ protocol: "tcp", ports: ["3389"] }] } });
        const tagged = await runStack(ADMIN_UNION, [fw("a", "0.0.0.0/1", ["win"]), fw("b", "128.0.0.0/1")]);
        assert.equal(tagged.length, 1);
        assert.match(tagged[0]!.message, /^default \(not in this stack; joined by "a", "b"\): 3389\/tcp \(RDP\)/);
        assert.deepEqual(await runStack(ADMIN_UNION, [fw("a", "0.0.0.0/1", ["win"]), fw("b", "128.0.0.0/1", ["linux"])]), []);
        const network: TestResource = { type: T.gcpNetwork, name: "vpc", props: { name: UNKNOWN } };
        const linked = await runStack(ADMIN_UNION, [network, { ...fw("a", "0.0.0.0/1"), props: { ...fw("a", "0.0.0.0/1").props, network: UNKNOWN }, deps: { network: ["vpc"] } }, { ...fw("b", "128.0.0.0/1"), props: { ...fw("b", "128.0.0.0/1").props, network: UNKNOWN }, deps: { network: ["vpc"] } }]);
        assert.match(linked[0]!.message, /^gcp:compute\/network:Network "vpc": 3389\/tcp/);
    });

    it("dangerous services add up too, and stay advisory", async () => {
        const v = await runStack(DANGEROUS_UNION, [half("a", "0.0.0.0/1", {}, "sg-1"), { ...half("b", "128.0.0.0/1", {}, "sg-1"), props: { ipProtocol: "tcp", fromPort: 6379, toPort: 6379, cidrIpv4: "0.0.0.0/1", securityGroupId: "sg-1" } }, { ...half("c", "128.0.0.0/1", {}, "sg-1"), props: { ipProtocol: "tcp", fromPort: 6000, toPort: 7000, cidrIpv4: "128.0.0.0/1", securityGroupId: "sg-1" } }]);
        assert.deepEqual(v.map((x) => [x.level, x.message.split(" is open")[0]]), [["advisory", 'sg-1 (not in this stack; joined by "a", "b", "c"): 6379/tcp (Redis: unauthenticated by default; remote code execution)']]);
    });

    it("exemptions leave out a group or one rule", async () => {
        const resources = [group, half("a", "0.0.0.0/1", { securityGroupId: ["media"] }), half("b", "128.0.0.0/1", { securityGroupId: ["media"] })];
        assert.deepEqual(await runStack(ADMIN_UNION, resources, { exemptUrns: [urn(T.sg, "media")] }), []);
        assert.deepEqual(await runStack(ADMIN_UNION, resources, { exemptUrns: [urn(T.ingress, "b")] }), []);
    });
});

describe("policy pack: egress that starves a media server", () => {
    const sg: TestResource = { type: T.sg, name: "media", props: { egress: [] } };
    const media: TestResource = { type: T.ingress, name: "rtc", props: { ipProtocol: "udp", fromPort: 50000, toPort: 60000, cidrIpv4: "0.0.0.0/0", securityGroupId: UNKNOWN }, deps: { securityGroupId: ["media"] } };

    it("an AWS group with inbound rules and no egress is advisory; one egress rule, inline or standalone, is enough", async () => {
        const v = await runStack(EGRESS, [sg, media]);
        assert.deepEqual(v.map((x) => x.level), ["advisory"]);
        assert.match(v[0]!.message, /^aws:ec2\/securityGroup:SecurityGroup "media": lets traffic in but has no outbound rule, and the AWS provider revokes AWS's default allow-all egress/);
        const out: TestResource = { type: T.egress, name: "out", props: { ipProtocol: "-1", cidrIpv4: "0.0.0.0/0", securityGroupId: UNKNOWN }, deps: { securityGroupId: ["media"] } };
        assert.deepEqual(await runStack(EGRESS, [sg, media, out]), []);
        assert.deepEqual(await runStack(EGRESS, [{ ...sg, props: { egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] } }, media]), []);
        assert.deepEqual(await runStack(EGRESS, [sg]), [], "a group that lets nothing in starves nobody");
    });

    it("a DigitalOcean firewall with inbound rules and no outbound rule; Azure, GCP and Hetzner default to open egress", async () => {
        const v = await runStack(EGRESS, [{ type: T.doFirewall, name: "d", props: { inboundRules: [{ protocol: "udp", portRange: "50000-60000", sourceAddresses: ["0.0.0.0/0"] }] } }]);
        assert.match(v[0]!.message, /DigitalOcean then permits no outbound traffic at all/);
        const others = opening(50000, ["0.0.0.0/0"], "udp").filter((r) => [T.gcp, T.nsg, T.hetzner].includes(r.type));
        assert.deepEqual(await runStack(EGRESS, others), []);
    });
});
