/**
 * AWS: security groups with no inline rules, one `aws.vpc.SecurityGroupIngressRule` per
 * (protocol, port range, CIDR), explicit egress. Facts and sources: README "What each cloud gets".
 */
import * as pulumi from "@pulumi/pulumi";
import { familyOf, type Family } from "../contract/cidr";
import { formatRange } from "../contract/ports";
import { publicCidrs, type Flow, type RulePlan } from "../plan/plan";
import { describeRules } from "../plan/naming";
import { inputsOf, type CloudOutputs, type CloudTarget, type RegisterOptions, type ResourceClass, type ResourceDecl } from "./types";

/** Inbound rules per family per group, and groups per network interface (AWS defaults). */
export const AWS_RULES_PER_GROUP = 60;
export const AWS_GROUPS_PER_ENI = 5;
/** Fixed: the description is ForceNew, and a replaced group detaches from its instances. */
export const AWS_GROUP_DESCRIPTION = "WebRTC media server firewall, managed by webrtc-firewall";
/** Characters AWS accepts in a rule description (AWS security-group-rules docs: `a-zA-Z0-9 ._-:/()#,@[]+=&;{}!$*`). */
export const AWS_DESCRIPTION_CHARS = /[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]/;
/** Pulumi auto-names a group `<logical>-<7 random>`; terraform-provider-aws `vpc_security_group.go` `name`:
 *  `StringLenBetween(0, 255)` and `StringDoesNotMatch(^sg-)`. */
export const AWS_GROUP_NAME_MAX = 255;
const AUTONAME_SUFFIX = 8; // "-" + 7 random characters

export interface AwsRuleArgs {
    ipProtocol: string;
    fromPort?: number;
    toPort?: number;
    cidrIpv4?: string;
    cidrIpv6?: string;
    description: string;
}

export interface AwsGroupArgs {
    description: string;
    vpcId?: pulumi.Input<string>;
    tags: Record<string, string>;
}

export interface AwsResources {
    groups: ResourceDecl<AwsGroupArgs>[];
    /** `group` is the index into `groups` the rule belongs to. */
    ingress: (ResourceDecl<AwsRuleArgs> & { group: number })[];
    egress: (ResourceDecl<AwsRuleArgs> & { group: number })[];
}

/** `2001:db8::/32` → `2001_db8__/32`: Pulumi names must not contain "::". */
export function cidrSlug(cidr: string): string {
    return cidr.replace(/:/g, "_");
}

const FAMILY_LABEL: Record<Family, string> = { ipv4: "IPv4", ipv6: "IPv6" };

function cidrField(cidr: string, family: Family): Pick<AwsRuleArgs, "cidrIpv4" | "cidrIpv6"> {
    return family === "ipv4" ? { cidrIpv4: cidr } : { cidrIpv6: cidr };
}

export function ingressName(name: string, flow: Flow): string {
    return `${name}-${flow.protocol}-${formatRange(flow.ports)}-${cidrSlug(flow.cidr)}`;
}

