/**
 * AWS: security groups with no inline rules, one `aws.vpc.SecurityGroupIngressRule` per
 * (protocol, port range, CIDR), explicit egress; or the rules alone, added to a group the user already
 * has. Late sources: one rule per entry and range, its CIDR (or referenced group) filled when it
 * resolves; a late list becomes a managed prefix list per family. Facts and sources: README "What each
 * cloud gets".
 */
import * as pulumi from "@pulumi/pulumi";
import { SECURITY_GROUP_ID, type AwsSpec } from "./settings";
import type { FirewallSpec } from "../../contract/types";
import { familyOf, type Family } from "../../contract/cidr";
import { formatRange } from "../../contract/ports";
import { lateOpenings, publicCidrs, type Flow, type RulePlan } from "../../plan/plan";
import { lateCidrs, lateSource } from "../../plan/lateValues";
import type { Problem } from "../../contract/problems";
import { describeRules, ingressName } from "../../plan/naming";
import { inputsOf, type CloudOutputs, type CloudTarget, type RegisterOptions, type ResourceClass, type ResourceDecl } from "../cloud";
import { maxOf } from "../../contract/lists";

/** Inbound rules per family per group, and groups per network interface (AWS defaults). */
export const AWS_RULES_PER_GROUP = 60;
export const AWS_GROUPS_PER_ENI = 5;
/**
 * Rules kept free in each group we create: an update creates a changed rule's new version before it deletes the
 * old one (Pulumi's create-before-delete), so a full group would refuse the create half-way (src/update/ finds it).
 */
export const AWS_UPDATE_ROOM = 5;
/** The rules we put in a group of our own. */
export const AWS_RULES_FILLED = AWS_RULES_PER_GROUP - AWS_UPDATE_ROOM;
/** Fixed: the description is ForceNew, and a replaced group detaches from its instances. */
export const AWS_GROUP_DESCRIPTION = "WebRTC media server firewall, managed by webrtc-firewall";
/** Characters AWS accepts in a rule description (AWS security-group-rules docs: `a-zA-Z0-9 ._-:/()#,@[]+=&;{}!$*`). */
export const AWS_DESCRIPTION_CHARS = /[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]/;
/** Pulumi auto-names a group `<logical>-<7 random>`; terraform-provider-aws `vpc_security_group.go` `name`:
 *  `StringLenBetween(0, 255)` and `StringDoesNotMatch(^sg-)`. */
export const AWS_GROUP_NAME_MAX = 255;
const AUTONAME_SUFFIX = 8; // "-" + 7 random characters
/** Entries of one managed prefix list (AWS VPC quotas, "Prefix lists": 1000 entries). */
export const AWS_PREFIX_LIST_ENTRIES_MAX = 1000;

export interface AwsRuleArgs {
    ipProtocol: string;
    fromPort?: number;
    toPort?: number;
    cidrIpv4?: pulumi.Input<string>;
    cidrIpv6?: pulumi.Input<string>;
    /** Ingress from the members of another group (a load balancer's, say). */
    referencedSecurityGroupId?: pulumi.Input<string>;
    description: string;
}

/** A late list of sources of one family: entries update in place, so the rules that reference it never change. */
export interface AwsPrefixListArgs {
    addressFamily: "IPv4" | "IPv6";
    maxEntries: pulumi.Input<number>;
    entries: pulumi.Input<{ cidr: string; description: string }[]>;
    tags: Record<string, string>;
}

export interface AwsGroupArgs {
    description: string;
    vpcId?: pulumi.Input<string>;
    tags: pulumi.Input<Record<string, string>>;
}

export interface AwsResources {
    groups: ResourceDecl<AwsGroupArgs>[];
    /** `aws.securityGroupId`: the rules go into this group, and no group is created. */
    existingGroupId?: pulumi.Input<string>;
    prefixLists: ResourceDecl<AwsPrefixListArgs>[];
    /** `group` is the index into `groups` (or 0 for the existing group); `prefixList` into `prefixLists`. */
    ingress: (ResourceDecl<AwsRuleArgs> & { group: number; prefixList?: number })[];
    egress: (ResourceDecl<AwsRuleArgs> & { group: number })[];
}

const FAMILY_LABEL: Record<Family, string> = { ipv4: "IPv4", ipv6: "IPv6" };

function cidrField(cidr: string, family: Family): Pick<AwsRuleArgs, "cidrIpv4" | "cidrIpv6"> {
    return family === "ipv4" ? { cidrIpv4: cidr } : { cidrIpv6: cidr };
}

/**
 * Rules that are not one known CIDR each: security-group sources, and late sources (one rule per entry
 * and range whose CIDR or group fills in on resolution; a whole-list entry, a prefix list per family).
 */
