/**
 * The providers' own validation rules for every field this package emits, each with its source, applied
 * to registered inputs. A resource that breaks one would fail `pulumi preview` (bridged Terraform
 * validators) or the cloud API at apply (Azure, DigitalOcean). Auto-names are checked as the provider
 * makes them: `<logical>-<7 random>` (pulumi-terraform-bridge autonaming), `<logical><8 random>` (azure-native).
 */
import * as net from "node:net";
import type { RecordedResource } from "../../src/cli/mockRun";

type Check = (r: RecordedResource) => string[];
const inputs = (r: RecordedResource) => r.inputs as Record<string, any>;

/** Every string must survive the gRPC encoding (well-formed UTF-16, so valid UTF-8) and carry no control characters. */
export function textProblems(value: unknown, path: string): string[] {
    if (typeof value === "string") {
        const out: string[] = [];
        if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value))
            out.push(`${path}: lone surrogate (not valid UTF-8; gRPC refuses it)`);
        if (/[\p{Cc}]/u.test(value)) out.push(`${path}: control character`);
        return out;
    }
    if (Array.isArray(value)) return value.flatMap((v, i) => textProblems(v, `${path}[${i}]`));
    if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => textProblems(v, `${path}.${k}`));
    return [];
}

const bytes = (s: string) => Buffer.byteLength(s, "utf8");
const portNumber = (n: unknown) => Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 65535;
const portText = (s: string) =>
    /^\d+(-\d+)?$/.test(s) && s.split("-").every((p) => portNumber(Number(p))) && Number(s.split("-")[0]) <= Number(s.split("-").pop());

/** Go's net.ParseCIDR plus "the CIDR is its own network" (terraform-provider-aws `verify.ValidateIPv4CIDRBlock`/`ValidateIPv6CIDRBlock`). */
function cidrProblems(cidr: unknown, family: 4 | 6): string[] {
    if (typeof cidr !== "string") return [`${String(cidr)} is not a string`];
    const [address, prefix] = cidr.split("/");
    if (net.isIP(address ?? "") !== family || prefix === undefined || !/^\d+$/.test(prefix) || Number(prefix) > (family === 4 ? 32 : 128)) {
        return [`${cidr} is not a valid IPv${family} CIDR block`];
    }
    // Go's To4() is non-nil for IPv4-mapped IPv6 (::ffff:a.b.c.d): ValidateIPv6CIDRBlock refuses it.
    if (family === 6 && (/^::ffff:/i.test(address!) || address!.includes(".")))
        return [`${cidr} is an IPv4-mapped IPv6 CIDR, refused by ValidateIPv6CIDRBlock`];
    return [];
}

const AWS_TEXT = /^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]*$/; // AWS CreateSecurityGroup / AuthorizeSecurityGroupIngress docs

