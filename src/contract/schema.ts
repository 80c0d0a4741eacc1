/**
 * The config contract, as zod schemas: one per top-level key, so that every key is checked
 * even when another one is wrong. Leaf values with domain rules (ports, CIDRs) are parsed by
 * `ports.ts` and `cidr.ts`; their messages quote the value and say how to fix it.
 */
import { z } from "zod";
import { quote } from "./problems";
import { parseCidr, type Cidr } from "./cidr";
import { UNPRINTABLE } from "./text";
import { parsePorts, type PortRange } from "./ports";
import { SERVER_KINDS } from "../sources/servers/types";
import { PRESET_NAMES, type Protocol } from "./presets";
import { isLate, SECURITY_GROUP_ID, type Late } from "./late";

/** The issue code of every check of ours: issues.ts shows such an issue's own message. */
const CUSTOM = "custom" as const;

export const CLOUDS = ["aws", "gcp", "digitalocean", "azure", "hetzner", "oci"] as const;
export type Cloud = (typeof CLOUDS)[number];

export const RULE_NAME = /^[a-z][a-z0-9-]*$/;
export const RULE_NAME_MAX = 40;

/**
 * `schema`, or a late value (late.ts) that stands in its place until it resolves: kept as its marker,
 * so the spec knows its path; the resolved value is checked by the same schema later. Issues pass
 * through unchanged, so messages stay those of the plain schema.
 */
export function orLate<S extends z.ZodType>(schema: S) {
    return z.unknown().transform((value, ctx): Late | z.output<S> => {
        if (isLate(value)) return value;
        const parsed = schema.safeParse(value, { reportInput: true });
        if (parsed.success) return parsed.data as z.output<S>;
        for (const issue of parsed.error.issues) ctx.addIssue({ ...(issue as object), input: (issue as { input?: unknown }).input } as never);
        return z.NEVER;
    });
}

/** A list whose entries, or the whole of it, may be late: `Input<Input<T>[]>`. */
const inputList = <S extends z.ZodType>(element: S) => orLate(z.array(orLate(element)));

/** A string, or a late value when the component is used from code (checked again when it resolves). */
const idInput = (what: string, check?: (s: string) => string | undefined) => {
    const problemOf = (s: string) =>
        new RegExp(UNPRINTABLE.source, "u").test(s) ? `${JSON.stringify(s)} contains control characters; expected ${what}` : check?.(s);
    return orLate(
        z.custom<string>((v) => typeof v === "string" && v.trim() !== "" && !problemOf(v), {
            error: (iss) => (typeof iss.input === "string" && iss.input.trim() !== "" && problemOf(iss.input)) || `${JSON.stringify(iss.input)} is not ${what}`,
        }),
    );
};

const cidrValue = z.string().transform((text, ctx) => {
    const parsed = parseCidr(text);
    if (parsed.ok === true) return parsed.cidr;
    ctx.addIssue({ code: CUSTOM, message: parsed.message, input: text });
    return z.NEVER;
});

/** `public`, `admin`, CIDRs, AWS security groups and late values (late.ts), or a list mixing those. */
export interface SourceSpec {
    public: boolean;
    admin: boolean;
    cidrs: Cidr[];
    /** AWS security group ids (`sg-…`): ingress from every member of the group. */
    groups: string[];
    /** Sources known only when they resolve: CIDRs, lists of CIDRs, or a security group id. */
    late: Late[];
}

export const emptySource = (): SourceSpec => ({ public: false, admin: false, cidrs: [], groups: [], late: [] });

const sourceValue = z.unknown().transform((raw, ctx): SourceSpec => {
    const source = emptySource();
    const items = Array.isArray(raw) ? raw : [raw];
    if (items.length === 0) {
        ctx.addIssue({ code: CUSTOM, message: "[] lets nobody in; use public, admin or a list of CIDRs (or enabled: false)", input: raw });
    }
    items.forEach((item, index) => {
        const path = Array.isArray(raw) ? [index] : [];
        if (item === "public") source.public = true;
        else if (item === "admin") source.admin = true;
        else if (isLate(item)) source.late.push(item);
        else if (typeof item === "string" && SECURITY_GROUP_ID.test(item.trim())) source.groups.push(item.trim());
        else if (typeof item !== "string") {
            ctx.addIssue({ code: CUSTOM, path, input: item, message: `${JSON.stringify(item)} is not a source; use public, admin, CIDRs like "203.0.113.0/24", or on AWS a security group id like "sg-0abc1234"` });
        } else {
            const parsed = parseCidr(item);
            if (parsed.ok === true) source.cidrs.push(parsed.cidr);
            else ctx.addIssue({ code: CUSTOM, path, input: item, message: `${parsed.message} (or public / admin)` });
        }
    });
    return source;
});

const portsValue = z.unknown().transform((raw, ctx): PortRange[] => {
    const parsed = parsePorts(raw);
    if (parsed.ok === true) return parsed.ranges;
    for (const p of parsed.problems) ctx.addIssue({ code: CUSTOM, path: p.index === undefined ? [] : [p.index], message: p.message, input: raw });
    return z.NEVER;
});

