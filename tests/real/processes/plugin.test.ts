/**
 * The multi-language face, started as `pulumi package add` starts it (tests/launch/pluginHost.ts) and
 * called over gRPC as the engine calls it for a Python, Go, C#, Java or YAML program: GetPluginInfo,
 * GetSchema, and Construct with inputs encoded as those SDKs encode them, against the test engine.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runWithMocks, type RecordedResource } from "../../../src/cli/mockRun";
import { WebRtcFirewall } from "../../../src/component/component";
import { PRESET_NAMES } from "../../../src/contract/types";
import { CLOUDS, type Cloud } from "../../../src/clouds/registry";
import { packageSchema } from "../../../src/provider/schema";
import { packedTarball, ROOT } from "../../consumer";
import { billionLaughs } from "../../fixtures/hostile";
import { symbolicIds, unwrapSecrets, type Entry } from "../../launch/compare";
import { construct, getPluginInfo, getSchema, startPlugin, wire, type Plugin } from "../../launch/pluginHost";
import { startTestEngine, UNKNOWN_MARK, type Registration, type TestEngine } from "../../launch/testEngine";
import { metaschemaProblems } from "../../providers/pulumiMetaschema";

const VERSION = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).version as string;
const BLOCKS: Record<Cloud, Record<string, unknown>> = {
    aws: {},
    gcp: { gcp: { targetTags: ["media"] } },
    digitalocean: { digitalocean: { tags: ["media"] } },
    azure: { azure: { resourceGroupName: "rg" } },
    hetzner: { hetzner: { serverIds: [4711] } },
    oci: { oci: { compartmentId: "ocid1.compartment.oc1..aaaaaaaamedia", vcnId: "ocid1.vcn.oc1.eu-frankfurt-1.amaaaaaamedia" } },
    linode: { linode: { linodeIds: [41234567] } },
    openstack: { openstack: {} },
};
const STACK = "urn:pulumi:dev::consumer::pulumi:pulumi:Stack::consumer-dev";
const COMPONENT = "webrtc-firewall:index:WebRtcFirewall";
/** A provider the consumer's program made (another region): a reference `urn::id`, as the engine sends it. */
const EU_PROVIDER = "urn:pulumi:dev::consumer::pulumi:providers:aws::eu-west-1::0f0f0f0f-0000-4000-8000-000000000001";

/** What the TypeScript component registers for the same config, under mocks. */
async function fromTypeScript(name: string, args: Record<string, unknown>): Promise<RecordedResource[]> {
    return (await runWithMocks({}, () => new WebRtcFirewall(name, args as never))).resources;
}

const ofComponent = (engine: TestEngine, name: string) =>
    engine.registrations.filter((r) => r.name === name || r.name.startsWith(`${name}-`));
const isSecret = (v: unknown) => !!v && typeof v === "object" && "secret" in (v as object);