export const VALIDATORS: Record<string, Check> = {
    // terraform-provider-aws internal/service/ec2/vpc_security_group.go: name StringLenBetween(0,255) and not ^sg-;
    // description StringLenBetween(0,255), AWS character set.
    "aws:ec2/securityGroup:SecurityGroup": (r) => {
        const out: string[] = [];
        const name = `${r.name}-abcdefg`;
        if (name.length > 255) out.push(`name ${name.length} > 255 characters`);
        if (name.startsWith("sg-")) out.push(`name "${name}" starts with sg-`);
        const d = inputs(r).description;
        if (typeof d !== "string" || d.length > 255 || !AWS_TEXT.test(d)) out.push(`description "${d}" breaks AWS's 255-character set`);
        // EC2 API Reference "Tag" and CreateTags: 50 tags, keys 1-127 characters and not "aws:", values at most 256.
        const tags = Object.entries((inputs(r).tags ?? {}) as Record<string, unknown>);
        if (tags.length > 50) out.push(`${tags.length} tags > 50`);
        for (const [key, value] of tags)
            if (key.length < 1 || key.length > 127 || /^aws:/i.test(key) || typeof value !== "string" || value.length > 256)
                out.push(`tag ${JSON.stringify(key)}: ${JSON.stringify(value)}`);
        return out;
    },
    // terraform-provider-aws internal/service/ec2/vpc_security_group_ingress_rule.go (framework resource):
    // cidr_ipv4 / cidr_ipv6 through ValidateIPv4CIDRBlock / ValidateIPv6CIDRBlock; ports 0..65535 (or -1 with -1).
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": (r) => awsRule(r, false),
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": (r) => awsRule(r, true),
    // terraform-provider-google resource_compute_firewall.go: name verify.ValidateGCEName ([a-z]([-a-z0-9]*[a-z0-9])?, 1-63);
    // allow.ports "^\d+(-\d+)?$"; source_ranges of one address family (VPC firewall rules docs); target tags are GCE names.
    "gcp:compute/firewall:Firewall": (r) => {
        const i = inputs(r);
        const out: string[] = [];
        const name = `${r.name}-abcdefg`;
        if (!/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(name) || name.length > 63)
            out.push(`name "${name}" is not a GCE name of at most 63 characters`);
        if (i.direction !== "INGRESS") out.push(`direction ${i.direction}`);
        for (const a of i.allows ?? []) {
            if (!["tcp", "udp"].includes(a.protocol)) out.push(`protocol ${a.protocol}`);
            for (const p of a.ports ?? []) if (!portText(p)) out.push(`port "${p}"`);
        }
        const families = new Set((i.sourceRanges ?? []).map((c: string) => (c.includes(":") ? 6 : 4)));
        if (families.size !== 1) out.push("sourceRanges mix IPv4 and IPv6 (or are empty)");
        for (const c of i.sourceRanges ?? []) out.push(...cidrProblems(c, c.includes(":") ? 6 : 4));
        if ((i.sourceRanges ?? []).length > 5000) out.push(`${i.sourceRanges.length} sourceRanges > 5000`);
        for (const t of i.targetTags ?? []) if (!/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(t) || t.length > 63) out.push(`target tag "${t}"`);
        if (bytes(i.description ?? "") > 2048) out.push("description > 2048 bytes");
        return out;
    },
    // DigitalOcean API reference, firewall model: name ^[a-zA-Z0-9][a-zA-Z0-9.-]+$; terraform-provider-digitalocean
    // firewall/firewalls.go: protocol tcp|udp|icmp, port_range required for tcp/udp; limits page: 50 rules, 1000 sources,
    // 10 Droplets, 5 tags.
    "digitalocean:index/firewall:Firewall": (r) => {
        const i = inputs(r);
        const out: string[] = [];
        const name = i.name ?? `${r.name}-abcdefg`;
        if (!/^[a-zA-Z0-9][a-zA-Z0-9.-]+$/.test(name)) out.push(`name "${name}" breaks ^[a-zA-Z0-9][a-zA-Z0-9.-]+$`);
        const rules = [...(i.inboundRules ?? []), ...(i.outboundRules ?? [])];
        if (rules.length > 50) out.push(`${rules.length} rules > 50`);
        for (const rule of rules) {
            if (!["tcp", "udp", "icmp"].includes(rule.protocol)) out.push(`protocol ${rule.protocol}`);
            if (rule.protocol !== "icmp" && !(rule.portRange === "all" || portText(rule.portRange ?? "")))
                out.push(`portRange "${rule.portRange}"`);
            const addresses: string[] = rule.sourceAddresses ?? rule.destinationAddresses ?? [];
            if (addresses.length > 1000) out.push(`${addresses.length} addresses > 1000`);
            for (const c of addresses) out.push(...cidrProblems(c, c.includes(":") ? 6 : 4));
        }
        if ((i.dropletIds ?? []).length > 10) out.push("more than 10 Droplets");
        if ((i.tags ?? []).length > 5) out.push("more than 5 tags");
        // DigitalOcean API reference, tags: letters, numbers, colons, dashes and underscores, at most 255 (DOKS's k8s:<uuid>).
        for (const t of i.tags ?? []) if (!/^[a-zA-Z0-9_:-]{1,255}$/.test(t)) out.push(`tag "${t}"`);
        return out;
    },
    // Hetzner API docs and FAQ: 50 rules per firewall, 100 CIDRs per rule's list, description <= 255, name <= 128;
    // terraform-provider-hcloud internal/firewall: direction in|out, protocol tcp|udp|icmp|gre|esp, port required
    // for tcp/udp ("80", "80-85" or "any"; no validator there, the API refuses others as invalid_input),
    // source_ips must be network addresses ("10.0.0.5/8 is not the start of the cidr block").
    "hcloud:index/firewall:Firewall": (r) => {
        const i = inputs(r);
        const out: string[] = [];
        const name = i.name ?? `${r.name}-abcdefg`;
        if (name.length > 128) out.push(`name ${name.length} > 128 characters`);
        const rules: any[] = i.rules ?? [];
        if (rules.length > 50) out.push(`${rules.length} rules > 50`);
        for (const rule of rules) {
            if (!["in", "out"].includes(rule.direction)) out.push(`direction ${rule.direction}`);
            if (!["tcp", "udp", "icmp", "gre", "esp"].includes(rule.protocol)) out.push(`protocol ${rule.protocol}`);
            if (["tcp", "udp"].includes(rule.protocol) && !(rule.port === "any" || portText(rule.port ?? "")))
                out.push(`port "${rule.port}"`);
            const addresses: string[] = rule.direction === "in" ? (rule.sourceIps ?? []) : (rule.destinationIps ?? []);
            if (addresses.length === 0) out.push(`${rule.direction} rule without addresses`);
            if (addresses.length > 100) out.push(`${addresses.length} addresses > 100`);
            for (const c of addresses) out.push(...cidrProblems(c, c.includes(":") ? 6 : 4));
            if (Buffer.byteLength(rule.description ?? "", "utf8") > 255) out.push("description > 255 bytes");
        }
        for (const a of i.applyTos ?? [])
            if ((a.server === undefined) === (a.labelSelector === undefined))
                out.push("applyTo needs exactly one of server / labelSelector");
        return out;
    },
    // terraform-provider-oci core_network_security_group_resource.go: compartment_id and vcn_id required (no
    // validators); API CreateNetworkSecurityGroupDetails: displayName 1-255 characters.
    "oci:Core/networkSecurityGroup:NetworkSecurityGroup": (r) => {
        const i = inputs(r);
        const out: string[] = [];
        for (const key of ["compartmentId", "vcnId"])
            if (typeof i[key] !== "string" || !i[key].startsWith("ocid1.")) out.push(`${key} "${i[key]}"`);
        if (typeof i.displayName !== "string" || i.displayName.length < 1 || i.displayName.length > 255)
            out.push(`displayName "${i.displayName}"`);
        return out;
    },
    // terraform-provider-oci core_network_security_group_security_rule_resource.go: network_security_group_id,
    // direction and protocol required, no validators (the API's are what hold); API AddSecurityRuleDetails:
    // direction INGRESS|EGRESS, protocol "all" or an IANA number, source + sourceType (CIDR_BLOCK | SERVICE_CIDR_BLOCK |
    // NETWORK_SECURITY_GROUP) for INGRESS, destination + destinationType for EGRESS, options only for TCP ("6") or
    // UDP ("17") with destinationPortRange 1-65535 (min <= max), description 1-255 characters.
    "oci:Core/networkSecurityGroupSecurityRule:NetworkSecurityGroupSecurityRule": (r) => {
        const i = inputs(r);
        const out: string[] = [];
        if (typeof i.networkSecurityGroupId !== "string" || i.networkSecurityGroupId === "") out.push("networkSecurityGroupId missing");
        if (!["INGRESS", "EGRESS"].includes(i.direction)) out.push(`direction ${i.direction}`);
        if (!(i.protocol === "all" || /^\d{1,3}$/.test(i.protocol))) out.push(`protocol ${i.protocol}`);
        const [remote, type] = i.direction === "INGRESS" ? [i.source, i.sourceType] : [i.destination, i.destinationType];
        if (!["CIDR_BLOCK", "SERVICE_CIDR_BLOCK", "NETWORK_SECURITY_GROUP"].includes(type)) out.push(`${i.direction} type ${type}`);
        if (type === "CIDR_BLOCK") out.push(...cidrProblems(remote, String(remote).includes(":") ? 6 : 4));
        for (const [key, protocol] of [
            ["tcpOptions", "6"],
            ["udpOptions", "17"],
        ] as const) {
            const range = i[key]?.destinationPortRange;
            if (i[key] !== undefined && i.protocol !== protocol) out.push(`${key} on protocol ${i.protocol}`);
            if (
                range &&
                !(
                    Number.isInteger(range.min) &&
                    Number.isInteger(range.max) &&
                    range.min >= 1 &&
                    range.max <= 65535 &&
                    range.min <= range.max
                )
            )
                out.push(`${key} range ${range.min}-${range.max}`);
        }
        if (typeof i.description !== "string" || i.description.length < 1 || i.description.length > 255)
            out.push(`description "${i.description}"`);
        if (i.stateless !== false) out.push("stateless rules need a rule for each direction");
        return out;
    },
    // Linode API (Firewall, FirewallRuleConfig) and terraform-provider-linode linode/firewall: label 3-32 characters
    // (letters, digits, "-", "_", "."; a letter first, a letter or digit last, none of those twice in a row), unique;
    // inbound_policy and outbound_policy ACCEPT|DROP; at most 25 rules in and out together; a rule's action ACCEPT|DROP,
    // protocol TCP|UDP|ICMP|IPENCAP, label 3-32 characters, ports only for TCP/UDP: single ports and ranges joined by
    // ", ", 1-65535, no leading zero, a range's end above its start, at most 15 pieces (a range counts two); addresses
    // in CIDR form, at least one.
    "linode:index/firewall:Firewall": (r) => {
        const i = inputs(r);
        const out: string[] = [];
        const label = /^(?=.{3,32}$)[a-zA-Z](?!.*(--|__|\.\.))[a-zA-Z0-9\-_.]*[a-zA-Z0-9]$/;
        if (!label.test(String(i.label))) out.push(`label "${i.label}"`);
        for (const key of ["inboundPolicy", "outboundPolicy"]) if (!["ACCEPT", "DROP"].includes(i[key])) out.push(`${key} ${i[key]}`);
        const rules: any[] = [...(i.inbounds ?? []), ...(i.outbounds ?? [])];
        if (rules.length > 25) out.push(`${rules.length} rules > 25`);
        for (const rule of rules) {
            if (!["ACCEPT", "DROP"].includes(rule.action)) out.push(`action ${rule.action}`);
            if (!["TCP", "UDP", "ICMP", "IPENCAP"].includes(rule.protocol)) out.push(`protocol ${rule.protocol}`);
            if (!/^[a-zA-Z0-9\-_.]{3,32}$/.test(String(rule.label)) || /--|__|\.\./.test(rule.label))
                out.push(`rule label "${rule.label}"`);
            if (rule.ports !== undefined) {
                if (!["TCP", "UDP"].includes(rule.protocol)) out.push(`ports on ${rule.protocol}`);
                let pieces = 0;
                for (const piece of String(rule.ports).split(", ")) {
                    const m = /^([1-9]\d{0,4})(?:-([1-9]\d{0,4}))?$/.exec(piece);
                    if (!m || Number(m[1]) > 65535 || (m[2] !== undefined && (Number(m[2]) > 65535 || Number(m[2]) <= Number(m[1]))))
                        out.push(`port piece "${piece}"`);
                    pieces += m?.[2] !== undefined ? 2 : 1;
                }
                if (pieces > 15) out.push(`${pieces} port pieces > 15`);
            }
            const v4: string[] = rule.ipv4s ?? [];
            const v6: string[] = rule.ipv6s ?? [];
            if (v4.length + v6.length === 0) out.push("rule without addresses");
            for (const c of v4) out.push(...cidrProblems(c, 4));
            for (const c of v6) out.push(...cidrProblems(c, 6));
        }
        return out;
    },
    // terraform-provider-openstack resource_openstack_networking_secgroup_v2.go: name, description, delete_default_rules,
    // tags (no validators); Neutron API: name and description at most 255 characters.
    "openstack:networking/secGroup:SecGroup": (r) => {
        const i = inputs(r);
        const out: string[] = [];
        if (typeof i.description === "string" && i.description.length > 255) out.push("description > 255 characters");
        if (`${r.name}-abcdefg`.length > 255) out.push("name > 255 characters");
        return out;
    },
    // terraform-provider-openstack resource_openstack_networking_secgroup_rule_v2.go: direction ingress|egress and
    // ethertype IPv4|IPv6 required; port_range_min/max 0-65535, each RequiredWith the other and protocol; remote_ip_prefix
    // ConflictsWith remote_group_id; security_group_id required. Neutron API: min <= max, a remote prefix of the
    // rule's ethertype, description at most 255 characters.
    "openstack:networking/secGroupRule:SecGroupRule": (r) => {
        const i = inputs(r);
        const out: string[] = [];
        if (!["ingress", "egress"].includes(i.direction)) out.push(`direction ${i.direction}`);
        if (!["IPv4", "IPv6"].includes(i.ethertype)) out.push(`ethertype ${i.ethertype}`);
        if (typeof i.securityGroupId !== "string" || i.securityGroupId === "") out.push("securityGroupId missing");
        const min = i.portRangeMin;
        const max = i.portRangeMax;
        if ((min === undefined) !== (max === undefined)) out.push("portRangeMin and portRangeMax go together");
        if (min !== undefined && i.protocol === undefined) out.push("a port range needs a protocol");
        for (const v of [min, max]) if (v !== undefined && !(Number.isInteger(v) && v >= 0 && v <= 65535)) out.push(`port ${v}`);
        if (min !== undefined && max !== undefined && min > max) out.push(`range ${min}-${max}`);
        if (i.protocol !== undefined && !["tcp", "udp", "icmp", "icmpv6"].includes(i.protocol)) out.push(`protocol ${i.protocol}`);
        if (i.remoteIpPrefix !== undefined && i.remoteGroupId !== undefined) out.push("remoteIpPrefix conflicts with remoteGroupId");
        if (i.remoteIpPrefix !== undefined) {
            const v6 = String(i.remoteIpPrefix).includes(":");
            out.push(...cidrProblems(i.remoteIpPrefix, v6 ? 6 : 4));
            if (v6 !== (i.ethertype === "IPv6")) out.push(`remote ${i.remoteIpPrefix} is not ${i.ethertype}`);
        }
        if (typeof i.description === "string" && i.description.length > 255) out.push("description > 255 characters");
        return out;
    },
    // azure-rest-api-specs networkSecurityGroup.json + Azure limits and naming rules: NSG name 1-80 [A-Za-z0-9_.-],
    // alphanumeric first, alphanumeric or _ last; rules: priority 100-4096 unique per direction, protocol Tcp|Udp|...,
    // one address family per rule, 4000 source prefixes per NSG in total, 1000 rules, description <= 140.
    "azure-native:network:NetworkSecurityGroup": (r) => {
        const i = inputs(r);
        const out: string[] = [];
        const name = `${r.name}abcdefgh`;
        if (!/^[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9_])?$/.test(name) || name.length > 80)
            out.push(`NSG name "${name}" breaks Azure's naming rule`);
        const rules: any[] = i.securityRules ?? [];
        if (rules.length > 1000) out.push(`${rules.length} rules > 1000`);
        const priorities = new Set<number>();
        let prefixes = 0;
        for (const rule of rules) {
            if (!Number.isInteger(rule.priority) || rule.priority < 100 || rule.priority > 4096) out.push(`priority ${rule.priority}`);
            if (priorities.has(rule.priority)) out.push(`duplicate priority ${rule.priority}`);
            priorities.add(rule.priority);
            if (!/^[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9_])?$/.test(rule.name) || rule.name.length > 80)
                out.push(`rule name "${rule.name}"`);
            if (!["Tcp", "Udp", "Icmp", "Esp", "Ah", "*"].includes(rule.protocol)) out.push(`protocol ${rule.protocol}`);
            if ((rule.sourceAddressPrefix === undefined) === (rule.sourceAddressPrefixes === undefined))
                out.push(`${rule.name}: exactly one of sourceAddressPrefix(es)`);
            const list: string[] = rule.sourceAddressPrefixes ?? [rule.sourceAddressPrefix];
            prefixes += list.length;
            if (new Set(list.map((c) => c.includes(":"))).size > 1) out.push(`${rule.name}: mixes IPv4 and IPv6`);
            for (const c of list) out.push(...cidrProblems(c, c.includes(":") ? 6 : 4));
            for (const p of rule.destinationPortRanges ?? []) if (!portText(p)) out.push(`port range "${p}"`);
            if ((rule.description ?? "").length > 140) out.push(`${rule.name}: description > 140`);
        }
        if (prefixes > 4000) out.push(`${prefixes} source prefixes > 4000 per NSG`);
        return out;
    },
    // A standalone rule (azure-rest-api-specs networkSecurityGroup.json, SecurityRulePropertiesFormat): the same fields
    // as an inline one, and a destination given once: an address prefix or application security groups, never both.
    "azure-native:network:SecurityRule": (r) => {
        const i = inputs(r);
        const out: string[] = [];
        if (!Number.isInteger(i.priority) || i.priority < 100 || i.priority > 4096) out.push(`priority ${i.priority}`);
        if (!["Tcp", "Udp", "Icmp", "Esp", "Ah", "*"].includes(i.protocol)) out.push(`protocol ${i.protocol}`);
        if ((i.sourceAddressPrefix === undefined) === (i.sourceAddressPrefixes === undefined))
            out.push("exactly one of sourceAddressPrefix(es)");
        for (const c of i.sourceAddressPrefixes ?? [i.sourceAddressPrefix]) out.push(...cidrProblems(c, String(c).includes(":") ? 6 : 4));
        const destinations = ["destinationAddressPrefix", "destinationAddressPrefixes", "destinationApplicationSecurityGroups"].filter(
            (k) => i[k] !== undefined,
        );
        if (destinations.length !== 1) out.push(`exactly one destination, got ${destinations.join(", ") || "none"}`);
        for (const g of i.destinationApplicationSecurityGroups ?? [])
            if (typeof g?.id !== "string" || !g.id) out.push("an ASG without an id");
        for (const p of i.destinationPortRanges ?? []) if (!portText(p)) out.push(`port range "${p}"`);
        if ((i.description ?? "").length > 140) out.push("description > 140");
        return out;
    },
    // Azure naming rules, Microsoft.Network/applicationSecurityGroups: 1-80 [A-Za-z0-9_.-], alphanumeric first,
    // alphanumeric or _ last (auto-named: `<logical><8 random>`).
    "azure-native:network:ApplicationSecurityGroup": (r) => {
        const name = `${r.name}abcdefgh`;
        return /^[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9_])?$/.test(name) && name.length <= 80
            ? []
            : [`ASG name "${name}" breaks Azure's naming rule`];
    },
};

