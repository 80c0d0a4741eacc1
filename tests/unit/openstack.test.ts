/**
 * OpenStack (Neutron): a group whose default egress rules are replaced by ours, one rule per family, protocol, port
 * range and remote prefix (or group), an existing group by id or name, the project's quota at and one past its edge,
 * and the update semantics Neutron and the provider give it (every rule argument ForceNew, 409 on a duplicate).
 */
import * as assert from "node:assert/strict";
import type { RecordedResource } from "../../src/cli/mockRun";
import * as pulumi from "@pulumi/pulumi";
import { cloudOf } from "../../src/clouds/registry";
import { parentOf } from "../../src/cli/mockRun";
import { WebRtcFirewall } from "../../src/component/component";
import { readOpenstack } from "../../src/clouds/openstack/policy";
import { evaluatorFor } from "../conformance";
import { ipv4Networks, late, ofType, plan, planLate, refuse } from "../helpers";
import { providerProblems } from "../providers/validators";

const GROUP = "openstack:networking/secGroup:SecGroup";
const RULE = "openstack:networking/secGroupRule:SecGroupRule";
const LB_GROUP = "5b5ce4ab-2a4f-4c4b-8a6c-0c2c4a3d9f10";
const show = (resources: RecordedResource[]) =>
    ofType(resources, RULE).map(({ inputs: i }) =>
        [
            i.direction,
            i.ethertype,
            i.protocol ?? "any",
            i.portRangeMin === undefined ? "all" : `${i.portRangeMin}-${i.portRangeMax}`,
            i.remoteIpPrefix ?? i.remoteGroupId ?? "any",
            i.securityGroupId,
        ].join(" "),
    );

