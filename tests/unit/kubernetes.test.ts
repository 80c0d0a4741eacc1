/**
 * Managed Kubernetes node pools (docs/kubernetes.md): the rules go where the service applies them and nowhere it
 * reconciles. EKS: the cluster security group, never its egress. GKE: the node pool's network tags. DOKS: a
 * firewall of our own tagged k8s:<cluster id>. Each service's evaluator answers which ports reach a pod on the
 * pool (over hostNetwork, the node's ports), from where: exactly the spec, on random configs of every preset.
 */
import * as assert from "node:assert/strict";
import fc from "fast-check";
import { checkConformance } from "../conformance";
import { configs, type Generated } from "../generators";
import { awsEvaluator } from "../evaluators/aws";
import { gcpEvaluator } from "../evaluators/gcp";
import { digitaloceanEvaluator } from "../evaluators/digitalocean";
import {
    AWS_EGRESS,
    AWS_GROUP,
    AWS_INGRESS,
    ipv4Networks,
    itProperty,
    late,
    ofType,
    plan,
    planLate,
    refuse,
    repeatsASource,
    withLateSources,
} from "../helpers";
import { ConfigError } from "../../src/contract/problems";
import { validateConfig } from "../../src/pipeline/validate";
import { nodePoolTag } from "../../src/clouds/gcp/target";
import { parentOf, type RecordedResource } from "../../src/cli/mockRun";
import { allowedHostPortsProblems, providerProblems } from "../providers/validators";
import { azureEvaluator, VNET } from "../evaluators/azure";
import { linodeEvaluator } from "../evaluators/linode";
import { matcher, type Evaluator } from "../evaluators/packet";
import type { HostPortRange } from "../../src/clouds/azure/target";
import type * as pulumi from "@pulumi/pulumi";

/** The Linode firewall without LKE's own node rules (labels lke-*). */
const withoutLke = (resources: RecordedResource[]): RecordedResource[] =>
    resources.map((r) =>
        Array.isArray(r.inputs.inbounds)
            ? {
                  ...r,
                  inputs: { ...r.inputs, inbounds: (r.inputs.inbounds as { label: string }[]).filter((i) => !i.label.startsWith("lke-")) },
              }
            : r,
    );

/** Azure's default AllowVNetInBound and AllowAzureLoadBalancerInBound, in every NSG. */
const azureDefaultInbound = matcher([...VNET, "168.63.129.16/32"]);

const SEED = Number(process.env.WRF_SEED ?? 20261206);
// A quarter of the other property tests' draws: three services over the same evaluators those tests already hold to the spec.
const RUNS = Math.ceil(Number(process.env.WRF_RUNS ?? 200) / 4);
const CLUSTER_SG = "sg-0123456789abcdef0";
const CLUSTER_ID = "1b8b2100-0e9f-4e8f-ad78-9eb578c2a0af";
const GCP_FIREWALL = "gcp:compute/firewall:Firewall";
const DO_FIREWALL = "digitalocean:index/firewall:Firewall";

/** The cluster security group's own rules (Amazon EKS User Guide, "security group requirements"): all from itself, all out. */
const EKS_OWN = {
    ingress: [{ ipProtocol: "-1", referencedSecurityGroupId: CLUSTER_SG }],
    egress: [
        { ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" },
        { ipProtocol: "-1", cidrIpv6: "::/0" },
    ],
};

/** A node of another pool: no inbound packet of the spec's ports, nor of the random probes, reaches it. */
function nothingReaches(otherPool: Evaluator, g: Generated): void {
    for (const port of [3478, 7881, 50000, ...g.probePorts])
        for (const protocol of ["tcp", "udp"] as const)
            assert.equal(
                otherPool({ direction: "in", protocol, port, address: "198.51.100.7" }),
                false,
                `${protocol}/${port} on another pool`,
            );
}

/** Plans `g` with its cloud's block replaced by `block`; undefined when the config does not fit the service's room. */
async function planOn(g: Generated, key: string, block: Record<string, unknown>): Promise<RecordedResource[] | undefined> {
    try {
        return (await plan({ ...g.args, [key]: block })).resources;
    } catch (err) {
        if (ConfigError.isInstance(err) && err.problems.every((p) => /more than/.test(p.message))) return undefined;
        throw err;
    }
}

describe("managed Kubernetes: EKS, the cluster security group", () => {
    it("every rule goes into the cluster security group; no group and no egress rule is created; the cluster side is said", async () => {
        const { resources, firewall } = await plan({ cloud: "aws", preset: "livekit", aws: { eksClusterSecurityGroupId: CLUSTER_SG } });
        assert.deepEqual(ofType(resources, AWS_GROUP), []);
        assert.deepEqual(ofType(resources, AWS_EGRESS), [], "never the cluster security group's egress");
        const ingress = ofType(resources, AWS_INGRESS);
        assert.ok(ingress.length > 0 && ingress.every((r) => r.inputs.securityGroupId === CLUSTER_SG));
        assert.ok(firewall.warnings.some((w) => /managed node group created without a launch template/.test(w) && /hostNetwork/.test(w)));
        assert.ok(
            firewall.warnings.some((w) => /securityGroupSelectorTerms/.test(w)),
            "Karpenter and Auto Mode are named",
        );
    });

    it("the cluster security group keeps its own inbound rule: 59 of 60 are ours, and a 60th is refused with the counts", async () => {
        const ports = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `p${i}`, protocol: "tcp", ports: 20000 + 2 * i })); // apart, so no two merge
        await plan({ cloud: "aws", ipv6: false, ports: ports(59), aws: { eksClusterSecurityGroupId: CLUSTER_SG } });
        const lines = refuse({ cloud: "aws", ipv6: false, ports: ports(60), aws: { eksClusterSecurityGroupId: CLUSTER_SG } });
        assert.deepEqual(lines.length, 1);
        assert.match(
            lines[0]!,
            /AWS needs 60 IPv4 inbound rules .*more than the 59 rules of the one existing group \(aws\.eksClusterSecurityGroupId\), beside the one EKS keeps there/,
        );
    });

    it("refused with another group or a VPC, and a value that is no security group id", () => {
        assert.deepEqual(
            refuse({
                cloud: "aws",
                preset: "livekit",
                aws: { eksClusterSecurityGroupId: CLUSTER_SG, securityGroupId: "sg-0aaaaaaaaaaaaaaaa", vpcId: "vpc-0aaaaaaaaaaaaaaaa" },
            }).map((l) => l.split(":")[0]),
            ["aws.securityGroupId", "aws.vpcId"],
        );
        assert.match(
            refuse({ cloud: "aws", preset: "livekit", aws: { eksClusterSecurityGroupId: "eks-cluster-sg-media-123" } })[0]!,
            /is not a security group id; give the cluster's vpcConfig\.clusterSecurityGroupId/,
        );
    });

    it("from the cluster's own Output (vpcConfig.clusterSecurityGroupId): checked once resolved, then carried", async () => {
        const ok = await planLate({ cloud: "aws", preset: "livekit", aws: { eksClusterSecurityGroupId: late(CLUSTER_SG) } });
        assert.equal(ok.error, undefined);
        assert.ok(ofType(ok.resources, AWS_INGRESS).every((r) => r.inputs.securityGroupId === CLUSTER_SG));
        const bad = await planLate({ cloud: "aws", preset: "livekit", aws: { eksClusterSecurityGroupId: late("sg-nothex") } });
        assert.match(bad.error!.message, /aws\.eksClusterSecurityGroupId: "sg-nothex" is not a security group id/);
        assert.deepEqual(ofType(bad.resources, AWS_INGRESS), [], "no rule carrying it registers");
        // A cluster output that is not set (an id the provider has not computed) is refused, never read as "no group".
        const none = await planLate({ cloud: "aws", preset: "livekit", aws: { eksClusterSecurityGroupId: late(undefined) } });
        assert.match(none.error!.message, /aws\.eksClusterSecurityGroupId: resolved to nothing \(undefined\)/);
        assert.deepEqual(ofType(none.resources, AWS_INGRESS), []);
    });

    itProperty(
        `${RUNS} random configs: the ports that reach a node of the pool are exactly the spec's, egress intact (seed ${SEED})`,
        async () => {
            await fc.assert(
                fc.asyncProperty(configs("aws"), async (g) => {
                    const resources = await planOn(g, "aws", { eksClusterSecurityGroupId: CLUSTER_SG });
                    fc.pre(resources !== undefined);
                    checkConformance("aws", g, resources!, awsEvaluator(resources!, { existing: EKS_OWN }));
                }),
                { seed: SEED, numRuns: RUNS },
            );
        },
    );
});