/**
 * An AKS AgentPool's networkProfile.allowedHostPorts (azure-rest-api-specs managedClusters.json `PortRange`): portStart
 * and portEnd in 1-65535, portStart <= portEnd, protocol TCP or UDP.
 */
export function allowedHostPortsProblems(ranges: { portStart: number; portEnd: number; protocol: string }[]): string[] {
    return ranges.flatMap((r) =>
        portNumber(r.portStart) &&
        portNumber(r.portEnd) &&
        r.portStart >= 1 &&
        r.portStart <= r.portEnd &&
        ["TCP", "UDP"].includes(r.protocol)
            ? []
            : [`allowedHostPorts ${JSON.stringify(r)}`],
    );
}

function awsRule(r: RecordedResource, egress: boolean): string[] {
    const i = inputs(r);
    const out: string[] = [];
    if (!["tcp", "udp", ...(egress ? ["-1"] : [])].includes(i.ipProtocol)) out.push(`ipProtocol ${i.ipProtocol}`);
    if (i.ipProtocol !== "-1" && (!portNumber(i.fromPort) || !portNumber(i.toPort) || i.fromPort > i.toPort))
        out.push(`ports ${i.fromPort}-${i.toPort}`);
    // One source per rule: a CIDR of either family, a managed prefix list, or a referenced group.
    const sources = ["cidrIpv4", "cidrIpv6", "prefixListId", "referencedSecurityGroupId"].filter((k) => i[k] !== undefined);
    if (sources.length !== 1)
        out.push(`exactly one of cidrIpv4 / cidrIpv6 / prefixListId / referencedSecurityGroupId, got ${sources.join(", ") || "none"}`);
    if (i.referencedSecurityGroupId !== undefined && !/^sg-([0-9a-f]{8}|[0-9a-f]{17})$/.test(i.referencedSecurityGroupId))
        out.push(`referencedSecurityGroupId "${i.referencedSecurityGroupId}"`);
    if (i.cidrIpv4 !== undefined) out.push(...cidrProblems(i.cidrIpv4, 4));
    if (i.cidrIpv6 !== undefined) out.push(...cidrProblems(i.cidrIpv6, 6));
    if (typeof i.description !== "string" || i.description.length > 255 || !AWS_TEXT.test(i.description))
        out.push(`description "${i.description}"`);
    return out;
}

/** Every provider rule broken by any registered resource, as `type name: problem`. */
export function providerProblems(resources: RecordedResource[]): string[] {
    return resources.flatMap((r) => {
        const check = VALIDATORS[r.type];
        const found = [
            ...textProblems(r.inputs, "inputs"),
            ...(check ? check(r) : r.type.startsWith("webrtc-firewall:") ? [] : ["no validator for this type"]),
        ];
        return found.map((p) => `${r.type} ${r.name}: ${p}`);
    });
}
