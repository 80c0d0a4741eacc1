import * as assert from "node:assert/strict";
import { installRecordingMocks, runWithMocks, type RecordedResource } from "../src/cli/mockRun";
import { WebRtcFirewall, type WebRtcFirewallArgs } from "../src/component";
import { ConfigError } from "../src/errors";

export interface Planned {
    resources: RecordedResource[];
    firewall: WebRtcFirewall;
}

/** Constructs the component under recording mocks and waits for every registration. */
export function plan(args: WebRtcFirewallArgs | Record<string, unknown>, name = "wrf"): Promise<Planned> {
    return runWithMocks({}, () => new WebRtcFirewall(name, args as WebRtcFirewallArgs));
}

/** `count` distinct IPv4 /24 networks (10.x.y.0/24), for limit tests. */
export function ipv4Networks(count: number): string[] {
    return Array.from({ length: count }, (_, i) => `10.${Math.floor(i / 250)}.${i % 250}.0/24`);
}

/** `count` distinct IPv6 /48 networks (2001:db8:x::/48), for limit tests. */
export function ipv6Networks(count: number): string[] {
    return Array.from({ length: count }, (_, i) => `2001:db8:${i.toString(16)}::/48`);
}

/** Asserts that `args` is refused before anything is registered; returns the problem lines. */
export function refuse(args: Record<string, unknown>, name = "wrf"): string[] {
    const resources = installRecordingMocks({});
    let error: unknown;
    try {
        new WebRtcFirewall(name, args as unknown as WebRtcFirewallArgs);
    } catch (err) {
        error = err;
    }
    assert.ok(ConfigError.isInstance(error), `expected a ConfigError, got ${String(error)}`);
    assert.equal(resources.length, 0, "nothing may be registered for an invalid config");
    return (error as ConfigError).problems.map((p) => `${p.path}: ${p.message}`);
}

export function ofType(resources: RecordedResource[], type: string): RecordedResource[] {
    return resources.filter((r) => r.type === type);
}

export const AWS_INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
export const AWS_EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";
export const AWS_GROUP = "aws:ec2/securityGroup:SecurityGroup";

/** AWS ingress rules as `udp 50000-60000 0.0.0.0/0`, sorted. */
export function awsIngress(resources: RecordedResource[]): string[] {
    return ofType(resources, AWS_INGRESS)
        .map((r) => {
            const i = r.inputs as Record<string, any>;
            const ports = i.fromPort === i.toPort ? `${i.fromPort}` : `${i.fromPort}-${i.toPort}`;
            return `${i.ipProtocol} ${ports} ${i.cidrIpv4 ?? i.cidrIpv6}`;
        })
        .sort();
}

/** Expands `tcp 443` style entries to one line per public CIDR. */
export function publicFlows(entries: string[], ipv6 = true): string[] {
    return entries.flatMap((e) => (ipv6 ? [`${e} 0.0.0.0/0`, `${e} ::/0`] : [`${e} 0.0.0.0/0`])).sort();
}
