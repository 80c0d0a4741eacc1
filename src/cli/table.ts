/** The plan's human-readable output: resources, rules, quota, warnings. */
import { printable } from "../contract/text";
import type { MockRun, RecordedResource } from "./mockRun";

type Summarize = (inputs: Record<string, any>) => string;

const list = (items: unknown): string => (Array.isArray(items) ? items.join(", ") : "");

/** One line per resource saying what it opens, per cloud resource type. */
const SUMMARIES: Record<string, Summarize> = {
    "aws:ec2/securityGroup:SecurityGroup": (i) => `security group in ${i.vpcId ?? "the default VPC"}`,
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": (i) =>
        `in  ${i.ipProtocol} ${i.fromPort === i.toPort ? i.fromPort : `${i.fromPort}-${i.toPort}`} from ${i.cidrIpv4 ?? i.cidrIpv6}`,
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": (i) => `out all to ${i.cidrIpv4 ?? i.cidrIpv6}`,
    "gcp:compute/firewall:Firewall": (i) =>
        `${i.direction} ${(i.allows ?? []).map((a: any) => `${a.protocol}:${list(a.ports)}`).join(" ")} from ${list(i.sourceRanges)}${i.targetTags ? ` to tags ${list(i.targetTags)}` : ""}`,
    "digitalocean:index/firewall:Firewall": (i) =>
        `${(i.inboundRules ?? []).length} inbound + ${(i.outboundRules ?? []).length} outbound rules; droplets [${list(i.dropletIds)}] tags [${list(i.tags)}]`,
    "azure-native:network:NetworkSecurityGroup": (i) => `${(i.securityRules ?? []).length} inbound rules in resource group ${i.resourceGroupName}`,
    "oci:Core/networkSecurityGroup:NetworkSecurityGroup": (i) => `network security group in VCN ${i.vcnId}`,
    "oci:Core/networkSecurityGroupSecurityRule:NetworkSecurityGroupSecurityRule": (i) => {
        const range = (i.tcpOptions ?? i.udpOptions)?.destinationPortRange;
        const ports = range ? ` ${range.min === range.max ? range.min : `${range.min}-${range.max}`}` : "";
        return i.direction === "INGRESS" ? `in  ${i.protocol === "6" ? "tcp" : "udp"}${ports} from ${i.source}` : `out ${i.protocol} to ${i.destination}`;
    },
    "hcloud:index/firewall:Firewall": (i) =>
        `${(i.rules ?? []).length} inbound rules; applies to ${(i.applyTos ?? []).map((a: any) => (a.server !== undefined ? `server ${a.server}` : `label ${a.labelSelector}`)).join(", ") || "nothing yet"}`,
};

function pad(rawRows: string[][]): string[] {
    const rows = rawRows.map((r) => r.map(printable)); // values the user wrote never reach the terminal raw
    const widths = rows[0]!.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? "").length)));
    return rows.map((r) => r.map((cell, col) => (col === r.length - 1 ? cell : cell.padEnd(widths[col]!))).join("  ").trimEnd());
}

function resourceRows(resources: RecordedResource[]): string[][] {
    return [["TYPE", "NAME", "WHAT"], ...resources.map((r) => [r.type, r.name, SUMMARIES[r.type]?.(r.inputs) ?? ""])];
}

