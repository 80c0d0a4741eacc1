/**
 * The policy pack's guards over every firewall resource type of the five clouds, with the validation
 * args @pulumi/policy builds (tests/policy/harness.ts). The real analyzer over gRPC is in policyPack.test.ts.
 */
import { strict as assert } from "node:assert";
import { WORLD_SPELLINGS } from "../fixtures/hostile";
import { unknownCheckingProxy } from "@pulumi/policy";
import { formatRange } from "../../src/contract/ports";
import { cidrOf } from "../../src/contract/cidr";
import { readFirewall, worldOpenings, type ObservedRule, type Watched } from "../../src/policy";
import { sourcesText, worldInDisguise } from "../../src/policy/judge";
import { portsOfText, protocolsOf, Reader } from "../../src/clouds/observed";
import { runResource, runStack, UNKNOWN, urn, type TestResource, type Violation } from "../policy/harness";
import { ALL_PORTS_SPELLINGS as DIGITALOCEAN_ALL_PORTS } from "../../src/clouds/digitalocean/policy";
import { ALL_PORTS_SPELLINGS as AZURE_ALL_PORTS } from "../../src/clouds/azure/policy";
import { ALL_PORTS_SPELLINGS as GCP_ALL_PORTS } from "../../src/clouds/gcp/policy";
import { ALL_PORTS_SPELLINGS as HETZNER_ALL_PORTS } from "../../src/clouds/hetzner/policy";

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
    ociNsg: "oci:Core/networkSecurityGroup:NetworkSecurityGroup",
    ociRule: "oci:Core/networkSecurityGroupSecurityRule:NetworkSecurityGroupSecurityRule",
    linode: "linode:index/firewall:Firewall",
    osGroup: "openstack:networking/secGroup:SecGroup",
    osRule: "openstack:networking/secGroupRule:SecGroupRule",
};

/** One resource of each type opening `port`/`protocol` to `sources` (a family's sources in the field it belongs to). */
function opening(port: number, sources: string[], protocol = "tcp"): TestResource[] {
    const v4 = sources.filter((s) => !s.includes(":"));
    const v6 = sources.filter((s) => s.includes(":"));
    return [
        { type: T.sg, name: "sg", props: { ingress: [{ protocol, fromPort: port, toPort: port, cidrBlocks: v4, ipv6CidrBlocks: v6 }] } },
        {
            type: T.sgRule,
            name: "sg-rule",
            props: {
                type: "ingress",
                protocol,
                fromPort: port,
                toPort: port,
                cidrBlocks: v4,
                ipv6CidrBlocks: v6,
                securityGroupId: "sg-0abc",
            },
        },
        { type: T.gcp, name: "fw", props: { network: "default", sourceRanges: sources, allows: [{ protocol, ports: [String(port)] }] } },
        {
            type: T.doFirewall,
            name: "do",
            props: {
                inboundRules: [{ protocol, portRange: String(port), sourceAddresses: sources }],
                outboundRules: [{ protocol: "udp", portRange: "all", destinationAddresses: ["0.0.0.0/0"] }],
            },
        },
        {
            type: T.nsg,
            name: "nsg",
            props: {
                securityRules: [
                    {
                        name: "r",
                        direction: "Inbound",
                        access: "Allow",
                        priority: 100,
                        protocol: protocol === "tcp" ? "Tcp" : "Udp",
                        sourceAddressPrefixes: sources,
                        destinationPortRange: String(port),
                    },
                ],
            },
        },
        {
            type: T.azureRule,
            name: "azure-rule",
            props: {
                direction: "Inbound",
                access: "Allow",
                priority: 100,
                protocol: "*",
                sourceAddressPrefixes: sources,
                destinationPortRanges: [String(port)],
                networkSecurityGroupName: "nsg",
            },
        },
        { type: T.hetzner, name: "hz", props: { rules: [{ direction: "in", protocol, port: String(port), sourceIps: sources }] } },
        {
            type: T.linode,
            name: "linode",
            props: {
                inboundPolicy: "DROP",
                outboundPolicy: "ACCEPT",
                inbounds: [{ label: "r", action: "ACCEPT", protocol: protocol.toUpperCase(), ports: String(port), ipv4s: v4, ipv6s: v6 }],
            },
        },
        // OCI takes one source per rule: a spelling in pieces is several rules, judged by the stack policy; alone, each piece is a rule.
        ...(sources.length === 1
            ? [
                  {
                      type: T.ociRule,
                      name: "oci-rule",
                      props: {
                          direction: "INGRESS",
                          protocol: protocol === "tcp" ? "6" : "17",
                          source: sources[0],
                          sourceType: "CIDR_BLOCK",
                          stateless: false,
                          [`${protocol}Options`]: { destinationPortRange: { min: port, max: port } },
                          networkSecurityGroupId: "ocid1.networksecuritygroup.oc1..n",
                      },
                  },
                  {
                      type: T.osRule,
                      name: "openstack-rule",
                      props: {
                          direction: "ingress",
                          ethertype: sources[0]!.includes(":") ? "IPv6" : "IPv4",
                          protocol,
                          portRangeMin: port,
                          portRangeMax: port,
                          remoteIpPrefix: sources[0],
                          securityGroupId: "5b5ce4ab-2a4f-4c4b-8a6c-0c2c4a3d9f10",
                      },
                  },
              ]
            : []),
    ];
}

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
        const [v] = await runResource(ADMIN, {
            type: T.sg,
            name: "web",
            props: {
                ingress: [
                    { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] },
                    { protocol: "tcp", fromPort: 20, toPort: 30, cidrBlocks: ["0.0.0.0/1", "128.0.0.0/1"] },
                ],
            },
        });
        assert.equal(
            v!.message,
            'aws:ec2/securityGroup:SecurityGroup "web": 22/tcp (SSH) is open to all of IPv4 through ingress[1] (from 0.0.0.0/1, 128.0.0.0/1); admin ports are for your own networks: give your office, VPN or bastion CIDRs as the sources, or reach the host through a bastion or a session manager',
        );
        assert.equal(v!.urn, urn(T.sg, "web"));
    });

    it("two inline rules that each look narrow are one world opening", async () => {
        const violations = await runResource(ADMIN, {
            type: T.sg,
            name: "halves",
            props: {
                ingress: [
                    { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/1"] },
                    { protocol: "tcp", fromPort: 0, toPort: 65535, cidrBlocks: ["128.0.0.0/1"] },
                ],
            },
        });
        assert.equal(violations.length, 1);
        assert.match(
            violations[0]!.message,
            /through 2 rules together: ingress\[0\] \(from 0\.0\.0\.0\/1\), ingress\[1\] \(from 128\.0\.0\.0\/1\)/,
        );
    });

    it("protocol -1 opens every port, whatever fromPort and toPort say", async () => {
        const v = await runResource(ADMIN, {
            type: T.ingress,
            name: "all",
            props: { ipProtocol: "-1", cidrIpv4: "0.0.0.0/0", securityGroupId: "sg-1" },
        });
        assert.deepEqual(
            v.map((x) => x.message.split(": ")[1]!.split(" is open")[0]),
            ["22/tcp (SSH)", "3389/tcp (RDP)"],
        );
    });

    it("GCP: no source at all is 0.0.0.0/0, RDP is an admin port, a disabled or egress rule opens nothing", async () => {
        const [rdp] = await runResource(ADMIN, {
            type: T.gcp,
            name: "rdp",
            props: { network: "default", allows: [{ protocol: "tcp", ports: ["3389"] }] },
        });
        assert.match(
            rdp!.message,
            /3389\/tcp \(RDP\) is open to all of IPv4 through allows\[0\] \(from no sourceRanges \(GCP reads that as 0\.0\.0\.0\/0\)\)/,
        );
        assert.deepEqual(
            await runResource(ADMIN, { type: T.gcp, name: "off", props: { disabled: true, allows: [{ protocol: "tcp", ports: ["22"] }] } }),
            [],
        );
        assert.deepEqual(
            await runResource(ADMIN, {
                type: T.gcp,
                name: "out",
                props: { direction: "EGRESS", destinationRanges: ["0.0.0.0/0"], allows: [{ protocol: "all" }] },
            }),
            [],
        );
        assert.deepEqual(
            await runResource(ADMIN, {
                type: T.gcp,
                name: "tagged",
                props: { sourceTags: ["bastion"], allows: [{ protocol: "tcp", ports: ["22"] }] },
            }),
            [],
        );
        const [all] = await runResource(ADMIN, {
            type: T.gcp,
            name: "all",
            props: { sourceRanges: ["::/0"], allows: [{ protocol: "all" }] },
        });
        assert.match(all!.message, /22\/tcp \(SSH\) is open to all of IPv6/);
    });

    it("Azure: Internet, * and Any are the world; an earlier Deny closes what a later Allow opens", async () => {
        for (const tag of ["Internet", "*", "any"]) {
            const v = await runResource(ADMIN, {
                type: T.azureRule,
                name: "r",
                props: {
                    direction: "Inbound",
                    access: "Allow",
                    priority: 300,
                    protocol: "Tcp",
                    sourceAddressPrefix: tag,
                    destinationPortRange: "20-30",
                },
            });
            assert.equal(v.length, 1, tag);
        }
        const allowThenDeny = (denyPriority: number) =>
            runResource(ADMIN, {
                type: T.nsg,
                name: "nsg",
                props: {
                    securityRules: [
                        {
                            name: "deny-ssh",
                            direction: "Inbound",
                            access: "Deny",
                            priority: denyPriority,
                            protocol: "*",
                            sourceAddressPrefix: "*",
                            destinationPortRange: "22",
                        },
                        {
                            name: "allow-all",
                            direction: "Inbound",
                            access: "Allow",
                            priority: 200,
                            protocol: "Tcp",
                            sourceAddressPrefix: "Internet",
                            destinationPortRange: "*",
                        },
                    ],
                },
            });
        assert.deepEqual(
            (await allowThenDeny(100)).map((v) => v.message.split(" is open")[0]!.split(": ").pop()),
            ["3389/tcp (RDP)"],
        );
        assert.equal((await allowThenDeny(300)).length, 2);
        assert.match((await allowThenDeny(300))[0]!.message, /securityRules\[1\] "allow-all" \(from Internet\)/);
        for (const tag of ["VirtualNetwork", "AzureLoadBalancer", "10.0.0.0/8"]) {
            assert.deepEqual(
                await runResource(ADMIN, {
                    type: T.azureRule,
                    name: "r",
                    props: {
                        direction: "Inbound",
                        access: "Allow",
                        priority: 300,
                        protocol: "Tcp",
                        sourceAddressPrefix: tag,
                        destinationPortRange: "22",
                    },
                }),
                [],
                tag,
            );
        }
    });

    it("DigitalOcean and Hetzner: all and any are every port; named sources are never the world", async () => {
        assert.equal(
            (
                await runResource(ADMIN, {
                    type: T.doFirewall,
                    name: "d",
                    props: { inboundRules: [{ protocol: "tcp", portRange: "all", sourceAddresses: ["0.0.0.0/0"] }] },
                })
            ).length,
            2,
        );
        assert.deepEqual(
            await runResource(ADMIN, {
                type: T.doFirewall,
                name: "d",
                props: { inboundRules: [{ protocol: "tcp", portRange: "22", sourceTags: ["bastion"] }] },
            }),
            [],
        );
        assert.equal(
            (
                await runResource(ADMIN, {
                    type: T.hetzner,
                    name: "h",
                    props: { rules: [{ direction: "in", protocol: "tcp", port: "any", sourceIps: ["::/0"] }] },
                })
            ).length,
            2,
        );
        assert.deepEqual(
            await runResource(ADMIN, {
                type: T.hetzner,
                name: "h",
                props: { rules: [{ direction: "out", protocol: "tcp", port: "any", destinationIps: ["0.0.0.0/0"] }] },
            }),
            [],
        );
    });

    it("admin ports from your own networks and media ports from the world pass on every resource type", async () => {
        for (const resource of [...opening(22, ["203.0.113.0/24", "2001:db8::/48"]), ...opening(50000, ["0.0.0.0/0", "::/0"], "udp")]) {
            for (const policy of [ADMIN, DANGEROUS, SPELLING])
                assert.deepEqual(await runResource(policy, resource), [], `${policy} ${resource.type}`);
        }
    });

    it("dangerous services from the world are advisory, named with their risk", async () => {
        for (const resource of opening(6379, ["0.0.0.0/1", "128.0.0.0/1"])) {
            const v = await runResource(DANGEROUS, resource);
            assert.deepEqual(
                v.map((x) => x.level),
                ["advisory"],
                resource.type,
            );
            assert.match(
                v[0]!.message,
                /6379\/tcp \(Redis: unauthenticated by default; remote code execution\) is open to all of IPv4 .*a media server never needs it public/,
            );
        }
        const wide = await runResource(DANGEROUS, {
            type: T.hetzner,
            name: "h",
            props: { rules: [{ direction: "in", protocol: "udp", port: "1-65535", sourceIps: ["0.0.0.0/0"] }] },
        });
        assert.deepEqual(
            wide.map((v) => v.message.split(": ")[1]!.split(" (")[0]),
            ["19/udp", "53/udp", "123/udp", "161/udp", "1900/udp", "11211/udp"],
        );
    });

    it("world by another spelling: pieces and omissions are named, 0.0.0.0/0 and tags are not", async () => {
        for (const [title, sources] of WORLD_SPELLINGS) {
            for (const resource of opening(443, sources)) {
                const v = await runResource(SPELLING, resource);
                assert.equal(v.length, 1, `${title} ${resource.type}`);
                assert.match(v[0]!.message, /together cover .*write 0\.0\.0\.0\/0 \(and ::\/0\)/);
            }
        }
        assert.equal(
            (await runResource(SPELLING, { type: T.gcp, name: "g", props: { allows: [{ protocol: "tcp", ports: ["443"] }] } })).length,
            1,
        );
        for (const resource of opening(443, ["0.0.0.0/0", "::/0"])) assert.deepEqual(await runResource(SPELLING, resource), []);
    });

    it("a value unknown in a preview is reported as not yet checkable (advisory), and judged once known", async () => {
        const preview = await runResource(ADMIN, {
            type: T.sgRule,
            name: "late",
            props: { type: "ingress", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: UNKNOWN, securityGroupId: UNKNOWN },
        });
        assert.deepEqual(
            preview.map((v) => [v.level, v.message]),
            [
                [
                    "advisory",
                    'aws:ec2/securityGroupRule:SecurityGroupRule "late": not yet checkable: cidrBlocks is known only once the update computes it; this policy checks again during the update, when it is known.',
                ],
            ],
        );
        const element = await runResource(ADMIN, {
            type: T.nsg,
            name: "n",
            props: {
                securityRules: [
                    {
                        name: "a",
                        direction: "Inbound",
                        access: "Allow",
                        priority: 100,
                        protocol: "Tcp",
                        sourceAddressPrefix: "Internet",
                        destinationPortRange: "22",
                    },
                    UNKNOWN,
                ],
            },
        });
        assert.deepEqual(
            element.map((v) => v.level),
            ["mandatory", "advisory"],
            JSON.stringify(element),
        );
        assert.match(element[1]!.message, /securityRules\[1\] is known only/);
        const update = await runResource(ADMIN, {
            type: T.sgRule,
            name: "late",
            props: { type: "ingress", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"], securityGroupId: "sg-1" },
        });
        assert.deepEqual(
            update.map((v) => v.level),
            ["mandatory"],
        );
        assert.deepEqual(
            await runResource(ADMIN, {
                type: T.ingress,
                name: "group-late",
                props: { ipProtocol: "udp", fromPort: 50000, toPort: 60000, cidrIpv4: "0.0.0.0/0", securityGroupId: UNKNOWN },
            }),
            [],
        );
    });

    it("config: admin ports, exemptions by URN and by tag", async () => {
        const sg = (tags?: Record<string, string>): TestResource => ({
            type: T.sg,
            name: "sg",
            props: { tags, ingress: [{ protocol: "tcp", fromPort: 22, toPort: 2222, cidrBlocks: ["0.0.0.0/0"] }] },
        });
        const custom = await runResource(ADMIN, sg(), { adminPorts: ["2222/tcp", "2000-2100/tcp"] });
        assert.deepEqual(
            custom.map((v) => v.message.split(": ")[1]!.split(" is open")[0]),
            ["2222/tcp (an admin port)", "2000-2100/tcp (an admin port)"],
        );
        assert.deepEqual(await runResource(ADMIN, sg(), { exemptUrns: [urn(T.sg, "sg")] }), []);
        assert.deepEqual(
            await runResource(ADMIN, sg({ "webrtc-firewall/exempt": "ssh-jump" }), { exemptTags: ["webrtc-firewall/exempt=ssh-jump"] }),
            [],
        );
        assert.deepEqual(await runResource(ADMIN, sg({ bastion: "" }), { exemptTags: ["bastion"] }), []);
        assert.equal((await runResource(ADMIN, sg({ bastion: "no" }), { exemptTags: ["bastion=yes"] })).length, 1);
    });

    it("resources that are no firewall are left alone", async () => {
        assert.deepEqual(
            await runResource(ADMIN, {
                type: "aws:s3/bucket:Bucket",
                name: "b",
                props: { ingress: [{ protocol: "-1", cidrBlocks: ["0.0.0.0/0"] }] },
            }),
            [],
        );
    });
});