describe("managed Kubernetes: GKE, the node pool's network tags", () => {
    it("Standard without targetTags: every rule targets a tag of the component's own, which output networkTags gives for nodeConfig.tags", async () => {
        const { resources, firewall } = await plan({ cloud: "gcp", preset: "livekit", gcp: { gke: "standard" } }, "media");
        const firewalls = ofType(resources, GCP_FIREWALL);
        assert.ok(firewalls.length > 0 && firewalls.every((f) => JSON.stringify(f.inputs.targetTags) === '["media-media"]'));
        assert.deepEqual(await new Promise((resolve) => firewall.networkTags!.apply(resolve)), ["media-media"]);
        assert.ok(
            firewall.warnings.some((w) => /give it to the media node pool's nodeConfig\.tags/.test(w) && /auto-provisioning/.test(w)),
        );
    });

    it("the pool's own tags, from gcp.container.NodePool's nodeConfig.tags as an Output, are the targets", async () => {
        const { resources, error } = await planLate({
            cloud: "gcp",
            preset: "livekit",
            gcp: { gke: "standard", targetTags: late(["livekit-pool"]) },
        });
        assert.equal(error, undefined);
        assert.ok(ofType(resources, GCP_FIREWALL).every((f) => JSON.stringify(f.inputs.targetTags) === '["livekit-pool"]'));
    });

    it("Autopilot is refused: it admits no hostNetwork or hostPort pod", () => {
        assert.deepEqual(refuse({ cloud: "gcp", preset: "livekit", gcp: { gke: "autopilot" } }), [
            "gcp.gke: is autopilot: GKE Autopilot admits no pod with hostNetwork or hostPort (GKE Warden's autogke-no-host-port), so the media server's ports cannot be a node's ports there; run the media server on a node pool of a GKE Standard cluster (gke: standard), or reach it through NodePort services (kubernetes.exposure: nodePort)",
        ]);
    });

    it("the tag a component's name makes is always a valid GCP network tag", () => {
        fc.assert(
            fc.property(fc.string({ maxLength: 120 }), (name) => {
                const tag = nodePoolTag(name);
                assert.match(tag, /^[a-z]([-a-z0-9]*[a-z0-9])?$/);
                assert.ok(tag.length <= 63);
            }),
            { seed: SEED, numRuns: 500 },
        );
    });

    itProperty(
        `${RUNS} random configs: exactly the spec reaches a node of the pool, nothing a node of another pool (seed ${SEED})`,
        async () => {
            await fc.assert(
                fc.asyncProperty(configs("gcp"), async (g) => {
                    const resources = (await planOn(g, "gcp", { gke: "standard" }))!;
                    checkConformance("gcp", g, resources, gcpEvaluator(resources, [nodePoolTag("wrf")]));
                    const otherPool = gcpEvaluator(resources, ["gke-media-default-pool"]);
                    nothingReaches(otherPool, g);
                }),
                { seed: SEED, numRuns: RUNS },
            );
        },
    );
});

describe("managed Kubernetes: DOKS, a firewall of our own tagged k8s:<cluster id>", () => {
    it("the firewall carries the cluster's tag after the config's own; the managed firewall is not touched", async () => {
        const { resources, firewall } = await plan({
            cloud: "digitalocean",
            preset: "livekit",
            digitalocean: { tags: ["media"], kubernetesClusterId: CLUSTER_ID },
        });
        const firewalls = ofType(resources, DO_FIREWALL);
        assert.equal(firewalls.length, 1);
        assert.deepEqual(firewalls[0]!.inputs.tags, ["media", `k8s:${CLUSTER_ID}`]);
        assert.ok(firewall.warnings.some((w) => /k8s-<id>-worker firewall is left alone/.test(w)));
    });

    it("from digitalocean.KubernetesCluster's id as an Output: the tag follows it; a whole tags list from another resource too", async () => {
        const one = await planLate({ cloud: "digitalocean", preset: "livekit", digitalocean: { kubernetesClusterId: late(CLUSTER_ID) } });
        assert.deepEqual(ofType(one.resources, DO_FIREWALL)[0]!.inputs.tags, [`k8s:${CLUSTER_ID}`]);
        const list = await planLate({
            cloud: "digitalocean",
            preset: "livekit",
            digitalocean: { tags: late(["a", "b"]), kubernetesClusterId: CLUSTER_ID },
        });
        assert.deepEqual(ofType(list.resources, DO_FIREWALL)[0]!.inputs.tags, ["a", "b", `k8s:${CLUSTER_ID}`]);
    });

    it("refused: an id that is no cluster id, and five tags beside the cluster's (a firewall takes five)", () => {
        assert.match(
            refuse({ cloud: "digitalocean", preset: "livekit", digitalocean: { kubernetesClusterId: "my-cluster" } })[0]!,
            /is not a DOKS cluster id/,
        );
        assert.match(
            refuse({
                cloud: "digitalocean",
                preset: "livekit",
                digitalocean: { tags: ["a", "b", "c", "d", "e"], kubernetesClusterId: CLUSTER_ID },
            })[0]!,
            /^digitalocean\.tags: 5 tags and the cluster's k8s:<id> tag; a DigitalOcean firewall takes at most 5/,
        );
    });

    itProperty(`${RUNS} random configs: exactly the spec reaches the cluster's nodes, egress intact (seed ${SEED})`, async () => {
        await fc.assert(
            fc.asyncProperty(configs("digitalocean"), async (g) => {
                const resources = (await planOn(g, "digitalocean", { kubernetesClusterId: CLUSTER_ID }))!;
                assert.ok(ofType(resources, DO_FIREWALL).every((f) => (f.inputs.tags as string[]).includes(`k8s:${CLUSTER_ID}`)));
                checkConformance("digitalocean", g, resources, digitaloceanEvaluator(resources));
            }),
            { seed: SEED, numRuns: RUNS },
        );
    });
});

const ASG = "azure-native:network:ApplicationSecurityGroup";
const AZURE_RULE = "azure-native:network:SecurityRule";
const AZURE_NSG = "azure-native:network:NetworkSecurityGroup";
const AKS = { resourceGroupName: "media-rg", location: "westeurope", aks: true };
const BYO = { ...AKS, networkSecurityGroupName: "aks-subnet-nsg", priorityRange: "2000-2099" };
const valueOf = <T>(output: pulumi.Output<T> | undefined): Promise<T> => new Promise((resolve) => output!.apply(resolve));

/**
 * A node of the pool (`inPool`) behind AKS's managed NSG, whose rule for allowedHostPorts names no source, and the
 * subnet's own NSG when the config names one: a packet needs both. The subnet NSG's rules reach only the members
 * of their destination application security group, so a node of another pool meets only the NSG's default rules.
 */
function aksEvaluator(resources: RecordedResource[], ports: HostPortRange[], inPool: boolean): Evaluator {
    const managed: Evaluator = (p) =>
        (inPool && ports.some((r) => r.protocol.toLowerCase() === p.protocol && r.portStart <= p.port && p.port <= r.portEnd)) ||
        azureDefaultInbound(p.address);
    const rules = resources.filter((r) => r.type === AZURE_RULE);
    if (!rules.length) return (p) => p.direction === "out" || managed(p);
    const subnet = azureEvaluator(inPool ? resources : resources.filter((r) => r.type !== AZURE_RULE), []);
    return (p) => p.direction === "out" || (managed(p) && subnet(p));
}

describe("managed Kubernetes: AKS, the pool's allowedHostPorts and application security group", () => {
    it("no NSG and nothing in a MC_ group: an application security group in the config's group, the ports in the AgentPool's shape", async () => {
        const { resources, firewall } = await plan({ cloud: "azure", preset: "livekit", presetOptions: { turn: true }, azure: AKS });
        assert.deepEqual(ofType(resources, AZURE_NSG), []);
        assert.deepEqual(ofType(resources, AZURE_RULE), []);
        assert.deepEqual(
            ofType(resources, ASG).map((r) => r.inputs),
            [{ resourceGroupName: "media-rg", location: "westeurope" }],
        );
        const ports = await valueOf(firewall.allowedHostPorts);
        assert.deepEqual(ports, [
            { portStart: 5349, portEnd: 5349, protocol: "TCP" },
            { portStart: 7881, portEnd: 7881, protocol: "TCP" },
            { portStart: 3478, portEnd: 3478, protocol: "UDP" },
            { portStart: 50000, portEnd: 60000, protocol: "UDP" },
        ]);
        assert.deepEqual(allowedHostPortsProblems(ports), []);
        assert.deepEqual(await valueOf(firewall.applicationSecurityGroupIds), ["wrf-asg-id"]);
        assert.ok(
            firewall.warnings.some((w) => /networkProfile\.allowedHostPorts = output allowedHostPorts/.test(w) && /5349\/TCP/.test(w)),
        );
    });

    it("a rule kept to some sources needs the subnet's own NSG: refused without it, kept to its sources with it, through the group", async () => {
        const admin = { cloud: "azure", preset: "livekit", adminCidrs: ["203.0.113.0/24"] };
        assert.match(
            refuse({ ...admin, azure: AKS })[0]!,
            /^ports: rules "ssh" are kept to some sources, but on AKS the pool's allowedHostPorts open to every source/,
        );
        const { resources } = await plan({ ...admin, azure: BYO });
        const rules = ofType(resources, AZURE_RULE);
        assert.ok(rules.length > 0);
        for (const r of rules) {
            assert.deepEqual(r.inputs.destinationApplicationSecurityGroups, [{ id: "wrf-asg-id" }]);
            assert.equal(r.inputs.destinationAddressPrefix, undefined, "a destination once: the group");
            assert.equal(r.inputs.networkSecurityGroupName, "aks-subnet-nsg");
        }
        assert.ok(
            rules.some(
                (r) => r.inputs.sourceAddressPrefix === "203.0.113.0/24" && JSON.stringify(r.inputs.destinationPortRanges) === '["22"]',
            ),
        );
        assert.deepEqual(providerProblems(resources), []);
    });

    it("AKS's node resource group (MC_…) is refused, for the pool's group and for an NSG named there", () => {
        for (const azure of [
            { ...AKS, resourceGroupName: "MC_media-rg_media_westeurope" },
            { ...BYO, aks: false, resourceGroupName: "mc_rg_aks_eastus" },
        ])
            assert.match(
                refuse({ cloud: "azure", preset: "livekit", azure })[0]!,
                /^azure\.resourceGroupName: "[Mm][Cc]_[^"]+" is an AKS node resource group \(MC_…\): AKS owns what is in it/,
            );
    });

    itProperty(
        `${RUNS} random configs with the subnet's own NSG: exactly the spec reaches a node of the pool, nothing more a node of another (seed ${SEED})`,
        async () => {
            await fc.assert(
                fc.asyncProperty(configs("azure"), async (g) => {
                    let planned;
                    try {
                        planned = await plan({ ...g.args, azure: BYO });
                    } catch (err) {
                        // Past the 100 priorities this config's range gives: said with the counts, a config for another range.
                        fc.pre(!(ConfigError.isInstance(err) && err.problems.every((p) => p.path === "azure.priorityRange")));
                        throw err;
                    }
                    const ports = await valueOf(planned.firewall.allowedHostPorts);
                    assert.deepEqual(allowedHostPortsProblems(ports), []);
                    checkConformance("azure", g, planned.resources, aksEvaluator(planned.resources, ports, true));
                    const otherPool = aksEvaluator(planned.resources, ports, false);
                    nothingReaches(otherPool, g);
                }),
                { seed: SEED, numRuns: RUNS },
            );
        },
    );
});