function extraRules(plan: RulePlan, name: string) {
    const single: { name: string; args: AwsRuleArgs }[] = [];
    const listed: { name: string; args: AwsRuleArgs; prefixList: number }[] = [];
    const prefixLists: ResourceDecl<AwsPrefixListArgs>[] = [];
    for (const flow of plan.groupFlows) {
        single.push({
            name: `${name}-${flow.protocol}-${formatRange(flow.ports)}-${flow.group}`,
            args: {
                ipProtocol: flow.protocol,
                fromPort: flow.ports.from,
                toPort: flow.ports.to,
                referencedSecurityGroupId: flow.group,
                description: describeRules(flow.rules, plan, 255, AWS_DESCRIPTION_CHARS),
            },
        });
    }
    for (const set of plan.late) {
        const description = describeRules(set.rules, plan, 255, AWS_DESCRIPTION_CHARS);
        set.entries.forEach((entry, slot) => {
            const base = `${name}-${set.slug}-late${slot + 1}`;
            if (!entry.many) {
                const source = lateSource(entry, SECURITY_GROUP_ID);
                // Exactly one of the three is set once resolved; the others stay absent.
                const field = (kind: string) => source.apply((s) => (s.kind === kind ? s.text : undefined)) as pulumi.Output<string>;
                for (const { protocol, ports } of lateOpenings(set)) {
                    single.push({
                        name: `${base}-${protocol}-${formatRange(ports)}`,
                        args: {
                            ipProtocol: protocol,
                            fromPort: ports.from,
                            toPort: ports.to,
                            cidrIpv4: field("ipv4"),
                            cidrIpv6: field("ipv6"),
                            referencedSecurityGroupId: field("group"),
                            description,
                        },
                    });
                }
                return;
            }
            for (const family of ["ipv4", "ipv6"] as Family[]) {
                const cidrs = lateCidrs([entry], family);
                const tag = family === "ipv4" ? "v4" : "v6";
                prefixLists.push({
                    name: `${base}-${tag}`,
                    args: {
                        addressFamily: family === "ipv4" ? "IPv4" : "IPv6",
                        maxEntries: cidrs.apply((c) => Math.max(1, c.length)),
                        entries: cidrs.apply((c) =>
                            c.map((cidr) => ({ cidr, description: `webrtc-firewall ${entry.path}`.slice(0, 255) })),
                        ),
                        tags: { Name: `${name} ${entry.path}` },
                    },
                });
                for (const { protocol, ports } of lateOpenings(set)) {
                    listed.push({
                        name: `${base}-${tag}-${protocol}-${formatRange(ports)}`,
                        prefixList: prefixLists.length - 1,
                        args: { ipProtocol: protocol, fromPort: ports.from, toPort: ports.to, description },
                    });
                }
            }
        });
    }
    return { single, listed, prefixLists };
}

/**
 * The inbound rule EKS puts in a cluster security group (`eks-cluster-sg-<cluster>-<id>`): all traffic from
 * the group itself (Amazon EKS User Guide, "View Amazon EKS security group requirements for clusters").
 */
const EKS_OWN_INBOUND_RULES = 1;

/** What the cluster side must do for the rules on its cluster security group to reach the media pods. */
const EKS_CLUSTER_SIDE =
    "EKS: the rules are on the cluster security group, which EKS puts on every node of a managed node group " +
    "created without a launch template. A node group with a launch template carries only the groups the template " +
    "names: list the cluster security group there (vpcSecurityGroupIds), and for Karpenter or EKS Auto Mode select it " +
    "in the node class's securityGroupSelectorTerms. The media pods must use hostNetwork (LiveKit's Helm chart does), " +
    "so their ports are the node's.";

/** A group's tags: the node class's selector tags (known now or from other resources), and its Name. */
function withName(tags: pulumi.Input<Record<string, string>> | undefined, Name: string): pulumi.Input<Record<string, string>> {
    if (tags === undefined || !pulumi.Output.isInstance(tags)) return { ...(tags as Record<string, string> | undefined), Name };
    return tags.apply((known) => ({ ...known, Name }));
}

/** Karpenter's EC2NodeClass and Auto Mode's NodeClass take security groups by selector terms (Karpenter docs, "NodeClasses"). */
const nodeClassSide = (tags: pulumi.Input<Record<string, string>>): string =>
    "Karpenter or EKS Auto Mode: select these groups in the node class's securityGroupSelectorTerms (- tags: " +
    `${pulumi.Output.isInstance(tags) ? "aws.securityGroupTags" : JSON.stringify(tags)}, ` +
    "or output securityGroupIds as - id: terms), beside the cluster security group, which the nodes need to join the cluster.";