export function mapAws(plan: RulePlan, spec: { aws: { vpcId?: pulumi.Input<string> } }, name: string) {
    const problems = [];
    const perFamily: Record<Family, Flow[]> = { ipv4: plan.flows.filter((f) => f.family === "ipv4"), ipv6: plan.flows.filter((f) => f.family === "ipv6") };
    const groupCount = Math.max(1, ...Object.values(perFamily).map((flows) => Math.ceil(flows.length / AWS_RULES_PER_GROUP)));
    if (groupCount > AWS_GROUPS_PER_ENI) {
        const [family, flows] = (Object.entries(perFamily) as [Family, Flow[]][]).sort((a, b) => b[1].length - a[1].length)[0]!;
        problems.push({
            path: "ports",
            message: `AWS needs ${flows.length} ${FAMILY_LABEL[family]} inbound rules (one per protocol, port range and CIDR): more than ${AWS_GROUPS_PER_ENI} security groups × ${AWS_RULES_PER_GROUP} rules; use fewer or wider adminCidrs/source CIDRs, or fewer separate ports`,
        });
    }
    const longestGroup = `${name}-sg-${groupCount}`;
    if (name.startsWith("sg-") || longestGroup.length + AUTONAME_SUFFIX > AWS_GROUP_NAME_MAX) {
        problems.push({
            path: "name",
            message: `component name "${name}" makes the security group name "${name}-sg-…"; AWS refuses group names that start with "sg-" or are longer than ${AWS_GROUP_NAME_MAX} characters (terraform-provider-aws vpc_security_group.go): use a name that does not start with "sg-", of at most ${AWS_GROUP_NAME_MAX - AUTONAME_SUFFIX - (longestGroup.length - name.length)} characters`,
        });
    }
    const groups: AwsResources["groups"] = Array.from({ length: groupCount }, (_, i) => ({
        name: i === 0 ? `${name}-sg` : `${name}-sg-${i + 1}`,
        args: { description: AWS_GROUP_DESCRIPTION, ...(spec.aws.vpcId !== undefined ? { vpcId: spec.aws.vpcId } : {}), tags: { Name: i === 0 ? name : `${name}-${i + 1}` } },
    }));
    // Sorted flows fill groups in order; a split moves only the flows past a boundary.
    const ingress = (Object.values(perFamily) as Flow[][]).flatMap((flows) =>
        flows.map((flow, index) => ({
            name: ingressName(name, flow),
            group: Math.floor(index / AWS_RULES_PER_GROUP),
            args: {
                ipProtocol: flow.protocol,
                fromPort: flow.ports.from,
                toPort: flow.ports.to,
                ...cidrField(flow.cidr, flow.family),
                description: describeRules(flow.rules, plan, 255, AWS_DESCRIPTION_CHARS),
            },
        })),
    );
    // The provider revokes AWS's default allow-all egress, so egress is declared explicitly.
    const egress = publicCidrs(plan.ipv6).map((cidr) => ({
        name: `${name}-egress-${familyOf(cidr)}`,
        group: 0,
        args: { ipProtocol: "-1", ...cidrField(cidr, familyOf(cidr)), description: "webrtc-firewall: all outbound (media to clients, updates)" },
    }));
    return {
        problems,
        warnings: [] as string[],
        quota: [
            ...(["ipv4", "ipv6"] as Family[]).map((family) => ({
                what: `${FAMILY_LABEL[family]} inbound rules (${AWS_RULES_PER_GROUP} per group, ${groupCount} group${groupCount > 1 ? "s" : ""})`,
                used: perFamily[family].length,
                limit: AWS_RULES_PER_GROUP * groupCount,
            })),
            { what: "security groups per network interface", used: groupCount, limit: AWS_GROUPS_PER_ENI },
        ],
        resources: { groups, ingress, egress },
    };
}

type AwsRuleClass = ResourceClass<AwsRuleArgs & { securityGroupId: pulumi.Input<string> }>;
/** The slice of @pulumi/aws this target uses (see `ResourceClass`). */
export interface AwsSdk {
    ec2: { SecurityGroup: ResourceClass<AwsGroupArgs, { id: pulumi.Output<string> }> };
    vpc: { SecurityGroupIngressRule: AwsRuleClass; SecurityGroupEgressRule: AwsRuleClass };
}

function registerAws(resources: AwsResources, { parent, secret }: RegisterOptions): CloudOutputs {
    // Loaded on use, so a consumer that targets another cloud needs no AWS SDK.
    const aws: AwsSdk = require("@pulumi/aws");
    const groups = resources.groups.map((g) => new aws.ec2.SecurityGroup(g.name, inputsOf(g.args, secret), { parent }));
    for (const rule of resources.ingress) {
        new aws.vpc.SecurityGroupIngressRule(rule.name, { ...inputsOf(rule.args, secret), securityGroupId: groups[rule.group]!.id }, { parent });
    }
    for (const rule of resources.egress) {
        new aws.vpc.SecurityGroupEgressRule(rule.name, { ...inputsOf(rule.args, secret), securityGroupId: groups[rule.group]!.id }, { parent });
    }
    return { securityGroupIds: pulumi.all(groups.map((g) => g.id)) };
}

export const awsTarget: CloudTarget<AwsResources> = { sdkPackage: "@pulumi/aws", map: mapAws, register: registerAws };