describe("policy pack: stack policies over the union of a group's rules", () => {
    const half = (name: string, cidr: string, deps?: Record<string, string[]>, group: unknown = UNKNOWN): TestResource => ({
        type: T.ingress,
        name,
        props: { ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: cidr, securityGroupId: group },
        deps,
    });
    const group: TestResource = { type: T.sg, name: "media", props: { id: UNKNOWN, egress: [] } };

    it("two standalone rules, each a /1, linked by dependency while the group id is unknown", async () => {
        const resources = [
            group,
            half("a", "0.0.0.0/1", { securityGroupId: ["media"] }),
            half("b", "128.0.0.0/1", { securityGroupId: ["media"] }),
        ];
        const v = await runStack(ADMIN_UNION, resources);
        assert.equal(v.length, 1, JSON.stringify(v));
        assert.equal(
            v[0]!.message.split(" through ")[0],
            'aws:ec2/securityGroup:SecurityGroup "media": 22/tcp (SSH) is open to all of IPv4',
        );
        assert.match(v[0]!.message, /2 rules together: "a" \(from 0\.0\.0\.0\/1\), "b" \(from 128\.0\.0\.0\/1\)/);
        assert.equal(v[0]!.urn, urn(T.sg, "media"));
        for (const r of resources) assert.deepEqual(await runResource(ADMIN, r), []);
    });

    it("linked by a known id, the group outside the stack", async () => {
        const v = await runStack(ADMIN_UNION, [
            half("a", "0.0.0.0/1", {}, "sg-0abc"),
            half("b", "128.0.0.0/1", {}, "sg-0abc"),
            half("c", "10.0.0.0/8", {}, "sg-other"),
        ]);
        assert.equal(v.length, 1);
        assert.match(v[0]!.message, /^sg-0abc \(not in this stack; joined by "a", "b"\): 22\/tcp/);
    });

    it("rules of different groups never add up", async () => {
        assert.deepEqual(await runStack(ADMIN_UNION, [half("a", "0.0.0.0/1", {}, "sg-1"), half("b", "128.0.0.0/1", {}, "sg-2")]), []);
    });

    it("what one resource opens alone is left to its resource policy", async () => {
        assert.deepEqual(
            await runStack(ADMIN_UNION, [
                group,
                half("a", "0.0.0.0/0", { securityGroupId: ["media"] }),
                half("b", "128.0.0.0/1", { securityGroupId: ["media"] }),
            ]),
            [],
        );
    });

    it("a rule whose group is unknown and not a dependency is not yet checkable", async () => {
        const v = await runStack(ADMIN_UNION, [half("a", "0.0.0.0/1")]);
        assert.deepEqual(
            v.map((x) => x.level),
            ["advisory"],
        );
        assert.match(v[0]!.message, /"a": not yet checkable: its group is known only once the update computes it/);
    });

    it("Azure: an NSG and a standalone rule; a Deny in the NSG ahead of the rule closes it", async () => {
        const nsg = (deny: boolean): TestResource => ({
            type: T.nsg,
            name: "nsg",
            props: {
                name: "nsg-1",
                resourceGroupName: "media",
                securityRules: [
                    {
                        name: "half",
                        direction: "Inbound",
                        access: "Allow",
                        priority: 200,
                        protocol: "Tcp",
                        sourceAddressPrefix: "0.0.0.0/1",
                        destinationPortRange: "22",
                    },
                    ...(deny
                        ? [
                              {
                                  name: "no-ssh",
                                  direction: "Inbound",
                                  access: "Deny",
                                  priority: 100,
                                  protocol: "*",
                                  sourceAddressPrefix: "*",
                                  destinationPortRange: "22",
                              },
                          ]
                        : []),
                ],
            },
        });
        const rule: TestResource = {
            type: T.azureRule,
            name: "other-half",
            props: {
                direction: "Inbound",
                access: "Allow",
                priority: 300,
                protocol: "Tcp",
                sourceAddressPrefix: "128.0.0.0/1",
                destinationPortRange: "22",
                networkSecurityGroupName: "nsg-1",
                resourceGroupName: "media",
            },
        };
        assert.equal((await runStack(ADMIN_UNION, [nsg(false), rule])).length, 1);
        assert.deepEqual(await runStack(ADMIN_UNION, [nsg(true), rule]), []);
    });

    it("GCP: rules of one network add up for the instances they both reach", async () => {
        const fw = (name: string, cidr: string, targetTags?: string[]): TestResource => ({
            type: T.gcp,
            name,
            props: {
                network: "projects/p/global/networks/default",
                sourceRanges: [cidr],
                targetTags,
                allows: [{ protocol: "tcp", ports: ["3389"] }],
            },
        });
        const tagged = await runStack(ADMIN_UNION, [fw("a", "0.0.0.0/1", ["win"]), fw("b", "128.0.0.0/1")]);
        assert.equal(tagged.length, 1);
        assert.match(tagged[0]!.message, /^p\/default \(not in this stack; joined by "a", "b"\): 3389\/tcp \(RDP\)/);
        assert.deepEqual(await runStack(ADMIN_UNION, [fw("a", "0.0.0.0/1", ["win"]), fw("b", "128.0.0.0/1", ["linux"])]), []);
        const network: TestResource = { type: T.gcpNetwork, name: "vpc", props: { name: UNKNOWN } };
        const linked = await runStack(ADMIN_UNION, [
            network,
            { ...fw("a", "0.0.0.0/1"), props: { ...fw("a", "0.0.0.0/1").props, network: UNKNOWN }, deps: { network: ["vpc"] } },
            { ...fw("b", "128.0.0.0/1"), props: { ...fw("b", "128.0.0.0/1").props, network: UNKNOWN }, deps: { network: ["vpc"] } },
        ]);
        assert.match(linked[0]!.message, /^gcp:compute\/network:Network "vpc": 3389\/tcp/);
    });

    it("dangerous services add up too, and stay advisory", async () => {
        const v = await runStack(DANGEROUS_UNION, [
            half("a", "0.0.0.0/1", {}, "sg-1"),
            {
                ...half("b", "128.0.0.0/1", {}, "sg-1"),
                props: { ipProtocol: "tcp", fromPort: 6379, toPort: 6379, cidrIpv4: "0.0.0.0/1", securityGroupId: "sg-1" },
            },
            {
                ...half("c", "128.0.0.0/1", {}, "sg-1"),
                props: { ipProtocol: "tcp", fromPort: 6000, toPort: 7000, cidrIpv4: "128.0.0.0/1", securityGroupId: "sg-1" },
            },
        ]);
        assert.deepEqual(
            v.map((x) => [x.level, x.message.split(" is open")[0]]),
            [
                [
                    "advisory",
                    'sg-1 (not in this stack; joined by "a", "b", "c"): 6379/tcp (Redis: unauthenticated by default; remote code execution)',
                ],
            ],
        );
    });

    it("exemptions leave out a group or one rule", async () => {
        const resources = [
            group,
            half("a", "0.0.0.0/1", { securityGroupId: ["media"] }),
            half("b", "128.0.0.0/1", { securityGroupId: ["media"] }),
        ];
        assert.deepEqual(await runStack(ADMIN_UNION, resources, { exemptUrns: [urn(T.sg, "media")] }), []);
        assert.deepEqual(await runStack(ADMIN_UNION, resources, { exemptUrns: [urn(T.ingress, "b")] }), []);
    });
});