/** An existing group near its limit cannot keep room for an update's creates: the plan says what that means. */
const fullGroup = (setting: string, used: number, room: number): string =>
    `aws: ${setting} holds ${used} of the ${room} rules it has room for: an update creates a changed rule before it deletes ` +
    `the old one, so a change of more than ${room - used} rule${room - used === 1 ? "" : "s"} there is refused half-way ` +
    "(the rules already made stay, nothing closes); `webrtc-firewall plan --diff OLD` shows it before you run it.";

export function mapAws(plan: RulePlan, spec: Pick<FirewallSpec<AwsSpec>, "settings">, name: string) {
    const problems: Problem[] = [];
    const existing = spec.settings.securityGroupId;
    const eks = spec.settings.eks === true;
    // An existing group's room: all of it but the rules EKS keeps in a cluster security group.
    const ruleRoom = AWS_RULES_PER_GROUP - (eks ? EKS_OWN_INBOUND_RULES : 0);
    const existingSetting = eks ? "aws.eksClusterSecurityGroupId" : "aws.securityGroupId";
    const perFamily: Record<Family, Flow[]> = {
        ipv4: plan.flows.filter((f) => f.family === "ipv4"),
        ipv6: plan.flows.filter((f) => f.family === "ipv6"),
    };
    const extra = extraRules(plan, name);
    // A rule whose family is known only at deployment counts against both families' quota.
    const unplaced = extra.single.length + extra.listed.length;
    const known = maxOf(Object.values(perFamily).map((flows) => flows.length));
    const groupCount = existing !== undefined ? 1 : Math.max(1, Math.ceil((known + unplaced) / AWS_RULES_FILLED));
    if (groupCount > AWS_GROUPS_PER_ENI || (existing !== undefined && known + unplaced > ruleRoom)) {
        const [family, flows] = (Object.entries(perFamily) as [Family, Flow[]][]).sort((a, b) => b[1].length - a[1].length)[0]!;
        const room =
            existing !== undefined
                ? `the ${ruleRoom} rules of the one existing group (${existingSetting})${eks ? ", beside the one EKS keeps there" : ""}`
                : `${AWS_GROUPS_PER_ENI} security groups × ${AWS_RULES_FILLED} rules (${AWS_RULES_PER_GROUP} each, ` +
                  `${AWS_UPDATE_ROOM} kept free for updates)`;
        problems.push({
            path: "ports",
            message:
                `AWS needs ${flows.length + unplaced} ${FAMILY_LABEL[family]} inbound rules (one per protocol, port range ` +
                `and source): more than ${room}; use fewer or wider adminCidrs/source CIDRs, or fewer separate ports`,
        });
    }
    const longestGroup = `${name}-sg-${groupCount}`;
    if (existing === undefined && (name.startsWith("sg-") || longestGroup.length + AUTONAME_SUFFIX > AWS_GROUP_NAME_MAX)) {
        problems.push({
            path: "name",
            message:
                `component name "${name}" makes the security group name "${name}-sg-…"; AWS refuses ` +
                `group names that start with "sg-" or are longer than ${AWS_GROUP_NAME_MAX} characters ` +
                (`(terraform-provider-aws vpc_security_group.go): use a name that does not start with "sg-", of at ` +
                    `most ${AWS_GROUP_NAME_MAX - AUTONAME_SUFFIX - (longestGroup.length - name.length)} characters`),
        });
    }
    const groups: AwsResources["groups"] =
        existing !== undefined
            ? []
            : Array.from({ length: groupCount }, (_, i) => ({
                  name: i === 0 ? `${name}-sg` : `${name}-sg-${i + 1}`,
                  args: {
                      description: AWS_GROUP_DESCRIPTION,
                      ...(spec.settings.vpcId !== undefined ? { vpcId: spec.settings.vpcId } : {}),
                      tags: withName(spec.settings.securityGroupTags, i === 0 ? name : `${name}-${i + 1}`),
                  },
              }));
    // Sorted flows fill groups in order; a split moves only the flows past a boundary. The other rules
    // follow the known ones, so adding one never moves a known rule.
    const ingress: AwsResources["ingress"] = (Object.values(perFamily) as Flow[][]).flatMap((flows) =>
        flows.map((flow, index) => ({
            name: ingressName(name, flow),
            group: Math.min(groupCount - 1, Math.floor(index / AWS_RULES_FILLED)),
            args: {
                ipProtocol: flow.protocol,
                fromPort: flow.ports.from,
                toPort: flow.ports.to,
                ...cidrField(flow.cidr, flow.family),
                description: describeRules(flow.rules, plan, 255, AWS_DESCRIPTION_CHARS),
            },
        })),
    );
    [...extra.single, ...extra.listed].forEach((rule, i) =>
        ingress.push({ ...rule, group: Math.min(groupCount - 1, Math.floor((known + i) / AWS_RULES_FILLED)) }),
    );
    // The provider revokes AWS's default allow-all egress from a group it creates, so egress is
    // declared explicitly; an existing group keeps its own (adding allow-all again would fail with
    // InvalidPermission.Duplicate where AWS's default is still there).
    const egress =
        existing !== undefined
            ? []
            : publicCidrs(plan.ipv6).map((cidr) => ({
                  name: `${name}-egress-${familyOf(cidr)}`,
                  group: 0,
                  args: {
                      ipProtocol: "-1",
                      ...cidrField(cidr, familyOf(cidr)),
                      description: "webrtc-firewall: all outbound (media to clients, updates)",
                  },
              }));
    const where =
        existing !== undefined
            ? eks
                ? "the EKS cluster security group, beside its own rule"
                : "the existing group, with its own rules"
            : `${AWS_RULES_FILLED} per group, ${AWS_UPDATE_ROOM} of ${AWS_RULES_PER_GROUP} kept free for updates, ` +
              `${groupCount} group${groupCount > 1 ? "s" : ""}`;
    const late = unplaced
        ? ` (+${unplaced} whose family is known at deployment${extra.listed.length ? ", prefix lists counting their entries" : ""})`
        : "";
    return {
        problems,
        warnings: [
            ...(eks ? [EKS_CLUSTER_SIDE] : spec.settings.securityGroupTags ? [nodeClassSide(spec.settings.securityGroupTags)] : []),
            ...(existing !== undefined && known + unplaced > ruleRoom - AWS_UPDATE_ROOM
                ? [fullGroup(existingSetting, known + unplaced, ruleRoom)]
                : []),
        ],
        quota: [
            ...(["ipv4", "ipv6"] as Family[]).map((family) => ({
                what: `${FAMILY_LABEL[family]} inbound rules (${where})${late}`,
                used: perFamily[family].length + unplaced,
                limit: existing !== undefined ? ruleRoom : AWS_RULES_FILLED * groupCount,
            })),
            {
                what:
                    existing !== undefined
                        ? `security groups created (rules added to ${existingSetting})`
                        : "security groups per network interface",
                used: groups.length,
                limit: AWS_GROUPS_PER_ENI,
            },
        ],
        resources: { groups, existingGroupId: existing, prefixLists: extra.prefixLists, ingress, egress },
    };
}

