/**
 * A consumer's own Pulumi program, written in TypeScript against the packed package, that takes the
 * component's values from real SDK resources (an Eip, security groups, a DigitalOcean Tag and Droplet,
 * a GCP Instance's tags, an Azure NSG). It is type-checked with the consumer's installed types, then run
 * through Pulumi's real launcher (tests/launch/) as a preview, where those values are unknown, and as an
 * update, where the test engine answers as the providers would.
 */
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { consumerProject, ROOT } from "../../consumer";
import { launch, type LaunchResult } from "../../launch/languageHost";
import { UNKNOWN, UNKNOWN_MARK, type PreviewStandIn, type ProviderStandIn, type Registration } from "../../launch/testEngine";
import { CHILD_OUTPUT_MAX } from "../../childOutput";

const PROGRAM = `
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as digitalocean from "@pulumi/digitalocean";
import * as gcp from "@pulumi/gcp";
import * as network from "@pulumi/azure-native/network";
import * as containerservice from "@pulumi/azure-native/containerservice";
import * as linode from "@pulumi/linode";
import * as openstack from "@pulumi/openstack";
import { WebRtcFirewall } from "webrtc-firewall";

const config = new pulumi.Config();
const bastion = new aws.ec2.Eip("bastion", {});
const lb = new aws.ec2.SecurityGroup("lb", { description: "load balancer in front of the API" });
const media = new WebRtcFirewall("media", {
    cloud: "aws",
    preset: "livekit",
    // A stack may pin the bastion's address instead; it arrives when the Eip does either way.
    adminCidrs: [bastion.publicIp.apply((ip) => config.get("adminCidr") ?? \`\${ip}/32\`)],
    ports: [{ name: "api", protocol: "tcp", ports: 7880, from: [lb.id] }],
});
new aws.ec2.Instance("livekit", { ami: "ami-0123456789abcdef0", instanceType: "c6i.large", vpcSecurityGroupIds: media.securityGroupIds });

const existing = new aws.ec2.SecurityGroup("existing", { description: "the instance's own group" });
new WebRtcFirewall("reuse", { cloud: "aws", preset: "mediasoup", aws: { securityGroupId: existing.id } });

const tag = new digitalocean.Tag("media", {});
const droplet = new digitalocean.Droplet("media", { image: "ubuntu-24-04-x64", size: "s-2vcpu-4gb", region: "ams3", tags: [tag.name] });
new WebRtcFirewall("media-do", { cloud: "digitalocean", preset: "livekit", digitalocean: { tags: [tag.name], dropletIds: [droplet.id.apply(Number)] } });

const vm = new gcp.compute.Instance("media", {
    machineType: "e2-small", zone: "europe-west1-b", tags: ["media"],
    bootDisk: { initializeParams: { image: "debian-cloud/debian-12" } }, networkInterfaces: [{ network: "default" }],
});
new WebRtcFirewall("media-gcp", { cloud: "gcp", preset: "livekit", gcp: { targetTags: vm.tags.apply((t) => t ?? []) } });

const nsg = new network.NetworkSecurityGroup("existing", { resourceGroupName: "rg" });
new WebRtcFirewall("media-az", { cloud: "azure", preset: "livekit", azure: { resourceGroupName: "rg", networkSecurityGroupName: nsg.name, priorityRange: "2000-2099" } });

// Managed Kubernetes, with the providers' own classes (docs/kubernetes.md).
const eks = new aws.eks.Cluster("media", { roleArn: "arn:aws:iam::123456789012:role/eks", vpcConfig: { subnetIds: ["subnet-0123456789abcdef0"] } });
new WebRtcFirewall("media-eks", { cloud: "aws", preset: "livekit", aws: { eksClusterSecurityGroupId: eks.vpcConfig.clusterSecurityGroupId } });

const doks = new digitalocean.KubernetesCluster("media", { region: "fra1", version: "1.31.1-do.5", nodePool: { name: "media", size: "c-4", nodeCount: 2 } });
new WebRtcFirewall("media-doks", { cloud: "digitalocean", preset: "livekit", digitalocean: { kubernetesClusterId: doks.id } });

const gke = new WebRtcFirewall("media-gke", { cloud: "gcp", preset: "livekit", gcp: { gke: "standard" } });
new gcp.container.NodePool("media", { cluster: "media-cluster", nodeCount: 2, nodeConfig: { machineType: "c2-standard-4", tags: gke.networkTags } });

const aks = new WebRtcFirewall("media-aks", { cloud: "azure", preset: "livekit", azure: { resourceGroupName: "rg", aks: true } });
new containerservice.AgentPool("media", {
    resourceGroupName: "rg", resourceName: "media-cluster", count: 2, vmSize: "Standard_F4s_v2", mode: "User",
    networkProfile: { allowedHostPorts: aks.allowedHostPorts, applicationSecurityGroups: aks.applicationSecurityGroupIds },
});

// Linode: an instance's id (a number) and an LKE cluster's; OpenStack: a load balancer's group as a source, and the
// instance taking the group by name.
const server = new linode.Instance("media", { label: "media", region: "eu-central", type: "g6-dedicated-4", image: "linode/ubuntu24.04" });
new WebRtcFirewall("media-linode", { cloud: "linode", preset: "livekit", linode: { linodeIds: [server.id.apply(Number)] } });
const lke = new linode.LkeCluster("media", { label: "media", region: "eu-central", k8sVersion: "1.31", pools: [{ type: "g6-dedicated-4", count: 2 }] });
new WebRtcFirewall("media-lke", { cloud: "linode", preset: "livekit", linode: { lkeClusterId: lke.id.apply(Number) } });
const lbGroup = new openstack.networking.SecGroup("lb", { description: "load balancer in front of the API" });
const os = new WebRtcFirewall("media-os", {
    cloud: "openstack",
    preset: "livekit",
    ports: [{ name: "api", protocol: "tcp", ports: 7880, from: [lbGroup.id] }],
});
new openstack.compute.Instance("media", { flavorName: "b3-8", imageName: "Ubuntu 24.04", securityGroups: os.securityGroupNames });

export const groupIds = media.securityGroupIds;
`;

