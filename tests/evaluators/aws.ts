/**
 * AWS security groups, from registered inputs. Semantics (../shared/cloud-facts.md, AWS):
 * - allow-only rules; a packet is allowed if any rule of the groups on the ENI matches
 *   (AWS VPC user guide, "Security group rules"); stateful, so replies need no rule;
 * - the provider revokes the default allow-all egress on create (terraform-provider-aws
 *   vpc_security_group.go), so outbound is allowed only by declared egress rules;
 * - ipProtocol "-1" means every protocol and port (vpc_security_group_ingress_rule docs);
 * - a rule names one source: a CIDR, a managed prefix list (its entries), or another security group
 *   (its members: given by the test as addresses, since the inputs cannot say who they are);
 * - rules of a group the user already has (aws.securityGroupId) are given by the test as `existing`.
 */
import type { RecordedResource } from "../../src/cli/mockRun";
import { matcher, type Evaluator } from "./packet";

interface CompiledRule {
    protocol: string;
    from: number;
    to: number;
    contains: (a: string) => boolean;
}

export interface AwsWorld {
    /** Member addresses of security groups referenced by id. */
    groupMembers?: Record<string, string[]>;
    /** The existing group's own rules, as rule inputs. */
    existing?: { ingress?: Record<string, any>[]; egress?: Record<string, any>[] };
}

function compile(inputs: Record<string, any>, prefixLists: Map<string, string[]>, world: AwsWorld): CompiledRule {
    const all = inputs.ipProtocol === "-1";
    const sources = [inputs.cidrIpv4, inputs.cidrIpv6].filter(Boolean) as string[];
    if (inputs.prefixListId) sources.push(...(prefixLists.get(inputs.prefixListId) ?? []));
    if (inputs.referencedSecurityGroupId)
        sources.push(
            ...(world.groupMembers?.[inputs.referencedSecurityGroupId] ?? []).map((a) => (a.includes(":") ? `${a}/128` : `${a}/32`)),
        );
    const fields = ["cidrIpv4", "cidrIpv6", "prefixListId", "referencedSecurityGroupId"].filter((k) => inputs[k] !== undefined);
    if (fields.length !== 1) throw new Error(`AWS requires exactly one source per rule, got ${JSON.stringify(fields)}`);
    return {
        protocol: inputs.ipProtocol,
        from: all ? 1 : inputs.fromPort,
        to: all ? 65535 : inputs.toPort,
        contains: matcher(sources),
    };
}

export function awsEvaluator(resources: RecordedResource[], world: AwsWorld = {}): Evaluator {
    // Under mocks a resource's id is `<name>-id`.
    const prefixLists = new Map(
        resources
            .filter((r) => r.type === "aws:ec2/managedPrefixList:ManagedPrefixList")
            .map((r) => [`${r.name}-id`, (r.inputs.entries as { cidr: string }[]).map((e) => e.cidr)]),
    );
    const of = (type: string, own: Record<string, any>[] = []) =>
        [...resources.filter((r) => r.type === type).map((r) => r.inputs), ...own].map((inputs) => compile(inputs, prefixLists, world));
    const ingress = of("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", world.existing?.ingress);
    const egress = of("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", world.existing?.egress);
    return (p) =>
        (p.direction === "in" ? ingress : egress).some(
            (r) => (r.protocol === "-1" || r.protocol === p.protocol) && r.from <= p.port && p.port <= r.to && r.contains(p.address),
        );
}
