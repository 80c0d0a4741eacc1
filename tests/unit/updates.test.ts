/**
 * Updates (src/update/, docs/updates.md): the steps `pulumi up` takes between two configs, in every order the
 * engine may run them, judged state by state. Known hazards are fed in and must be reported; random everyday
 * edits on every cloud, at and near the quota edges, must keep open what both ends open, open nothing else, and
 * never be refused half-way, or come with a two-step way that is.
 */
import * as assert from "node:assert/strict";
import fc from "fast-check";
import { CLOUDS, cloudOf } from "../../src/clouds/registry";
import type { LiveResource, UpdateModel } from "../../src/clouds/updates";
import { ConfigError } from "../../src/contract/problems";
import { stepsOf } from "../../src/update/engine";
import { admitsOf } from "../../src/update/judge";
import { describeFinding, simulate, twoSteps, type Packet } from "../../src/update/simulate";
import { itProperty } from "../helpers";
import { editPairs, generated, resourcesOf, simulationOptions } from "../updates";

const SEED = Number(process.env.WRF_SEED ?? 20261206);
/** 500 edit pairs a cloud in the full run (`WRF_UPDATE_PAIRS=500`, docs/updates.md); fewer in the unit lane. */
const PAIRS = Number(process.env.WRF_UPDATE_PAIRS ?? Math.ceil(Number(process.env.WRF_RUNS ?? 40) / 2));

const DO = "digitalocean:index/firewall:Firewall";
const rule = (port: number, source = "0.0.0.0/0") => ({ protocol: "udp", portRange: `${port}`, sourceAddresses: [source] });
const firewall = (name: string, ports: number[]): LiveResource => ({
    type: DO,
    name,
    inputs: { inboundRules: ports.map((p) => rule(p)), tags: ["media"] },
});
const udp = (port: number, address = "198.51.100.7"): Packet => ({ direction: "in", protocol: "udp", port, address });

describe("updates: the engine's steps, as pulumi/pulumi orders them", () => {
    it("an unchanged resource takes no step; a changed one is updated in place unless a replace key changed; deletes come last", () => {
        const model = cloudOf("aws").updates;
        const group = { type: "aws:ec2/securityGroup:SecurityGroup", name: "g", inputs: { description: "d", tags: { Name: "g" } } };
        const ingress = (name: string, inputs: Record<string, unknown>) => ({
            type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
            name,
            inputs: { securityGroupId: "g-id", ipProtocol: "udp", fromPort: 1, toPort: 1, ...inputs },
        });
        const old = [
            group,
            ingress("a", { cidrIpv4: "10.0.0.0/8" }),
            ingress("b", { cidrIpv4: "10.0.0.0/8" }),
            ingress("gone", { cidrIpv4: "10.0.0.0/8" }),
        ];
        const next = [
            { ...group, inputs: { ...group.inputs, tags: { Name: "g2" } } },
            ingress("a", { cidrIpv4: "10.0.0.0/8" }),
            ingress("b", { cidrIpv6: "2001:db8::/32" }),
            ingress("new", { cidrIpv4: "10.0.0.0/8", fromPort: 2, toPort: 2 }),
        ];
        const steps = stepsOf(old, next, model).map((a) => `${a.phase} ${a.kind} ${a.name} (${a.why}) after ${a.after.join(",") || "-"}`);
        assert.deepEqual(steps, [
            "register update g (tags) after -",
            "register replace b (the kind of source) after 0",
            "register create new (new) after 0",
            "delete delete b (replaced (the kind of source)) after 0,1,2",
            "delete delete gone (gone from the program) after 0,1,2",
        ]);
    });

    it("a replaced group takes its rules with it: they are created in the new group, the old ones deleted before the old group", () => {
        const model = cloudOf("oci").updates;
        const nsg = (vcnId: string) => ({ type: "oci:Core/networkSecurityGroup:NetworkSecurityGroup", name: "n", inputs: { vcnId } });
        const member = {
            type: "oci:Core/networkSecurityGroupSecurityRule:NetworkSecurityGroupSecurityRule",
            name: "r",
            inputs: { networkSecurityGroupId: "n-id", direction: "INGRESS" },
        };
        const steps = stepsOf([nsg("vcn-1"), member], [nsg("vcn-2"), member], model).map(
            (a) => `${a.kind} ${a.name} after ${a.after.join(",") || "-"}`,
        );
        assert.deepEqual(steps, ["replace n after -", "replace r after 0", "delete r after 0,1", "delete n after 2"]);
    });
});

