/**
 * The stack's firewalls as the cloud applies them: every rule that reaches a group, NSG, firewall or
 * network, gathered in one place. A standalone rule joins its group through the engine's property
 * dependencies (known in a preview, when the group's id is not) or else by the id or name it gives;
 * a rule whose group is neither is left out and said to be not yet checkable.
 */
import type { ObservedRule, Reading } from "../clouds/observed";
import { readFirewall } from "./readers";

/** A resource as a stack policy sees it (@pulumi/policy `PolicyResource`, the fields used here). */
export interface StackResource {
    type: string;
    urn: string;
    name: string;
    props: Record<string, any>;
    propertyDependencies: Record<string, { urn: string }[]>;
}

export interface Member {
    resource: StackResource;
    reading: Reading;
}

export interface Group {
    /** The group resource, when it is in this stack. */
    owner?: Member;
    /** How the group is named when it is not (`aws:sg-0abc`, `gcp:default`). */
    key: string;
    /** Rule resources that join it. */
    members: Member[];
}

export interface Stack {
    groups: Group[];
    /** Rule resources whose group is not known yet. */
    unplaced: Member[];
    /** Every firewall resource read, by URN. */
    read: Map<string, Member>;
}

export function gatherStack(resources: readonly StackResource[]): Stack {
    const read = new Map<string, Member>();
    const byKey = new Map<string, Group>();
    const groups: Group[] = [];
    const unplaced: Member[] = [];
    for (const resource of resources) {
        const reading = readFirewall(resource.type, resource.urn, resource.props);
        if (reading) read.set(resource.urn, { resource, reading });
    }
    for (const member of read.values()) {
        if (member.reading.joins) continue;
        const group: Group = { owner: member, key: `urn:${member.resource.urn}`, members: [] };
        groups.push(group);
        for (const key of [group.key, ...(member.reading.groupKeys ?? [])]) byKey.set(key, group);
    }
    for (const member of read.values()) {
        const joins = member.reading.joins;
        if (!joins) continue;
        const linked = (member.resource.propertyDependencies[joins.property] ?? []).map((d) => byKey.get(`urn:${d.urn}`)).find((g) => g);
        const group = linked ?? (joins.key ? (byKey.get(joins.key) ?? outside(joins.key)) : undefined);
        if (group) group.members.push(member);
        else unplaced.push(member);
    }
    return { groups, unplaced, read };

    function outside(key: string): Group {
        const group: Group = { key, members: [] };
        groups.push(group);
        byKey.set(key, group);
        return group;
    }
}

/** Every inbound rule that reaches the group. */
export const rulesOf = (group: Group): ObservedRule[] => [
    ...(group.owner?.reading.ingress ?? []),
    ...group.members.flatMap((m) => m.reading.ingress),
];

/**
 * The sets of rules that apply together to one instance: GCP rules with target tags or service
 * accounts reach only those instances, rules without reach all; elsewhere every rule reaches every member.
 */
export function targetSets(rules: readonly ObservedRule[]): ObservedRule[][] {
    const targets = [...new Set(rules.flatMap((r) => r.targets ?? []))];
    const everyone = rules.filter((r) => !r.targets);
    return [everyone, ...targets.map((t) => rules.filter((r) => !r.targets || r.targets.includes(t)))];
}

/** The group's name for a violation: its resource, or the id or name its rules give. */
export function groupName(group: Group): string {
    if (group.owner) return `${group.owner.resource.type} "${group.owner.resource.name}"`;
    return (
        `${group.key.replace(/^[a-z]+:/, "")} (not in this stack; joined by ` +
        `${group.members.map((m) => `"${m.resource.name}"`).join(", ")})`
    );
}
