/** Oracle Cloud: network security groups (@pulumi/oci). Everything this project knows of Oracle Cloud is in this folder. */
import type * as pulumi from "@pulumi/pulumi";
import { defineCloud } from "../cloud";
import { OCI_TYPES, readOci } from "./policy";
import { ociContract, type OciArgs } from "./settings";
import { ociTarget } from "./target";
import { ociUpdates } from "./updates";

export const oci = defineCloud<"oci", OciArgs, { networkSecurityGroupIds: pulumi.Output<string[]> }>("oci", {
    ...ociContract,
    firewall: "Oracle Cloud network security groups",
    target: ociTarget,
    outputs: {
        networkSecurityGroupIds: {
            type: "strings",
            description: "OCI: the NSG ids for the media server's VNIC (createVnicDetails.nsgIds)",
        },
    },
    plan: {
        summaries: {
            [OCI_TYPES.nsg]: (i) => `network security group in VCN ${i.vcnId}`,
            [OCI_TYPES.rule]: (i) => {
                const range = (i.tcpOptions ?? i.udpOptions)?.destinationPortRange;
                const ports = range ? ` ${range.min === range.max ? range.min : `${range.min}-${range.max}`}` : "";
                return i.direction === "INGRESS"
                    ? `in  ${i.protocol === "6" ? "tcp" : "udp"}${ports} from ${i.source}`
                    : `out ${i.protocol} to ${i.destination}`;
            },
        },
        rulesIn: (r) => (r.type === OCI_TYPES.rule ? 1 : 0),
        nextStep: () =>
            "put the media server's VNIC in the stack output networkSecurityGroupIds (createVnicDetails.nsgIds on oci.core.Instance), " +
            'and apply the host part: OCI\'s images reject every port but 22 in their own iptables (README "Oracle Cloud")',
    },
    updates: ociUpdates,
    policy: { types: Object.values(OCI_TYPES), read: readOci, decides: ["direction", "protocol", "source", "destinationPort"] },
});
