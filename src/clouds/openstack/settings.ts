/** OpenStack settings (`openstack:` block): written once, for validation, the multi-language schema and the args type. */
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { GroupSource } from "../../contract/groupSource";
import type { Late } from "../../contract/late";
import { idValue } from "../../contract/schema";
import { lateSetting, plainSetting, settingsBlock, type CloudContract } from "../../contract/settings";
import { optionalInput } from "../../contract/validate";

/** A Neutron resource id: a UUID, as the API returns it. */
export const NEUTRON_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Neutron's default quotas per project (neutron `conf/quota.py`: quota_security_group 10, quota_security_group_rule 100). */
export const NEUTRON_DEFAULT_QUOTAS = { securityGroups: 10, securityGroupRules: 100 } as const;

export interface OpenstackQuotas {
    /** Security groups per project (Neutron's default: 10). */
    securityGroups?: number;
    /** Security group rules per project, in all its groups (Neutron's default: 100). */
    securityGroupRules?: number;
}

/** The component's `openstack` args: a new group (the default), or one you have, by id or name; and your project's quotas. */
export interface OpenstackArgs {
    /** A security group you already have: the rules are added to it, and no group or egress rule is created. */
    secGroupId?: pulumi.Input<string>;
    /** The same, by name (looked up when the program runs; the name must be unique in the project). */
    secGroupName?: pulumi.Input<string>;
    /** Your project's Neutron quotas, when your cloud's operator set others than Neutron's defaults. */
    projectQuotas?: OpenstackQuotas;
}

/** The spec's OpenStack part. */
export interface OpenstackSpec {
    secGroupId?: pulumi.Input<string>;
    secGroupName?: pulumi.Input<string>;
    projectQuotas: Required<OpenstackQuotas>;
}

const quota = (what: string) =>
    z.custom<number>((v) => Number.isSafeInteger(v) && (v as number) >= 1, {
        error: (iss) =>
            `${JSON.stringify(iss.input)} is not a quota; write the number of ${what} your project may have, a whole number, e.g. 100`,
    });

const settings = settingsBlock("openstack", "OpenstackArgs", "OpenStack settings (OVHcloud, Infomaniak, Cleura, any Neutron).", {
    secGroupId: lateSetting(
        idValue('a Neutron security group id like "5b5ce4ab-2a4f-4c4b-8a6c-0c2c4a3d9f10"', (s) =>
            NEUTRON_ID.test(s)
                ? undefined
                : `"${s}" is not a Neutron security group id; give the group's id, a UUID like "5b5ce4ab-2a4f-4c4b-8a6c-0c2c4a3d9f10"`,
        ),
        {
            type: "string",
            description: "A security group you already have: the rules are added to it; no group or egress rule is created.",
        },
    ),
    secGroupName: lateSetting(
        idValue("the name of an existing security group", (s) =>
            s.length <= 255 ? undefined : `a security group name has at most 255 characters; this one has ${s.length}`,
        ),
        { type: "string", description: "The same as secGroupId, by the group's name (unique in the project)." },
    ),
    projectQuotas: plainSetting(
        z.strictObject({
            securityGroups: quota("security groups").optional(),
            securityGroupRules: quota("security group rules").optional(),
        }),
        {
            type: "object",
            properties: { securityGroups: { type: "integer" }, securityGroupRules: { type: "integer" } },
            description: "Your project's Neutron quotas when the operator set others (defaults: 10 groups, 100 rules).",
        },
    ),
});

/** A Neutron security group as a rule's source (`remote_group_id`): its members' addresses. */
const groupSource: GroupSource = {
    pattern: NEUTRON_ID,
    what: "an OpenStack security group",
    write: 'a security group id like "5b5ce4ab-2a4f-4c4b-8a6c-0c2c4a3d9f10"',
    cloud: "OpenStack",
    resourceType: "openstack:networking/secGroup:SecGroup",
    inList: (id) =>
        `resolved to the security group "${id}" inside a list Output; a list Output holds addresses only: pass the group as ` +
        "its own entry, e.g. from: [lbGroup.id, ...]",
};

type Parsed = {
    secGroupId?: string | Late;
    secGroupName?: string | Late;
    projectQuotas?: OpenstackQuotas;
};

export const openstackContract: CloudContract<Parsed, OpenstackSpec> = {
    name: "openstack",
    title: "OpenStack",
    settings,
    groupSource,
    check(parsed, _chosen, problems) {
        if (parsed?.secGroupId !== undefined && parsed.secGroupName !== undefined)
            problems.push({
                path: "openstack.secGroupName",
                message: "is set together with openstack.secGroupId; name the existing group once: remove one of them",
            });
    },
    spec: (parsed) => ({
        ...(parsed?.secGroupId !== undefined ? { secGroupId: optionalInput(parsed.secGroupId) } : {}),
        ...(parsed?.secGroupName !== undefined ? { secGroupName: optionalInput(parsed.secGroupName) } : {}),
        projectQuotas: { ...NEUTRON_DEFAULT_QUOTAS, ...parsed?.projectQuotas },
    }),
};