describe("managed Kubernetes: every new input passes the providers' validators at the edges", () => {
    const SERVICES: [string, string, Record<string, unknown>][] = [
        ["EKS", "aws", { aws: { eksClusterSecurityGroupId: CLUSTER_SG } }],
        ["GKE", "gcp", { gcp: { gke: "standard" } }],
        ["DOKS", "digitalocean", { digitalocean: { tags: ["a", "b", "c", "d"], kubernetesClusterId: CLUSTER_ID } }],
        ["AKS", "azure", { azure: BYO }],
        ["LKE", "linode", { linode: { lkeClusterId: 123456 } }],
    ];
    for (const [service, cloud, block] of SERVICES) {
        it(`${service}: every preset option with admin sources, and the most sources one rule takes`, async () => {
            const options = {
                preset: "livekit",
                presetOptions: { turn: true, sip: true, https: true },
                adminCidrs: ["203.0.113.0/24", "2001:db8::/48"],
            };
            assert.deepEqual(providerProblems((await plan({ cloud, ...block, ...options }, "a-component-named-at-length")).resources), []);
            const many = ipv4Networks(service === "EKS" ? 59 : 1000);
            const wide = { ipv6: false, ports: [{ name: "wide", protocol: "udp", ports: 9000, from: many }] };
            assert.deepEqual(providerProblems((await plan({ cloud, ...block, ...wide })).resources), []);
        });
    }
});

