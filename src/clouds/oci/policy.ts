/**
 * Oracle Cloud network security groups (@pulumi/oci `core`): `NetworkSecurityGroupSecurityRule`
 * resources joining an NSG by `networkSecurityGroupId`; `direction` INGRESS or EGRESS, `protocol` "all"
 * or an IANA number, one `source` with its `sourceType` (a CIDR_BLOCK is an address range; a service's
 * CIDR label or another NSG is named), ports as `tcpOptions`/`udpOptions.destinationPortRange {min, max}`
 * (none: every port). An NSG starts with no egress (OCI "Network Security Groups").
 */
import { at, portsBetween, protocolsOf, Reader, sourceOf, type Reading } from "../observed";

export const OCI_TYPES = {
    nsg: "oci:Core/networkSecurityGroup:NetworkSecurityGroup",
    rule: "oci:Core/networkSecurityGroupSecurityRule:NetworkSecurityGroupSecurityRule",
} as const;

const NO_EGRESS =
    "an OCI NSG starts with no egress rule, so the server cannot send media or reach STUN/TURN peers " +
    'unless the subnet\'s security lists allow it; add EGRESS rules (protocol "all") to 0.0.0.0/0 and ::/0';

export function readOci(type: string, urn: string, props: Record<string, any>): Reading | undefined {
    const r = new Reader();
    const tags = r.tags("freeformTags", () => props.freeformTags);
    if (type === OCI_TYPES.nsg) {
        const id = r.known("id", () => props.id);
        return {
            ingress: [],
            egressRules: 0,
            unknowns: r.unknowns,
            groupKeys: typeof id === "string" && id ? [`oci:${id}`] : [],
            noEgressMeans: NO_EGRESS,
            tags,
        };
    }
    if (type !== OCI_TYPES.rule) return undefined;
    const direction = r.known("direction", () => props.direction);
    const nsg = r.known("networkSecurityGroupId", () => props.networkSecurityGroupId);
    const joins = { property: "networkSecurityGroupId", key: typeof nsg === "string" && nsg ? `oci:${nsg}` : undefined };
    const protocol = r.known("protocol", () => props.protocol);
    const options = protocol === "6" ? "tcpOptions" : "udpOptions";
    const range = r.known(at(options, "destinationPortRange"), () => props[options]?.destinationPortRange);
    const ports =
        range && typeof range.min === "number" && typeof range.max === "number"
            ? portsBetween(range.min, range.max)
            : range === undefined
              ? portsBetween(1, 65535)
              : undefined;
    const source = r.known("source", () => props.source);
    const sourceType = r.known("sourceType", () => props.sourceType);
    const sources =
        typeof source === "string"
            ? [sourceType === "CIDR_BLOCK" || sourceType === undefined ? sourceOf(source) : { text: source, cidrs: [] }]
            : [];
    const reading: Reading = { ingress: [], egressRules: 0, unknowns: r.unknowns, joins, tags };
    if (direction === "EGRESS") reading.egressRules = 1;
    if (direction === "INGRESS")
        reading.ingress = [
            { urn, label: "", action: "allow", priority: 0, protocols: protocolsOf(protocol), ports: ports ? [ports] : [], sources },
        ];
    return reading;
}
