/**
 * OpenStack (Neutron) security groups, from registered inputs. Semantics (Neutron API, security groups and rules):
 * every rule of every group on a port combines as a union of allows; what no rule allows is denied in both
 * directions; stateful. A rule has `direction`, `ethertype` (IPv4/IPv6: the family it matches), `protocol` (absent:
 * any), `portRangeMin..Max` (absent: every port) and one remote: `remoteIpPrefix`, `remoteGroupId` (the members'
 * addresses: none here) or neither (every address of the ethertype). A new group keeps two egress rules unless
 * `deleteDefaultRules`.
 */
import type { RecordedResource } from "../../src/cli/mockRun";
import { matcher, toBits, type Evaluator } from "./packet";

export function openstackEvaluator(resources: RecordedResource[]): Evaluator {
    const groups = resources.filter((r) => r.type === "openstack:networking/secGroup:SecGroup").map((r) => r.inputs as Record<string, any>);
    const rules = resources
        .filter((r) => r.type === "openstack:networking/secGroupRule:SecGroupRule")
        .map((r) => r.inputs as Record<string, any>);
    const seen = new Set<string>();
    for (const r of rules) {
        const key = JSON.stringify([
            r.direction,
            r.ethertype,
            r.protocol,
            r.portRangeMin,
            r.portRangeMax,
            r.remoteIpPrefix,
            r.remoteGroupId,
        ]);
        if (seen.has(key)) throw new Error(`Neutron refuses a duplicate rule (409): ${key}`);
        seen.add(key);
    }
    const defaults = groups.filter((g) => g.deleteDefaultRules !== true).length > 0;
    const compiled = rules.map((r) => ({
        direction: r.direction === "ingress" ? "in" : "out",
        family: r.ethertype === "IPv6" ? "ipv6" : "ipv4",
        protocol: r.protocol as string | undefined,
        from: (r.portRangeMin as number | undefined) ?? 1,
        to: (r.portRangeMax as number | undefined) ?? 65535,
        contains:
            typeof r.remoteIpPrefix === "string" ? matcher([r.remoteIpPrefix]) : r.remoteGroupId !== undefined ? () => false : () => true,
    }));
    return (p) => {
        const family = toBits(p.address).family;
        if (p.direction === "out" && defaults) return true;
        return compiled.some(
            (r) =>
                r.direction === p.direction &&
                r.family === family &&
                (r.protocol === undefined || r.protocol === p.protocol) &&
                r.from <= p.port &&
                p.port <= r.to &&
                r.contains(p.address),
        );
    };
}