describe("managed Kubernetes: NodePort services, only the chosen node ports", () => {
    const LIVEKIT_MUX = { preset: "livekit", presetOptions: { udpMux: true, turn: true } };
    const NODE_PORTS = { "rtc-tcp": 30881, "rtc-udp-mux": 30882, "turn-udp": 31478, "turn-tls": 31349 };
    const nodePort = (more: Record<string, unknown> = {}) => ({ exposure: "nodePort", nodePorts: NODE_PORTS, ...more });

    it("each rule opens its node port and nothing else, on every service", async () => {
        const eks = await plan({
            cloud: "aws",
            ipv6: false,
            ...LIVEKIT_MUX,
            aws: { eksClusterSecurityGroupId: CLUSTER_SG },
            kubernetes: nodePort(),
        });
        assert.deepEqual(
            ofType(eks.resources, AWS_INGRESS)
                .map((r) => `${r.inputs.ipProtocol} ${r.inputs.fromPort}-${r.inputs.toPort}`)
                .sort(),
            ["tcp 30881-30881", "tcp 31349-31349", "udp 30882-30882", "udp 31478-31478"],
        );
        assert.deepEqual(
            eks.firewall.plan.rules.map((r) => `${r.name} ${r.ports.join(",")}`),
            ["rtc-tcp 30881", "rtc-udp-mux 30882", "turn-tls 31349", "turn-udp 31478"],
        );
        const lke = await plan({ cloud: "linode", ...LIVEKIT_MUX, linode: { lkeClusterId: 123456 }, kubernetes: nodePort() });
        assert.deepEqual(
            ofType(lke.resources, "linode:index/firewall:Firewall").flatMap((f) =>
                (f.inputs.inbounds as any[]).map((r) => `${r.protocol} ${r.ports}`),
            ),
            ["TCP 30881, 31349", "UDP 30882, 31478", "TCP 53, 179, 10250, 10256", "UDP 53, 51820", "IPENCAP undefined"],
        );
        const aks = await plan({ cloud: "azure", ...LIVEKIT_MUX, azure: AKS, kubernetes: nodePort() });
        assert.deepEqual(
            (await valueOf(aks.firewall.allowedHostPorts)).map((p) => `${p.protocol} ${p.portStart}`),
            ["TCP 30881", "TCP 31349", "UDP 30882", "UDP 31478"],
        );
    });

    it("GKE Autopilot admits NodePort services: the tags go to the cluster's auto-provisioned nodes", async () => {
        const { firewall } = await plan({ cloud: "gcp", ...LIVEKIT_MUX, gcp: { gke: "autopilot" }, kubernetes: nodePort() });
        assert.ok(firewall.warnings.some((w) => /nodePoolAutoConfig\.networkTags/.test(w)));
    });

    it("refused, each with its fix: a range, a node port outside the range, a name of no rule, a node port used twice", async () => {
        const config = (nodePorts: Record<string, number>) => ({
            cloud: "aws",
            preset: "livekit",
            presetOptions: { turn: true },
            aws: { eksClusterSecurityGroupId: CLUSTER_SG },
            kubernetes: { exposure: "nodePort", nodePorts },
        });
        assert.deepEqual(refuse(config({ "rtc-tcp": 8080, "turn-udp": 31478, "turn-tls": 31349, "rtc-udp-mux": 30001 })), [
            "kubernetes.nodePorts.rtc-udp-mux: names no rule of the config; rules: rtc-udp, rtc-tcp, turn-udp, turn-tls",
            'preset: rule "rtc-udp" opens 50000-60000: a NodePort service exposes one port per service port, so a range cannot be a node port; use exposure: hostNetwork for it (or one port, e.g. LiveKit\'s udpMux)',
            "kubernetes.nodePorts.rtc-tcp: 8080 is outside the cluster's NodePort range 30000-32767 (kube-apiserver --service-node-port-range); pick a port in it, or give the cluster's own range as kubernetes.nodePortRange",
        ]);
        const twice = refuse({
            ...config({ "rtc-tcp": 31349, "turn-udp": 31478, "turn-tls": 31349 }),
            ports: [{ name: "rtc-udp", enabled: false }],
        });
        assert.deepEqual(twice, [
            'kubernetes.nodePorts.turn-tls: 31349/tcp is rule "rtc-tcp"\'s node port already; each service port needs its own',
        ]);
        // The same number on the other protocol is another service port.
        const both = await plan({
            ...config({ "rtc-tcp": 31478, "turn-udp": 31478, "turn-tls": 31349 }),
            ports: [{ name: "rtc-udp", enabled: false }],
        });
        assert.deepEqual(
            ofType(both.resources, AWS_INGRESS)
                .filter((r) => r.inputs.cidrIpv4)
                .map((r) => `${r.inputs.ipProtocol} ${r.inputs.fromPort}`)
                .sort(),
            ["tcp 31349", "tcp 31478", "udp 31478"],
        );
    });

    it("the cluster's own NodePort range, and a rule with no node port", () => {
        const lines = refuse({
            cloud: "digitalocean",
            ...LIVEKIT_MUX,
            digitalocean: { kubernetesClusterId: CLUSTER_ID },
            kubernetes: {
                exposure: "nodePort",
                nodePortRange: "31000-31999",
                nodePorts: { "rtc-tcp": 31881, "rtc-udp-mux": 30882, "turn-udp": 31478 },
            },
        });
        assert.deepEqual(lines, [
            "kubernetes.nodePorts.rtc-udp-mux: 30882 is outside the cluster's NodePort range 31000-31999 (kube-apiserver --service-node-port-range); pick a port in it",
            'kubernetes.nodePorts: has no node port for rule "turn-tls" (5349/tcp); map it (turn-tls: a port in 31000-31999), disable the rule (ports: [{name: turn-tls, enabled: false}]), or use exposure: hostNetwork',
        ]);
    });

    it("a kubernetes block without a node pool is refused, naming the setting that makes one", () => {
        assert.deepEqual(refuse({ cloud: "aws", preset: "livekit", kubernetes: { exposure: "hostNetwork" } }), [
            "kubernetes: is set, but the aws settings name no managed Kubernetes node pool; set aws.eksClusterSecurityGroupId (EKS), or aws.securityGroupTags (Karpenter, EKS Auto Mode)",
        ]);
        assert.deepEqual(refuse({ cloud: "hetzner", preset: "livekit", hetzner: { labelSelectors: ["role=media"] }, kubernetes: {} }), [
            "kubernetes: is set, but the hetzner settings name no managed Kubernetes node pool; Hetzner Cloud has none here: remove kubernetes",
        ]);
    });
});

describe("managed Kubernetes: the hostile and Outputs corpora on every node pool", function () {
    this.timeout(240_000);
    /** Each service's block, and its evaluator for a node of the pool. */
    const SERVICES: {
        service: string;
        cloud: string;
        block: Record<string, unknown>;
        whole: boolean;
        evaluator: (resources: RecordedResource[], ports: HostPortRange[]) => Evaluator;
    }[] = [
        {
            service: "EKS",
            cloud: "aws",
            block: { aws: { eksClusterSecurityGroupId: CLUSTER_SG } },
            whole: true,
            evaluator: (r) => awsEvaluator(r, { existing: EKS_OWN }),
        },
        {
            service: "GKE",
            cloud: "gcp",
            block: { gcp: { gke: "standard" } },
            whole: true,
            evaluator: (r) => gcpEvaluator(r, [nodePoolTag("wrf")]),
        },
        {
            service: "DOKS",
            cloud: "digitalocean",
            block: { digitalocean: { kubernetesClusterId: CLUSTER_ID } },
            whole: true,
            evaluator: (r) => digitaloceanEvaluator(r),
        },
        // A whole list as one Output is refused in an NSG of your own (its rule could not drop out when a family is empty).
        { service: "AKS", cloud: "azure", block: { azure: BYO }, whole: false, evaluator: (r, ports) => aksEvaluator(r, ports, true) },
        // LKE's own node rules (from its private network, linode.test.ts) are left out: the rest is the spec's, exactly.
        {
            service: "LKE",
            cloud: "linode",
            block: { linode: { lkeClusterId: 123456 } },
            whole: true,
            evaluator: (r) => linodeEvaluator(withoutLke(r)),
        },
    ];

    for (const { service, cloud, block } of SERVICES) {
        it(`${service}: the world in pieces as adminCidrs is refused as on every cloud`, () => {
            const lines = refuse({ cloud, preset: "livekit", adminCidrs: ["0.0.0.0/1", "128.0.0.0/1"], ...block });
            assert.match(lines[0]!, /^adminCidrs: \["0\.0\.0\.0\/1","128\.0\.0\.0\/1"\] together cover all of IPv4/);
        });
    }

    for (const { service, cloud, block, whole, evaluator } of SERVICES) {
        itProperty(
            `${service}: ${RUNS} random configs with their sources as Outputs deploy exactly the plain spec (seed ${SEED})`,
            async () => {
                await fc.assert(
                    fc.asyncProperty(configs(cloud), whole ? fc.boolean() : fc.constant(false), async (g, asWhole) => {
                        // A late source that repeats its list is refused on purpose (compose.test.ts); the plain form dedupes.
                        fc.pre(!repeatsASource(g.args));
                        const run = await planLate({ ...withLateSources(g.args, asWhole), ...block });
                        // Past the room of the pool's one group or NSG: refused with the counts, the same as the plain form.
                        if (run.error && run.error.problems.every((p) => /more than|holds \d+ priorities/.test(p.message))) return;
                        assert.equal(run.error, undefined, run.error?.message);
                        const ports = cloud === "azure" ? await valueOf(run.firewall.allowedHostPorts) : [];
                        checkConformance(cloud, g, run.resources, evaluator(run.resources, ports));
                    }),
                    { seed: SEED, numRuns: RUNS },
                );
            },
        );
    }
});