/** Rules held inside one resource, read only from the resource types that hold them (the component's own `rules` input is not one). */
function inlineRuleRows(resources: RecordedResource[]): string[] {
    const lines: string[] = [];
    for (const r of resources) {
        const inputs = r.inputs as Record<string, any>;
        const of = (type: string, key: string): any[] => (r.type === type && Array.isArray(inputs[key]) ? inputs[key] : []);
        for (const rule of of("digitalocean:index/firewall:Firewall", "inboundRules")) lines.push(`  ${r.name}: in  ${rule.protocol} ${rule.portRange ?? "all"} from ${list(rule.sourceAddresses)}`);
        for (const rule of of("digitalocean:index/firewall:Firewall", "outboundRules")) lines.push(`  ${r.name}: out ${rule.protocol} ${rule.portRange ?? "all"} to ${list(rule.destinationAddresses)}`);
        for (const rule of of("hcloud:index/firewall:Firewall", "rules")) lines.push(`  ${r.name}: ${rule.direction} ${rule.protocol} ${rule.port ?? "any"} from ${list(rule.sourceIps)}`);
        for (const rule of of("azure-native:network:NetworkSecurityGroup", "securityRules")) {
            const sources = rule.sourceAddressPrefixes ? list(rule.sourceAddressPrefixes) : rule.sourceAddressPrefix;
            lines.push(`  ${r.name}: ${rule.priority} ${rule.name}: ${rule.access} ${rule.protocol} ${list(rule.destinationPortRanges)} from ${sources}`);
        }
    }
    return lines;
}

/** What to do once the firewall exists: the step each cloud needs before a packet is filtered. */
function nextSteps(cloud: string, run: MockRun, stack: string | undefined): string[] {
    const tags = (run.resources.find((r) => r.type === "gcp:compute/firewall:Firewall")?.inputs.targetTags as string[] | undefined) ?? [];
    const attach: Record<string, string> = {
        aws: "attach the stack output securityGroupIds to the media server: vpcSecurityGroupIds on aws.ec2.Instance, or securityGroups of a launch template's network interface",
        gcp: tags.length
            ? `give the media server instances the network tags ${tags.join(", ")}: the rules apply to instances with those tags`
            : "set gcp.targetTags and give the media server instances those network tags: without them the rules apply to every instance in the network",
        digitalocean: "the firewall applies to the Droplets in digitalocean.dropletIds and those tagged with digitalocean.tags: tag the media server's Droplets",
        hetzner: "the firewalls apply to the servers in hetzner.serverIds and those matching hetzner.labelSelectors; or pass the stack output firewallIds to firewallIds on hcloud.Server (attached before first boot)",
        oci: "put the media server's VNIC in the stack output networkSecurityGroupIds (createVnicDetails.nsgIds on oci.core.Instance), and apply the host part: OCI's images reject every port but 22 in their own iptables (README \"Oracle Cloud\")",
        azure: "associate the stack output networkSecurityGroupId with the media server's NIC or subnet (networkSecurityGroup: { id }): an NSG filters nothing until then",
    };
    return [`  1. ${stack ? `pulumi up --stack ${stack}` : "pulumi up"}`, `  2. ${attach[cloud] ?? "see the README for your cloud"}`];
}

export function renderTable(cloud: string, source: string, run: MockRun, stack?: string): string {
    const { firewall, resources } = run;
    const out: string[] = [`webrtc-firewall plan: cloud ${cloud}, settings ${source}`, "", `Resources (${resources.length}):`];
    out.push(...pad(resourceRows(resources)).map((l) => `  ${l}`));
    const inline = inlineRuleRows(resources);
    if (inline.length) out.push("", "Inline rules:", ...inline.map(printable));
    out.push("", "Rules (what the spec opens):");
    const ruleRows = [["NAME", "PROTOCOL", "PORTS", "SOURCES"], ...firewall.plan.rules.map((r) => [r.name, r.protocol, r.ports.join(", "), r.sources.join(", ")])];
    out.push(...pad(ruleRows).map((l) => `  ${l}`));
    out.push("", `Quota (${cloud}):`);
    out.push(...pad(firewall.quota.map((q) => [q.what, `${q.used} / ${q.limit}`])).map((l) => `  ${l}`));
    out.push("", firewall.warnings.length ? "Warnings:" : "Warnings: none");
    out.push(...firewall.warnings.map((w) => `  - ${printable(w)}`));
    out.push("", "Next:", ...nextSteps(cloud, run, stack));
    return out.join("\n") + "\n";
}
