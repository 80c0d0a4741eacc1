/** AWS: security groups (@pulumi/aws). Everything this project knows of AWS is in this folder. */
import type * as pulumi from "@pulumi/pulumi";
import { defineCloud } from "../cloud";
import { AWS_TYPES, readAws } from "./policy";
import { awsContract, type AwsArgs } from "./settings";
import { awsTarget } from "./target";
import { awsUpdates } from "./updates";

export const aws = defineCloud<"aws", AwsArgs, { securityGroupIds: pulumi.Output<string[]> }>("aws", {
    ...awsContract,
    firewall: "AWS security groups",
    target: awsTarget,
    outputs: {
        securityGroupIds: { type: "strings", description: "AWS: the security group ids to attach to the media server's instances" },
    },
    plan: {
        summaries: {
            [AWS_TYPES.group]: (i) => `security group in ${i.vpcId ?? "the default VPC"}`,
            [AWS_TYPES.ingress]: (i) =>
                `in  ${i.ipProtocol} ${i.fromPort === i.toPort ? i.fromPort : `${i.fromPort}-${i.toPort}`} ` +
                `from ${i.cidrIpv4 ?? i.cidrIpv6}`,
            [AWS_TYPES.egress]: (i) => `out all to ${i.cidrIpv4 ?? i.cidrIpv6}`,
        },
        rulesIn: (r) => (r.type === AWS_TYPES.ingress || r.type === AWS_TYPES.egress ? 1 : 0),
        nextStep: (resources) =>
            resources.some((r) => r.type === AWS_TYPES.group)
                ? "attach the stack output securityGroupIds to the media server: vpcSecurityGroupIds " +
                  "on aws.ec2.Instance, or securityGroups of a launch template's network interface"
                : "nothing to attach: the rules are in the group the settings name (aws.securityGroupId or " +
                  "aws.eksClusterSecurityGroupId), already on its instances or nodes; see the warnings for EKS node groups",
    },
    updates: awsUpdates,
    policy: {
        types: Object.values(AWS_TYPES),
        read: readAws,
        decides: ["ingress", "egress", "cidr", "ipv6Cidr", "fromPort", "toPort", "protocol", "ipProtocol", "type", "source"],
    },
});