describe("policy pack: Oracle Cloud", () => {
    const rule = (name: string, source: string, more: Record<string, unknown> = {}): TestResource => ({
        type: T.ociRule,
        name,
        deps: { networkSecurityGroupId: ["nsg"] },
        props: {
            direction: "INGRESS",
            protocol: "6",
            source,
            sourceType: "CIDR_BLOCK",
            stateless: false,
            tcpOptions: { destinationPortRange: { min: 22, max: 22 } },
            networkSecurityGroupId: UNKNOWN,
            ...more,
        },
    });
    const nsg: TestResource = { type: T.ociNsg, name: "nsg", props: { id: UNKNOWN, freeformTags: { team: "media" } } };

    it("rules of one NSG add up; protocol all and no options open every port; a service label or another NSG is never the world", async () => {
        const v = await runStack(ADMIN_UNION, [nsg, rule("a", "0.0.0.0/1"), rule("b", "128.0.0.0/1")]);
        assert.deepEqual(
            v.map((x) => x.message.split(" through ")[0]),
            ['oci:Core/networkSecurityGroup:NetworkSecurityGroup "nsg": 22/tcp (SSH) is open to all of IPv4'],
        );
        assert.deepEqual(
            (await runResource(ADMIN, rule("all", "::/0", { protocol: "all", tcpOptions: undefined }))).map(
                (x) => x.message.split(": ")[1]!.split(" is open")[0],
            ),
            ["22/tcp (SSH)", "3389/tcp (RDP)"],
        );
        assert.deepEqual(
            await runResource(ADMIN, rule("svc", "all-fra-services-in-oracle-services-network", { sourceType: "SERVICE_CIDR_BLOCK" })),
            [],
        );
        assert.deepEqual(
            await runResource(ADMIN, rule("peer", "ocid1.networksecuritygroup.oc1..peer", { sourceType: "NETWORK_SECURITY_GROUP" })),
            [],
        );
        assert.deepEqual(await runResource(ADMIN, rule("udp", "0.0.0.0/0", { protocol: "17" })), [], "UDP options are not TCP's");
    });

    it("an NSG that lets traffic in and has no EGRESS rule starves the server; one EGRESS rule is enough", async () => {
        const v = await runStack(EGRESS, [nsg, rule("in", "203.0.113.0/24")]);
        assert.match(v[0]!.message, /"nsg": lets traffic in but has no outbound rule, and an OCI NSG starts with no egress rule/);
        assert.deepEqual(
            await runStack(EGRESS, [
                nsg,
                rule("in", "203.0.113.0/24"),
                rule("out", "", {
                    direction: "EGRESS",
                    protocol: "all",
                    destination: "0.0.0.0/0",
                    destinationType: "CIDR_BLOCK",
                    source: undefined,
                    sourceType: undefined,
                    tcpOptions: undefined,
                }),
            ]),
            [],
        );
    });

    it("what each field means, and unknowns by path", () => {
        assert.deepEqual(
            readingOf(T.ociRule, {
                direction: "INGRESS",
                protocol: "17",
                source: "2001:db8::/32",
                sourceType: "CIDR_BLOCK",
                udpOptions: { destinationPortRange: { min: 50000, max: 60000 } },
                networkSecurityGroupId: "ocid1.networksecuritygroup.oc1..n",
            }),
            {
                rules: ["- | allow | 0 | udp | 50000-60000 | 2001:db8::/32=2001:db8::/32 | all"],
                egress: 0,
                unknowns: [],
                groupKeys: undefined,
                joins: { property: "networkSecurityGroupId", key: "oci:ocid1.networksecuritygroup.oc1..n" },
                noEgress: false,
                tags: {},
            },
        );
        assert.deepEqual(readingOf(T.ociNsg, { id: "ocid1.networksecuritygroup.oc1..n", freeformTags: { a: "b" } }).groupKeys, [
            "oci:ocid1.networksecuritygroup.oc1..n",
        ]);
        assert.deepEqual(
            [
                readingOf(T.ociNsg, { id: "" }).groupKeys,
                readingOf(T.ociNsg, { id: 7 }).groupKeys,
                readingOf(T.ociNsg, { freeformTags: { a: "b" } }).tags,
            ],
            [[], [], { a: "b" }],
        );
        const ingress = (props: Record<string, unknown>) =>
            readingOf(T.ociRule, { direction: "INGRESS", protocol: "6", source: "10.0.0.0/8", ...props });
        assert.deepEqual(
            ingress({}).rules,
            ["- | allow | 0 | tcp | 1-65535 | 10.0.0.0/8=10.0.0.0/8 | all"],
            "no options, no sourceType: every port, a CIDR",
        );
        assert.deepEqual(ingress({ sourceType: "NETWORK_SECURITY_GROUP" }).rules, [
            "- | allow | 0 | tcp | 1-65535 | 10.0.0.0/8=named | all",
        ]);
        assert.deepEqual(
            ingress({ tcpOptions: { destinationPortRange: { min: "22", max: 22 } } }).rules,
            ["- | allow | 0 | tcp | none | 10.0.0.0/8=10.0.0.0/8 | all"],
            "a range that is not numbers opens nothing",
        );
        assert.deepEqual(ingress({ tcpOptions: { destinationPortRange: { min: 22, max: "x" } } }).rules, [
            "- | allow | 0 | tcp | none | 10.0.0.0/8=10.0.0.0/8 | all",
        ]);
        assert.deepEqual(
            ingress({ udpOptions: { destinationPortRange: { min: 22, max: 22 } } }).rules,
            ["- | allow | 0 | tcp | 1-65535 | 10.0.0.0/8=10.0.0.0/8 | all"],
            "UDP options do not limit a TCP rule",
        );
        assert.deepEqual(ingress({ source: 5 }).rules, ["- | allow | 0 | tcp | 1-65535 |  | all"]);
        assert.deepEqual(
            [
                ingress({ direction: "SIDEWAYS" }).rules,
                ingress({ direction: "SIDEWAYS" }).egress,
                ingress({ direction: "EGRESS" }).egress,
                ingress({ direction: "EGRESS" }).rules,
            ],
            [[], 0, 1, []],
        );
        assert.deepEqual(
            [ingress({ networkSecurityGroupId: "" }).joins, ingress({ networkSecurityGroupId: 7 }).joins],
            [
                { property: "networkSecurityGroupId", key: undefined },
                { property: "networkSecurityGroupId", key: undefined },
            ],
        );
        assert.deepEqual(
            readingOf(
                T.ociRule,
                Object.fromEntries(
                    ["direction", "networkSecurityGroupId", "protocol", "source", "sourceType", "freeformTags"].map((k) => [k, UNKNOWN]),
                ),
            ).unknowns,
            ["freeformTags", "direction", "networkSecurityGroupId", "protocol", "source", "sourceType"],
        );
    });
});

describe("policy pack: OpenStack and Linode", () => {
    const rule = (name: string, remoteIpPrefix: string | undefined, more: Record<string, unknown> = {}): TestResource => ({
        type: T.osRule,
        name,
        deps: { securityGroupId: ["sg"] },
        props: {
            direction: "ingress",
            ethertype: "IPv4",
            protocol: "tcp",
            portRangeMin: 22,
            portRangeMax: 22,
            remoteIpPrefix,
            securityGroupId: UNKNOWN,
            ...more,
        },
    });
    const group = (more: Record<string, unknown> = {}): TestResource => ({ type: T.osGroup, name: "sg", props: { id: UNKNOWN, ...more } });

    it("OpenStack: rules of one group add up; no remote prefix is the whole ethertype, no port range every port; a group is never the world", async () => {
        const v = await runStack(ADMIN_UNION, [group({ deleteDefaultRules: true }), rule("a", "0.0.0.0/1"), rule("b", "128.0.0.0/1")]);
        assert.deepEqual(
            v.map((x) => x.message.split(" through ")[0]),
            ['openstack:networking/secGroup:SecGroup "sg": 22/tcp (SSH) is open to all of IPv4'],
        );
        assert.deepEqual(
            (await runResource(ADMIN, rule("any", undefined, { ethertype: "IPv6", portRangeMin: undefined, portRangeMax: undefined }))).map(
                (x) => x.message.split(": ")[1]!.split(" is open")[0],
            ),
            ["22/tcp (SSH)", "3389/tcp (RDP)"],
        );
        assert.deepEqual(await runResource(ADMIN, rule("peer", undefined, { remoteGroupId: "5b5ce4ab-2a4f-4c4b-8a6c-0c2c4a3d9f10" })), []);
        assert.deepEqual(await runResource(ADMIN, rule("udp", "0.0.0.0/0", { protocol: "udp" })), [], "a UDP rule is not TCP's");
    });

    it("OpenStack: a group without its default egress and no egress rule starves the server; Neutron's defaults or one egress rule are enough", async () => {
        const v = await runStack(EGRESS, [group({ deleteDefaultRules: true }), rule("in", "203.0.113.0/24")]);
        assert.match(
            v[0]!.message,
            /"sg": lets traffic in but has no outbound rule, and an OpenStack group created with deleteDefaultRules has no egress rule/,
        );
        assert.deepEqual(await runStack(EGRESS, [group(), rule("in", "203.0.113.0/24")]), [], "Neutron's two default egress rules stay");
        assert.deepEqual(
            await runStack(EGRESS, [
                group({ deleteDefaultRules: true }),
                rule("in", "203.0.113.0/24"),
                rule("out", undefined, { direction: "egress", protocol: undefined, portRangeMin: undefined, portRangeMax: undefined }),
            ]),
            [],
        );
    });

    it("Linode: the first matching rule decides, so a DROP ahead of an ACCEPT closes it; inboundPolicy ACCEPT is the world on every port", async () => {
        const fw = (props: Record<string, unknown>): TestResource => ({
            type: T.linode,
            name: "fw",
            props: { inboundPolicy: "DROP", outboundPolicy: "ACCEPT", ...props },
        });
        const accept = { label: "ssh", action: "ACCEPT", protocol: "TCP", ports: "22", ipv4s: ["0.0.0.0/0"] };
        const drop = { label: "no", action: "DROP", protocol: "TCP", ports: "20-30", ipv4s: ["0.0.0.0/0"] };
        assert.equal((await runResource(ADMIN, fw({ inbounds: [accept] }))).length, 1);
        assert.deepEqual(await runResource(ADMIN, fw({ inbounds: [drop, accept] })), []);
        assert.deepEqual(
            (await runResource(ADMIN, fw({ inboundPolicy: "ACCEPT" }))).map((x) => x.message.split(": ")[1]!.split(" is open")[0]),
            ["22/tcp (SSH)", "3389/tcp (RDP)"],
        );
        assert.deepEqual(
            await runResource(ADMIN, fw({ inbounds: [{ ...accept, ports: undefined, protocol: "ICMP" }] })),
            [],
            "ICMP opens no port",
        );
        const starved = await runStack(EGRESS, [fw({ outboundPolicy: "DROP", inbounds: [{ ...accept, ipv4s: ["203.0.113.0/24"] }] })]);
        assert.match(starved[0]!.message, /outboundPolicy is DROP, with no outbound ACCEPT rule/);
    });
});