describe("managed Kubernetes: what each service's mapping says, exactly", () => {
    it("the tag a GKE pool takes from the component's name", () => {
        assert.deepEqual(["media", "Media_Server 1", "9lives", "", "---", "a--b--", `x${"y".repeat(55)}-zzz`].map(nodePoolTag), [
            "media-media",
            "media-server-1-media",
            "lives-media",
            "webrtc-media",
            "webrtc-media",
            "a--b-media",
            `x${"y".repeat(55)}-media`,
        ]);
    });

    it("GKE with the pool's own tags, and on Autopilot: where the tags go", async () => {
        const own = await plan({ cloud: "gcp", preset: "livekit", gcp: { gke: "standard", targetTags: ["media-pool"] } });
        assert.deepEqual(own.firewall.warnings, [
            "GKE: the rules target gcp.targetTags: give exactly these to the media node pool's nodeConfig.tags (gcp.container.NodePool); pools that node auto-provisioning creates do not get them.",
        ]);
        const autopilot = await plan({
            cloud: "gcp",
            preset: "livekit",
            presetOptions: { udpMux: true },
            gcp: { gke: "autopilot" },
            kubernetes: { exposure: "nodePort", nodePorts: { "rtc-tcp": 30881, "rtc-udp-mux": 30882 } },
        });
        assert.deepEqual(autopilot.firewall.warnings, [
            'GKE: the rules target the network tag "wrf-media" (output networkTags): give it to the Autopilot cluster\'s network tags for its nodes (nodePoolAutoConfig.networkTags), and expose the media pods through NodePort services.',
        ]);
    });

    it("AKS: the warning lists the ports, says where the subnet NSG's rules point, and counts that NSG's priorities", async () => {
        const bare = await plan({ cloud: "azure", preset: "livekit", azure: { resourceGroupName: "media-rg", aks: true } });
        assert.deepEqual(bare.firewall.warnings, [
            "AKS: give the media AgentPool networkProfile.allowedHostPorts = output allowedHostPorts and networkProfile.applicationSecurityGroups = output applicationSecurityGroupIds; AKS then writes the allow rules in its managed NSG (leave the MC_ resource group alone: AKS resets it). Run the media pods with hostNetwork so their ports are the node's. allowedHostPorts: 7881/TCP, 50000-60000/UDP.",
        ]);
        assert.deepEqual(bare.firewall.quota, []);
        assert.deepEqual(
            ofType(bare.resources, ASG).map((r) => r.inputs),
            [{ resourceGroupName: "media-rg" }],
            "no location unless given",
        );
        const byo = await plan({ cloud: "azure", preset: "livekit", azure: BYO });
        assert.match(
            byo.firewall.warnings[0]!,
            / The subnet's NSG rules name the pool's application security group as their destination\.$/,
        );
        assert.deepEqual(
            byo.firewall.quota.map((q) => `${q.what} ${q.used}/${q.limit}`)[0],
            "security rules (priorities 2000-2099 of the existing NSG) 4/100",
        );
    });

    it("AKS: a source from another resource keeps allowedHostPorts in protocol and port order, its own ports included", async () => {
        const { firewall, error } = await planLate({
            cloud: "azure",
            preset: "livekit",
            ports: [{ name: "api", protocol: "tcp", ports: 7000, from: [late("10.0.0.0/8")] }],
            azure: BYO,
        });
        assert.equal(error, undefined);
        assert.deepEqual(
            (await valueOf(firewall.allowedHostPorts)).map((p) => `${p.protocol} ${p.portStart}-${p.portEnd}`),
            ["TCP 7000-7000", "TCP 7881-7881", "UDP 50000-60000"],
        );
    });

    it("AKS: every rule kept to some sources is named when there is no subnet NSG of your own", () => {
        assert.deepEqual(
            refuse({
                cloud: "azure",
                preset: "livekit",
                adminCidrs: ["203.0.113.0/24"],
                ports: [{ name: "api", protocol: "tcp", ports: 7000, from: ["10.0.0.0/8"] }],
                azure: AKS,
            }),
            [
                'ports: rules "api", "ssh" are kept to some sources, but on AKS the pool\'s allowedHostPorts open to every source (AKS\'s rule in its managed NSG names none); name the subnet\'s own NSG (azure.networkSecurityGroupName, with priorityRange), whose rules keep to the sources, or open these rules to public',
            ],
        );
    });
});