describe("updates: known hazards are reported", () => {
    const admits = admitsOf("digitalocean");
    const witnesses = [20000, 20003, 20006].flatMap((p) => [udp(p)]);

    it("a rule moving between two firewalls updated in parallel closes for a moment", () => {
        const old = [firewall("fw", [20000, 20003]), firewall("fw-2", [20006])];
        const next = [firewall("fw", [20000]), firewall("fw-2", [20003, 20006])];
        const simulation = simulate({ old, next, model: cloudOf("digitalocean").updates, admits, witnesses });
        assert.equal(simulation.exhaustive, true);
        assert.deepEqual(simulation.findings.map(describeFinding), [
            "inbound udp/20003 from 198.51.100.7 closes, though the old and the new state both open it, after:\n  1. update fw (inboundRules)",
        ]);
    });

    it("a delete-before-replace closes its ports until the new one exists", () => {
        const model: UpdateModel = {
            ...cloudOf("digitalocean").updates,
            resources: { [DO]: { replaceKeys: ["name"], deleteBeforeReplace: true, source: "a test's provider" } },
        };
        const old = [firewall("fw", [20000])];
        const next = [{ ...old[0]!, inputs: { ...old[0]!.inputs, name: "renamed" } }];
        const simulation = simulate({ old, next, model, admits, witnesses: [udp(20000)] });
        assert.deepEqual(
            simulation.findings.map((f) => `${f.kind} ${f.steps.map((s) => `${s.kind} ${s.name}`).join(", ")}`),
            ["gap delete fw"],
        );
    });

    it("revoke-then-authorize on an inline AWS group closes a source the update widens", () => {
        const group = (cidr: string) => ({
            type: "aws:ec2/securityGroup:SecurityGroup",
            name: "inline",
            inputs: { description: "d", ingress: [{ protocol: "udp", fromPort: 3478, toPort: 3478, cidrBlocks: [cidr] }], egress: [] },
        });
        const simulation = simulate({
            old: [group("203.0.113.0/24")],
            next: [group("203.0.112.0/23")],
            model: cloudOf("aws").updates,
            admits: admitsOf("aws"),
            witnesses: [udp(3478, "203.0.113.9")],
        });
        assert.deepEqual(
            simulation.findings.map((f) => `${f.kind} after ${f.steps.map((s) => s.why).join("; ")}`),
            ["gap after ingress: first call"],
        );
    });

    it("AWS's 60 rules in a full group of yours: the update's create passes it before its delete; deleting the old rule first is the clean way", async () => {
        const fill = (first: number) =>
            Array.from({ length: 60 }, (_, i) => ({ name: `f${i}`, protocol: "udp", ports: first + 3 * i, from: "public" }));
        const probes = { probePorts: [1, 2], probeAddresses: ["198.51.100.7"] };
        const yours = { securityGroupId: "sg-0123456789abcdef0" };
        const before = generated({ cloud: "aws", ipv6: false, aws: yours, ports: fill(20000) }, probes)!;
        const after = generated(
            {
                cloud: "aws",
                ipv6: false,
                aws: yours,
                ports: [...fill(20000).slice(1), { name: "g", protocol: "udp", ports: 30000, from: "public" }],
            },
            probes,
        )!;
        const options = simulationOptions(before, after, await resourcesOf(before.args), await resourcesOf(after.args));
        const simulation = simulate(options);
        assert.deepEqual(
            simulation.findings.map((f) => `${f.kind}: ${f.refusal!.rule}: ${f.refusal!.detail}`),
            ["refused: 60 IPv4 inbound rules per security group (RulesPerSecurityGroupLimitExceeded): 61 at once in sg-0123456789abcdef0"],
        );
        const two = twoSteps(options, simulation)!;
        assert.deepEqual([two.clean, two.first.map((r) => r.name)], [true, ["wrf-udp-20000-0.0.0.0/0"]]);
        // In a group of ours the same change goes through: 5 of its 60 are kept free.
        const ours = simulate(
            simulationOptions(
                generated({ ...before.args, aws: {} }, probes)!,
                generated({ ...after.args, aws: {} }, probes)!,
                await resourcesOf({ ...before.args, aws: {} }),
                await resourcesOf({ ...after.args, aws: {} }),
            ),
        );
        assert.deepEqual(ours.findings, []);
    });

    it("Azure rules in your NSG: a new rule may want the priority an old one holds until the end", () => {
        const rule = (name: string, priority: number, port: string) => ({
            type: "azure-native:network:SecurityRule",
            name,
            inputs: {
                resourceGroupName: "rg",
                networkSecurityGroupName: "nsg",
                direction: "Inbound",
                access: "Allow",
                priority,
                protocol: "Udp",
                sourceAddressPrefix: "*",
                destinationPortRange: port,
                sourcePortRange: "*",
                destinationAddressPrefix: "*",
            },
        });
        const simulation = simulate({
            old: [rule("a", 2000, "20000")],
            next: [rule("b", 2000, "20001")],
            model: cloudOf("azure").updates,
            admits: admitsOf("azure"),
            witnesses: [udp(20000), udp(20001)],
        });
        assert.deepEqual(
            simulation.findings.map((f) => `${f.refusal!.rule}: ${f.refusal!.detail}`),
            ["one rule per priority and direction in an NSG (SecurityRuleConflict): two rules at rg/nsg Inbound priority 2000"],
        );
    });
});