describe("policy pack: egress that starves a media server", () => {
    const sg: TestResource = { type: T.sg, name: "media", props: { egress: [] } };
    const media: TestResource = {
        type: T.ingress,
        name: "rtc",
        props: { ipProtocol: "udp", fromPort: 50000, toPort: 60000, cidrIpv4: "0.0.0.0/0", securityGroupId: UNKNOWN },
        deps: { securityGroupId: ["media"] },
    };

    it("an AWS group with inbound rules and no egress is advisory; one egress rule, inline or standalone, is enough", async () => {
        const v = await runStack(EGRESS, [sg, media]);
        assert.deepEqual(
            v.map((x) => x.level),
            ["advisory"],
        );
        assert.match(
            v[0]!.message,
            /^aws:ec2\/securityGroup:SecurityGroup "media": lets traffic in but has no outbound rule, and the AWS provider revokes AWS's default allow-all egress/,
        );
        const out: TestResource = {
            type: T.egress,
            name: "out",
            props: { ipProtocol: "-1", cidrIpv4: "0.0.0.0/0", securityGroupId: UNKNOWN },
            deps: { securityGroupId: ["media"] },
        };
        assert.deepEqual(await runStack(EGRESS, [sg, media, out]), []);
        assert.deepEqual(
            await runStack(EGRESS, [
                { ...sg, props: { egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] } },
                media,
            ]),
            [],
        );
        assert.deepEqual(await runStack(EGRESS, [sg]), [], "a group that lets nothing in starves nobody");
    });

    it("a DigitalOcean firewall with inbound rules and no outbound rule; Azure, GCP and Hetzner default to open egress", async () => {
        const v = await runStack(EGRESS, [
            {
                type: T.doFirewall,
                name: "d",
                props: { inboundRules: [{ protocol: "udp", portRange: "50000-60000", sourceAddresses: ["0.0.0.0/0"] }] },
            },
        ]);
        assert.match(v[0]!.message, /DigitalOcean then permits no outbound traffic at all/);
        const others = opening(50000, ["0.0.0.0/0"], "udp").filter((r) => [T.gcp, T.nsg, T.hetzner].includes(r.type));
        assert.deepEqual(await runStack(EGRESS, others), []);
    });
});

/** A reading as one line per rule, so a table says what each cloud's fields mean. */
function readingOf(type: string, props: Record<string, unknown>) {
    const reading = readFirewall(type, urn(type, "r"), unknownCheckingProxy(props))!;
    const rules = reading.ingress.map((r) =>
        [
            r.label || "-",
            r.action,
            r.priority,
            r.protocols.join("+") || "none",
            r.ports.map(formatRange).join(",") || "none",
            r.sources.map((s) => `${s.text}=${s.cidrs.map((c) => c.text).join("+") || "named"}${s.implicit ? "(implicit)" : ""}`).join(" "),
            r.targets?.join("+") ?? "all",
        ].join(" | "),
    );
    return {
        rules,
        egress: reading.egressRules,
        unknowns: reading.unknowns,
        groupKeys: reading.groupKeys,
        joins: reading.joins,
        noEgress: reading.noEgressMeans !== undefined,
        tags: reading.tags,
    };
}