describe("managed Kubernetes: a passthrough load balancer in front, and its health checks", () => {
    const LIVEKIT_MUX = { preset: "livekit", presetOptions: { udpMux: true, turn: true } };
    const NODE_PORTS = { "rtc-tcp": 30881, "rtc-udp-mux": 30882, "turn-udp": 31478, "turn-tls": 31349 };
    const GOOGLE_CHECKS = ["35.191.0.0/16", "130.211.0.0/22", "209.85.152.0/22", "209.85.204.0/22"];
    const lb = (more: Record<string, unknown> = {}) => ({ exposure: "loadBalancer", healthCheckNodePort: 32100, ...more });

    it("EKS: the NLB's node ports from the spec's sources, and the health-check port from the VPC only", async () => {
        const { resources, firewall } = await plan({
            cloud: "aws",
            ipv6: false,
            ...LIVEKIT_MUX,
            aws: { eksClusterSecurityGroupId: CLUSTER_SG },
            kubernetes: lb({ nodePorts: NODE_PORTS, healthCheckSources: ["10.0.0.0/16"] }),
        });
        assert.deepEqual(
            ofType(resources, AWS_INGRESS)
                .map((r) => `${r.inputs.ipProtocol} ${r.inputs.fromPort} ${r.inputs.cidrIpv4}`)
                .sort(),
            ["tcp 30881 0.0.0.0/0", "tcp 31349 0.0.0.0/0", "tcp 32100 10.0.0.0/16", "udp 30882 0.0.0.0/0", "udp 31478 0.0.0.0/0"],
        );
        const node = awsEvaluator(resources, { existing: EKS_OWN });
        assert.equal(node({ direction: "in", protocol: "tcp", port: 32100, address: "10.0.3.4" }), true);
        assert.equal(node({ direction: "in", protocol: "tcp", port: 32100, address: "198.51.100.7" }), false);
        assert.ok(firewall.warnings.some((w) => /AWS Load Balancer Controller/.test(w) && /loadBalancerSourceRanges/.test(w)));
        assert.deepEqual(providerProblems(resources), [], "the health-check rule in the cluster group passes the provider's validators");
        const gke = await plan({ cloud: "gcp", ...LIVEKIT_MUX, gcp: { gke: "standard" }, kubernetes: lb() });
        assert.deepEqual(providerProblems(gke.resources), [], "Google's health-check ranges in one rule pass the provider's validators");
        assert.deepEqual(gke.firewall.plan.late, [], "Google's ranges are known: nothing waits for another resource");
        const spec = validateConfig({ cloud: "gcp", ...LIVEKIT_MUX, gcp: { gke: "standard" }, kubernetes: lb() }).spec!;
        assert.equal(spec.rules.find((r) => r.name === "lb-health-check")!.origin, "kubernetes.healthCheckNodePort");
    });

    it("EKS: the health checks' sources from another resource (the VPC's cidrBlock), an entry or the whole list, checked once resolved and carried by that rule only", async () => {
        const args = (sources: unknown) => ({
            cloud: "aws",
            ipv6: false,
            ...LIVEKIT_MUX,
            aws: { eksClusterSecurityGroupId: CLUSTER_SG },
            kubernetes: lb({ nodePorts: NODE_PORTS, healthCheckSources: sources }),
        });
        const entry = await planLate(args([late("10.0.0.0/16"), "10.1.0.0/16"]));
        assert.equal(entry.error, undefined, entry.error?.message);
        const healthChecks = (resources: RecordedResource[]) =>
            ofType(resources, AWS_INGRESS)
                .filter((r) => r.inputs.fromPort === 32100)
                .map((r) => `${r.name.replace(/^wrf-/, "")} ${r.inputs.cidrIpv4 ?? r.inputs.prefixListId}`)
                .sort();
        assert.deepEqual(healthChecks(entry.resources), [
            "r-lb-health-check-late1-tcp-32100 10.0.0.0/16",
            "tcp-32100-10.1.0.0/16 10.1.0.0/16",
        ]);
        const whole = await planLate(args(late(["10.0.0.0/16"])));
        assert.equal(whole.error, undefined, whole.error?.message);
        assert.equal(healthChecks(whole.resources).length, 2, "a whole list: a prefix list per family, and a rule referencing each");
        const hostBits = await planLate(args([late("10.0.0.5/8")]));
        const plainHostBits = refuse(args(["10.0.0.5/8"]));
        assert.deepEqual(
            hostBits.error?.problems.map((p) => `${p.path}: ${p.message}`),
            plainHostBits,
            "the resolved value ends as its plain form does",
        );
        assert.equal(plainHostBits.length, 1);
        assert.deepEqual(healthChecks(hostBits.resources), []);
        const empty = await planLate(args(late([])));
        assert.deepEqual(
            empty.error?.problems.map((p) => `${p.path}: ${p.message}`),
            ["kubernetes.healthCheckSources: is empty; give the CIDRs the load balancer's health checks come from"],
        );
    });

    itProperty(
        `GKE, ${RUNS} random configs: the Service's own ports reach the pool as the spec opens them, and the health-check port from Google's ranges only (seed ${SEED})`,
        async () => {
            await fc.assert(
                fc.asyncProperty(configs("gcp"), async (g) => {
                    const free = [32100, 32101].find((p) => !g.spec.rules.some((r) => r.ports.some((s) => s.from <= p && p <= s.to)))!;
                    const direct = await planOn(g, "gcp", { gke: "standard" });
                    let behind: RecordedResource[] | undefined;
                    try {
                        behind = (await plan({ ...g.args, gcp: { gke: "standard" }, kubernetes: lb({ healthCheckNodePort: free }) }))
                            .resources;
                    } catch (err) {
                        if (ConfigError.isInstance(err) && err.problems.every((p) => /more than/.test(p.message))) return;
                        throw err;
                    }
                    const pool = [nodePoolTag("wrf")];
                    const [hostNetwork, loadBalanced] = [gcpEvaluator(direct!, pool), gcpEvaluator(behind, pool)];
                    for (const port of [3478, 7881, 50000, 32100, 32101, ...g.probePorts])
                        for (const protocol of ["tcp", "udp"] as const)
                            for (const address of [...g.probeAddresses, "35.191.8.9", "209.85.152.1", "198.51.100.7"]) {
                                const packet = { direction: "in" as const, protocol, port, address };
                                const healthCheck = protocol === "tcp" && port === free;
                                const expected = hostNetwork(packet) || (healthCheck && matcher(GOOGLE_CHECKS)(address));
                                assert.equal(loadBalanced(packet), expected, `${protocol}/${port} from ${address}`);
                            }
                }),
                { seed: SEED, numRuns: RUNS },
            );
        },
    );

    it("DOKS: the controller opens the Service's ports and health checks to everyone, so a rule kept to some sources is refused", async () => {
        const doks = { cloud: "digitalocean", ...LIVEKIT_MUX, digitalocean: { kubernetesClusterId: CLUSTER_ID } };
        const { resources, firewall } = await plan({ ...doks, kubernetes: { exposure: "loadBalancer" } });
        const evaluate = digitaloceanEvaluator(resources);
        assert.equal(evaluate({ direction: "in", protocol: "udp", port: 7882, address: "198.51.100.7" }), true);
        assert.ok(firewall.warnings.some((w) => /DOKS: DigitalOcean's cloud controller opens the LoadBalancer Service's ports/.test(w)));
        assert.deepEqual(
            refuse({
                ...doks,
                adminCidrs: ["203.0.113.0/24"],
                ports: [{ name: "ssh", protocol: "tcp", ports: "22", from: "admin" }],
                kubernetes: lb({ healthCheckSources: ["10.0.0.0/16"] }),
            }).map((l) => l.split(":")[0]),
            ["ports[0]", "kubernetes.healthCheckNodePort"],
        );
    });

    it("DOKS with NodePort services: the plan says to take them out of the controller's public-access firewall", async () => {
        const { firewall } = await plan({
            cloud: "digitalocean",
            ...LIVEKIT_MUX,
            digitalocean: { kubernetesClusterId: CLUSTER_ID },
            kubernetes: { exposure: "nodePort", nodePorts: NODE_PORTS },
        });
        assert.ok(firewall.warnings.some((w) => w.includes('kubernetes.digitalocean.com/firewall-managed: "false"')));
    });

    it("refused, each with its fix: AKS (its cloud provider writes those rules), no health-check port or sources, a port out of range or in use", () => {
        assert.deepEqual(refuse({ cloud: "azure", ...LIVEKIT_MUX, azure: AKS, kubernetes: lb() }), [
            "kubernetes.exposure: is loadBalancer: AKS's cloud provider writes a LoadBalancer Service's rules itself, in the node resource group's NSG (MC_…), from the Service's spec.loadBalancerSourceRanges; nothing of ours belongs there: give the Service loadBalancerSourceRanges, or run the media pods with hostNetwork (exposure: hostNetwork) and allowedHostPorts",
        ]);
        const eks = { cloud: "aws", ...LIVEKIT_MUX, aws: { eksClusterSecurityGroupId: CLUSTER_SG } };
        assert.deepEqual(refuse({ ...eks, kubernetes: { exposure: "loadBalancer", nodePorts: NODE_PORTS } }), [
            "kubernetes.healthCheckNodePort: is required with exposure: loadBalancer: give the Service's spec.healthCheckNodePort (set it, in 30000-32767, with externalTrafficPolicy: Local, which keeps the client's address and answers only where a media pod runs)",
            "kubernetes.healthCheckSources: is required with exposure: loadBalancer: give the VPC's CIDR (aws.ec2.Vpc cidrBlock): a Network Load Balancer's health checks come from its own addresses there",
        ]);
        assert.deepEqual(
            refuse({ ...eks, kubernetes: lb({ nodePorts: NODE_PORTS, healthCheckNodePort: 30881, healthCheckSources: ["10.0.0.0/16"] }) }),
            ["kubernetes.healthCheckNodePort: 30881/tcp is a rule's port already; the health checks need a port of their own"],
        );
        const gke = { cloud: "gcp", ...LIVEKIT_MUX, gcp: { gke: "standard" } };
        assert.deepEqual(refuse({ ...gke, kubernetes: lb({ healthCheckNodePort: 8080, healthCheckSources: ["10.0.0.0/8"] }) }), [
            "kubernetes.healthCheckNodePort: 8080 is outside the cluster's NodePort range 30000-32767; pick a port in it",
            "kubernetes.healthCheckSources: is set, but GKE's load balancers check health from Google's documented ranges, which the rule takes: remove it",
        ]);
        assert.deepEqual(refuse({ ...gke, kubernetes: { healthCheckNodePort: 32100 } }), [
            "kubernetes.healthCheckNodePort: is set, but only a load balancer has health checks: remove it, or set exposure: loadBalancer",
        ]);
    });
});

