/**
 * The policy pack (src/policy) side by side with the check most packs make (pulumi/compliance-policies'
 * `disallowPublicInternetIngress`: inline `ingress` whose `cidrBlocks` include "0.0.0.0/0" or whose
 * `ipv6CidrBlocks` include "::/0"), over the hostile corpus's world spellings; then the stack
 * policy's time and memory over stacks as large as the clouds allow and past them, each in its own process.
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { WORLD_SPELLINGS } from "../tests/fixtures/hostile";
import { runResource, runStack, type TestResource } from "../tests/policy/harness";

const SG = "aws:ec2/securityGroup:SecurityGroup";

/** What a string comparison sees. */
function stringCheck(r: TestResource): boolean {
    const ingress = (r.type === SG ? (r.props.ingress as Record<string, string[]>[]) : []) ?? [];
    return ingress.some((i) => i.cidrBlocks?.includes("0.0.0.0/0") || i.ipv6CidrBlocks?.includes("::/0"));
}

function spellings(): [string, TestResource[]][] {
    return [["0.0.0.0/0", ["0.0.0.0/0"]] as const, ...WORLD_SPELLINGS].map(([title, sources]) => {
        const v4 = sources.filter((s) => !s.includes(":"));
        const v6 = sources.filter((s) => s.includes(":"));
        return [
            title,
            [
                {
                    type: SG,
                    name: "inline",
                    props: { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: v4, ipv6CidrBlocks: v6 }] },
                },
                {
                    type: "aws:ec2/securityGroupRule:SecurityGroupRule",
                    name: "rule",
                    props: {
                        type: "ingress",
                        protocol: "tcp",
                        fromPort: 22,
                        toPort: 22,
                        cidrBlocks: v4,
                        ipv6CidrBlocks: v6,
                        securityGroupId: "sg-1",
                    },
                },
                {
                    type: "gcp:compute/firewall:Firewall",
                    name: "gcp",
                    props: { sourceRanges: sources, allows: [{ protocol: "tcp", ports: ["22"] }] },
                },
                {
                    type: "azure-native:network:SecurityRule",
                    name: "azure",
                    props: {
                        direction: "Inbound",
                        access: "Allow",
                        priority: 100,
                        protocol: "Tcp",
                        sourceAddressPrefixes: sources,
                        destinationPortRange: "22",
                    },
                },
                {
                    type: "digitalocean:index/firewall:Firewall",
                    name: "do",
                    props: { inboundRules: [{ protocol: "tcp", portRange: "22", sourceAddresses: sources }], outboundRules: [{}] },
                },
                {
                    type: "hcloud:index/firewall:Firewall",
                    name: "hz",
                    props: { rules: [{ direction: "in", protocol: "tcp", port: "22", sourceIps: sources }] },
                },
            ],
        ];
    });
}

/** Stacks of `n` rules: name → resources. */
const SCALE: Record<string, (n: number) => TestResource[]> = {
    "AWS: one group, n standalone rules, 22/tcp from n /16s": (n) =>
        Array.from({ length: n }, (_, i) => ({
            type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
            name: `r${i}`,
            props: {
                ipProtocol: "tcp",
                fromPort: 22,
                toPort: 22,
                cidrIpv4: `${i % 256}.${(i >> 8) % 256}.0.0/16`,
                securityGroupId: "sg-1",
            },
        })),
    "GCP: one network, n firewalls on 22/tcp, each its own target tag": (n) =>
        Array.from({ length: n }, (_, i) => ({
            type: "gcp:compute/firewall:Firewall",
            name: `f${i}`,
            props: {
                network: "default",
                targetTags: [`t${i}`],
                sourceRanges: [i % 2 ? "0.0.0.0/1" : `10.${i % 256}.0.0/16`],
                allows: [{ protocol: "tcp", ports: ["22", `${1000 + i}`] }],
            },
        })),
    "Azure: one NSG, n inline rules over every admin port range": (n) => [
        {
            type: "azure-native:network:NetworkSecurityGroup",
            name: "nsg",
            props: {
                securityRules: Array.from({ length: n }, (_, i) => ({
                    name: `r${i}`,
                    direction: "Inbound",
                    access: i % 3 ? "Allow" : "Deny",
                    priority: 100 + i,
                    protocol: "Tcp",
                    sourceAddressPrefix: i % 2 ? "0.0.0.0/1" : "128.0.0.0/1",
                    destinationPortRange: `${1 + i}-${100 + i}`,
                })),
            },
        },
    ],
};

async function runScale(name: string, n: number): Promise<void> {
    const resources = SCALE[name]!(n);
    const started = Date.now();
    const found = await runStack("admin-ports-not-from-world-combined", resources, { adminPorts: ["1-65535/tcp"] });
    const resource =
        resources.length === 1 ? await runResource("admin-ports-not-from-world", resources[0]!, { adminPorts: ["1-65535/tcp"] }) : [];
    process.stdout.write(
        JSON.stringify({
            ms: Date.now() - started,
            violations: found.length + resource.length,
            peakMB: Math.round(process.resourceUsage().maxRSS / 1024),
        }),
    );
}

export async function policyBench(): Promise<void> {
    console.log("\nPolicy pack: 22/tcp from the world as the hostile corpus spells it, on each resource type (6 per row)");
    console.log("\n| world spelling | string check (compliance-policies) | this pack |\n|---|---|---|");
    for (const [title, resources] of spellings()) {
        let ours = 0;
        for (const r of resources)
            ours += (await runResource("admin-ports-not-from-world", r)).some((v) => v.level === "mandatory") ? 1 : 0;
        console.log(`| ${title} | ${resources.filter(stringCheck).length} of 6 | ${ours} of 6 |`);
    }
    console.log(
        "\nPolicy pack at scale: the combined admin policy with every TCP port an admin port (the worst case), each in its own process",
    );
    console.log("\n| stack | n | ms | violations | peak MB |\n|---|---|---|---|---|");
    const tsx = path.join(__dirname, "..", "node_modules", ".bin", "tsx");
    for (const name of Object.keys(SCALE)) {
        for (const n of [1000, 4000]) {
            const out = JSON.parse(execFileSync(tsx, [__filename, name, String(n)], { encoding: "utf8" }));
            console.log(`| ${name} | ${n} | ${out.ms} | ${out.violations} | ${out.peakMB} |`);
        }
    }
}

if (require.main === module) {
    const [name, n] = process.argv.slice(2);
    if (name)
        runScale(name, Number(n)).catch((err) => {
            console.error(err);
            process.exit(1);
        });
    else
        policyBench().catch((err) => {
            console.error(err);
            process.exit(1);
        });
}