describe("policy pack: what each cloud's fields mean", () => {
    it("AWS security group: inline permissions, -1, named sources, egress, id and tags", () => {
        assert.deepEqual(
            readingOf(T.sg, {
                id: "sg-0abc",
                tags: { team: "media", n: 1 },
                ingress: [
                    {
                        protocol: "tcp",
                        fromPort: 443,
                        toPort: 443,
                        cidrBlocks: [" 203.0.113.7 ", "10.1.2.3/8"],
                        ipv6CidrBlocks: ["2001:db8::1"],
                    },
                    { protocol: "-1", fromPort: 0, toPort: 0, prefixListIds: ["pl-1"], securityGroups: ["sg-2"], self: true },
                    { protocol: "17", fromPort: 0, toPort: 65535, cidrBlocks: ["junk"] },
                    { protocol: "icmp", fromPort: 8, toPort: 0, cidrBlocks: ["0.0.0.0/0"] },
                    { protocol: "tcp", fromPort: 10, cidrBlocks: ["0.0.0.0/0"] },
                    null,
                ],
                egress: [
                    { protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] },
                    { protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlocks: ["::/0"] },
                ],
            }),
            {
                rules: [
                    "ingress[0] | allow | 0 | tcp | 443 |  203.0.113.7 =203.0.113.7/32 10.1.2.3/8=10.0.0.0/8 2001:db8::1=2001:db8::1/128 | all",
                    "ingress[1] | allow | 0 | tcp+udp | 1-65535 | pl-1=named sg-2=named self=named | all",
                    "ingress[2] | allow | 0 | udp | 1-65535 | junk=named | all",
                ],
                egress: 2,
                unknowns: [],
                groupKeys: ["aws:sg-0abc"],
                joins: undefined,
                noEgress: true,
                tags: { team: "media" },
            },
        );
    });

    it("AWS rule resources: direction, the group they join, one CIDR each", () => {
        assert.deepEqual(
            readingOf(T.sgRule, {
                type: "ingress",
                protocol: "all",
                fromPort: 0,
                toPort: 0,
                cidrBlocks: ["0.0.0.0/0"],
                sourceSecurityGroupId: "sg-9",
                securityGroupId: "sg-1",
            }),
            {
                rules: ["- | allow | 0 | tcp+udp | 1-65535 | 0.0.0.0/0=0.0.0.0/0 sg-9=named | all"],
                egress: 0,
                unknowns: [],
                groupKeys: undefined,
                joins: { property: "securityGroupId", key: "aws:sg-1" },
                noEgress: false,
                tags: {},
            },
        );
        assert.deepEqual(
            readingOf(T.sgRule, { type: "egress", protocol: "tcp", fromPort: 1, toPort: 2, cidrBlocks: ["0.0.0.0/0"], securityGroupId: "" })
                .joins,
            { property: "securityGroupId", key: undefined },
        );
        assert.equal(readingOf(T.sgRule, { type: "egress", protocol: "tcp", fromPort: 1, toPort: 2, cidrBlocks: [] }).egress, 1);
        assert.deepEqual(readingOf(T.sgRule, { type: "egress", protocol: "tcp", fromPort: 1, toPort: 2, cidrBlocks: [] }).rules, []);
        assert.deepEqual(
            readingOf(T.ingress, {
                ipProtocol: "udp",
                fromPort: 3478,
                toPort: 3478,
                cidrIpv6: "::/0",
                referencedSecurityGroupId: "sg-3",
                securityGroupId: "sg-1",
            }).rules,
            ["- | allow | 0 | udp | 3478 | ::/0=::/0 sg-3=named | all"],
        );
        const egress = readingOf(T.egress, { ipProtocol: "-1", cidrIpv4: "0.0.0.0/0", securityGroupId: "sg-1" });
        assert.deepEqual([egress.rules, egress.egress], [[], 1]);
    });

    it("GCP firewall: allows and denies, priority, targets, source tags, the network it joins", () => {
        assert.deepEqual(
            readingOf(T.gcp, {
                network: "projects/p/global/networks/vpc-1",
                priority: 900,
                sourceRanges: ["203.0.113.0/24"],
                sourceTags: ["bastion"],
                sourceServiceAccounts: ["sa@p"],
                targetTags: ["media"],
                targetServiceAccounts: ["media@p"],
                allows: [{ protocol: "tcp", ports: ["22", "1000-2000"] }, { protocol: "udp" }, { protocol: "esp" }],
            }),
            {
                rules: [
                    "allows[0] | allow | 900 | tcp | 22,1000-2000 | 203.0.113.0/24=203.0.113.0/24 bastion=named sa@p=named | media+media@p",
                    "allows[1] | allow | 900 | udp | 1-65535 | 203.0.113.0/24=203.0.113.0/24 bastion=named sa@p=named | media+media@p",
                    "allows[2] | allow | 900 | none | 1-65535 | 203.0.113.0/24=203.0.113.0/24 bastion=named sa@p=named | media+media@p",
                ],
                egress: 0,
                unknowns: [],
                groupKeys: undefined,
                joins: { property: "network", key: "gcp:p/vpc-1" },
                noEgress: false,
                tags: {},
            },
        );
        assert.deepEqual(readingOf(T.gcp, { direction: "ingress", denies: [{ protocol: "all", ports: [] }] }).rules, [
            "denies[0] | deny | 1000 | tcp+udp | 1-65535 | no sourceRanges (GCP reads that as 0.0.0.0/0)=0.0.0.0/0(implicit) | all",
        ]);
        assert.deepEqual(
            readingOf(T.gcpNetwork, {
                name: "vpc-1",
                project: "p",
                selfLink: "https://www.googleapis.com/compute/v1/projects/p/global/networks/vpc-1b",
            }).groupKeys,
            ["gcp:p/vpc-1", "gcp:p/vpc-1b"],
        );
        assert.deepEqual(readingOf(T.gcpNetwork, { name: "", selfLink: 7 }).groupKeys, []);
    });

    it("DigitalOcean firewall: port ranges, named sources, outbound rules", () => {
        assert.deepEqual(
            readingOf(T.doFirewall, {
                inboundRules: [
                    {
                        protocol: "tcp",
                        portRange: "1000-2000",
                        sourceAddresses: ["0.0.0.0/0"],
                        sourceTags: ["web"],
                        sourceDropletIds: [42],
                        sourceLoadBalancerUids: ["lb"],
                        sourceKubernetesIds: ["k8s"],
                    },
                    { protocol: "udp", sourceAddresses: ["::/0"] },
                    { protocol: "icmp", sourceAddresses: ["::/0"] },
                    { protocol: "tcp", portRange: "http", sourceAddresses: ["::/0"] },
                ],
                outboundRules: [{ protocol: "tcp", portRange: "all", destinationAddresses: ["0.0.0.0/0"] }],
            }),
            {
                rules: [
                    "inboundRules[0] | allow | 0 | tcp | 1000-2000 | 0.0.0.0/0=0.0.0.0/0 web=named 42=named lb=named k8s=named | all",
                    "inboundRules[1] | allow | 0 | udp | 1-65535 | ::/0=::/0 | all",
                    "inboundRules[2] | allow | 0 | none | 1-65535 | ::/0=::/0 | all",
                    "inboundRules[3] | allow | 0 | tcp | 1-65535 | ::/0=::/0 | all",
                ],
                egress: 1,
                unknowns: [],
                groupKeys: [],
                joins: undefined,
                noEgress: true,
                tags: {},
            },
        );
    });

    it("Azure NSG and rule: access, priority, tags and prefixes, port lists, the NSG a rule joins", () => {
        assert.deepEqual(
            readingOf(T.nsg, {
                networkSecurityGroupName: "NSG-1",
                resourceGroupName: "rg",
                name: "nsg-1",
                tags: { env: "prod" },
                securityRules: [
                    {
                        name: "a",
                        direction: "Inbound",
                        access: "Allow",
                        priority: 100,
                        protocol: "Udp",
                        sourceAddressPrefix: "VirtualNetwork",
                        sourceAddressPrefixes: ["10.0.0.0/8"],
                        sourceApplicationSecurityGroups: [{ id: "asg-1" }],
                        destinationPortRanges: ["22", "50000-60000"],
                    },
                    {
                        name: "b",
                        direction: "Inbound",
                        access: "Deny",
                        priority: 200,
                        protocol: "*",
                        sourceAddressPrefix: " Internet ",
                        destinationPortRange: "*",
                    },
                    {
                        name: "c",
                        direction: "Inbound",
                        access: "Maybe",
                        priority: 300,
                        protocol: "Tcp",
                        sourceAddressPrefix: "*",
                        destinationPortRange: "22",
                    },
                    {
                        name: "d",
                        direction: "Outbound",
                        access: "Allow",
                        priority: 100,
                        protocol: "*",
                        destinationAddressPrefix: "*",
                        destinationPortRange: "*",
                    },
                    {
                        name: "e",
                        direction: "Outbound",
                        access: "Deny",
                        priority: 200,
                        protocol: "*",
                        destinationAddressPrefix: "*",
                        destinationPortRange: "*",
                    },
                    { direction: "Inbound", access: "Allow", protocol: "Tcp", sourceAddressPrefix: "Any" },
                ],
            }),
            {
                rules: [
                    'securityRules[0] "a" | allow | 100 | udp | 22,50000-60000 | VirtualNetwork=named 10.0.0.0/8=10.0.0.0/8 application security group asg-1=named | all',
                    'securityRules[1] "b" | deny | 200 | tcp+udp | 1-65535 |  Internet =0.0.0.0/0+::/0 | all',
                    "securityRules[5] | allow | 0 | tcp | 1-65535 | Any=0.0.0.0/0+::/0 | all",
                ],
                egress: 1,
                unknowns: [],
                groupKeys: ["azure:rg/nsg-1", "azure:rg/nsg-1"],
                joins: undefined,
                noEgress: false,
                tags: { env: "prod" },
            },
        );
        assert.deepEqual(
            readingOf(T.azureRule, {
                direction: "Inbound",
                access: "Allow",
                priority: 4096,
                protocol: "Tcp",
                sourceAddressPrefix: "203.0.113.0/24",
                destinationPortRange: "443",
                networkSecurityGroupName: "NSG-1",
                resourceGroupName: "RG",
            }),
            {
                rules: ["- | allow | 4096 | tcp | 443 | 203.0.113.0/24=203.0.113.0/24 | all"],
                egress: 0,
                unknowns: [],
                groupKeys: undefined,
                joins: { property: "networkSecurityGroupName", key: "azure:rg/nsg-1" },
                noEgress: false,
                tags: {},
            },
        );
        assert.equal(readingOf(T.azureRule, { direction: "Outbound", access: "Allow", protocol: "*" }).egress, 1);
        assert.equal(readingOf(T.azureRule, { direction: "Outbound", access: "Deny", protocol: "*" }).egress, 0);
        assert.deepEqual(readingOf(T.azureRule, { direction: "Outbound", access: "Allow", protocol: "*" }).rules, []);
    });

    it("Hetzner firewall: directions, any, labels", () => {
        assert.deepEqual(
            readingOf(T.hetzner, {
                labels: { exempt: "yes" },
                rules: [
                    { direction: "in", protocol: "udp", port: "50000-60000", sourceIps: ["0.0.0.0/0", "::/0"] },
                    { direction: "out", protocol: "tcp", port: "any", destinationIps: ["0.0.0.0/0"] },
                    { direction: "out", protocol: "udp", port: "any", destinationIps: ["0.0.0.0/0"] },
                    { direction: "sideways", protocol: "udp", port: "1" },
                    { direction: "in", protocol: "gre" },
                ],
            }),
            {
                rules: [
                    "rules[0] | allow | 0 | udp | 50000-60000 | 0.0.0.0/0=0.0.0.0/0 ::/0=::/0 | all",
                    "rules[4] | allow | 0 | none | 1-65535 |  | all",
                ],
                egress: 2,
                unknowns: [],
                groupKeys: [],
                joins: undefined,
                noEgress: false,
                tags: { exempt: "yes" },
            },
        );
    });

    it("Linode firewall: rules in order, DROP and ACCEPT, port lists, no ports, inboundPolicy, outbound, tags", () => {
        assert.deepEqual(
            readingOf(T.linode, {
                tags: ["exempt", "media"],
                inboundPolicy: "DROP",
                outboundPolicy: "ACCEPT",
                inbounds: [
                    { action: "DROP", protocol: "TCP", ports: "22", ipv4s: ["198.51.100.0/24"] },
                    { action: "ACCEPT", protocol: "UDP", ports: " 3478, 50000-60000 ", ipv4s: ["0.0.0.0/0"], ipv6s: ["::/0"] },
                    { action: "ACCEPT", protocol: "TCP", ipv6s: ["2001:db8::/32"] },
                    { action: "ACCEPT", protocol: "TCP", ports: "", ipv4s: ["10.0.0.0/8"] },
                    { action: "ACCEPT", protocol: "ICMP", ipv4s: ["0.0.0.0/0"] },
                    { action: "ACCEPT", protocol: "UDP", ports: "0, 70000, 53", ipv4s: ["10.0.0.0/8"] },
                ],
            }),
            {
                rules: [
                    "inbounds[0] | deny | 0 | tcp | 22 | 198.51.100.0/24=198.51.100.0/24 | all",
                    "inbounds[1] | allow | 1 | udp | 3478,50000-60000 | 0.0.0.0/0=0.0.0.0/0 ::/0=::/0 | all",
                    "inbounds[2] | allow | 2 | tcp | 1-65535 | 2001:db8::/32=2001:db8::/32 | all",
                    "inbounds[3] | allow | 3 | tcp | 1-65535 | 10.0.0.0/8=10.0.0.0/8 | all",
                    "inbounds[4] | allow | 4 | none | 1-65535 | 0.0.0.0/0=0.0.0.0/0 | all",
                    "inbounds[5] | allow | 5 | udp | 53 | 10.0.0.0/8=10.0.0.0/8 | all",
                ],
                egress: 1,
                unknowns: [],
                groupKeys: [],
                joins: undefined,
                noEgress: true,
                tags: { exempt: "", media: "" },
            },
        );
        const open = readingOf(T.linode, {
            inboundPolicy: "ACCEPT",
            outboundPolicy: "DROP",
            outbounds: [{ action: "ACCEPT" }, { action: "DROP" }, { action: "ACCEPT" }],
        });
        assert.deepEqual(open.rules, ["inboundPolicy | allow | 0 | tcp+udp | 1-65535 | inboundPolicy ACCEPT=0.0.0.0/0+::/0 | all"]);
        assert.equal(open.egress, 2, "outboundPolicy DROP: only the ACCEPT outbound rules let the server send");
        assert.equal(readingOf(T.linode, { outboundPolicy: "DROP" }).egress, 0);
    });

    it("OpenStack group and rule: default egress kept or deleted, ids, the group a rule joins, ports, protocols, remotes by ethertype", () => {
        assert.deepEqual(readingOf(T.osGroup, { id: "g-1", tags: ["exempt"] }), {
            rules: [],
            egress: 2,
            unknowns: [],
            groupKeys: ["openstack:g-1"],
            joins: undefined,
            noEgress: true,
            tags: { exempt: "" },
        });
        assert.deepEqual(readingOf(T.osGroup, { id: "", deleteDefaultRules: true }).groupKeys, []);
        assert.equal(readingOf(T.osGroup, { id: "g-1", deleteDefaultRules: true }).egress, 0);
        const rule = (props: Record<string, unknown>) => readingOf(T.osRule, { direction: "ingress", securityGroupId: "g-1", ...props });
        assert.deepEqual(rule({ ethertype: "IPv4", protocol: "tcp", portRangeMin: 22, portRangeMax: 23, remoteIpPrefix: "0.0.0.0/1" }), {
            rules: ["- | allow | 0 | tcp | 22-23 | 0.0.0.0/1=0.0.0.0/1 | all"],
            egress: 0,
            unknowns: [],
            groupKeys: undefined,
            joins: { property: "securityGroupId", key: "openstack:g-1" },
            noEgress: false,
            tags: {},
        });
        assert.deepEqual(rule({ ethertype: "IPv4", protocol: "udp", portRangeMin: 5 }).rules, [
            "- | allow | 0 | udp | 5 | 0.0.0.0/0=0.0.0.0/0 | all",
        ]);
        assert.deepEqual(rule({ ethertype: "IPv6", protocol: "", portRangeMin: 0, portRangeMax: 0 }).rules, [
            "- | allow | 0 | tcp+udp | 1-65535 | ::/0=::/0 | all",
        ]);
        assert.deepEqual(rule({ ethertype: "IPv4", protocol: null, remoteGroupId: "g-2" }).rules, [
            "- | allow | 0 | tcp+udp | 1-65535 | g-2=named | all",
        ]);
        assert.deepEqual(rule({ ethertype: "IPv4", protocol: "icmp", remoteIpPrefix: "", remoteGroupId: "" }).rules, [
            "- | allow | 0 | none | 1-65535 | 0.0.0.0/0=0.0.0.0/0 | all",
        ]);
        assert.deepEqual(rule({ securityGroupId: "" }).joins, { property: "securityGroupId", key: undefined });
        assert.deepEqual(readingOf(T.osRule, { direction: "egress", ethertype: "IPv6" }).egress, 1);
        assert.deepEqual(readingOf(T.osRule, { direction: "sideways" }).rules, []);
        // What it cannot read opens what it might: a port range it cannot read is every port, a remote it cannot read the ethertype's world.
        assert.deepEqual(rule({ ethertype: "IPv4", protocol: "tcp", portRangeMin: "22", remoteIpPrefix: 5 }).rules, [
            "- | allow | 0 | tcp | 1-65535 | 0.0.0.0/0=0.0.0.0/0 | all",
        ]);
        assert.deepEqual(rule({ ethertype: "IPv4", protocol: "tcp", portRangeMin: 10, portRangeMax: 5, remoteGroupId: 7 }).rules, [
            "- | allow | 0 | tcp | none | 0.0.0.0/0=0.0.0.0/0 | all",
        ]);
        assert.deepEqual(readingOf(T.osGroup, { id: 5 }).groupKeys, []);
        assert.deepEqual(rule({ securityGroupId: 7 }).joins, { property: "securityGroupId", key: undefined });
    });

    it("every field unknown: each is named by its path, nothing is read from it", () => {
        const unknownOf = (keys: string[]) => Object.fromEntries(keys.map((k) => [k, UNKNOWN]));
        const cases: [string, string[], string[]][] = [
            [T.sg, ["id", "tags", "ingress", "egress"], ["tags", "ingress", "egress", "id"]],
            [
                T.sgRule,
                [
                    "type",
                    "protocol",
                    "fromPort",
                    "toPort",
                    "cidrBlocks",
                    "ipv6CidrBlocks",
                    "prefixListIds",
                    "sourceSecurityGroupId",
                    "self",
                    "securityGroupId",
                ],
                [
                    "type",
                    "protocol",
                    "fromPort",
                    "toPort",
                    "cidrBlocks",
                    "ipv6CidrBlocks",
                    "prefixListIds",
                    "sourceSecurityGroupId",
                    "self",
                    "securityGroupId",
                ],
            ],
            [
                T.ingress,
                [
                    "ipProtocol",
                    "fromPort",
                    "toPort",
                    "cidrIpv4",
                    "cidrIpv6",
                    "prefixListId",
                    "referencedSecurityGroupId",
                    "securityGroupId",
                ],
                [
                    "ipProtocol",
                    "fromPort",
                    "toPort",
                    "cidrIpv4",
                    "cidrIpv6",
                    "prefixListId",
                    "referencedSecurityGroupId",
                    "securityGroupId",
                ],
            ],
            [
                T.gcp,
                [
                    "direction",
                    "disabled",
                    "network",
                    "priority",
                    "targetTags",
                    "targetServiceAccounts",
                    "sourceRanges",
                    "sourceTags",
                    "sourceServiceAccounts",
                    "allows",
                    "denies",
                ],
                [
                    "direction",
                    "disabled",
                    "network",
                    "priority",
                    "targetTags",
                    "targetServiceAccounts",
                    "sourceRanges",
                    "sourceTags",
                    "sourceServiceAccounts",
                    "allows",
                    "denies",
                ],
            ],
            [T.gcpNetwork, ["name", "selfLink"], []],
            [T.doFirewall, ["inboundRules", "outboundRules"], ["inboundRules", "outboundRules"]],
            [
                T.nsg,
                ["tags", "securityRules", "networkSecurityGroupName", "name"],
                ["tags", "securityRules", "networkSecurityGroupName", "name"],
            ],
            [
                T.azureRule,
                [
                    "direction",
                    "access",
                    "name",
                    "priority",
                    "destinationPortRange",
                    "destinationPortRanges",
                    "protocol",
                    "sourceAddressPrefix",
                    "sourceAddressPrefixes",
                    "sourceApplicationSecurityGroups",
                    "networkSecurityGroupName",
                ],
                [
                    "tags",
                    "direction",
                    "access",
                    "name",
                    "priority",
                    "destinationPortRange",
                    "destinationPortRanges",
                    "protocol",
                    "sourceAddressPrefix",
                    "sourceAddressPrefixes",
                    "sourceApplicationSecurityGroups",
                    "networkSecurityGroupName",
                ].filter((k) => k !== "tags"),
            ],
            [T.hetzner, ["rules", "labels"], ["rules", "labels"]],
            [
                T.linode,
                ["inbounds", "inboundPolicy", "outboundPolicy", "outbounds", "tags"],
                ["inbounds", "inboundPolicy", "outboundPolicy", "outbounds", "tags"],
            ],
            [T.osGroup, ["id", "tags", "deleteDefaultRules"], ["tags", "id", "deleteDefaultRules"]],
            [
                T.osRule,
                [
                    "tags",
                    "securityGroupId",
                    "direction",
                    "protocol",
                    "portRangeMin",
                    "portRangeMax",
                    "remoteIpPrefix",
                    "remoteGroupId",
                    "ethertype",
                ],
                ["tags", "securityGroupId", "direction"],
            ],
        ];
        for (const [type, keys, unknowns] of cases) assert.deepEqual(readingOf(type, unknownOf(keys)).unknowns, unknowns, type);
        const ruleFields = ["protocol", "portRangeMin", "portRangeMax", "remoteIpPrefix", "remoteGroupId", "ethertype"];
        assert.deepEqual(readingOf(T.osRule, { direction: "ingress", ...unknownOf(ruleFields) }).unknowns, ruleFields);
    });

    it("every field of an inline rule unknown: each is named by the rule's path", () => {
        const item = (keys: string[]) => Object.fromEntries(keys.map((k) => [k, UNKNOWN]));
        assert.deepEqual(
            readingOf(T.sg, { ingress: [item(["protocol", "fromPort", "toPort", "cidrBlocks", "securityGroups"])] }).unknowns,
            ["ingress[0].protocol", "ingress[0].fromPort", "ingress[0].toPort", "ingress[0].cidrBlocks", "ingress[0].securityGroups"],
        );
        assert.deepEqual(
            readingOf(T.gcp, {
                sourceRanges: ["0.0.0.0/0", UNKNOWN],
                allows: [item(["protocol", "ports"]), { protocol: "tcp", ports: ["22", UNKNOWN] }],
            }).unknowns,
            ["sourceRanges[1]", "allows[0].protocol", "allows[0].ports", "allows[1].ports[1]"],
        );
        assert.deepEqual(
            readingOf(T.doFirewall, {
                inboundRules: [item(["protocol", "portRange", "sourceAddresses", "sourceTags"])],
                outboundRules: [UNKNOWN],
            }).unknowns,
            [
                "inboundRules[0].portRange",
                "inboundRules[0].sourceAddresses",
                "inboundRules[0].sourceTags",
                "inboundRules[0].protocol",
                "outboundRules[0]",
            ],
        );
        assert.deepEqual(
            readingOf(T.nsg, {
                securityRules: [
                    item([
                        "direction",
                        "access",
                        "name",
                        "priority",
                        "destinationPortRange",
                        "protocol",
                        "sourceAddressPrefix",
                        "sourceApplicationSecurityGroups",
                    ]),
                ],
            }).unknowns,
            [
                "securityRules[0].direction",
                "securityRules[0].access",
                "securityRules[0].name",
                "securityRules[0].priority",
                "securityRules[0].destinationPortRange",
                "securityRules[0].protocol",
                "securityRules[0].sourceAddressPrefix",
                "securityRules[0].sourceApplicationSecurityGroups",
            ],
        );
        assert.deepEqual(
            readingOf(T.hetzner, {
                labels: { a: UNKNOWN, b: "x" },
                rules: [item(["direction"]), { direction: "in", ...item(["protocol", "port", "sourceIps"]) }],
            }).unknowns,
            ["rules[0].direction", "rules[1].port", "rules[1].sourceIps", "rules[1].protocol", "labels.a"],
        );
        assert.deepEqual(
            readingOf(T.linode, { inbounds: [item(["action", "protocol", "ports", "ipv4s", "ipv6s"])], outbounds: [item(["action"])] })
                .unknowns,
            [
                "inbounds[0].action",
                "inbounds[0].protocol",
                "inbounds[0].ports",
                "inbounds[0].ipv4s",
                "inbounds[0].ipv6s",
                "outbounds[0].action",
            ],
        );
    });

    it("a value that is not the unknown marker still fails loudly", () => {
        const r = new Reader();
        assert.throws(
            () =>
                r.known("x", () => {
                    throw new TypeError("boom");
                }),
            /boom/,
        );
        assert.deepEqual(r.unknowns, []);
    });

    it("port text: a port, a range, every port for a missing value or the cloud's own word, and what it cannot read", () => {
        const ports = (t: string | number | undefined) => {
            const p = portsOfText(t, ["all"]);
            return p && formatRange(p);
        };
        assert.deepEqual(
            [
                undefined,
                "",
                " all ",
                "ALL",
                "22",
                " 1000 - 2000 ",
                0,
                "0",
                "0-65535",
                "70000",
                "2000-1000",
                "any",
                "*",
                "22,23",
                "http",
                "22-",
                "a22",
            ].map(ports),
            [
                "1-65535",
                "1-65535",
                "1-65535",
                "1-65535",
                "22",
                "1000-2000",
                undefined,
                undefined,
                "1-65535",
                undefined,
                undefined,
                // Another cloud's word, or no port at all: read as every port, so a policy never passes it unread.
                "1-65535",
                "1-65535",
                "1-65535",
                "1-65535",
                "1-65535",
                "1-65535",
            ],
        );
        assert.deepEqual(
            ["tcp", " TCP ", "6", "udp", "17", "all", "-1", "*", "icmp", "58", undefined, 6].map((p) => protocolsOf(p).join("+")),
            ["tcp", "tcp", "tcp", "udp", "udp", "tcp+udp", "tcp+udp", "tcp+udp", "", "", "", "tcp"],
        );
    });
});