const EKS_SG = "sg-0e0e0e0e0e0e0e0e0";
const DOKS_ID = "1b8b2100-0e9f-4e8f-ad78-9eb578c2a0af";
/** A Neutron id for a named group: a UUID made from the name. */
const NEUTRON_ID_OF = (name: string) => {
    const h = createHash("sha256").update(name).digest("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

const SG_OF = (name: string) => `sg-${createHash("sha256").update(name).digest("hex").slice(0, 17)}`;

/** What the providers would compute in an update: ids of their kind, an Eip's address, a Droplet's number. */
/** A preview plans the EKS cluster's own security group inside the vpcConfig the program gave: unknown until created. */
const PLANNED: PreviewStandIn = (type, _name, inputs) =>
    type === "aws:eks/cluster:Cluster" ? { vpcConfig: { ...(inputs.vpcConfig as object), clusterSecurityGroupId: UNKNOWN } } : undefined;

const PROVIDERS: ProviderStandIn = (type, name) => {
    if (type === "aws:ec2/eip:Eip") return { id: "eipalloc-0123456789abcdef0", outputs: { publicIp: "198.51.100.7" } };
    if (type === "aws:ec2/securityGroup:SecurityGroup") return { id: SG_OF(name) };
    if (type === "digitalocean:index/droplet:Droplet") return { id: "412345678" };
    if (type === "aws:eks/cluster:Cluster") return { id: "media", outputs: { vpcConfig: { clusterSecurityGroupId: EKS_SG } } };
    if (type === "digitalocean:index/kubernetesCluster:KubernetesCluster") return { id: DOKS_ID };
    if (type === "linode:index/instance:Instance") return { id: "41234567" };
    if (type === "linode:index/lkeCluster:LkeCluster") return { id: "123456" };
    if (type === "openstack:networking/secGroup:SecGroup") return { id: NEUTRON_ID_OF(name), outputs: { name: `${name}-1a2b3c4` } };
    if (type === "azure-native:network:NetworkSecurityGroup")
        return {
            id: `/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/networkSecurityGroups/${name}-nsg1234`,
            outputs: { name: `${name}-nsg1234` },
        };
    return undefined;
};

describe("a consumer's TypeScript program that takes the component's values from other resources, through the real launcher", function () {
    this.timeout(600_000);
    let project = "";
    const runs = new Map<string, LaunchResult>();

    before(async () => {
        project = consumerProject([
            "@pulumi/pulumi",
            "@pulumi/aws",
            "@pulumi/digitalocean",
            "@pulumi/gcp",
            "@pulumi/azure-native",
            "@pulumi/linode",
            "@pulumi/openstack",
        ]);
        fs.writeFileSync(path.join(project, "index.ts"), PROGRAM);
        fs.writeFileSync(
            path.join(project, "tsconfig.json"),
            JSON.stringify({
                compilerOptions: {
                    strict: true,
                    target: "ES2020",
                    module: "commonjs",
                    moduleResolution: "node",
                    skipLibCheck: true,
                    types: [],
                },
                files: ["index.ts"],
            }),
        );
        // Pulumi.yaml as a TypeScript project compiled ahead, like this repo's own (typescript: false).
        fs.writeFileSync(
            path.join(project, "Pulumi.yaml"),
            "name: consumer\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: index.js\n",
        );
        fs.writeFileSync(path.join(project, "Pulumi.dev.yaml"), "config: {}\n");
        fs.writeFileSync(path.join(project, "Pulumi.world.yaml"), "config:\n  consumer:adminCidr: 0.0.0.0/0\n");
        execFileSync(process.execPath, [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", project], {
            maxBuffer: CHILD_OUTPUT_MAX,
            stdio: "pipe",
        });
        const [preview, update, world] = await Promise.all([
            launch({ projectDir: project, stack: "dev", dryRun: true, planned: PLANNED }),
            launch({ projectDir: project, stack: "dev", dryRun: false, provider: PROVIDERS }),
            launch({ projectDir: project, stack: "world", dryRun: false, provider: PROVIDERS }),
        ]);
        runs.set("preview", preview).set("update", update).set("world", world);
    });

    const reg = (run: LaunchResult, name: string): Registration => {
        const found = run.engine.registrations.find((r) => r.name === name);
        assert.ok(found, `${name} is registered; got ${run.engine.registrations.map((r) => r.name).join(", ")}`);
        return found;
    };

    it("type-checks against the packed package's own types (tsc strict, no errors)", () => {
        assert.ok(fs.existsSync(path.join(project, "index.js")));
    });

    it("preview: exits 0 and registers every firewall, the values from other resources unknown", () => {
        const run = runs.get("preview")!;
        assert.equal(run.code, 0, run.stderr);
        assert.deepEqual(
            run.engine.logs.filter((l) => l.severity === "error"),
            [],
        );
        const admin = reg(run, "media-admin-late1-tcp-22").inputs;
        assert.deepEqual([admin.cidrIpv4, admin.cidrIpv6, admin.referencedSecurityGroupId], [UNKNOWN_MARK, UNKNOWN_MARK, UNKNOWN_MARK]);
        assert.equal(reg(run, "reuse-udp-40000-41000-0.0.0.0/0").inputs.securityGroupId, UNKNOWN_MARK);
        assert.equal(reg(run, "media-udp-50000-60000-0.0.0.0/0").inputs.cidrIpv4, "0.0.0.0/0", "what is known stays known");
        assert.deepEqual(reg(run, "media-do-fw").inputs.tags, [UNKNOWN_MARK]);
    });

    it("update: the resolved values reach exactly the resources that carry them", () => {
        const run = runs.get("update")!;
        assert.equal(run.code, 0, run.stderr);
        assert.deepEqual(
            run.engine.logs.filter((l) => l.severity === "error"),
            [],
        );
        const admin = reg(run, "media-admin-late1-tcp-22").inputs;
        assert.deepEqual([admin.cidrIpv4, admin.cidrIpv6, admin.referencedSecurityGroupId], ["198.51.100.7/32", undefined, undefined]);
        const api = reg(run, "media-r-api-late1-tcp-7880").inputs;
        assert.deepEqual([api.referencedSecurityGroupId, api.fromPort, api.cidrIpv4], [SG_OF("lb"), 7880, undefined]);
        // The existing group: our rules in it, no group and no egress of ours.
        const reuse = run.engine.registrations.filter((r) => r.name.startsWith("reuse-"));
        assert.ok(
            reuse.length > 0 &&
                reuse.every(
                    (r) =>
                        r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" &&
                        r.inputs.securityGroupId === SG_OF("existing"),
                ),
        );
        const fw = reg(run, "media-do-fw").inputs;
        // The Tag is auto-named by its provider (the test engine: `<logical>-<7 hex of the URN>`).
        const tagUrn = run.engine.registrations.find((r) => r.type === "digitalocean:index/tag:Tag")!.urn;
        assert.deepEqual(
            [fw.tags, fw.dropletIds],
            [[`media-${createHash("sha256").update(tagUrn).digest("hex").slice(0, 7)}`], [412345678]],
        );
        const gcpPublic = run.engine.registrations.find((r) => /^media-gcp-v4-public-[0-9a-f]{8}$/.test(r.name))!;
        assert.deepEqual(gcpPublic.inputs.targetTags, ["media"]);
        const azureRules = run.engine.registrations.filter((r) => r.type === "azure-native:network:SecurityRule");
        assert.ok(
            azureRules.length > 0 &&
                azureRules.every(
                    (r) =>
                        r.inputs.networkSecurityGroupName === "existing-nsg1234" &&
                        (r.inputs.priority as number) >= 2000 &&
                        (r.inputs.priority as number) <= 2099,
                ),
        );
        const stack = run.engine.outputs.get(run.engine.rootUrn())!;
        assert.deepEqual(stack.groupIds, [SG_OF("media-sg")]);
    });

    it("managed Kubernetes from the providers' own classes: the EKS cluster's security group, the DOKS cluster's tag, the GKE pool's tags", () => {
        const update = runs.get("update")!;
        const eksRules = update.engine.registrations.filter((r) => r.name.startsWith("media-eks-") && r.custom);
        assert.ok(
            eksRules.length > 0 && eksRules.every((r) => r.inputs.securityGroupId === EKS_SG),
            JSON.stringify(eksRules.map((r) => r.inputs)),
        );
        assert.ok(!eksRules.some((r) => r.type === "aws:ec2/securityGroup:SecurityGroup" || r.type.includes("EgressRule")));
        assert.deepEqual(reg(update, "media-doks-fw").inputs.tags, [`k8s:${DOKS_ID}`]);
        const pool = update.engine.registrations.find((r) => r.type === "gcp:container/nodePool:NodePool")!;
        assert.deepEqual((pool.inputs.nodeConfig as { tags: string[] }).tags, ["media-gke-media"]);
        const agentPool = update.engine.registrations.find((r) => r.type === "azure-native:containerservice:AgentPool")!;
        const asg = update.engine.registrations.find((r) => r.type === "azure-native:network:ApplicationSecurityGroup")!;
        assert.deepEqual(agentPool.inputs.networkProfile, {
            allowedHostPorts: [
                { portEnd: 7881, portStart: 7881, protocol: "TCP" },
                { portEnd: 60000, portStart: 50000, protocol: "UDP" },
            ],
            applicationSecurityGroups: [asg.id],
        });
        const preview = runs.get("preview")!;
        assert.equal(reg(preview, "media-eks-udp-50000-60000-0.0.0.0/0").inputs.securityGroupId, UNKNOWN_MARK);
        assert.deepEqual(reg(preview, "media-doks-fw").inputs.tags, [UNKNOWN_MARK]);
    });

    it("Linode and OpenStack from the providers' own classes: an instance's and an LKE cluster's ids, a group as a source (IPv4), the group by name on an instance", () => {
        const update = runs.get("update")!;
        assert.deepEqual(reg(update, "media-linode-fw").inputs.linodes, [41234567]);
        const lkeRules = (reg(update, "media-lke-fw").inputs.inbounds as { label: string }[]).map((r) => r.label);
        assert.deepEqual(lkeRules.slice(-3), ["lke-tcp", "lke-udp", "lke-ipencap"]);
        const fromLb = update.engine.registrations.filter((r) => r.name.startsWith("media-os-") && r.inputs.remoteGroupId !== undefined);
        assert.deepEqual(
            fromLb.map((r) => [r.inputs.ethertype, r.inputs.portRangeMin, r.inputs.remoteGroupId]),
            [["IPv4", 7880, NEUTRON_ID_OF("lb")]],
            "a group from another resource: IPv4 only, as the plan warns (a rule's ethertype must be known before the update)",
        );
        assert.ok(fromLb.every((r) => r.inputs.securityGroupId === NEUTRON_ID_OF("media-os-sg")));
        const instance = update.engine.registrations.find((r) => r.type === "openstack:compute/instance:Instance")!;
        assert.deepEqual(instance.inputs.securityGroups, ["media-os-sg-1a2b3c4"]);
        const preview = runs.get("preview")!;
        assert.deepEqual(reg(preview, "media-linode-fw").inputs.linodes, [UNKNOWN_MARK]);
    });

    it("a value that resolves to the world fails the deployment as Pulumi shows a user error, and no rule carrying it is sent", () => {
        const run = runs.get("world")!;
        const errors = run.engine.logs.filter((l) => l.severity === "error").map((l) => l.message);
        const ours = errors.find((m) =>
            m.includes("webrtc-firewall: the config has 1 problem once the values from other resources resolved"),
        );
        assert.ok(ours, `exit ${run.code}; errors: ${errors.join("\n---\n")}; stderr: ${run.stderr}`);
        assert.notEqual(run.code, 0);
        assert.equal(errors.filter((m) => m.includes("webrtc-firewall:")).length, 1, `said once: ${errors.join("\n---\n")}`);
        assert.match(ours, /adminCidrs: \["0\.0\.0\.0\/0"\] together cover all of IPv4; adminCidrs name who may administer the server/);
        assert.doesNotMatch(ours, /\n\s+at |error serializing property/, "no stack trace, no serializer prefixes");
        const sent = run.engine.registrations.filter((r) => r.name.startsWith("media-") && r.custom && r.type.startsWith("aws:"));
        assert.deepEqual(
            sent.filter((r) => JSON.stringify(r.inputs).includes("0.0.0.0/0") && r.inputs.fromPort === 22).map((r) => r.name),
            [],
        );
        assert.ok(!sent.some((r) => r.name.startsWith("media-admin-late")), "the late admin rule is never sent");
    });
});
