import * as assert from "node:assert/strict";
import { parentOf } from "../../src/cli/mockRun";
import { AWS_GROUP_DESCRIPTION } from "../../src/clouds/aws/target";
import { WEBRTC_FIREWALL_TYPE } from "../../src/component/component";
import { AWS_EGRESS, AWS_GROUP, AWS_INGRESS, awsIngress, late, ofType, plan, planLate, publicFlows } from "../helpers";

describe("AWS: presets register exactly the documented ports", () => {
    const cases: [string, Record<string, unknown>, string[]][] = [
        ["livekit", {}, ["udp 50000-60000", "tcp 7881"]],
        ["livekit", { udpMux: true }, ["udp 7882", "tcp 7881"]],
        ["livekit", { turn: true }, ["udp 50000-60000", "tcp 7881", "udp 3478", "tcp 5349"]],
        // sip-tcp 5060 and sip-tls 5061 are adjacent: one rule 5060-5061
        ["livekit", { sip: true }, ["udp 50000-60000", "tcp 7881", "udp 5060", "tcp 5060-5061", "udp 10000-20000"]],
        ["livekit", { https: true }, ["udp 50000-60000", "tcp 7881", "tcp 80", "tcp 443"]],
        ["mediasoup", {}, ["udp 40000-41000", "tcp 3000"]],
        ["mediasoup", { https: true }, ["udp 40000-41000", "tcp 3000", "tcp 80", "tcp 443"]],
        ["plugnmeet", {}, ["tcp 80", "tcp 443", "udp 443", "tcp 7881", "udp 50000-60000"]],
        ["reflector", {}, ["tcp 443", "tcp 80", "udp 44200-44300", "tcp 7881"]],
        ["reflector-direct", {}, ["tcp 3000", "tcp 1250", "tcp 7880-7881", "udp 44200-44300", "udp 40000-40100", "tcp 3900"]],
        ["jitsi", {}, ["tcp 80", "tcp 443", "udp 10000"]],
        ["jitsi", { turn: true }, ["tcp 80", "tcp 443", "udp 10000", "udp 3478", "tcp 5349"]],
        ["coturn", {}, ["udp 3478", "tcp 3478", "tcp 5349", "udp 49152-65535"]],
    ];
    for (const [preset, presetOptions, expected] of cases) {
        it(`${preset} ${JSON.stringify(presetOptions)}`, async () => {
            const args = { cloud: "aws", preset, ...(Object.keys(presetOptions).length ? { presetOptions } : {}) };
            const { resources } = await plan(args);
            assert.deepEqual(awsIngress(resources), publicFlows(expected));
        });
    }

    it("reflector dashboard is open to adminCidrs only, with ssh", async () => {
        const { resources } = await plan({
            cloud: "aws",
            preset: "reflector",
            presetOptions: { dashboard: true },
            adminCidrs: ["198.51.100.7"],
        });
        const admin = awsIngress(resources).filter((r) => r.endsWith("198.51.100.7/32"));
        assert.deepEqual(admin, ["tcp 22 198.51.100.7/32", "tcp 8888 198.51.100.7/32"]);
        assert.ok(!awsIngress(resources).some((r) => r.startsWith("tcp 8888 0.0.0.0/0")));
    });

    it("ipv6: false opens public ports to 0.0.0.0/0 only and drops the ::/0 egress", async () => {
        const { resources } = await plan({ cloud: "aws", preset: "livekit", ipv6: false });
        assert.deepEqual(awsIngress(resources), publicFlows(["udp 50000-60000", "tcp 7881"], false));
        assert.deepEqual(
            ofType(resources, AWS_EGRESS).map((r) => r.inputs.cidrIpv4 ?? r.inputs.cidrIpv6),
            ["0.0.0.0/0"],
        );
    });
});