describe("policy pack: the judge over port pieces, priorities and denies", () => {
    const rule = (label: string, ports: string, sources: string[], more: Partial<ObservedRule> = {}): ObservedRule => ({
        urn: `urn:${label}`,
        label,
        action: "allow",
        priority: 0,
        protocols: ["tcp"],
        ports: [portsOfText(ports, [])!],
        sources: sources.map((s) => ({ text: s, cidrs: [cidrOf(s)] })),
        ...more,
    });
    const watched: Watched = { protocol: "tcp", ports: { from: 2000, to: 2100 }, what: "2000-2100/tcp (an admin port)" };
    const show = (rules: ObservedRule[], w: Watched[] = [watched]) =>
        worldOpenings(rules, w).map((o) => `${formatRange(o.ports)} ${o.covered.join("+")} by ${o.through.map((r) => r.label).join("+")}`);

    it("a rule over part of a watched range opens that part; edges on both sides", () => {
        assert.deepEqual(show([rule("a", "2050-2200", ["0.0.0.0/0"])]), ["2050-2100 all of IPv4 by a"]);
        assert.deepEqual(show([rule("a", "1990-2000", ["0.0.0.0/0"])]), ["2000 all of IPv4 by a"]);
        assert.deepEqual(show([rule("a", "2100-2300", ["::/0"])]), ["2100 all of IPv6 by a"]);
        assert.deepEqual(show([rule("a", "2101-2300", ["::/0"]), rule("b", "1-1999", ["::/0"])]), []);
        assert.deepEqual(show([rule("a", "2000-2049", ["0.0.0.0/1"]), rule("b", "2000-2100", ["128.0.0.0/1"])]), [
            "2000-2049 all of IPv4 by a+b",
        ]);
    });

    it("neighbouring pieces read as one range only when the same rules open them to the same world", () => {
        assert.deepEqual(
            show([rule("a", "2000-2100", ["0.0.0.0/0"]), rule("b", "2050-2060", ["0.0.0.0/0"])]),
            ["2000-2100 all of IPv4 by a"],
            "b adds nothing a has not let in",
        );
        assert.deepEqual(show([rule("b", "2050-2060", ["0.0.0.0/0"]), rule("a", "2000-2100", ["0.0.0.0/0"])]), [
            "2000-2049 all of IPv4 by a",
            "2050-2060 all of IPv4 by b",
            "2061-2100 all of IPv4 by a",
        ]);
        assert.deepEqual(show([rule("a", "2000-2100", ["0.0.0.0/0"]), rule("b", "2050-2060", ["::/0"])]), [
            "2000-2049 all of IPv4 by a",
            "2050-2060 all of IPv4+all of IPv6 by a+b",
            "2061-2100 all of IPv4 by a",
        ]);
        assert.deepEqual(show([rule("a", "2000-2040", ["0.0.0.0/0"]), rule("b", "2060-2100", ["0.0.0.0/0"])]), [
            "2000-2040 all of IPv4 by a",
            "2060-2100 all of IPv4 by b",
        ]);
        assert.deepEqual(show([rule("a", "2000-2040", ["0.0.0.0/0"]), rule("b", "2041-2100", ["0.0.0.0/0"])]), [
            "2000-2040 all of IPv4 by a",
            "2041-2100 all of IPv4 by b",
        ]);
        assert.deepEqual(show([rule("a", "2000-2040", ["0.0.0.0/0"]), { ...rule("a2", "2041-2100", ["0.0.0.0/0"]), urn: "urn:a" }]), [
            "2000-2040 all of IPv4 by a",
            "2041-2100 all of IPv4 by a2",
        ]);
    });

    it("a rule's other ranges, past either end of the watched range, cut no piece outside it", () => {
        assert.deepEqual(
            show([
                rule("wide", "2000-2200", ["0.0.0.0/0"], {
                    ports: [
                        { from: 2000, to: 2200 },
                        { from: 3000, to: 3010 },
                    ],
                }),
            ]),
            ["2000-2100 all of IPv4 by wide"],
        );
        assert.deepEqual(
            show([
                rule("low", "1000-1500", ["0.0.0.0/0"], {
                    ports: [
                        { from: 1000, to: 1500 },
                        { from: 1400, to: 2100 },
                    ],
                }),
            ]),
            ["2000-2100 all of IPv4 by low"],
        );
        assert.deepEqual(show([rule("a", "2100", ["0.0.0.0/1"]), rule("b", "2000-2100", ["128.0.0.0/1"])]), ["2100 all of IPv4 by a+b"]);
        assert.deepEqual(show([rule("a", "2000", ["0.0.0.0/1"]), rule("b", "2000-2100", ["128.0.0.0/1"])]), ["2000 all of IPv4 by a+b"]);
    });

    it("pieces opened by the same rules to different worlds stay apart", () => {
        const both = rule("both", "2000-2100", ["0.0.0.0/0", "::/0"], { priority: 200 });
        const noV6 = rule("no-v6", "2050-2100", ["::/0"], { action: "deny", priority: 100 });
        assert.deepEqual(show([both, noV6]), ["2000-2049 all of IPv4+all of IPv6 by both", "2050-2100 all of IPv4 by both"]);
    });

    it("a deny ahead of an allow takes its sources away; at equal priority the deny goes first; a deny alone opens nothing", () => {
        const deny = (priority: number, sources = ["0.0.0.0/1"]) => rule("deny", "1-65535", sources, { action: "deny", priority });
        const allow = rule("allow", "2000-2100", ["0.0.0.0/0"], { priority: 100 });
        assert.deepEqual(show([allow, deny(50)]), []);
        assert.deepEqual(show([deny(100), allow]), []);
        assert.deepEqual(show([allow, deny(101)]), ["2000-2100 all of IPv4 by allow"]);
        assert.deepEqual(show([deny(1, ["0.0.0.0/0"])]), []);
        assert.deepEqual(show([deny(50, ["10.0.0.0/8"]), allow, rule("late", "2000-2100", ["10.0.0.0/8"], { priority: 200 })]), []);
        assert.deepEqual(show([deny(50, ["10.0.0.0/8"]), allow, rule("late", "2000-2100", ["11.0.0.0/8"], { priority: 200 })]), []);
        assert.deepEqual(show([deny(300, ["10.0.0.0/8"]), allow]), ["2000-2100 all of IPv4 by allow"]);
        assert.deepEqual(
            show([
                deny(50, ["10.0.0.0/8"]),
                { ...allow, sources: [{ text: "0.0.0.0/0", cidrs: [cidrOf("0.0.0.0/0")] }] },
                rule("fill", "2000-2100", ["10.0.0.0/8"], { priority: 200 }),
            ]),
            [],
        );
    });

    it("protocols and ports both have to match", () => {
        assert.deepEqual(show([rule("u", "2000-2100", ["0.0.0.0/0"], { protocols: ["udp"] })]), []);
        assert.deepEqual(
            show([
                rule("two", "1-10", ["0.0.0.0/0"], {
                    ports: [
                        { from: 1, to: 10 },
                        { from: 2090, to: 2095 },
                    ],
                }),
            ]),
            ["2090-2095 all of IPv4 by two"],
        );
        assert.deepEqual(show([rule("none", "2000-2100", ["0.0.0.0/0"], { ports: [] })]), []);
    });

    it("sources are listed up to six, then counted", () => {
        const many = Array.from({ length: 8 }, (_, i) => ({ text: `10.0.${i}.0/24`, cidrs: [] }));
        assert.equal(sourcesText(many), "10.0.0.0/24, 10.0.1.0/24, 10.0.2.0/24, 10.0.3.0/24, 10.0.4.0/24, 10.0.5.0/24 and 2 more");
        assert.equal(sourcesText(many.slice(0, 6)), "10.0.0.0/24, 10.0.1.0/24, 10.0.2.0/24, 10.0.3.0/24, 10.0.4.0/24, 10.0.5.0/24");
    });

    it("world in disguise: not when any one source is a whole family; yes when only together", () => {
        assert.deepEqual(worldInDisguise(rule("h", "1", ["0.0.0.0/1", "128.0.0.0/1"])), ["all of IPv4"]);
        assert.equal(worldInDisguise(rule("h", "1", ["0.0.0.0/1", "128.0.0.0/1", "0.0.0.0/0"])), undefined);
        assert.equal(worldInDisguise(rule("h", "1", ["10.0.0.0/8"])), undefined);
        assert.deepEqual(worldInDisguise(rule("h", "1", ["0.0.0.0/1", "128.0.0.0/1", "::/0"])), undefined);
    });
});