describe("updates: OpenStack's rules are replaced whole, and Neutron refuses a duplicate", () => {
    const rule = (name: string, description: string) => ({
        type: "openstack:networking/secGroupRule:SecGroupRule",
        name,
        inputs: {
            securityGroupId: "g",
            direction: "ingress",
            ethertype: "IPv4",
            protocol: "udp",
            portRangeMin: 20000,
            portRangeMax: 20000,
            remoteIpPrefix: "0.0.0.0/0",
            description,
        },
    });
    const run = (oldRule: LiveResource, newRule: LiveResource) =>
        simulate({
            old: [oldRule],
            next: [newRule],
            model: cloudOf("openstack").updates,
            admits: admitsOf("openstack"),
            witnesses: [udp(20000)],
        });

    it("a description that changed (a rule's name in the spec) would replace the rule by its duplicate, refused half-way: why ours is fixed", () => {
        const simulation = run(rule("r", "rtc-udp: WebRTC media"), rule("r", "media, rtc-udp"));
        assert.deepEqual(
            simulation.findings.map((f) => `${f.kind} ${f.steps.map((x) => `${x.kind} ${x.name}`).join(", ")}: ${f.refusal?.rule}`),
            ["refused replace r: a rule equal to another in the group (409 SecurityGroupRuleExists)"],
        );
        assert.deepEqual(run(rule("r", "webrtc-firewall"), rule("r", "webrtc-firewall")).findings, [], "the same rule: no step at all");
    });
});

describe("updates: random everyday edits on every cloud", function () {
    this.timeout(30 * 60_000); // 500 pairs a cloud take minutes (docs/updates.md)
    for (const cloud of CLOUDS) {
        itProperty(
            `${cloud}: ${PAIRS} edit pairs keep open what both ends open, open nothing else, and are refused nowhere without a clean two-step way (seed ${SEED})`,
            async () => {
                let twoStep = 0;
                let collisions = 0;
                let refusedByPlan = 0;
                await fc.assert(
                    fc.asyncProperty(editPairs(cloud), async ([before, after]) => {
                        let options;
                        try {
                            options = simulationOptions(before, after, await resourcesOf(before.args), await resourcesOf(after.args));
                        } catch (err) {
                            if (ConfigError.isInstance(err)) {
                                refusedByPlan++; // past a limit the plan itself refuses
                                return;
                            }
                            throw err;
                        }
                        const simulation = simulate(options);
                        const show = (findings: typeof simulation.findings) =>
                            `\nfrom ${JSON.stringify(before.args)}\nto ${JSON.stringify(after.args)}\n${findings.slice(0, 3).map(describeFinding).join("\n")}`;
                        const broken = simulation.findings.filter((f) => f.kind !== "refused");
                        assert.equal(broken.length, 0, show(broken));
                        const refused = simulation.findings.filter((f) => f.kind === "refused");
                        if (refused.length && refused.every((f) => /SecurityRuleConflict/.test(f.refusal!.rule))) {
                            // Azure, an NSG of yours: the way plan --diff gives, the rules moved to a priority range
                            // disjoint from the old one in the same update, never shares a priority at any moment.
                            collisions++;
                            const moved = { ...after.args, azure: { ...(after.args.azure as object), priorityRange: "2200-2399" } };
                            const clean = simulate(
                                simulationOptions(before, generated(moved, after)!, options.old, await resourcesOf(moved)),
                            );
                            assert.deepEqual(clean.findings.map(describeFinding), [], show(refused));
                            return;
                        }
                        const two = twoSteps(options, simulation);
                        if (two) {
                            twoStep++;
                            assert.ok(two.clean, show(simulation.findings));
                        }
                    }),
                    { seed: SEED, numRuns: PAIRS },
                );
                // What the run met, for the closing figures (docs/updates.md).
                if (process.env.WRF_UPDATE_STATS)
                    console.log(
                        `${cloud}: of ${PAIRS} pairs, ${refusedByPlan} refused by the plan itself, ${twoStep} need two steps, ` +
                            `${collisions} a disjoint priority range`,
                    );
            },
        );
    }
});
