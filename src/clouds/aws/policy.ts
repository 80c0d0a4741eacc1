/**
 * AWS security groups in their three spellings (@pulumi/aws v6/v7, bridged from terraform-provider-aws):
 * inline `ingress`/`egress` on `ec2.SecurityGroup`, `ec2.SecurityGroupRule` (`type: ingress|egress`,
 * lists of CIDRs) and `vpc.SecurityGroupIngressRule`/`EgressRule` (one CIDR each). Protocol `-1`
 * is every protocol and port. Sources that are groups or prefix lists are named, never the world.
 */
import { at, portsBetween, protocolsOf, Reader, sourceOf, type ObservedRule, type Reading, type Source } from "../observed";
import { append } from "../../contract/lists";

export const AWS_TYPES = {
    group: "aws:ec2/securityGroup:SecurityGroup",
    rule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
} as const;

type Props = Record<string, any>;

const NO_EGRESS =
    "the AWS provider revokes AWS's default allow-all egress from a group it creates (terraform-provider-aws " +
    "vpc_security_group.go), so the server cannot send media or reach STUN/TURN peers; " +
    'add egress to 0.0.0.0/0 and ::/0 (aws.vpc.SecurityGroupEgressRule with ipProtocol "-1"), or to the ports your media server sends to';

/** The protocols and ports of one AWS permission; `-1` opens every port whatever from/to say. */
function portsOf(r: Reader, path: string, item: Props, protocolKey: string): Pick<ObservedRule, "protocols" | "ports"> | undefined {
    const protocol = r.known(at(path, protocolKey), () => item[protocolKey]);
    const from = r.known(at(path, "fromPort"), () => item.fromPort);
    const to = r.known(at(path, "toPort"), () => item.toPort);
    if (protocol === undefined) return undefined;
    const protocols = protocolsOf(protocol);
    if (String(protocol).trim() === "-1" || String(protocol).toLowerCase() === "all") return { protocols, ports: [{ from: 1, to: 65535 }] };
    if (typeof from !== "number" || typeof to !== "number") return undefined;
    const range = portsBetween(from, to);
    return range ? { protocols, ports: [range] } : undefined;
}

/** The named sources of a permission: CIDRs by address, everything else (groups, prefix lists) by name. */
function sourcesOf(r: Reader, path: string, item: Props, cidrKeys: string[], namedKeys: string[]): Source[] {
    const sources: Source[] = [];
    for (const key of cidrKeys) {
        const value = r.known(at(path, key), () => item[key]);
        const texts = Array.isArray(value) ? r.strings(at(path, key), () => value) : typeof value === "string" ? [value] : [];
        append(sources, texts.map(sourceOf));
    }
    for (const key of namedKeys) {
        const value = r.known(at(path, key), () => item[key]);
        if (value === true || (typeof value === "string" && value))
            sources.push({ text: key === "self" ? "self" : String(value), cidrs: [] });
        else if (Array.isArray(value))
            append(
                sources,
                r.strings(at(path, key), () => value).map((text) => ({ text, cidrs: [] })),
            );
    }
    return sources;
}

function rule(
    r: Reader,
    urn: string,
    label: string,
    item: Props,
    protocolKey: string,
    cidrKeys: string[],
    namedKeys: string[],
): ObservedRule | undefined {
    const ports = portsOf(r, label, item, protocolKey);
    const sources = sourcesOf(r, label, item, cidrKeys, namedKeys);
    return ports ? { urn, label, action: "allow", priority: 0, ...ports, sources } : undefined;
}

const key = (id: unknown): string | undefined => (typeof id === "string" && id ? `aws:${id}` : undefined);

export function readAws(type: string, urn: string, props: Props): Reading | undefined {
    const r = new Reader();
    const tags = r.tags("tags", () => props.tags);
    if (type === AWS_TYPES.group) {
        const inline = (name: "ingress" | "egress") =>
            r.list(
                name,
                () => props[name],
                (item, path) =>
                    rule(r, urn, path, item, "protocol", ["cidrBlocks", "ipv6CidrBlocks"], ["prefixListIds", "securityGroups", "self"]),
            );
        const ingress = inline("ingress");
        const egress = inline("egress");
        const id = r.known("id", () => props.id);
        return {
            ingress,
            egressRules: egress.length,
            unknowns: r.unknowns,
            groupKeys: [key(id)].filter((k): k is string => !!k),
            noEgressMeans: NO_EGRESS,
            tags,
        };
    }
    if (type === AWS_TYPES.rule) {
        const direction = r.known("type", () => props.type);
        const one = rule(
            r,
            urn,
            "",
            props,
            "protocol",
            ["cidrBlocks", "ipv6CidrBlocks"],
            ["prefixListIds", "sourceSecurityGroupId", "self"],
        );
        const joins = { property: "securityGroupId", key: key(r.known("securityGroupId", () => props.securityGroupId)) };
        const ingress = direction === "ingress" && one ? [one] : [];
        return { ingress, egressRules: direction === "egress" && one ? 1 : 0, unknowns: r.unknowns, joins, tags };
    }
    if (type === AWS_TYPES.ingress || type === AWS_TYPES.egress) {
        const one = rule(r, urn, "", props, "ipProtocol", ["cidrIpv4", "cidrIpv6"], ["prefixListId", "referencedSecurityGroupId"]);
        const joins = { property: "securityGroupId", key: key(r.known("securityGroupId", () => props.securityGroupId)) };
        const inbound = type === AWS_TYPES.ingress;
        return { ingress: inbound && one ? [one] : [], egressRules: !inbound && one ? 1 : 0, unknowns: r.unknowns, joins, tags };
    }
    return undefined;
}
