/** OpenStack: Neutron security groups (@pulumi/openstack). Everything this project knows of OpenStack is in this folder. */
import type * as pulumi from "@pulumi/pulumi";
import { defineCloud } from "../cloud";
import { OPENSTACK_TYPES, readOpenstack } from "./policy";
import { openstackContract, type OpenstackArgs } from "./settings";
import { openstackTarget } from "./target";
import { openstackUpdates } from "./updates";

export const openstack = defineCloud<
    "openstack",
    OpenstackArgs,
    { securityGroupIds: pulumi.Output<string[]>; securityGroupNames: pulumi.Output<string[]> }
>("openstack", {
    ...openstackContract,
    firewall: "OpenStack security groups",
    target: openstackTarget,
    outputs: {
        securityGroupIds: {
            type: "strings",
            description: "OpenStack: the group ids, for networking.Port's securityGroupIds",
        },
        securityGroupNames: {
            type: "strings",
            description: "OpenStack: the group names, for compute.Instance's securityGroups",
        },
    },
    plan: {
        summaries: {
            [OPENSTACK_TYPES.group]: () => "security group (its default egress rules deleted; ours below)",
            [OPENSTACK_TYPES.rule]: (i) => {
                const ports =
                    i.portRangeMin === undefined
                        ? ""
                        : ` ${i.portRangeMin === i.portRangeMax ? i.portRangeMin : `${i.portRangeMin}-${i.portRangeMax}`}`;
                return i.direction === "ingress"
                    ? `in  ${i.ethertype} ${i.protocol}${ports} from ${i.remoteIpPrefix ?? `group ${i.remoteGroupId}`}`
                    : `out ${i.ethertype} any protocol to any address`;
            },
        },
        rulesIn: (r) => (r.type === OPENSTACK_TYPES.rule ? 1 : 0),
        nextStep: () =>
            "attach the group: the stack output securityGroupNames to compute.Instance's securityGroups, or securityGroupIds to " +
            "networking.Port's securityGroupIds; keep port security enabled on those ports",
    },
    updates: openstackUpdates,
    policy: {
        types: Object.values(OPENSTACK_TYPES),
        read: readOpenstack,
        decides: ["direction", "ethertype", "protocol", "portRange", "remoteIpPrefix", "remoteGroupId", "deleteDefaultRules"],
    },
});
