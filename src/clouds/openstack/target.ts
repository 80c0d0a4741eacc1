/**
 * OpenStack (Neutron): a `networking.SecGroup` with `deleteDefaultRules: true` and one `networking.SecGroupRule` per
 * (ethertype, protocol, port range, remote prefix) or remote group; egress to the world for both families as rules
 * of ours; or the rules alone, added to a group the user has (by id or name). Facts and sources: README "OpenStack"
 * (Neutron API "Security group rules", neutron `conf/quota.py`, terraform-provider-openstack
 * `resource_openstack_networking_secgroup_v2.go` and `..._secgroup_rule_v2.go`, bridged by @pulumi/openstack).
 *
 * Why the default rules go: Neutron puts two egress rules (IPv4, IPv6, any protocol) in every new group, which
 * Pulumi does not see, and since 2023.2 an operator may change those defaults (the default security group rules
 * API). The same two, written as ours, make egress part of the plan, the policy pack's reading and the drift check.
 */
import * as pulumi from "@pulumi/pulumi";
import { NEUTRON_ID, type OpenstackSpec } from "./settings";
import { formatRange, type PortRange } from "../../contract/ports";
import type { FirewallSpec, Protocol } from "../../contract/types";
import type { Problem } from "../../contract/problems";
import { lateSource } from "../../plan/lateValues";
import { lateOpenings, type RulePlan } from "../../plan/plan";
import { ingressName } from "../../plan/naming";
import {
    inputsOf,
    type CloudMapping,
    type CloudOutputs,
    type CloudTarget,
    type RegisterOptions,
    type ResourceClass,
    type ResourceDecl,
} from "../cloud";

/** The rules the project's `default` group holds from its creation (two from itself, two egress): they count too. */
export const OPENSTACK_DEFAULT_GROUP_RULES = 4;
/** Rules kept free of the quota for an update's create-before-delete, as on AWS and OCI (src/update/). */
export const OPENSTACK_UPDATE_ROOM = 5;
/**
 * Fixed: every argument of a rule is ForceNew (no Update in terraform-provider-openstack), and Neutron's duplicate
 * check ignores the description, so a changed description would create a duplicate before deleting the old (409).
 */
export const OPENSTACK_RULE_DESCRIPTION = "webrtc-firewall";
export const OPENSTACK_EGRESS_WARNING =
    "openstack: the group's two default egress rules are deleted (deleteDefaultRules) and written as ours, egress to " +
    "0.0.0.0/0 and ::/0, any protocol: the plan and the policy pack see them";
export const OPENSTACK_EXISTING_WARNING =
    "openstack: the rules are added to your group, whose egress is its own: make sure it lets the server send to 0.0.0.0/0 " +
    "and ::/0; a rule equal to one it has already is refused (409 SecurityGroupRuleExists): remove that one from the group or the spec";
export const OPENSTACK_PORT_SECURITY_WARNING =
    "openstack: a port with port security disabled (port_security_enabled: false) ignores every security group, these " +
    "included: keep it enabled on the media server's ports";

type Ethertype = "IPv4" | "IPv6";

export interface OpenstackRuleArgs {
    direction: "ingress" | "egress";
    ethertype: pulumi.Input<Ethertype>;
    /** Absent: every protocol (egress only here). */
    protocol?: Protocol;
    portRangeMin?: number;
    portRangeMax?: number;
    remoteIpPrefix?: pulumi.Input<string>;
    remoteGroupId?: pulumi.Input<string>;
    description: string;
}

export interface OpenstackGroupArgs {
    description: string;
    deleteDefaultRules: true;
    tags: string[];
}

export interface OpenstackResources {
    group?: ResourceDecl<OpenstackGroupArgs>;
    /** The group the rules go into when it is the user's: by id, or by name (looked up). */
    existing?: { id?: pulumi.Input<string>; name?: pulumi.Input<string> };
    rules: ResourceDecl<OpenstackRuleArgs>[];
}

