/**
 * AWS security groups, from registered inputs. Semantics (../shared/cloud-facts.md, AWS):
 * - allow-only rules; a packet is allowed if any rule of the groups on the ENI matches
 *   (AWS VPC user guide, "Security group rules"); stateful, so replies need no rule;
 * - the provider revokes the default allow-all egress on create (terraform-provider-aws
 *   vpc_security_group.go), so outbound is allowed only by declared egress rules;
 * - ipProtocol "-1" means every protocol and port (vpc_security_group_ingress_rule docs).
 */
import type { RecordedResource } from "../../src/cli/mockRun";
import { matcher, type Evaluator } from "./packet";

interface CompiledRule {
    protocol: string;
    from: number;
    to: number;
    contains: (a: string) => boolean;
}

function compile(inputs: Record<string, any>): CompiledRule {
    const all = inputs.ipProtocol === "-1";
    return {
        protocol: inputs.ipProtocol,
        from: all ? 1 : inputs.fromPort,
        to: all ? 65535 : inputs.toPort,
        contains: matcher([inputs.cidrIpv4 ?? inputs.cidrIpv6]),
    };
}

export function awsEvaluator(resources: RecordedResource[]): Evaluator {
    const ingress = resources.filter((r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").map((r) => compile(r.inputs));
    const egress = resources.filter((r) => r.type === "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").map((r) => compile(r.inputs));
    return (p) =>
        (p.direction === "in" ? ingress : egress).some(
            (r) => (r.protocol === "-1" || r.protocol === p.protocol) && r.from <= p.port && p.port <= r.to && r.contains(p.address),
        );
}
