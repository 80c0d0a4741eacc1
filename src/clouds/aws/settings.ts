/** AWS settings (`aws:` block): written once, for validation, the multi-language schema and the args type. */
import type * as pulumi from "@pulumi/pulumi";
import type { GroupSource } from "../../contract/groupSource";
import type { Late } from "../../contract/late";
import { idValue } from "../../contract/schema";
import { z } from "zod";
import { quote } from "../../contract/problems";
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
    /**
     * Karpenter or EKS Auto Mode: tags on the groups the component creates (in `vpcId`, the cluster's VPC), for the
     * node class's `securityGroupSelectorTerms`, e.g. `{ "karpenter.sh/discovery": "media-cluster" }`.
     */
    securityGroupTags?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** The spec's AWS part. */
export interface AwsSpec {
    vpcId?: pulumi.Input<string>;
    securityGroupId?: pulumi.Input<string>;
    /** The group is an EKS cluster's security group (docs/kubernetes.md). */
    eks?: boolean;
    /** Tags a Karpenter or Auto Mode node class selects the created groups by (an Output when from other resources). */
    securityGroupTags?: pulumi.Input<Record<string, string>>;
}

/**
 * AWS's tag restrictions (EC2 User Guide, "Tag restrictions"; EC2 API Reference, "Tag": keys of at most 127
 * characters there, the stricter of the two): values of 0-256 characters, no `aws:` prefix, 50 tags a resource.
 * The component's own `Name` is one of them, so 49 are the user's.
 */
const TAG_KEY_MAX = 127;
const TAG_VALUE_MAX = 256;
const TAGS_MAX = 50 - 1;
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

const tagProblem = (key: string, value: unknown): string | undefined => {
    if (key.length < 1 || key.length > TAG_KEY_MAX)
        return `key ${quote(key)} has ${key.length} characters; a tag key has 1 to ${TAG_KEY_MAX}`;
    if (/^aws:/i.test(key)) return `key ${quote(key)} starts with "aws:", which AWS keeps for its own tags; choose another key`;
    if (key === "Name") return "key \"Name\" is the component's own (the group's name); choose another key";
    if (typeof value !== "string") return `${quote(value)} under ${quote(key)} is not a tag value; write a string`;
    if (value.length > TAG_VALUE_MAX)
        return `the value under ${quote(key)} has ${value.length} characters; a tag value has at most ${TAG_VALUE_MAX}`;
    if (!TAG_TEXT.test(key) || !TAG_TEXT.test(value))
        return (
            `${quote(TAG_TEXT.test(key) ? value : key)} has a character AWS tags do not take; ` +
            "use letters, digits, spaces and _ . : / = + - @"
        );
    return undefined;
};

const securityGroupTags = z.record(z.string(), z.unknown()).transform((tags, ctx): Record<string, string> => {
    const entries = Object.entries(tags);
    if (entries.length > TAGS_MAX)
        ctx.addIssue({
            code: "custom",
            input: tags,
            message: `${entries.length} tags; an AWS resource takes 50, one of them the component's Name: give at most ${TAGS_MAX}`,
        });
    for (const [key, value] of entries) {
        const problem = tagProblem(key, value);
        if (problem) ctx.addIssue({ code: "custom", input: value, path: [key], message: problem });
    }
    return tags as Record<string, string>;
});

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
    securityGroupTags: lateSetting(securityGroupTags, {
        type: "object",
        additionalProperties: { type: "string" },
        description:
            "Karpenter or EKS Auto Mode: tags on the groups the component creates (in vpcId, the cluster's VPC), for the node " +
            'class\'s securityGroupSelectorTerms, e.g. {"karpenter.sh/discovery": "media-cluster"}.',
    }),
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

type Parsed = {
    vpcId?: string | Late;
    securityGroupId?: string | Late;
    eksClusterSecurityGroupId?: string | Late;
    securityGroupTags?: Record<string, string> | Late;
};

export const awsContract: CloudContract<Parsed, AwsSpec> = {
    name: "aws",
    title: "AWS",
    settings,
    groupSource,
    nodePool: {
        given: (parsed) => parsed?.eksClusterSecurityGroupId !== undefined || parsed?.securityGroupTags !== undefined,
        settings: "aws.eksClusterSecurityGroupId (EKS), or aws.securityGroupTags (Karpenter, EKS Auto Mode)",
        // A Network Load Balancer with instance targets sends to the node port and keeps the client's address (always
        // for UDP); its health checks come from its own addresses in the VPC (ELB guide, "Target groups for your
        // Network Load Balancers": client IP preservation, and "Target security groups").
        loadBalancer: {
            delivers: "nodePort",
            healthChecks: {
                user: "the VPC's CIDR (aws.ec2.Vpc cidrBlock): a Network Load Balancer's health checks come from its own addresses there",
            },
            controller:
                "EKS: the AWS Load Balancer Controller also writes rules for a LoadBalancer Service (a frontend group from " +
                "spec.loadBalancerSourceRanges, 0.0.0.0/0 when unset, and the nodes' group from its backend group): give the " +
                "Service loadBalancerSourceRanges no wider than these rules' sources.",
        },
    },
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
        if (parsed?.securityGroupTags !== undefined) {
            const existing = eks ? "eksClusterSecurityGroupId" : parsed.securityGroupId !== undefined ? "securityGroupId" : undefined;
            if (existing)
                problems.push({
                    path: "aws.securityGroupTags",
                    message:
                        `is set together with aws.${existing}; the tags go on the groups the component creates for a node class to ` +
                        `select, and an existing group keeps its own tags: remove one of them`,
                });
            else if (parsed.vpcId === undefined)
                problems.push({
                    path: "aws.vpcId",
                    message:
                        "is required with aws.securityGroupTags: a node class selects groups of the cluster's VPC only; give the " +
                        "cluster's VPC (aws.eks.Cluster vpcConfig.vpcId)",
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
        ...(parsed?.securityGroupTags !== undefined ? { securityGroupTags: optionalInput(parsed.securityGroupTags) } : {}),
    }),
};