const ETHERTYPE: Record<"ipv4" | "ipv6", Ethertype> = { ipv4: "IPv4", ipv6: "IPv6" };

const ingress = (protocol: Protocol, ports: PortRange, ethertype: pulumi.Input<Ethertype>): OpenstackRuleArgs => ({
    direction: "ingress",
    ethertype,
    protocol,
    portRangeMin: ports.from,
    portRangeMax: ports.to,
    description: OPENSTACK_RULE_DESCRIPTION,
});

export function mapOpenstack(
    plan: RulePlan,
    spec: Pick<FirewallSpec<OpenstackSpec>, "settings">,
    name: string,
): CloudMapping<OpenstackResources> {
    const problems: Problem[] = [];
    const warnings: string[] = [];
    const { secGroupId, secGroupName, projectQuotas: quotas } = spec.settings;
    const existing = secGroupId !== undefined || secGroupName !== undefined;
    const rules: ResourceDecl<OpenstackRuleArgs>[] = plan.flows.map((flow) => ({
        name: ingressName(name, flow),
        args: { ...ingress(flow.protocol, flow.ports, ETHERTYPE[flow.family]), remoteIpPrefix: flow.cidr },
    }));
    // A remote group admits its members' addresses of the rule's ethertype: one rule per family the spec opens.
    for (const flow of plan.groupFlows)
        for (const family of plan.ipv6 ? (["ipv4", "ipv6"] as const) : (["ipv4"] as const))
            rules.push({
                name: `${name}-${flow.protocol}-${formatRange(flow.ports)}-${flow.group}-${family === "ipv4" ? "v4" : "v6"}`,
                args: { ...ingress(flow.protocol, flow.ports, ETHERTYPE[family]), remoteGroupId: flow.group },
            });
    for (const set of plan.late) {
        set.entries.forEach((entry, slot) => {
            if (entry.many) {
                problems.push({
                    path: entry.path,
                    message:
                        "is a whole list from another resource; a Neutron rule takes one remote prefix and their number must be known " +
                        "before the update: give the entries one by one (each may come from another resource), or the CIDRs themselves",
                });
                return;
            }
            const source = lateSource(entry, NEUTRON_ID);
            // A group resolved late is taken for IPv4 (its rule's ethertype must be one): give a group as itself for both.
            const ethertype = source.apply((s) => (s.kind === "ipv6" ? "IPv6" : "IPv4") as Ethertype);
            const field = (group: boolean) =>
                source.apply((s) => ((s.kind === "group") === group ? s.text : undefined)) as pulumi.Output<string>;
            for (const { protocol, ports } of lateOpenings(set))
                rules.push({
                    name: `${name}-${set.slug}-late${slot + 1}-${protocol}-${formatRange(ports)}`,
                    args: { ...ingress(protocol, ports, ethertype), remoteIpPrefix: field(false), remoteGroupId: field(true) },
                });
        });
    }
    const lateEntries = plan.late.flatMap((set) => set.entries.map((e) => e.path)); // whole lists are refused above
    if (plan.ipv6 && lateEntries.length)
        warnings.push(
            `openstack: ${lateEntries.join(", ")} come${lateEntries.length > 1 ? "" : "s"} from another resource: a security group there ` +
                "is let in over IPv4 only (a Neutron rule's ethertype must be known before the update, and a group takes one rule " +
                "per family); for its IPv6 members too, add a networking.SecGroupRule with ethertype IPv6 and remoteGroupId",
        );
    if (!existing)
        for (const family of ["ipv4", "ipv6"] as const)
            rules.push({
                name: `${name}-egress-${family === "ipv4" ? "v4" : "v6"}`,
                args: { direction: "egress", ethertype: ETHERTYPE[family], description: OPENSTACK_RULE_DESCRIPTION },
            });
    const available = quotas.securityGroupRules - OPENSTACK_DEFAULT_GROUP_RULES - OPENSTACK_UPDATE_ROOM;
    if (rules.length > available)
        problems.push({
            path: "ports",
            message:
                `OpenStack needs ${rules.length} security group rules (one per family, protocol, port range and source` +
                `${existing ? "" : ", and 2 egress"}), more than the ${available} left of the project's ` +
                `${quotas.securityGroupRules} (openstack.projectQuotas.securityGroupRules) after the default group's ` +
                `${OPENSTACK_DEFAULT_GROUP_RULES} and ${OPENSTACK_UPDATE_ROOM} kept free for updates: use fewer or wider ` +
                "source CIDRs, port ranges, or ask your operator for a larger quota and set it",
        });
    if (!existing && quotas.securityGroups < 2)
        problems.push({
            path: "openstack.projectQuotas.securityGroups",
            message: `is ${quotas.securityGroups}, and the project's default group is one of them: the component's group needs a second`,
        });
    warnings.push(existing ? OPENSTACK_EXISTING_WARNING : OPENSTACK_EGRESS_WARNING, OPENSTACK_PORT_SECURITY_WARNING);
    const group: ResourceDecl<OpenstackGroupArgs> | undefined = existing
        ? undefined
        : { name: `${name}-sg`, args: { description: `webrtc-firewall: ${name}`, deleteDefaultRules: true, tags: ["webrtc-firewall"] } };
    return {
        problems,
        warnings,
        quota: [
            {
                what:
                    `security group rules (the project's ${quotas.securityGroupRules}, less the default group's ` +
                    `${OPENSTACK_DEFAULT_GROUP_RULES} and ${OPENSTACK_UPDATE_ROOM} kept free for updates; ` +
                    "the project's other groups count too)",
                used: rules.length,
                limit: available,
            },
            {
                what: "security groups created (the project's default group counts as one)",
                used: group ? 1 : 0,
                limit: quotas.securityGroups - 1,
            },
        ],
        resources: {
            ...(group ? { group } : {}),
            ...(existing ? { existing: { id: secGroupId, name: secGroupName } } : {}),
            rules,
        },
    };
}