const protocolValue = z.unknown().transform((raw, ctx): Protocol[] => {
    const items = Array.isArray(raw) ? raw : [raw];
    const bad = items.filter((p) => p !== "udp" && p !== "tcp");
    if (bad.length || items.length === 0) {
        ctx.addIssue({ code: CUSTOM, input: raw, message: `${JSON.stringify(raw)} is not a protocol; use udp, tcp or [udp, tcp]` });
        return z.NEVER;
    }
    return [...new Set(items as Protocol[])].sort();
});

/** No control characters or bidirectional overrides: they reach cloud inputs and terminals. */
const printable = (what: string) =>
    z.string().refine((s) => !new RegExp(UNPRINTABLE.source, "u").test(s), {
        error: (iss) => `${JSON.stringify(iss.input)} contains control or bidirectional-override characters; write the ${what} as plain text`,
    });

const ruleName = z.string().refine((s) => RULE_NAME.test(s) && s.length <= RULE_NAME_MAX, {
    error: (iss) =>
        `"${String(iss.input)}" is not a valid rule name; use lowercase letters, digits and dashes, starting with a letter, at most ${RULE_NAME_MAX} characters (e.g. "rtc-udp")`,
});

export const ruleSchema = z.strictObject({
    name: ruleName,
    protocol: protocolValue.optional(),
    ports: portsValue.optional(),
    from: sourceValue.optional(),
    description: printable("description").max(200).optional(),
    enabled: z.boolean().optional(),
    /** Opens a dangerous service (dangerousPorts.ts) to the world on purpose; the plan warns. */
    allowDangerous: z.boolean().optional(),
});
export type RuleInput = z.output<typeof ruleSchema>;

const GCP_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** A Droplet id as a number or digits: positive and exactly representable. */
function dropletId(v: unknown): number | undefined {
    const n = typeof v === "number" ? v : typeof v === "string" && /^[1-9]\d*$/.test(v) ? Number(v) : NaN;
    return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}
const DO_TAG = /^[a-zA-Z0-9_\-:]{1,255}$/;
const AZURE_RG = /^[-\w._()]{1,90}$/;

export const awsSchema = z.strictObject({
    vpcId: idInput('a VPC id like "vpc-0abc1234"', (s) =>
        /^vpc-([0-9a-f]{8}|[0-9a-f]{17})$/.test(s) ? undefined : `"${s}" is not a VPC id; write it like "vpc-0abc1234def567890", or omit vpcId for the default VPC`,
    ).optional(),
    /** A group the user already has: the rules are added to it, no group is created. */
    securityGroupId: idInput('a security group id like "sg-0abc1234"', (s) =>
        SECURITY_GROUP_ID.test(s) ? undefined : `"${s}" is not a security group id; write it like "sg-0abc1234def567890", or omit securityGroupId to create a group`,
    ).optional(),
});

export const gcpSchema = z.strictObject({
    network: idInput('a VPC network name or self link like "default"').optional(),
    targetTags: inputList(
        z.string().refine((t) => GCP_NAME.test(t) && t.length <= 63, {
            error: (iss) => `${quote(iss.input)} is not a GCP network tag; use 1-63 lowercase letters, digits and dashes, starting with a letter`,
        }),
    ).optional(),
});

const DROPLETS_MAX = 10;
const DO_TAGS_MAX = 5;

export const digitaloceanSchema = z.strictObject({
    dropletIds: inputList(
        z.custom<number>((v) => dropletId(v) !== undefined, {
            error: (iss) => `${quote(iss.input)} is not a Droplet id; use the numeric id (a whole number from 1 to ${Number.MAX_SAFE_INTEGER}), e.g. 123456789`,
        }).transform((v) => dropletId(v)!),
    )
        .refine((v) => !Array.isArray(v) || v.length <= DROPLETS_MAX, { error: (iss) => `${(iss.input as unknown[]).length} Droplets; a DigitalOcean firewall takes at most ${DROPLETS_MAX}: use tags for larger fleets` })
        .optional(),
    tags: inputList(z.string().regex(DO_TAG, { error: (iss) => `${JSON.stringify(iss.input)} is not a DigitalOcean tag; use letters, digits, "_", "-" and ":"` }))
        .refine((v) => !Array.isArray(v) || v.length <= DO_TAGS_MAX, { error: (iss) => `${(iss.input as unknown[]).length} tags; a DigitalOcean firewall takes at most ${DO_TAGS_MAX}` })
        .optional(),
});