describe("managed Kubernetes: Karpenter and EKS Auto Mode, groups a node class selects by tags", () => {
    const VPC = "vpc-0123456789abcdef0";
    const KARPENTER = { vpcId: VPC, securityGroupTags: { "karpenter.sh/discovery": "media-cluster" } };

    it("the created groups carry the tags beside their Name, keep their egress, and the plan says what the node class selects", async () => {
        const args = { cloud: "aws", preset: "livekit", presetOptions: { turn: true }, aws: KARPENTER };
        const { resources, firewall } = await plan(args, "media");
        const groups = ofType(resources, AWS_GROUP);
        assert.deepEqual(
            groups.map((g) => g.inputs.tags),
            [{ "karpenter.sh/discovery": "media-cluster", Name: "media" }],
        );
        assert.ok(groups.every((g) => g.inputs.vpcId === VPC));
        assert.equal(ofType(resources, AWS_EGRESS).length, 2);
        assert.deepEqual(firewall.warnings, [
            'Karpenter or EKS Auto Mode: select these groups in the node class\'s securityGroupSelectorTerms (- tags: {"karpenter.sh/discovery":"media-cluster"}, or output securityGroupIds as - id: terms), beside the cluster security group, which the nodes need to join the cluster.',
        ]);
        const g = { args, spec: validateConfig(args).spec!, probePorts: [22, 9000], probeAddresses: ["198.51.100.7", "2001:db8::7"] };
        checkConformance("aws", g, resources, awsEvaluator(resources));
    });

    it("the tags at AWS's edges pass its validators; past them, each is refused with the fix", async () => {
        const edge = { [`k${"e".repeat(126)}`]: "v".repeat(256), empty: "", "a b_c.d:e/f=g+h-i@j": "x" };
        const many = Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`tag-${i}`, `${i}`]));
        for (const tags of [edge, many])
            assert.deepEqual(
                providerProblems((await plan({ cloud: "aws", preset: "livekit", aws: { vpcId: VPC, securityGroupTags: tags } })).resources),
                [],
            );
        assert.deepEqual(
            refuse({
                cloud: "aws",
                preset: "livekit",
                aws: {
                    vpcId: VPC,
                    securityGroupTags: {
                        [`k${"e".repeat(127)}`]: "v",
                        "aws:owner": "me",
                        Name: "x",
                        ok: "v".repeat(257),
                        "semi;colon": "v",
                    },
                },
            }),
            [
                `aws.securityGroupTags.k${"e".repeat(127)}: key "k${"e".repeat(127)}" has 128 characters; a tag key has 1 to 127`,
                'aws.securityGroupTags.aws:owner: key "aws:owner" starts with "aws:", which AWS keeps for its own tags; choose another key',
                "aws.securityGroupTags.Name: key \"Name\" is the component's own (the group's name); choose another key",
                'aws.securityGroupTags.ok: the value under "ok" has 257 characters; a tag value has at most 256',
                'aws.securityGroupTags.semi;colon: "semi;colon" has a character AWS tags do not take; use letters, digits, spaces and _ . : / = + - @',
            ],
        );
        assert.deepEqual(refuse({ cloud: "aws", preset: "livekit", aws: { vpcId: VPC, securityGroupTags: { ...many, one: "more" } } }), [
            "aws.securityGroupTags: 50 tags; an AWS resource takes 50, one of them the component's Name: give at most 49",
        ]);
    });

    it("refused without the cluster's VPC, and beside an existing group", () => {
        const tags = { "karpenter.sh/discovery": "media-cluster" };
        assert.deepEqual(refuse({ cloud: "aws", preset: "livekit", aws: { securityGroupTags: tags } }), [
            "aws.vpcId: is required with aws.securityGroupTags: a node class selects groups of the cluster's VPC only; give the cluster's VPC (aws.eks.Cluster vpcConfig.vpcId)",
        ]);
        assert.deepEqual(
            refuse({ cloud: "aws", preset: "livekit", aws: { eksClusterSecurityGroupId: CLUSTER_SG, securityGroupTags: tags } }),
            [
                "aws.securityGroupTags: is set together with aws.eksClusterSecurityGroupId; the tags go on the groups the component creates for a node class to select, and an existing group keeps its own tags: remove one of them",
            ],
        );
    });

    it("tags from other resources (the cluster's name), one value or the whole map, are checked as strictly once they resolve", async () => {
        for (const securityGroupTags of [
            { "karpenter.sh/discovery": late("media-cluster") },
            late({ "karpenter.sh/discovery": "media-cluster" }),
        ]) {
            const { resources, error } = await planLate({ cloud: "aws", preset: "livekit", aws: { vpcId: VPC, securityGroupTags } });
            assert.equal(error, undefined);
            assert.deepEqual(
                ofType(resources, AWS_GROUP).map((g) => g.inputs.tags),
                [{ "karpenter.sh/discovery": "media-cluster", Name: "wrf" }],
            );
        }
        const { resources, error } = await planLate({
            cloud: "aws",
            preset: "livekit",
            aws: { vpcId: VPC, securityGroupTags: { "aws:owner": late("me") } },
        });
        assert.ok(ConfigError.isInstance(error));
        assert.deepEqual(
            error.problems.map((p) => `${p.path}: ${p.message}`),
            ['aws.securityGroupTags.aws:owner: key "aws:owner" starts with "aws:", which AWS keeps for its own tags; choose another key'],
        );
        assert.equal(ofType(resources, AWS_GROUP).length, 0, "nothing carrying the refused tags registers");
    });

    it("a kubernetes block is the node pool's: NodePort services on Karpenter's nodes", async () => {
        const { resources } = await plan({
            cloud: "aws",
            ipv6: false,
            preset: "livekit",
            presetOptions: { udpMux: true },
            aws: KARPENTER,
            kubernetes: { exposure: "nodePort", nodePorts: { "rtc-tcp": 30881, "rtc-udp-mux": 30882 } },
        });
        assert.deepEqual(
            ofType(resources, AWS_INGRESS)
                .map((r) => `${r.inputs.ipProtocol} ${r.inputs.fromPort}`)
                .sort(),
            ["tcp 30881", "udp 30882"],
        );
    });
});