describe("every Pulumi language: the package as a provider plugin, launched as RunPlugin launches it", function () {
    this.timeout(300_000);
    let plugin: Plugin;
    let update: TestEngine;
    let preview: TestEngine;
    let pwd = "";

    before(async () => {
        packedTarball(); // npm pack runs `prepare`: dist/ is built from these sources, as an install builds it
        update = await startTestEngine({
            project: "consumer",
            stack: "dev",
            dryRun: false,
            existing: {
                [EU_PROVIDER.split("::").slice(0, 4).join("::")]: { id: EU_PROVIDER.split("::")[4]!, state: { region: "eu-west-1" } },
            },
        });
        preview = await startTestEngine({ project: "consumer", stack: "dev", dryRun: true });
        pwd = fs.mkdtempSync(path.join(os.tmpdir(), "wrf-python-project-"));
        plugin = await startPlugin({ programDirectory: ROOT, pwd, engineAddress: update.engineAddress });
    });
    after(async () => {
        plugin?.stop();
        await Promise.all([update?.stop(), preview?.stop()]);
    });

    it("starts through @pulumi/pulumi/cmd/run-plugin from the package folder, and prints its port first", () => {
        assert.match(plugin.args[0]!, /node_modules\/@pulumi\/pulumi\/cmd\/run-plugin\/index\.js$/);
        assert.deepEqual(plugin.args.slice(1), [ROOT, update.engineAddress]);
        assert.equal(plugin.cwd, pwd);
        assert.ok(plugin.port > 0);
        assert.equal(
            JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")).main,
            "dist/provider/plugin.js",
            "run-plugin requires the folder: Node takes main",
        );
        assert.match(fs.readFileSync(path.join(ROOT, "PulumiPlugin.yaml"), "utf8"), /^runtime:\n {2}name: nodejs/m);
    });

    it("GetPluginInfo: the package's version", async () => {
        assert.equal(await getPluginInfo(plugin), VERSION);
    });

    it("GetSchema: the schema written once, valid against Pulumi's metaschema rules, described everywhere", async () => {
        const schema: Record<string, any> = await getSchema(plugin);
        assert.deepEqual(packageSchema(VERSION) as unknown, schema, "GetSchema answers the schema of schema.ts");
        assert.deepEqual(metaschemaProblems(schema), []);
        const resource = schema.resources[COMPONENT];
        assert.equal(resource.isComponent, true);
        const described = (props: Record<string, any>, where: string) =>
            Object.entries(props).forEach(([k, p]) => assert.ok(p.description, `${where}.${k} has no description`));
        described(resource.inputProperties, "inputs");
        described(resource.properties, "outputs");
        for (const [token, type] of Object.entries(schema.types) as [string, any][]) {
            assert.ok(type.description, `${token} has no description`);
            if (type.properties) described(type.properties, token);
            for (const e of type.enum ?? []) assert.ok(e.description, `${token} ${e.value} has no description`);
        }
        // What a program may take from another resource is an input type; what decides the resources, plain.
        const plain = Object.entries(resource.inputProperties)
            .filter(([, p]: [string, any]) => p.plain)
            .map(([k]) => k)
            .sort();
        assert.deepEqual(plain, [
            "aws",
            "azure",
            "cloud",
            "digitalocean",
            "gcp",
            "hetzner",
            "ipv6",
            "kubernetes",
            "linode",
            "oci",
            "openstack",
            "ports",
            "preset",
            "presetOptions",
            "secret",
            "serverConfigs",
            "turnRelay",
        ]);
        assert.equal(schema.types["webrtc-firewall:index:OciArgs"].properties.vcnId.plain, undefined);
        assert.equal(schema.types["webrtc-firewall:index:LinodeArgs"].properties.linodeIds.plain, undefined);
        assert.equal(schema.types["webrtc-firewall:index:LinodeArgs"].properties.firewallLabel.plain, true);
        assert.equal(schema.types["webrtc-firewall:index:OpenstackArgs"].properties.secGroupId.plain, undefined);
        assert.equal(schema.types["webrtc-firewall:index:OpenstackArgs"].properties.projectQuotas.plain, true);
        assert.equal(resource.inputProperties.adminCidrs.plain, undefined);
        assert.equal(schema.types["webrtc-firewall:index:PortRule"].properties.from.plain, undefined);
        assert.equal(schema.types["webrtc-firewall:index:PortRule"].properties.ports.plain, true);
        assert.equal(schema.types["webrtc-firewall:index:AwsArgs"].properties.securityGroupId.plain, undefined);
        assert.deepEqual(
            schema.types["webrtc-firewall:index:Cloud"].enum.map((e: any) => e.value),
            [...CLOUDS],
        );
        assert.deepEqual(
            schema.types["webrtc-firewall:index:Preset"].enum.map((e: any) => e.value),
            [...PRESET_NAMES],
        );
        assert.deepEqual(Object.keys(resource.properties).sort(), [
            "allowedHostPorts",
            "applicationSecurityGroupIds",
            "cloudInit",
            "firewallIds",
            "firewallNames",
            "iptablesScript",
            "networkSecurityGroupId",
            "networkSecurityGroupIds",
            "networkTags",
            "nftablesRuleset",
            "rules",
            "securityGroupIds",
            "securityGroupNames",
            "ufwCommands",
            "warnings",
        ]);
    });

    for (const cloud of CLOUDS) {
        it(`Construct, every preset on ${cloud}: the children, their types, names, parents and inputs equal the TypeScript component's`, async () => {
            for (const preset of PRESET_NAMES) {
                const name = `${preset}-${cloud}`.replace("reflector-direct", "rdirect");
                const args = { cloud, preset, adminCidrs: ["203.0.113.0/24", "2001:db8::/48"], ...BLOCKS[cloud] };
                const result = await construct(plugin, { monitor: update.monitorAddress, dryRun: false, name, inputs: args });
                const regs = ofComponent(update, name);
                const component = regs.find((r) => r.type === COMPONENT)!;
                assert.equal(component.parent, STACK);
                assert.equal(result.urn, component.urn);
                assert.ok(
                    regs.filter((r) => r !== component).every((r) => r.parent === component.urn),
                    "every child's parent is the component",
                );
                const launched = symbolicIds(
                    regs.map(({ type, name: n, inputs, id }) => ({ type, name: n, inputs, id })),
                    (e) => (e as Registration).id,
                );
                const ts = symbolicIds(await fromTypeScript(name, args), (e) => `${e.name}-id`);
                assert.deepEqual(
                    launched.map(({ type, name: n, inputs }) => ({ type, name: n, inputs })),
                    ts,
                    `${preset} on ${cloud}`,
                );
                // The response state carries the outputs the schema declares, the cloud's own among them.
                const own: Record<Cloud, string | string[]> = {
                    aws: "securityGroupIds",
                    gcp: ["firewallNames", "networkTags"],
                    digitalocean: "firewallIds",
                    azure: "networkSecurityGroupId",
                    hetzner: "firewallIds",
                    oci: "networkSecurityGroupIds",
                    linode: "firewallIds",
                    openstack: ["securityGroupIds", "securityGroupNames"],
                };
                assert.deepEqual(
                    Object.keys(result.state).sort(),
                    ["cloudInit", "iptablesScript", "nftablesRuleset", "rules", "ufwCommands", "warnings", ...[own[cloud]].flat()].sort(),
                );
                assert.match(String(result.state.nftablesRuleset), /table inet webrtc_firewall/);
            }
        });
    }

    it("a secret input keeps what derives from it secret: the carrying inputs, the rules, the host rulesets", async () => {
        const result = await construct(plugin, {
            monitor: update.monitorAddress,
            dryRun: false,
            name: "secret-admin",
            inputs: { cloud: "aws", preset: "coturn", adminCidrs: [wire.output("203.0.113.7/32", [], true)] },
        });
        const rule = update.registrations.find((r) => r.name === "secret-admin-admin-late1-tcp-22")!;
        assert.ok(isSecret(rule.inputs.cidrIpv4), JSON.stringify(rule.inputs));
        assert.deepEqual(unwrapSecrets(rule.inputs.cidrIpv4), "203.0.113.7/32");
        for (const key of ["rules", "nftablesRuleset", "ufwCommands", "cloudInit"])
            assert.ok(JSON.stringify(result.state[key]).includes("1b47061264138c4ac30d75fd1eb44270"), `${key} is secret`);
        // A whole input sent as a secret (top level): the same.
        await construct(plugin, {
            monitor: update.monitorAddress,
            dryRun: false,
            name: "secret-list",
            inputs: { cloud: "aws", preset: "coturn", adminCidrs: wire.secret(["203.0.113.8/32"]) },
        });
        assert.ok(update.registrations.filter((r) => r.name.startsWith("secret-list-admin-late1")).some((r) => isSecret(r.inputs.entries)));
    });

    it("an unknown input in a preview is no error: the rule carrying it is registered with it unknown", async () => {
        const result = await construct(plugin, {
            monitor: preview.monitorAddress,
            dryRun: true,
            name: "unknown-admin",
            inputs: {
                cloud: "gcp",
                preset: "livekit",
                adminCidrs: [wire.unknown],
                gcp: { targetTags: [wire.output(undefined, ["urn:pulumi:dev::consumer::gcp:compute/instance:Instance::vm"])] },
            },
        });
        assert.ok(result.urn);
        const late = preview.registrations.find((r) => r.name === "unknown-admin-admin-late1")!;
        assert.deepEqual(late.inputs.sourceRanges, [UNKNOWN_MARK]);
        assert.deepEqual(late.inputs.targetTags, [UNKNOWN_MARK]);
        assert.deepEqual(preview.registrations.find((r) => /^unknown-admin-v4-public-[0-9a-f]{8}$/.test(r.name))!.inputs.sourceRanges, [
            "0.0.0.0/0",
        ]);
    });

    it("an output value with dependencies: the value reaches the rule that carries it, and so does the dependency", async () => {
        const lb = "urn:pulumi:dev::consumer::aws:ec2/securityGroup:SecurityGroup::lb";
        await construct(plugin, {
            monitor: update.monitorAddress,
            dryRun: false,
            name: "deps",
            inputs: {
                cloud: "aws",
                preset: "livekit",
                ports: [{ name: "api", protocol: "tcp", ports: 7880, from: [wire.output("sg-0123456789abcdef0", [lb])] }],
            },
            inputDependencies: { ports: [lb] },
        });
        const rule = update.registrations.find((r) => r.name === "deps-r-api-late1-tcp-7880")!;
        assert.equal(rule.inputs.referencedSecurityGroupId, "sg-0123456789abcdef0");
        assert.ok(rule.propertyDependencies.referencedSecurityGroupId?.includes(lb), JSON.stringify(rule.propertyDependencies));
    });

    it("bad input from any language: the TypeScript component's refusal, every problem with its path, value and fix, nothing registered", async () => {
        const inputs = {
            cloud: "aws",
            preset: "livekit",
            adminCidrs: ["0.0.0.0/1", "128.0.0.0/1"],
            ports: [{ name: "x", protocol: "icmp", ports: 99999 }],
        };
        const err = await construct(plugin, { monitor: update.monitorAddress, dryRun: false, name: "refused", inputs }).then(
            () => undefined,
            (e: any) => e,
        );
        assert.ok(err, "Construct must fail");
        assert.equal(err.code, 3, "INVALID_ARGUMENT: the engine prints it as an input properties error");
        let expected = "";
        try {
            new WebRtcFirewall("refused", inputs as never);
        } catch (e) {
            expected = (e as Error).message;
        }
        assert.equal(err.details, expected);
        assert.match(err.details, /ports\[0\]\.protocol: "icmp" is not a protocol; use udp, tcp or \[udp, tcp\]/);
        assert.match(err.details, /adminCidrs: \["0\.0\.0\.0\/1","128\.0\.0\.0\/1"\] together cover all of IPv4/);
        assert.doesNotMatch(err.details, /\n\s+at /);
        assert.deepEqual(ofComponent(update, "refused"), []);
    });

    it("hostile server files from any language: read only inside the program's folder, never echoed, never a stack trace (gRPC UNKNOWN)", async () => {
        const outside = fs.mkdtempSync(path.join(os.tmpdir(), "wrf-outside-"));
        fs.writeFileSync(path.join(outside, "app-secrets.yaml"), "port: {user: admin, token: sk_live_OUTSIDE}\n");
        fs.symlinkSync(path.join(outside, "app-secrets.yaml"), path.join(pwd, "linked.yaml"));
        fs.writeFileSync(path.join(pwd, "livekit.yaml"), "port: {user: admin, token: sk_live_INSIDE}\nrtc: {tcp_port: 7881}\n");
        fs.writeFileSync(path.join(pwd, "bomb.yaml"), billionLaughs("rtc: {tcp_port: 7881}"));
        const serverConfigs = [
            path.join(outside, "app-secrets.yaml"),
            "../" + path.basename(outside) + "/app-secrets.yaml",
            "linked.yaml",
            "livekit.yaml",
            { path: "bomb.yaml", kind: "livekit" },
        ];
        const err = await construct(plugin, {
            monitor: update.monitorAddress,
            dryRun: false,
            name: "hostile-files",
            inputs: { cloud: "aws", preset: "livekit", serverConfigs },
        }).then(
            () => undefined,
            (e: any) => e,
        );
        assert.equal(err?.code, 3, "INVALID_ARGUMENT with the problems, not UNKNOWN");
        assert.doesNotMatch(err.details, /sk_live|\n\s+at /);
        assert.equal((err.details.match(/is not a file inside the project folder/g) ?? []).length, 3, err.details);
        assert.match(err.details, /livekit\.yaml:1: port: a map is not a port/);
        assert.match(err.details, /bomb\.yaml: expands more than 100 aliases/);
        assert.deepEqual(ofComponent(update, "hostile-files"), []);
    });

    it("the resource options that come with Construct reach the children as in TypeScript: providers, protect, dependsOn, parent", async () => {
        const provider = EU_PROVIDER;
        const parent = "urn:pulumi:dev::consumer::my:index:Media::media";
        const db = "urn:pulumi:dev::consumer::aws:rds/instance:Instance::db";
        await construct(plugin, {
            monitor: update.monitorAddress,
            dryRun: false,
            name: "opts",
            parent,
            inputs: { cloud: "aws", preset: "coturn" },
            providers: { aws: provider },
            protect: true,
            dependencies: [db],
        }).catch((e) => {
            throw new Error(`${e.message}\nplugin stderr: ${plugin.stderr()}`);
        });
        const regs = ofComponent(update, "opts");
        const component = regs.find((r) => r.type === COMPONENT)!;
        assert.equal(component.parent, parent);
        assert.deepEqual(component.dependencies, [db]);
        const children = regs.filter((r) => r.custom);
        assert.ok(children.length > 3);
        for (const child of children) {
            assert.equal(child.provider, provider, `${child.name} uses the eu-west-1 provider`);
            assert.equal(child.protect, true, `${child.name} is protected`);
        }
    });
    it("(last: Pulumi's provider server refuses further calls after a failed one) a late value from another language that fails: one error with the problems, no stack trace, no rule carrying it", async () => {
        const err = await construct(plugin, {
            monitor: update.monitorAddress,
            dryRun: false,
            name: "late-world",
            inputs: {
                cloud: "aws",
                preset: "coturn",
                adminCidrs: [wire.output("0.0.0.0/0", ["urn:pulumi:dev::consumer::aws:ec2/eip:Eip::bastion"])],
            },
        }).then(
            () => undefined,
            (e: any) => e,
        );
        assert.ok(err, "Construct must fail");
        assert.match(
            err.details,
            /webrtc-firewall: the config has 1 problem once the values from other resources resolved[\s\S]*adminCidrs: \["0\.0\.0\.0\/0"\] together cover all of IPv4/,
        );
        assert.doesNotMatch(err.details, /\n\s+at |error serializing property/);
        assert.deepEqual(
            update.registrations.filter((r) => r.name.startsWith("late-world-admin-late")),
            [],
        );
        assert.doesNotMatch(plugin.stderr(), /\n\s+at /, "what the plugin prints has no stack trace either");
    });
});

void ({} as Entry);