export const azureSchema = z.strictObject({
    resourceGroupName: idInput("the name of an existing resource group", (s) =>
        AZURE_RG.test(s) && !s.endsWith(".") ? undefined : `"${s}" is not a resource group name; use 1-90 letters, digits, "_", "-", ".", "(" and ")", not ending in "."`,
    ).optional(),
    location: idInput('an Azure region like "westeurope"').optional(),
    /** An NSG the user already has: standalone rules are added to it, within `priorityRange`. */
    networkSecurityGroupName: idInput("the name of an existing network security group", (s) =>
        /^[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9_])?$/.test(s) && s.length <= 80 ? undefined : `"${s}" is not a network security group name; use 1-80 letters, digits, "_", "." and "-"`,
    ).optional(),
    /** Priorities our rules may take in an existing NSG, e.g. "2000-2099" (inside 100..4096). */
    priorityRange: z.unknown().transform((raw, ctx): { from: number; to: number } => {
        const m = typeof raw === "string" ? /^\s*(\d{3,4})\s*-\s*(\d{3,4})\s*$/.exec(raw) : null;
        const range = m ? { from: Number(m[1]), to: Number(m[2]) } : undefined;
        if (range && range.from >= 100 && range.to <= 4096 && range.from <= range.to) return range;
        ctx.addIssue({ code: CUSTOM, input: raw, message: `${quote(raw)} is not a priority range; write "FROM-TO" inside 100-4096 that no rule of the NSG uses yet, e.g. "2000-2099"` });
        return z.NEVER;
    }).optional(),
});

/** Hetzner label selectors (`role=media`, `env in (prod)`): printable text, at most 255 characters here. */
const labelSelector = z.string().refine((s) => s.trim() !== "" && s.length <= 255 && !new RegExp(UNPRINTABLE.source, "u").test(s), {
    error: (iss) => `${quote(iss.input)} is not a label selector; write one like "role=media" (Hetzner label selector syntax)`,
});

export const hetznerSchema = z.strictObject({
    serverIds: inputList(
        z.custom<number>((v) => dropletId(v) !== undefined, {
            error: (iss) => `${quote(iss.input)} is not a Hetzner server id; use the numeric id (a whole number from 1 to ${Number.MAX_SAFE_INTEGER}), e.g. 12345678`,
        }).transform((v) => dropletId(v)!),
    ).optional(),
    labelSelectors: inputList(labelSelector).optional(),
});

/** An OCID (`ocid1.<type>.<realm>.[region][.future].<unique id>`, OCI "Resource Identifiers") of one of `types`. */
const ocid = (what: string, types: string[], example: string) =>
    idInput(what, (s) =>
        new RegExp(`^ocid1\\.(${types.join("|")})\\.[a-z0-9]+\\.[a-z0-9-]*(\\.[a-z0-9-]+)?\\.[a-z0-9]{1,255}$`).test(s) ? undefined : `"${s}" is not ${what}; write the OCID as the console shows it, e.g. "${example}"`,
    );

export const ociSchema = z.strictObject({
    compartmentId: ocid("a compartment OCID", ["compartment", "tenancy"], "ocid1.compartment.oc1..aaaaaaaa…").optional(),
    vcnId: ocid("a VCN OCID", ["vcn"], "ocid1.vcn.oc1.eu-frankfurt-1.amaaaaaa…").optional(),
    /** An NSG the user already has: the rules are added to it, no NSG is created. */
    networkSecurityGroupId: ocid("a network security group OCID", ["networksecuritygroup"], "ocid1.networksecuritygroup.oc1.eu-frankfurt-1.aaaaaaaa…").optional(),
});

/** Peers a TURN relay may reach despite the lockdown, and more it must not (contract/relayPeers.ts). */
export const turnRelaySchema = z.strictObject({
    allowPeers: inputList(cidrValue).optional(),
    denyPeers: inputList(cidrValue).optional(),
    /** Let clients open RFC 6062 TCP relays (coturn's no-tcp-relay off); WebRTC media needs UDP only. */
    tcpRelay: z.boolean().optional(),
});

/** One schema per top-level key. The keys are the stack config keys and the component's args. */
export const KEY_SCHEMAS = {
    cloud: z.enum(CLOUDS),
    preset: z.enum(PRESET_NAMES as [string, ...string[]]),
    presetOptions: z.record(z.string(), z.boolean()),
    ports: z.array(z.unknown()),
    adminCidrs: inputList(cidrValue),
    ipv6: z.boolean(),
    aws: awsSchema,
    gcp: gcpSchema,
    digitalocean: digitaloceanSchema,
    azure: azureSchema,
    hetzner: hetznerSchema,
    oci: ociSchema,
    turnRelay: turnRelaySchema,
    secret: z.boolean(),
    serverConfigs: z
        .array(z.union([z.string().min(1), z.strictObject({ path: z.string().min(1), kind: z.enum(SERVER_KINDS).optional() })], { error: (iss) => `${quote(iss.input)} is not a server config; write a path, or {path, kind} with kind one of ${SERVER_KINDS.join(", ")}` }))
        .max(20, { error: "more than 20 server configs; name the files the media server really reads" }),
} as const;

export type ConfigKey = keyof typeof KEY_SCHEMAS;
export const CONFIG_KEYS = Object.keys(KEY_SCHEMAS) as ConfigKey[];
