/**
 * OpenStack security groups (@pulumi/openstack `networking`): `SecGroupRule` resources joining a group by
 * `securityGroupId`; `direction` ingress or egress, `ethertype` IPv4/IPv6, `protocol` (absent: any), a port range
 * `portRangeMin`..`portRangeMax` (absent: every port), one `remoteIpPrefix` or `remoteGroupId` (neither: any address
 * of the ethertype). A new group holds two egress rules unless `deleteDefaultRules` (Neutron API, security groups).
 */
import { ANY_IPV4, ANY_IPV6 } from "../../contract/cidr";
import { portsBetween, protocolsOf, Reader, sourceOf, type Reading } from "../observed";

export const OPENSTACK_TYPES = {
    group: "openstack:networking/secGroup:SecGroup",
    rule: "openstack:networking/secGroupRule:SecGroupRule",
} as const;

const NO_EGRESS =
    "an OpenStack group created with deleteDefaultRules has no egress rule, so the server cannot send media or reach " +
    "STUN/TURN peers; add egress rules for IPv4 and IPv6 (no protocol, no remote prefix)";

export function readOpenstack(type: string, urn: string, props: Record<string, any>): Reading | undefined {
    const r = new Reader();
    const tags = Object.fromEntries(r.strings("tags", () => props.tags).map((t) => [t, ""]));
    if (type === OPENSTACK_TYPES.group) {
        const id = r.known("id", () => props.id);
        const keepsDefaults = r.known("deleteDefaultRules", () => props.deleteDefaultRules) !== true;
        return {
            ingress: [],
            // Neutron's two default egress rules stay unless deleteDefaultRules.
            egressRules: keepsDefaults ? 2 : 0,
            unknowns: r.unknowns,
            groupKeys: typeof id === "string" && id ? [`openstack:${id}`] : [],
            noEgressMeans: NO_EGRESS,
            tags,
        };
    }
    // Stryker disable next-line ConditionalExpression: readers/index.ts only calls a reader for its own types
    if (type !== OPENSTACK_TYPES.rule) return undefined;
    const group = r.known("securityGroupId", () => props.securityGroupId);
    const joins = { property: "securityGroupId", key: typeof group === "string" && group ? `openstack:${group}` : undefined };
    const direction = r.known("direction", () => props.direction);
    const reading: Reading = { ingress: [], egressRules: direction === "egress" ? 1 : 0, unknowns: r.unknowns, joins, tags };
    if (direction !== "ingress") return reading;
    const protocol = r.known("protocol", () => props.protocol);
    const min = r.known("portRangeMin", () => props.portRangeMin);
    const max = r.known("portRangeMax", () => props.portRangeMax);
    const ports = typeof min === "number" && min > 0 ? portsBetween(min, typeof max === "number" ? max : min) : portsBetween(1, 65535);
    const prefix = r.known("remoteIpPrefix", () => props.remoteIpPrefix);
    const remoteGroup = r.known("remoteGroupId", () => props.remoteGroupId);
    const ethertype = r.known("ethertype", () => props.ethertype);
    const sources =
        typeof prefix === "string" && prefix
            ? [sourceOf(prefix)]
            : typeof remoteGroup === "string" && remoteGroup
              ? [{ text: remoteGroup, cidrs: [] }]
              : [sourceOf(ethertype === "IPv6" ? ANY_IPV6 : ANY_IPV4)];
    reading.ingress = [
        {
            urn,
            label: "",
            action: "allow",
            priority: 0,
            protocols: protocol === undefined || protocol === null || protocol === "" ? ["tcp", "udp"] : protocolsOf(protocol),
            ports: ports ? [ports] : [],
            sources,
        },
    ];
    return reading;
}