describe("managed Kubernetes: the exposure block at its edges", () => {
    const EKS = {
        cloud: "aws",
        ipv6: false,
        preset: "livekit",
        presetOptions: { udpMux: true },
        aws: { eksClusterSecurityGroupId: CLUSTER_SG },
    };
    const ONE = { "rtc-tcp": 30000, "rtc-udp-mux": 32767 };

    it("the NodePort range's own ends are node ports; one past either is refused, for a node port and a health-check port", async () => {
        const { resources } = await plan({ ...EKS, kubernetes: { exposure: "nodePort", nodePorts: ONE } });
        assert.deepEqual(
            ofType(resources, AWS_INGRESS)
                .map((r) => `${r.inputs.ipProtocol} ${r.inputs.fromPort}`)
                .sort(),
            ["tcp 30000", "udp 32767"],
        );
        const lb = (port: number, nodePorts = ONE) => ({
            ...EKS,
            kubernetes: { exposure: "loadBalancer", nodePorts, healthCheckNodePort: port, healthCheckSources: ["10.0.0.0/16"] },
        });
        assert.deepEqual(refuse({ ...EKS, kubernetes: { exposure: "nodePort", nodePorts: { "rtc-tcp": 29999, "rtc-udp-mux": 32768 } } }), [
            "kubernetes.nodePorts.rtc-tcp: 29999 is outside the cluster's NodePort range 30000-32767 (kube-apiserver --service-node-port-range); pick a port in it, or give the cluster's own range as kubernetes.nodePortRange",
            "kubernetes.nodePorts.rtc-udp-mux: 32768 is outside the cluster's NodePort range 30000-32767 (kube-apiserver --service-node-port-range); pick a port in it, or give the cluster's own range as kubernetes.nodePortRange",
        ]);
        for (const port of [30001, 32766]) {
            const planned = await plan(lb(port));
            const health = planned.firewall.plan.rules.find((r) => r.name === "lb-health-check")!;
            assert.deepEqual(
                [health.protocol, health.ports, health.sources, health.description],
                ["tcp", [`${port}`], ["10.0.0.0/16"], "the load balancer's health checks"],
            );
        }
        for (const port of [29999, 32768])
            assert.deepEqual(refuse(lb(port)), [
                `kubernetes.healthCheckNodePort: ${port} is outside the cluster's NodePort range 30000-32767; pick a port in it`,
            ]);
        // The udp node port may share its number with the health checks' tcp.
        await plan(lb(32767, { "rtc-tcp": 30000, "rtc-udp-mux": 32767 }));
        assert.deepEqual(refuse(lb(30000)), [
            "kubernetes.healthCheckNodePort: 30000/tcp is a rule's port already; the health checks need a port of their own",
        ]);
    });

    it("a health-check port inside a rule's range is in use; a NodePort range is one range of two ports or more", () => {
        const gke = {
            cloud: "gcp",
            preset: "livekit",
            gcp: { gke: "standard" },
            ports: [{ name: "wide", protocol: "tcp", ports: "32000-32200", from: "public" }],
        };
        assert.deepEqual(refuse({ ...gke, kubernetes: { exposure: "loadBalancer", healthCheckNodePort: 32100 } }), [
            "kubernetes.healthCheckNodePort: 32100/tcp is a rule's port already; the health checks need a port of their own",
        ]);
        for (const written of ["30000", 30000, "30000-31000,32000-32100", "a-b"])
            assert.deepEqual(refuse({ ...EKS, kubernetes: { nodePortRange: written } }), [
                `kubernetes.nodePortRange: ${typeof written === "string" ? `"${written}"` : written} is not a port range; write the cluster's NodePort range, e.g. "30000-32767"`,
            ]);
        assert.deepEqual(
            refuse({
                ...EKS,
                kubernetes: { exposure: "loadBalancer", healthCheckNodePort: 30100, healthCheckSources: ["10.0.0.0/33"] },
            })[0]!.split(":")[0],
            "kubernetes.healthCheckSources[0]",
        );
    });

    it("DOKS: sources written as the world pass behind its load balancer; health-check settings are the controller's", async () => {
        const doks = { cloud: "digitalocean", ipv6: true, digitalocean: { kubernetesClusterId: CLUSTER_ID } };
        const world = {
            ...doks,
            ports: [{ name: "media", protocol: "udp", ports: 7882, from: ["0.0.0.0/0", "::/0"] }],
            kubernetes: { exposure: "loadBalancer" },
        };
        assert.equal((await plan(world)).firewall.plan.rules.length, 1);
        for (const [key, value] of [
            ["healthCheckSources", ["10.0.0.0/16"]],
            ["healthCheckNodePort", 32100],
        ] as const)
            assert.deepEqual(refuse({ ...world, kubernetes: { exposure: "loadBalancer", [key]: value } }), [
                `kubernetes.${key}: is set, but this service's controller opens the load balancer's health checks itself: remove it`,
            ]);
        assert.deepEqual(refuse({ ...world, ports: [{ name: "office", protocol: "udp", ports: 7882, from: ["203.0.113.0/24"] }] }), [
            "ports[0]: rule \"office\" is kept to some sources: DigitalOcean's cloud controller opens a REGIONAL_NETWORK load balancer's ports to everyone on the workers (its public-access firewall, where it keeps one), so no rule of ours can keep them to some sources; keep it to them at the load balancer (the Service's spec.loadBalancerSourceRanges) and make this rule public, or use exposure: hostNetwork",
        ]);
    });

    it("exposure: loadBalancer on a cloud without node pools is the one refusal of the block", () => {
        assert.deepEqual(
            refuse({
                cloud: "hetzner",
                preset: "livekit",
                hetzner: { labelSelectors: ["role=media"] },
                kubernetes: { exposure: "loadBalancer" },
            }),
            [
                "kubernetes: is set, but the hetzner settings name no managed Kubernetes node pool; Hetzner Cloud has none here: remove kubernetes",
            ],
        );
    });
});

describe("managed Kubernetes: AKS's outputs and registrations, exactly", () => {
    it("allowedHostPorts lists TCP before UDP whatever their ports; a rule with a source from another resource is named when refused", async () => {
        const { firewall } = await plan({
            cloud: "azure",
            azure: AKS,
            ports: [
                { name: "media", protocol: "udp", ports: 20000, from: "public" },
                { name: "signal", protocol: "tcp", ports: 30000, from: "public" },
            ],
        });
        assert.deepEqual(
            (await valueOf(firewall.allowedHostPorts)).map((p) => `${p.protocol} ${p.portStart}`),
            ["TCP 30000", "UDP 20000"],
        );
        const { error } = await planLate({
            cloud: "azure",
            azure: AKS,
            ports: [{ name: "api", protocol: "tcp", ports: 7880, from: [late("192.0.2.0/24")] }],
        });
        assert.match(String(error), /\bapi\b/);
    });

    it("the application security group and the subnet NSG's rules are the component's children", async () => {
        const { resources } = await plan({ cloud: "azure", preset: "coturn", adminCidrs: ["203.0.113.0/24"], azure: BYO }, "media");
        const children = resources.filter((r) => r.type === ASG || r.type === AZURE_RULE);
        assert.ok(children.length >= 2);
        for (const r of children) assert.match(parentOf.get(r.name) ?? "", /::webrtc-firewall:index:WebRtcFirewall::media$/, r.name);
    });
});