describe("OpenStack security groups", function () {
    this.timeout(60_000);

    it("livekit: a group without Neutron's default rules, egress for both families as ours, one ingress rule per family, protocol, range and prefix", async () => {
        const { resources, firewall } = await plan({ cloud: "openstack", preset: "livekit", adminCidrs: ["203.0.113.0/24"] });
        assert.deepEqual(
            ofType(resources, GROUP).map((g) => [g.name, g.inputs]),
            [["wrf-sg", { description: "webrtc-firewall: wrf", deleteDefaultRules: true, tags: ["webrtc-firewall"] }]],
        );
        assert.deepEqual(show(resources), [
            "egress IPv4 any all any wrf-sg-id",
            "egress IPv6 any all any wrf-sg-id",
            "ingress IPv4 tcp 22-22 203.0.113.0/24 wrf-sg-id",
            "ingress IPv4 tcp 7881-7881 0.0.0.0/0 wrf-sg-id",
            "ingress IPv6 tcp 7881-7881 ::/0 wrf-sg-id",
            "ingress IPv4 udp 50000-60000 0.0.0.0/0 wrf-sg-id",
            "ingress IPv6 udp 50000-60000 ::/0 wrf-sg-id",
        ]);
        assert.ok(
            ofType(resources, RULE).every((r) => r.inputs.description === "webrtc-firewall"),
            "a fixed description: every rule argument is ForceNew",
        );
        assert.deepEqual(await new Promise((resolve) => (firewall as any).securityGroupIds.apply(resolve)), ["wrf-sg-id"]);
        assert.deepEqual(await new Promise((resolve) => (firewall as any).securityGroupNames.apply(resolve)), ["wrf-sg-0000000"]);
        assert.deepEqual(firewall.warnings, [
            "openstack: the group's two default egress rules are deleted (deleteDefaultRules) and written as ours, egress to 0.0.0.0/0 and ::/0, any protocol: the plan and the policy pack see them",
            "openstack: a port with port security disabled (port_security_enabled: false) ignores every security group, these included: keep it enabled on the media server's ports",
        ]);
        const allowed = evaluatorFor("openstack", resources);
        assert.ok(allowed({ direction: "out", protocol: "udp", port: 50000, address: "2001:db8::1" }), "egress works on IPv6 too");
        assert.ok(!allowed({ direction: "in", protocol: "tcp", port: 22, address: "198.51.100.1" }));
        assert.deepEqual(providerProblems(resources), []);
    });

    it("a security group as a source: remoteGroupId, one rule per family the config uses; another cloud's group is refused", async () => {
        const ports = [{ name: "lb", protocol: "tcp", ports: 7880, from: [LB_GROUP] }];
        assert.deepEqual(
            show((await plan({ cloud: "openstack", ports })).resources).filter((r) => r.includes(LB_GROUP)),
            [`ingress IPv4 tcp 7880-7880 ${LB_GROUP} wrf-sg-id`, `ingress IPv6 tcp 7880-7880 ${LB_GROUP} wrf-sg-id`],
        );
        assert.equal(
            show((await plan({ cloud: "openstack", ipv6: false, ports })).resources).filter((r) => r.includes(LB_GROUP)).length,
            1,
        );
        assert.deepEqual(refuse({ cloud: "openstack", ports: [{ name: "lb", protocol: "tcp", ports: 7880, from: ["sg-0123abcd"] }] }), [
            'ports[0].from: "sg-0123abcd" is an AWS security group, a source only AWS can express; on openstack name the sources by their addresses (CIDRs)',
        ]);
    });

    it("an existing group by id or by name: its rules only, no group and no egress of ours", async () => {
        const byId = await plan({ cloud: "openstack", preset: "coturn", ipv6: false, openstack: { secGroupId: LB_GROUP } });
        assert.deepEqual(ofType(byId.resources, GROUP), []);
        assert.ok(show(byId.resources).every((r) => r.startsWith("ingress") && r.endsWith(LB_GROUP)));
        assert.match(byId.firewall.warnings[0]!, /whose egress is its own.*409 SecurityGroupRuleExists/);
        const byName = await plan({ cloud: "openstack", preset: "coturn", ipv6: false, openstack: { secGroupName: "media" } });
        assert.ok(
            show(byName.resources).every((r) => r.endsWith(" media-id")),
            "the rules join the group the lookup found",
        );
        assert.deepEqual(await new Promise((resolve) => (byName.firewall as any).securityGroupNames.apply(resolve)), ["media"]);
        assert.deepEqual(
            refuse({
                cloud: "openstack",
                preset: "coturn",
                openstack: { secGroupId: "sg-1", secGroupName: "media", projectQuotas: { securityGroupRules: 0.5 } },
            }),
            [
                'openstack.secGroupId: "sg-1" is not a Neutron security group id; give the group\'s id, a UUID like "5b5ce4ab-2a4f-4c4b-8a6c-0c2c4a3d9f10"',
                "openstack.projectQuotas.securityGroupRules: 0.5 is not a quota; write the number of security group rules your project may have, a whole number, e.g. 100",
            ],
        );
        assert.deepEqual(refuse({ cloud: "openstack", preset: "coturn", openstack: { secGroupId: LB_GROUP, secGroupName: "media" } }), [
            "openstack.secGroupName: is set together with openstack.secGroupId; name the existing group once: remove one of them",
        ]);
    });

    it("the project's quota: 91 of Neutron's default 100 (the default group's 4 and 5 kept free), 92 refused with the counts; a raised quota set", async () => {
        const sources = (n: number) => ({
            cloud: "openstack",
            ipv6: false,
            ports: [{ name: "m", protocol: "udp", ports: 9000, from: ipv4Networks(n) }],
        });
        assert.equal(ofType((await plan(sources(89))).resources, RULE).length, 91);
        assert.deepEqual(refuse(sources(90)), [
            "ports: OpenStack needs 92 security group rules (one per family, protocol, port range and source, and 2 egress), more than the 91 left of the project's 100 (openstack.projectQuotas.securityGroupRules) after the default group's 4 and 5 kept free for updates: use fewer or wider source CIDRs, port ranges, or ask your operator for a larger quota and set it",
        ]);
        assert.equal(
            ofType((await plan({ ...sources(90), openstack: { projectQuotas: { securityGroupRules: 101 } } })).resources, RULE).length,
            92,
        );
        assert.deepEqual(refuse({ cloud: "openstack", preset: "coturn", openstack: { projectQuotas: { securityGroups: 1 } } }), [
            "openstack.projectQuotas.securityGroups: is 1, and the project's default group is one of them: the component's group needs a second",
        ]);
    });

    it("a source from another resource: one rule per entry and range, its ethertype and remote filled once resolved; a whole list refused", async () => {
        const run = await planLate({
            cloud: "openstack",
            ports: [{ name: "api", protocol: "tcp", ports: 7880, from: [late("2001:db8::/32"), late(LB_GROUP)] }],
        });
        assert.equal(run.error, undefined, run.error?.message);
        assert.deepEqual(
            show(run.resources).filter((r) => r.includes("7880")),
            ["ingress IPv6 tcp 7880-7880 2001:db8::/32 wrf-sg-id", `ingress IPv4 tcp 7880-7880 ${LB_GROUP} wrf-sg-id`],
        );
        assert.deepEqual(providerProblems(run.resources), []);
        assert.ok(
            run.firewall.warnings.includes(
                "openstack: ports[0].from[0], ports[0].from[1] come from another resource: a security group there is let in over IPv4 only (a Neutron rule's ethertype must be known before the update, and a group takes one rule per family); for its IPv6 members too, add a networking.SecGroupRule with ethertype IPv6 and remoteGroupId",
            ),
        );
        const one = await planLate({ cloud: "openstack", ipv6: true, adminCidrs: [late("203.0.113.7/32")], preset: "coturn" });
        assert.ok(one.firewall.warnings.some((w) => w.startsWith("openstack: adminCidrs[0] comes from another resource")));
        const v4only = await planLate({ cloud: "openstack", ipv6: false, adminCidrs: [late("203.0.113.7/32")], preset: "coturn" });
        assert.ok(!v4only.firewall.warnings.some((w) => w.includes("from another resource")), "IPv4 only: nothing is missed");
        const whole = await planLate({ cloud: "openstack", adminCidrs: late(["203.0.113.0/24"]), preset: "coturn" });
        assert.match(whole.error!.message, /adminCidrs: is a whole list from another resource; a Neutron rule takes one remote prefix/);
    });

    it("a group id from another resource is checked as strictly once it resolves: a bad one fails, and no rule carries it", async () => {
        const run = await planLate({ cloud: "openstack", preset: "coturn", openstack: { secGroupId: late("sg-0123abcd") } });
        assert.deepEqual(
            run.error?.problems.map((p) => `${p.path}: ${p.message}`),
            refuse({ cloud: "openstack", preset: "coturn", openstack: { secGroupId: "sg-0123abcd" } }),
        );
        assert.deepEqual(ofType(run.resources, RULE), []);
    });

    it("updates: every rule argument replaces it, and Neutron refuses a duplicate (409) or a rule past the project's quota", () => {
        const model = cloudOf("openstack").updates;
        assert.deepEqual([...model.resources[RULE]!.replaceKeys].sort(), [
            "description",
            "direction",
            "ethertype",
            "portRangeMax",
            "portRangeMin",
            "protocol",
            "remoteGroupId",
            "remoteIpPrefix",
            "securityGroupId",
        ]);
        const rule = (name: string, remoteIpPrefix: string, description = "x") => ({
            type: RULE,
            name,
            inputs: {
                securityGroupId: "g",
                direction: "ingress",
                ethertype: "IPv4",
                protocol: "tcp",
                portRangeMin: 22,
                portRangeMax: 22,
                remoteIpPrefix,
                description,
            },
        });
        assert.deepEqual(
            model.refusals([rule("a", "10.0.0.0/8"), rule("b", "10.0.0.0/8", "other words")]).map((r) => r.rule),
            ["a rule equal to another in the group (409 SecurityGroupRuleExists)"],
        );
        assert.deepEqual(model.refusals([rule("a", "10.0.0.0/8"), rule("b", "10.0.0.0/9")]), []);
        const many = ipv4Networks(97).map((c, i) => rule(`r${i}`, c));
        assert.deepEqual(model.refusals(many.slice(0, 96)), []);
        assert.deepEqual(
            model.refusals(many).map((r) => r.detail),
            ["97 of ours at once, and the default group's 4"],
        );
    });

    it("the policy pack's reader: a group keeping Neutron's default egress, a rule with no port range, no protocol or no remote", () => {
        assert.equal(readOpenstack(GROUP, "urn:g", { id: "g" })!.egressRules, 2, "Neutron's two default egress rules stay");
        assert.equal(readOpenstack(GROUP, "urn:g", { id: "g", deleteDefaultRules: true })!.egressRules, 0);
        const open = readOpenstack(RULE, "urn:r", { securityGroupId: "g", direction: "ingress", ethertype: "IPv6" })!;
        assert.deepEqual(
            open.ingress.map((r) => [r.protocols, r.ports, r.sources.map((s) => s.text)]),
            [[["tcp", "udp"], [{ from: 1, to: 65535 }], ["::/0"]]],
        );
        assert.deepEqual(open.joins, { property: "securityGroupId", key: "openstack:g" });
        const group = readOpenstack(RULE, "urn:r", {
            securityGroupId: "g",
            direction: "ingress",
            ethertype: "IPv4",
            protocol: "udp",
            portRangeMin: 5,
            portRangeMax: 9,
            remoteGroupId: LB_GROUP,
        })!;
        assert.deepEqual(
            group.ingress.map((r) => [r.protocols, r.ports, r.sources]),
            [[["udp"], [{ from: 5, to: 9 }], [{ text: LB_GROUP, cidrs: [] }]]],
        );
        assert.equal(readOpenstack(RULE, "urn:r", { direction: "egress", ethertype: "IPv4" })!.egressRules, 1);
    });

    describe("exactly", () => {
        it("a group as a source: one rule per family, named by family", async () => {
            const { resources } = await plan({
                cloud: "openstack",
                ports: [{ name: "lb", protocol: "udp", ports: "7000-7001", from: [LB_GROUP] }],
            });
            assert.deepEqual(
                ofType(resources, RULE)
                    .filter((r) => r.inputs.remoteGroupId === LB_GROUP)
                    .map((r) => [r.name, r.inputs.ethertype]),
                [
                    [`wrf-udp-7000-7001-${LB_GROUP}-v4`, "IPv4"],
                    [`wrf-udp-7000-7001-${LB_GROUP}-v6`, "IPv6"],
                ],
            );
        });

        it("the refusals, word for word: a whole list, past the quota in a group of yours, two groups in the quota", async () => {
            const whole = await planLate({ cloud: "openstack", preset: "coturn", adminCidrs: late(["203.0.113.0/24"]) });
            assert.deepEqual(
                whole.error!.problems.map((p) => `${p.path}: ${p.message}`),
                [
                    "adminCidrs: is a whole list from another resource; a Neutron rule takes one remote prefix and their number must be known before the update: give the entries one by one (each may come from another resource), or the CIDRs themselves",
                ],
            );
            const yours = {
                cloud: "openstack",
                ipv6: false,
                openstack: { secGroupId: LB_GROUP },
                ports: [{ name: "m", protocol: "udp", ports: 9000, from: ipv4Networks(92) }],
            };
            assert.deepEqual(refuse(yours), [
                "ports: OpenStack needs 92 security group rules (one per family, protocol, port range and source), more than the 91 left of the project's 100 (openstack.projectQuotas.securityGroupRules) after the default group's 4 and 5 kept free for updates: use fewer or wider source CIDRs, port ranges, or ask your operator for a larger quota and set it",
            ]);
            assert.ok(
                (await plan({ cloud: "openstack", preset: "coturn", openstack: { projectQuotas: { securityGroups: 2 } } })).resources
                    .length,
            );
        });

        it("the group and its rules are the component's children; an existing group by name is looked up through the component's provider", async () => {
            const { resources, firewall } = await plan({ cloud: "openstack", preset: "coturn" });
            const urn = await new Promise((resolve) => firewall.urn.apply(resolve));
            assert.ok(
                ofType(resources, GROUP)
                    .concat(ofType(resources, RULE))
                    .every((r) => parentOf.get(r.name) === urn),
            );
            const calls: { token: string; provider?: string }[] = [];
            await pulumi.runtime.setMocks(
                {
                    newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
                    call: (args) => {
                        calls.push({ token: args.token, provider: args.provider });
                        return { id: "found-id" };
                    },
                },
                "webrtc-firewall",
                "plan",
                false,
            );
            class OpenstackProvider extends pulumi.ProviderResource {
                constructor(name: string) {
                    super("openstack", name, {});
                }
            }
            const provider = new OpenstackProvider("eu-west");
            const byName = new WebRtcFirewall(
                "wrf",
                { cloud: "openstack", preset: "coturn", openstack: { secGroupName: "media" } },
                { providers: [provider] },
            );
            assert.deepEqual(await new Promise((resolve) => (byName.securityGroupIds as pulumi.Output<string[]>).apply(resolve)), [
                "found-id",
            ]);
            assert.deepEqual(
                calls.map((c) => [c.token, c.provider?.includes("eu-west")]),
                [["openstack:networking/getSecGroup:getSecGroup", true]],
            );
        });
    });
});