describe("AWS: component shape", () => {
    it("registers the component, one security group without inline rules, and parents every child to the component", async () => {
        const { resources } = await plan({ cloud: "aws", preset: "livekit", aws: { vpcId: "vpc-0abc1234def567890" } }, "media");
        assert.equal(resources[0]!.type, WEBRTC_FIREWALL_TYPE);
        const groups = ofType(resources, AWS_GROUP);
        assert.equal(groups.length, 1);
        assert.deepEqual(groups[0]!.inputs, {
            description: AWS_GROUP_DESCRIPTION,
            vpcId: "vpc-0abc1234def567890",
            tags: { Name: "media" },
        });
        for (const r of resources.slice(1)) {
            assert.match(
                parentOf.get(r.name) ?? "",
                /webrtc-firewall:index:WebRtcFirewall::media$/,
                `${r.name} is parented to the component`,
            );
        }
    });

    it("omits vpcId for the default VPC and keeps the group description independent of the rules", async () => {
        const a = await plan({ cloud: "aws", preset: "livekit" });
        const b = await plan({ cloud: "aws", preset: "coturn", adminCidrs: ["10.0.0.0/8"] });
        assert.deepEqual(ofType(a.resources, AWS_GROUP)[0]!.inputs, ofType(b.resources, AWS_GROUP)[0]!.inputs);
        assert.ok(!("vpcId" in ofType(a.resources, AWS_GROUP)[0]!.inputs));
    });

    it("declares allow-all egress to 0.0.0.0/0 and ::/0 (the provider strips AWS's default)", async () => {
        const { resources } = await plan({ cloud: "aws", preset: "livekit" });
        const egress = ofType(resources, AWS_EGRESS).map((r) => r.inputs);
        assert.deepEqual(
            egress.map((e) => [e.ipProtocol, e.cidrIpv4 ?? e.cidrIpv6, e.securityGroupId]),
            [
                ["-1", "0.0.0.0/0", "wrf-sg-id"],
                ["-1", "::/0", "wrf-sg-id"],
            ],
        );
    });

    it("never uses protocol -1 for ingress; every ingress rule names its security group", async () => {
        const { resources } = await plan({ cloud: "aws", preset: "livekit", presetOptions: { sip: true, turn: true, https: true } });
        for (const r of ofType(resources, AWS_INGRESS)) {
            assert.ok(["tcp", "udp"].includes(r.inputs.ipProtocol as string));
            assert.equal(r.inputs.securityGroupId, "wrf-sg-id");
        }
    });

    it("describes each rule with its name and description, in AWS's character set", async () => {
        const { resources } = await plan({
            cloud: "aws",
            ports: [{ name: "media", protocol: "udp", ports: "40000-40100", description: "Media (RTP) — über ports <fast>" }],
        });
        const rule = ofType(resources, AWS_INGRESS)[0]!;
        assert.equal(rule.inputs.description, "media: Media (RTP)  ber ports fast");
        assert.match(rule.inputs.description as string, /^[a-zA-Z0-9 ._\-:/()#,@[\]+=;{}!$*]*$/);
    });

    it("exports securityGroupIds and the rules as plain data", async () => {
        const { firewall } = await plan({ cloud: "aws", preset: "livekit", adminCidrs: ["203.0.113.0/24"] });
        const ids = await new Promise((resolve) => firewall.securityGroupIds!.apply(resolve));
        assert.deepEqual(ids, ["wrf-sg-id"]);
        const rules = await new Promise((resolve) => firewall.rules.apply(resolve));
        assert.deepEqual(rules, [
            { name: "rtc-tcp", description: "WebRTC over TCP (ICE/TCP)", protocol: "tcp", ports: ["7881"], sources: ["0.0.0.0/0", "::/0"] },
            {
                name: "rtc-udp",
                description: "WebRTC media (ICE/UDP)",
                protocol: "udp",
                ports: ["50000-60000"],
                sources: ["0.0.0.0/0", "::/0"],
            },
            { name: "ssh", description: "SSH from adminCidrs", protocol: "tcp", ports: ["22"], sources: ["203.0.113.0/24"] },
        ]);
    });
});

describe("AWS: what the register step wires", () => {
    it("rules go into an existing group by its id, and a whole late list's rules reference their prefix list", async () => {
        const { resources, error } = await planLate({
            cloud: "aws",
            preset: "livekit",
            aws: { securityGroupId: "sg-0123abcd" },
            ports: [{ name: "api", protocol: "tcp", ports: 7880, from: late(["10.0.0.0/8"]) }],
        });
        assert.equal(error, undefined);
        assert.deepEqual(ofType(resources, AWS_GROUP), [], "no group is created");
        const lists = ofType(resources, "aws:ec2/managedPrefixList:ManagedPrefixList");
        assert.deepEqual(
            lists.map((l) => l.name),
            ["wrf-r-api-late1-v4", "wrf-r-api-late1-v6"],
        );
        for (const l of lists)
            assert.match(
                parentOf.get(l.name) ?? "",
                /webrtc-firewall:index:WebRtcFirewall::wrf$/,
                `${l.name} is parented to the component`,
            );
        const ingress = ofType(resources, AWS_INGRESS);
        assert.ok(
            ingress.every((r) => r.inputs.securityGroupId === "sg-0123abcd"),
            "every rule in the existing group",
        );
        assert.deepEqual(
            ingress.filter((r) => r.inputs.prefixListId !== undefined).map((r) => [r.name, r.inputs.prefixListId]),
            [
                ["wrf-r-api-late1-v4-tcp-7880", "wrf-r-api-late1-v4-id"],
                ["wrf-r-api-late1-v6-tcp-7880", "wrf-r-api-late1-v6-id"],
            ],
        );
        assert.ok(ingress.filter((r) => !String(r.name).includes("late")).every((r) => r.inputs.prefixListId === undefined));
    });
});