describe("policy pack: messages and config edges", () => {
    it("part of an admin range is named as part; every piece its own violation", async () => {
        const v = await runResource(
            ADMIN,
            {
                type: T.hetzner,
                name: "h",
                props: { rules: [{ direction: "in", protocol: "tcp", port: "2050-2200", sourceIps: ["0.0.0.0/0"] }] },
            },
            { adminPorts: ["2000-2100/tcp", "2150/tcp"] },
        );
        assert.deepEqual(
            v.map((x) => x.message.split(": ")[1]!.split(" is open")[0]),
            ["2050-2100/tcp (part of 2000-2100/tcp (an admin port))", "2150/tcp (an admin port)"],
        );
    });

    it("a malformed admin port is skipped (the schema refuses it before any policy runs)", async () => {
        const v = await runResource(
            ADMIN,
            { type: T.hetzner, name: "h", props: { rules: [{ direction: "in", protocol: "tcp", port: "22", sourceIps: ["0.0.0.0/0"] }] } },
            { adminPorts: ["ssh", "22/tcp "] },
        );
        assert.deepEqual(v, []);
    });

    it("RDP is an admin port, so the dangerous-services policy leaves it to the mandatory one", async () => {
        const props = { rules: [{ direction: "in", protocol: "tcp", port: "3389", sourceIps: ["0.0.0.0/0"] }] };
        assert.deepEqual(await runResource(DANGEROUS, { type: T.hetzner, name: "h", props }), []);
        assert.equal(
            (
                await runResource(DANGEROUS, {
                    type: T.hetzner,
                    name: "h",
                    props: { rules: [{ direction: "in", protocol: "udp", port: "3389", sourceIps: ["0.0.0.0/0"] }] },
                })
            ).length,
            0,
        );
        assert.equal((await runResource(ADMIN, { type: T.hetzner, name: "h", props })).length, 1);
    });

    it("an exempting tag may hold = in its value; a missing tag exempts nothing", async () => {
        const sg = (tags: Record<string, string>): TestResource => ({
            type: T.sg,
            name: "sg",
            props: { tags, ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }] },
        });
        assert.deepEqual(await runResource(ADMIN, sg({ why: "a=b" }), { exemptTags: ["why=a=b"] }), []);
        assert.equal((await runResource(ADMIN, sg({ why: "a" }), { exemptTags: ["why=a=b"] })).length, 1);
        assert.equal((await runResource(ADMIN, sg({}), { exemptTags: ["why"] })).length, 1);
        assert.equal((await runResource(ADMIN, sg({}), { exemptUrns: ["urn:other"] })).length, 1);
        assert.deepEqual(
            await runResource(
                SPELLING,
                {
                    ...sg({ x: "1" }),
                    props: {
                        tags: { x: "1" },
                        ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/1", "128.0.0.0/1"] }],
                    },
                },
                { exemptTags: ["x=1"] },
            ),
            [],
        );
    });

    it("not yet checkable: one path, several, more than six", async () => {
        const rules = (n: number) => Array.from({ length: n }, () => UNKNOWN);
        const message = async (n: number) =>
            (await runResource(ADMIN, { type: T.hetzner, name: "h", props: { rules: rules(n) } }))[0]!.message;
        assert.match(
            await message(1),
            /not yet checkable: rules\[0\] is known only once the update computes it; this policy checks again during the update, when it is known\.$/,
        );
        assert.match(
            await message(2),
            /not yet checkable: rules\[0\], rules\[1\] are known only once the update computes them; this policy checks again during the update, when they are known\.$/,
        );
        assert.match(await message(6), /rules\[5\] are known/);
        assert.match(await message(8), /rules\[0\], rules\[1\], rules\[2\], rules\[3\], rules\[4\], rules\[5\] and 2 more are known/);
        assert.deepEqual(
            await runResource(ADMIN, { type: T.hetzner, name: "h", props: { labels: UNKNOWN, rules: [] } }),
            [],
            "an unknown label decides nothing",
        );
    });

    it("world by another spelling names the rule and its sources", async () => {
        const [v] = await runResource(SPELLING, {
            type: T.sg,
            name: "web",
            props: { ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/1", "128.0.0.0/1"] }] },
        });
        assert.equal(
            v!.message,
            'aws:ec2/securityGroup:SecurityGroup "web" ingress[0]: the sources 0.0.0.0/1, 128.0.0.0/1 together cover all of IPv4; if the world is meant, write 0.0.0.0/0 (and ::/0) so reviewers and other policies see it, otherwise list only the networks that should reach these ports',
        );
        const [standalone] = await runResource(SPELLING, {
            type: T.ingress,
            name: "r",
            props: { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv6: "::ffff:0:0/96" },
        });
        assert.match(
            standalone!.message,
            /^aws:vpc\/securityGroupIngressRule:SecurityGroupIngressRule "r": the sources ::ffff:0:0\/96 together cover every IPv4 host/,
        );
        assert.deepEqual(
            await runResource(SPELLING, {
                type: T.nsg,
                name: "n",
                props: {
                    securityRules: [
                        {
                            name: "d",
                            direction: "Inbound",
                            access: "Deny",
                            priority: 100,
                            protocol: "*",
                            sourceAddressPrefixes: ["0.0.0.0/1", "128.0.0.0/1"],
                            destinationPortRange: "*",
                        },
                    ],
                },
            }),
            [],
            "a deny hides nothing",
        );
    });

    it("stack: resources that are no firewall ride along; an exempt rule is left out of its group", async () => {
        const resources: TestResource[] = [
            { type: "aws:ec2/instance:Instance", name: "vm", props: { vpcSecurityGroupIds: [UNKNOWN] } },
            { type: T.sg, name: "media", props: {} },
            {
                type: T.ingress,
                name: "a",
                props: { ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "0.0.0.0/1", securityGroupId: UNKNOWN },
                deps: { securityGroupId: ["vm", "media"] },
            },
            {
                type: T.ingress,
                name: "b",
                props: { ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "128.0.0.0/1", securityGroupId: UNKNOWN },
                deps: { securityGroupId: ["media"] },
            },
        ];
        const v = await runStack(ADMIN_UNION, resources);
        assert.deepEqual(
            v.map((x) => x.message.split(" through ")[0]),
            ['aws:ec2/securityGroup:SecurityGroup "media": 22/tcp (SSH) is open to all of IPv4'],
        );
        assert.deepEqual(await runStack(ADMIN_UNION, resources, { exemptUrns: [urn(T.ingress, "a")] }), []);
        assert.deepEqual(
            (await runStack(EGRESS, resources)).map((x) => x.urn),
            [urn(T.sg, "media")],
        );
        assert.deepEqual(await runStack(EGRESS, resources, { exemptUrns: [urn(T.sg, "media")] }), []);
    });

    it("stack: an unplaced egress rule may be the missing one, so no egress verdict yet; an unplaced ingress rule does not hold it back", async () => {
        const sg: TestResource = { type: T.sg, name: "media", props: {} };
        const inbound: TestResource = {
            type: T.ingress,
            name: "in",
            props: { ipProtocol: "udp", fromPort: 1, toPort: 2, cidrIpv4: "0.0.0.0/0", securityGroupId: UNKNOWN },
            deps: { securityGroupId: ["media"] },
        };
        const lostOut: TestResource = {
            type: T.egress,
            name: "out",
            props: { ipProtocol: "-1", cidrIpv4: "0.0.0.0/0", securityGroupId: UNKNOWN },
        };
        const lostIn: TestResource = {
            type: T.ingress,
            name: "in2",
            props: { ipProtocol: "udp", fromPort: 1, toPort: 2, cidrIpv4: "0.0.0.0/0", securityGroupId: UNKNOWN },
        };
        assert.deepEqual(await runStack(EGRESS, [sg, inbound, lostOut]), []);
        assert.equal((await runStack(EGRESS, [sg, inbound, lostIn])).length, 1);
    });

    it("stack: the same opening seen from several target sets is reported once, on the first rule when the group is not in the stack", async () => {
        const fw = (name: string, cidr: string, targetTags?: string[]): TestResource => ({
            type: T.gcp,
            name,
            props: { network: "default", sourceRanges: [cidr], targetTags, allows: [{ protocol: "tcp", ports: ["22"] }] },
        });
        const v = await runStack(ADMIN_UNION, [fw("a", "0.0.0.0/1"), fw("b", "128.0.0.0/1"), fw("c", "10.0.0.0/8", ["x"])]);
        assert.equal(v.length, 1, JSON.stringify(v));
        assert.equal(v[0]!.urn, urn(T.gcp, "a"));
    });
});

