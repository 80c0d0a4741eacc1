/** AWS settings (`aws:` block): written once, for validation, the multi-language schema and the args type. */
import type * as pulumi from "@pulumi/pulumi";
import type { GroupSource } from "../../contract/groupSource";
import type { Late } from "../../contract/late";
import { idValue } from "../../contract/schema";
import { lateSetting, settingsBlock, type CloudContract } from "../../contract/settings";
import { optionalInput } from "../../contract/validate";

/** An AWS security group id (`sg-` and 8 or 17 hex digits): a source, or the group to add rules to. */
export const SECURITY_GROUP_ID = /^sg-([0-9a-f]{8}|[0-9a-f]{17})$/;

/** The component's `aws` args. */
export interface AwsArgs {
    vpcId?: pulumi.Input<string>;
    /** A group you already have: the rules are added to it (no group, no egress rule created). */
    securityGroupId?: pulumi.Input<string>;
    /**
     * EKS: the cluster security group (`aws.eks.Cluster`'s `vpcConfig.clusterSecurityGroupId`), which EKS puts
     * on every node of a managed node group without a launch template: the rules go there, never its egress.
     */
    eksClusterSecurityGroupId?: pulumi.Input<string>;
}

/** The spec's AWS part. */
export interface AwsSpec {
    vpcId?: pulumi.Input<string>;
    securityGroupId?: pulumi.Input<string>;
    /** The group is an EKS cluster's security group (docs/kubernetes.md). */
    eks?: boolean;
}

const settings = settingsBlock("aws", "AwsArgs", "AWS settings.", {
    vpcId: lateSetting(
        idValue('a VPC id like "vpc-0abc1234"', (s) =>
            /^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/.test(s)
                ? undefined
                : `"${s}" is not a VPC id; write it like "vpc-0abc1234def567890", or omit vpcId for the default VPC`,
        ),
        { type: "string", description: "The VPC of the security group; omitted, the default VPC." },
    ),
    securityGroupId: lateSetting(
        idValue('a security group id like "sg-0abc1234"', (s) =>
            SECURITY_GROUP_ID.test(s)
                ? undefined
                : `"${s}" is not a security group id; write it like "sg-0abc1234def567890", or omit securityGroupId to create a group`,
        ),
        { type: "string", description: "A group you already have: the rules are added to it, and no group or egress rule is created." },
    ),
    eksClusterSecurityGroupId: lateSetting(
        idValue('an EKS cluster security group id like "sg-0abc1234"', (s) =>
            SECURITY_GROUP_ID.test(s)
                ? undefined
                : `"${s}" is not a security group id; give the cluster's vpcConfig.clusterSecurityGroupId, like "sg-0abc1234def567890"`,
        ),
        {
            type: "string",
            description:
                "EKS: the cluster security group (aws.eks.Cluster vpcConfig.clusterSecurityGroupId), on every node of a managed node " +
                "group without a launch template: the rules go there, and no group or egress rule is created.",
        },
    ),
});

/** Ingress from the members of another group (a load balancer's, say): `from: [sg-…]`. */
const groupSource: GroupSource = {
    pattern: SECURITY_GROUP_ID,
    what: "an AWS security group",
    write: 'a security group id like "sg-0abc1234"',
    cloud: "AWS",
    resourceType: "aws:ec2/securityGroup:SecurityGroup",
    inList: (id) =>
        `resolved to the security group "${id}" inside a list Output; a list Output holds addresses only (it ` +
        `becomes managed prefix lists on AWS): pass the group as its own entry, e.g. from: [lb.securityGroupId, ...]`,
};

type Parsed = { vpcId?: string | Late; securityGroupId?: string | Late; eksClusterSecurityGroupId?: string | Late };

export const awsContract: CloudContract<Parsed, AwsSpec> = {
    name: "aws",
    title: "AWS",
    settings,
    groupSource,
    nodePool: { given: (parsed) => parsed?.eksClusterSecurityGroupId !== undefined, settings: "aws.eksClusterSecurityGroupId (EKS)" },
    check(parsed, _chosen, problems) {
        const eks = parsed?.eksClusterSecurityGroupId !== undefined;
        for (const other of ["securityGroupId", "vpcId"] as const) {
            if (eks && parsed[other] !== undefined)
                problems.push({
                    path: `aws.${other}`,
                    message:
                        "is set together with aws.eksClusterSecurityGroupId; the node pool's rules go into the cluster " +
                        `security group, which already belongs to the cluster's VPC: remove ${other}`,
                });
        }
        if (!eks && parsed?.securityGroupId !== undefined && parsed.vpcId !== undefined) {
            problems.push({
                path: "aws.vpcId",
                message: "is set together with aws.securityGroupId; an existing group already belongs to its VPC: remove vpcId",
            });
        }
    },
    spec: (parsed) => ({
        vpcId: optionalInput(parsed?.vpcId),
        securityGroupId: optionalInput(parsed?.eksClusterSecurityGroupId ?? parsed?.securityGroupId),
        ...(parsed?.eksClusterSecurityGroupId !== undefined ? { eks: true } : {}),
    }),
};
