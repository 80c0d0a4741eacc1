/** Reads the (protocol port-range cidr) triples each cloud's registered inputs open, for cross-cloud comparison. */
import type { RecordedResource } from "../src/cli/mockRun";

type Inputs = Record<string, any>;
const byType = (resources: RecordedResource[], type: string): Inputs[] =>
    resources.filter((r) => r.type === type).map((r) => r.inputs as Inputs);
const range = (from: number, to: number) => (from === to ? `${from}` : `${from}-${to}`);

export function openedTriples(cloud: string, resources: RecordedResource[]): string[] {
    const out: string[] = [];
    if (cloud === "aws") {
        for (const i of byType(resources, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"))
            out.push(`${i.ipProtocol} ${range(i.fromPort, i.toPort)} ${i.cidrIpv4 ?? i.cidrIpv6}`);
    } else if (cloud === "gcp") {
        for (const f of byType(resources, "gcp:compute/firewall:Firewall"))
            for (const a of f.allows) for (const p of a.ports) for (const c of f.sourceRanges) out.push(`${a.protocol} ${p} ${c}`);
    } else if (cloud === "digitalocean") {
        for (const f of byType(resources, "digitalocean:index/firewall:Firewall"))
            for (const r of f.inboundRules) for (const c of r.sourceAddresses) out.push(`${r.protocol} ${r.portRange} ${c}`);
    } else if (cloud === "oci") {
        const name: Record<string, string> = { "6": "tcp", "17": "udp" };
        for (const r of byType(resources, "oci:Core/networkSecurityGroupSecurityRule:NetworkSecurityGroupSecurityRule").filter(
            (x) => x.direction === "INGRESS",
        )) {
            const ports = (r.tcpOptions ?? r.udpOptions).destinationPortRange;
            out.push(`${name[r.protocol]} ${range(ports.min, ports.max)} ${r.source}`);
        }
    } else if (cloud === "linode") {
        for (const f of byType(resources, "linode:index/firewall:Firewall"))
            for (const r of f.inbounds)
                for (const p of String(r.ports).split(", "))
                    for (const c of [...(r.ipv4s ?? []), ...(r.ipv6s ?? [])]) out.push(`${r.protocol.toLowerCase()} ${p} ${c}`);
    } else if (cloud === "openstack") {
        for (const r of byType(resources, "openstack:networking/secGroupRule:SecGroupRule").filter((x) => x.direction === "ingress"))
            out.push(`${r.protocol} ${range(r.portRangeMin, r.portRangeMax)} ${r.remoteIpPrefix}`);
    } else if (cloud === "hetzner") {
        for (const f of byType(resources, "hcloud:index/firewall:Firewall"))
            for (const r of f.rules) for (const c of r.sourceIps) out.push(`${r.protocol} ${r.port} ${c}`);
    } else {
        for (const n of byType(resources, "azure-native:network:NetworkSecurityGroup"))
            for (const r of n.securityRules)
                for (const p of r.destinationPortRanges)
                    for (const c of r.sourceAddressPrefixes ?? [r.sourceAddressPrefix]) out.push(`${r.protocol.toLowerCase()} ${p} ${c}`);
    }
    return out.sort();
}