/** The slice of @pulumi/openstack this target uses (see `ResourceClass`). */
export interface OpenstackSdk {
    networking: {
        SecGroup: ResourceClass<OpenstackGroupArgs, { id: pulumi.Output<string>; name: pulumi.Output<string> }>;
        SecGroupRule: ResourceClass<OpenstackRuleArgs & { securityGroupId: pulumi.Input<string> }>;
        getSecGroupOutput(args: { name: pulumi.Input<string> }, opts?: pulumi.InvokeOutputOptions): pulumi.Output<{ id: string }>;
    };
}

function registerOpenstack(resources: OpenstackResources, { parent, secret }: RegisterOptions): CloudOutputs {
    const openstack: OpenstackSdk = require("@pulumi/openstack");
    const group = resources.group
        ? new openstack.networking.SecGroup(resources.group.name, inputsOf(resources.group.args, secret), { parent })
        : undefined;
    // The group's id and name: ours, or yours by name (looked up through the component's provider), or yours by id.
    let id: pulumi.Output<string>;
    let name: pulumi.Output<string>;
    const existing = resources.existing!; // no group of ours: one of yours
    if (group) [id, name] = [group.id, group.name];
    else if (existing.name !== undefined) {
        name = pulumi.output(existing.name);
        id = openstack.networking.getSecGroupOutput({ name }, { parent }).id;
    } else id = name = pulumi.output(existing.id!);
    for (const rule of resources.rules)
        new openstack.networking.SecGroupRule(rule.name, { ...inputsOf(rule.args, secret), securityGroupId: id }, { parent });
    return { securityGroupIds: id.apply((i) => [i]), securityGroupNames: name.apply((n) => [n]) };
}

export const openstackTarget: CloudTarget<OpenstackResources, OpenstackSpec> = {
    sdkPackage: "@pulumi/openstack",
    map: mapOpenstack,
    register: registerOpenstack,
};