describe("policy pack: values of the wrong shape", () => {
    it("garbage in any field reads as nothing, never as the world and never as a crash", () => {
        const junk = [5, true, "x", ["x"], { a: 1 }, null];
        const fields: Record<string, string[]> = {
            [T.sg]: ["ingress", "egress", "tags", "id"],
            [T.sgRule]: ["type", "protocol", "fromPort", "toPort", "cidrBlocks", "self", "securityGroupId"],
            [T.ingress]: ["ipProtocol", "fromPort", "toPort", "cidrIpv4", "cidrIpv6", "securityGroupId"],
            [T.gcp]: ["direction", "priority", "sourceRanges", "sourceTags", "targetTags", "allows", "network"],
            [T.doFirewall]: ["inboundRules", "outboundRules"],
            [T.nsg]: ["securityRules", "tags", "name"],
            [T.azureRule]: [
                "direction",
                "access",
                "priority",
                "protocol",
                "sourceAddressPrefix",
                "sourceAddressPrefixes",
                "destinationPortRange",
                "destinationPortRanges",
                "networkSecurityGroupName",
            ],
            [T.hetzner]: ["rules", "labels"],
            [T.ociRule]: ["direction", "protocol", "source", "sourceType", "tcpOptions", "networkSecurityGroupId", "freeformTags"],
        };
        for (const [type, keys] of Object.entries(fields)) {
            for (const key of keys) {
                for (const value of junk) {
                    const reading = readFirewall(type, urn(type, "j"), unknownCheckingProxy({ [key]: value }))!;
                    assert.ok(reading, `${type} ${key}`);
                    // GCP's empty source list is the world by omission, whatever else is junk.
                    const worldless = (r: ObservedRule) => r.sources.every((src) => src.implicit || !src.cidrs.some((c) => c.prefix === 0));
                    assert.ok(reading.ingress.every(worldless), `${type} ${key}=${JSON.stringify(value)}`);
                }
            }
        }
    });

    it("AWS: a permission without a protocol or with ports that are not numbers opens nothing", () => {
        assert.deepEqual(
            readingOf(T.sg, {
                ingress: [
                    { fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] },
                    { protocol: "tcp", fromPort: "22", toPort: 22, cidrBlocks: ["0.0.0.0/0"] },
                    { protocol: "tcp", fromPort: 22, toPort: "22", cidrBlocks: ["0.0.0.0/0"] },
                    { protocol: "tcp", fromPort: 30, toPort: 20, cidrBlocks: ["0.0.0.0/0"] },
                ],
            }).rules,
            [],
        );
        assert.deepEqual(
            readingOf(T.sg, {
                ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: "0.0.0.0/0", self: false, securityGroups: "sg-1" }],
            }).rules,
            ["ingress[0] | allow | 0 | tcp | 22 | 0.0.0.0/0=0.0.0.0/0 sg-1=named | all"],
        );
        assert.deepEqual(readingOf(T.sg, { id: "" }).groupKeys, []);
    });

    it("Azure: ports it cannot read are read as every port (never passed unread); a name that is not text is no label", () => {
        assert.deepEqual(
            readingOf(T.nsg, {
                securityRules: [
                    {
                        name: 7,
                        direction: "Inbound",
                        access: "Allow",
                        priority: 100,
                        protocol: "Tcp",
                        sourceAddressPrefix: "*",
                        destinationPortRange: "http",
                    },
                ],
            }).rules,
            ["securityRules[0] | allow | 100 | tcp | 1-65535 | *=0.0.0.0/0+::/0 | all"],
        );
        assert.deepEqual(readingOf(T.nsg, { securityRules: [{ direction: "Outbound", access: "Maybe", protocol: "*" }] }).egress, 0);
        assert.deepEqual(readingOf(T.nsg, { name: "A", resourceGroupName: "RG" }).groupKeys, ["azure:rg/a"]);
        assert.deepEqual(readingOf(T.nsg, { name: "A" }).groupKeys, [], "no resource group known: no name to join by");
    });

    it("GCP: sources not known yet are not the world by omission", async () => {
        const late = { allows: [{ protocol: "tcp", ports: ["22"] }] };
        for (const key of ["sourceRanges", "sourceTags", "sourceServiceAccounts"]) {
            assert.deepEqual(readingOf(T.gcp, { ...late, [key]: UNKNOWN }).rules, ["allows[0] | allow | 1000 | tcp | 22 |  | all"], key);
            assert.deepEqual(
                (await runResource(ADMIN, { type: T.gcp, name: "g", props: { ...late, [key]: UNKNOWN } })).map((v) => v.level),
                ["advisory"],
                key,
            );
        }
        assert.deepEqual(readingOf(T.gcp, { allows: [{ protocol: "tcp", ports: ["22", "ssh"] }] }).rules[0]!.split(" | ")[4], "22,1-65535");
    });

    it("tags that are not a map are no tags", () => {
        assert.deepEqual(readingOf(T.sg, { tags: "a" }).tags, {});
        assert.deepEqual(readingOf(T.sg, { tags: null }).tags, {});
        assert.deepEqual(readingOf(T.hetzner, { labels: { a: "1", b: 2 } }).tags, { a: "1" });
    });

    it("an admin port must be written whole", async () => {
        const props = { rules: [{ direction: "in", protocol: "tcp", port: "22", sourceIps: ["0.0.0.0/0"] }] };
        assert.deepEqual(await runResource(ADMIN, { type: T.hetzner, name: "h", props }, { adminPorts: ["x22/tcp", "22/tcpx"] }), []);
    });

    it("order never matters: an allow listed before a deny of the same priority, a rule wide alone listed last", async () => {
        const w: Watched = { protocol: "tcp", ports: { from: 22, to: 22 }, what: "22/tcp" };
        const mk = (action: "allow" | "deny", cidr: string): ObservedRule => ({
            urn: action,
            label: action,
            action,
            priority: 1000,
            protocols: ["tcp"],
            ports: [{ from: 22, to: 22 }],
            sources: [{ text: cidr, cidrs: [cidrOf(cidr)] }],
        });
        assert.deepEqual(worldOpenings([mk("allow", "0.0.0.0/0"), mk("deny", "0.0.0.0/1")], [w]), []);
        const half = (name: string, cidr: string): TestResource => ({
            type: T.ingress,
            name,
            props: { ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: cidr, securityGroupId: "sg-1" },
        });
        assert.deepEqual(await runStack(ADMIN_UNION, [half("b", "128.0.0.0/1"), half("a", "0.0.0.0/0")]), []);
    });
});

describe("policy pack: each cloud's own words for every port, and a group named as its cloud's API names it", () => {
    const WORLD = ["0.0.0.0/0"];
    const EGRESS_OK = [{ protocol: "udp", portRange: "all", destinationAddresses: WORLD }];
    /** A world-open tcp rule on each cloud whose port field is text, with `port` written into it. */
    const CLOUDS: { cloud: string; words: readonly string[]; resource: (port: string | undefined) => TestResource }[] = [
        {
            cloud: "DigitalOcean",
            words: DIGITALOCEAN_ALL_PORTS,
            resource: (port) => ({
                type: T.doFirewall,
                name: "do",
                props: { inboundRules: [{ protocol: "tcp", portRange: port, sourceAddresses: WORLD }], outboundRules: EGRESS_OK },
            }),
        },
        {
            cloud: "Azure NSG",
            words: AZURE_ALL_PORTS,
            resource: (port) => ({
                type: T.nsg,
                name: "nsg",
                props: {
                    securityRules: [
                        {
                            name: "r",
                            direction: "Inbound",
                            access: "Allow",
                            priority: 100,
                            protocol: "Tcp",
                            sourceAddressPrefix: "*",
                            destinationPortRange: port,
                        },
                    ],
                },
            }),
        },
        {
            cloud: "Azure SecurityRule",
            words: AZURE_ALL_PORTS,
            resource: (port) => ({
                type: T.azureRule,
                name: "azure-rule",
                props: {
                    direction: "Inbound",
                    access: "Allow",
                    priority: 100,
                    protocol: "Tcp",
                    sourceAddressPrefix: "Internet",
                    destinationPortRanges: port === undefined ? undefined : [port],
                },
            }),
        },
        {
            cloud: "GCP",
            words: GCP_ALL_PORTS,
            resource: (port) => ({
                type: T.gcp,
                name: "fw",
                props: {
                    network: "default",
                    sourceRanges: WORLD,
                    allows: [{ protocol: "tcp", ports: port === undefined ? undefined : [port] }],
                },
            }),
        },
        {
            cloud: "Hetzner",
            words: HETZNER_ALL_PORTS,
            resource: (port) => ({
                type: T.hetzner,
                name: "hz",
                props: { rules: [{ direction: "in", protocol: "tcp", port, sourceIps: WORLD }] },
            }),
        },
    ];

    for (const { cloud, words, resource } of CLOUDS) {
        it(`${cloud}: ${[...words.map((w) => `"${w}"`), "no port"].join(", ")} open every port, 22 included; "443" does not`, async () => {
            for (const port of [...words, ...words.map((w) => w.toUpperCase()), undefined]) {
                // Every port holds both admin ports the pack watches: SSH and RDP.
                const v = await runResource(ADMIN, resource(port));
                assert.deepEqual(
                    v.map((x) => `${x.level} ${/\d+\/tcp \(\w+\) is open to all of IPv4/.exec(x.message)?.[0]}`),
                    ["mandatory 22/tcp (SSH) is open to all of IPv4", "mandatory 3389/tcp (RDP) is open to all of IPv4"],
                    `${cloud} ${JSON.stringify(port)}`,
                );
            }
            assert.deepEqual(await runResource(ADMIN, resource("443")), []);
        });
    }

    it('DigitalOcean: "0" is every port (its API), not port 0: a tcp rule from the world with it is refused', async () => {
        assert.ok(DIGITALOCEAN_ALL_PORTS.includes("0"));
        const v = await runResource(ADMIN, CLOUDS[0]!.resource("0"));
        assert.deepEqual(
            v.map((x) => x.level),
            ["mandatory", "mandatory"],
        );
    });

    /** Half of IPv4 to 22/tcp, as a standalone Azure rule in the NSG `nsg` of `group`. */
    const azureHalf = (name: string, cidr: string, group: string | undefined): TestResource => ({
        type: T.azureRule,
        name,
        props: {
            direction: "Inbound",
            access: "Allow",
            priority: 100,
            protocol: "Tcp",
            sourceAddressPrefix: cidr,
            destinationPortRange: "22",
            networkSecurityGroupName: "nsg",
            resourceGroupName: group,
        },
    });

    it("Azure: NSGs of one name in two resource groups are two NSGs; in one group (any case) they are one", async () => {
        assert.deepEqual(
            await runStack(ADMIN_UNION, [azureHalf("a", "0.0.0.0/1", "rg-east"), azureHalf("b", "128.0.0.0/1", "rg-west")]),
            [],
        );
        const same = await runStack(ADMIN_UNION, [azureHalf("a", "0.0.0.0/1", "rg-east"), azureHalf("b", "128.0.0.0/1", "RG-East")]);
        assert.equal(same.length, 1, JSON.stringify(same));
        assert.match(same[0]!.message, /22\/tcp \(SSH\) is open to all of IPv4/);
    });

    it("Azure: a rule whose resource group is not known yet joins no NSG by name: not yet checkable", async () => {
        const v = await runStack(ADMIN_UNION, [azureHalf("a", "0.0.0.0/1", undefined), azureHalf("b", "128.0.0.0/1", undefined)]);
        assert.deepEqual(
            v.map((x) => x.level),
            ["advisory", "advisory"],
        );
    });

    /** Half of IPv4 to 22/tcp, as a GCP firewall on `network` (a name or a path) in `project`. */
    const gcpHalf = (name: string, cidr: string, network: string, project?: string): TestResource => ({
        type: T.gcp,
        name,
        props: { network, project, sourceRanges: [cidr], allows: [{ protocol: "tcp", ports: ["22"] }] },
    });

    it("GCP: every project's `default` network is its own; a self link and a name in its project are the same network", async () => {
        assert.deepEqual(
            await runStack(ADMIN_UNION, [gcpHalf("a", "0.0.0.0/1", "default", "p1"), gcpHalf("b", "128.0.0.0/1", "default", "p2")]),
            [],
        );
        const same = await runStack(ADMIN_UNION, [
            gcpHalf("a", "0.0.0.0/1", "default", "p1"),
            gcpHalf("b", "128.0.0.0/1", "https://www.googleapis.com/compute/v1/projects/p1/global/networks/default"),
        ]);
        assert.equal(same.length, 1, JSON.stringify(same));
    });
});

describe("policy pack: an AKS AgentPool's allowedHostPorts are open to the world on its nodes", () => {
    const pool = (ranges: unknown[]): TestResource => ({
        type: "azure-native:containerservice:AgentPool",
        name: "media",
        props: { resourceGroupName: "rg", resourceName: "media-cluster", networkProfile: { allowedHostPorts: ranges } },
    });

    it("SSH among them is refused as any world-open SSH; the media ranges pass", async () => {
        const ssh = await runResource(ADMIN, pool([{ portStart: 22, portEnd: 22, protocol: "TCP" }]));
        assert.deepEqual(
            ssh.map((v) => v.level),
            ["mandatory"],
        );
        assert.match(
            ssh[0]!.message,
            /22\/tcp \(SSH\) is open to all of IPv4 and all of IPv6 through networkProfile\.allowedHostPorts\[0\]/,
        );
        assert.deepEqual(
            await runResource(
                ADMIN,
                pool([
                    { portStart: 50000, portEnd: 60000, protocol: "UDP" },
                    { portStart: 7881, portEnd: 7881, protocol: "TCP" },
                ]),
            ),
            [],
        );
    });
});