type AwsRuleClass = ResourceClass<AwsRuleArgs & { securityGroupId: pulumi.Input<string>; prefixListId?: pulumi.Input<string> }>;
/** The slice of @pulumi/aws this target uses (see `ResourceClass`). */
export interface AwsSdk {
    ec2: {
        SecurityGroup: ResourceClass<AwsGroupArgs, { id: pulumi.Output<string> }>;
        ManagedPrefixList: ResourceClass<AwsPrefixListArgs, { id: pulumi.Output<string> }>;
    };
    vpc: { SecurityGroupIngressRule: AwsRuleClass; SecurityGroupEgressRule: AwsRuleClass };
}

function registerAws(resources: AwsResources, { parent, secret }: RegisterOptions): CloudOutputs {
    // Loaded on use, so a consumer that targets another cloud needs no AWS SDK.
    const aws: AwsSdk = require("@pulumi/aws");
    const groups = resources.groups.map((g) => new aws.ec2.SecurityGroup(g.name, inputsOf(g.args, secret), { parent }));
    const groupIds = resources.existingGroupId !== undefined ? [pulumi.output(resources.existingGroupId)] : groups.map((g) => g.id);
    const lists = resources.prefixLists.map((l) => new aws.ec2.ManagedPrefixList(l.name, inputsOf(l.args, secret), { parent }));
    for (const rule of resources.ingress) {
        const prefixListId = rule.prefixList === undefined ? {} : { prefixListId: lists[rule.prefixList]!.id };
        new aws.vpc.SecurityGroupIngressRule(
            rule.name,
            { ...inputsOf(rule.args, secret), ...prefixListId, securityGroupId: groupIds[rule.group]! },
            { parent },
        );
    }
    for (const rule of resources.egress) {
        new aws.vpc.SecurityGroupEgressRule(
            rule.name,
            { ...inputsOf(rule.args, secret), securityGroupId: groupIds[rule.group]! },
            { parent },
        );
    }
    return { securityGroupIds: pulumi.all(groupIds) };
}

export const awsTarget: CloudTarget<AwsResources, AwsSpec> = {
    sdkPackage: "@pulumi/aws",
    map: mapAws,
    register: registerAws,
    lateSourcesPerRule: { limit: AWS_PREFIX_LIST_ENTRIES_MAX, what: "entries AWS allows in one managed prefix list (VPC quotas)" },
};
