/**
 * The config contract, as zod schemas: one per top-level key, so that every key is checked
 * even when another one is wrong. Leaf values with domain rules (ports, CIDRs) are parsed by
 * `ports.ts` and `cidr.ts`; their messages quote the value and say how to fix it.
 */
import { z } from "zod";
import { quote } from "./problems";
import { parseCidr } from "./cidr";
import { UNPRINTABLE } from "./text";
import { parsePorts, type PortRange } from "./ports";
import { PRESET_NAMES, SERVER_KINDS, type Protocol, type SourceSpec } from "./types";
import type { GroupSource } from "./groupSource";
import { isLate, type Late } from "./late";
import { isMockIssuedId } from "./mockIds";
import { isGroupId } from "./groupSource";

/** The issue code of every check of ours: issues.ts shows such an issue's own message. */
const CUSTOM = "custom" as const;

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
        for (const issue of parsed.error.issues)
            ctx.addIssue({ ...(issue as object), input: (issue as { input?: unknown }).input } as never);
        return z.NEVER;
    });
}

/** A list whose entries, or the whole of it, may be late: `Input<Input<T>[]>`. */
export const inputList = <S extends z.ZodType>(element: S) => orLate(z.array(orLate(element)));

/** A non-empty printable string naming a thing (an id, a name, a region); `check` adds the cloud's own form. */
export const idValue = (what: string, check?: (s: string) => string | undefined) => {
    const problemOf = (s: string) =>
        new RegExp(UNPRINTABLE.source, "u").test(s) ? `${JSON.stringify(s)} contains control characters; expected ${what}` : check?.(s);
    // Under a consumer's unit-test mocks, an id a mock made up is that resource's id (mockIds.ts).
    return z.custom<string>((v) => typeof v === "string" && v.trim() !== "" && (isMockIssuedId(v) || !problemOf(v)), {
        error: (iss) =>
            (typeof iss.input === "string" && iss.input.trim() !== "" && problemOf(iss.input)) ||
            `${JSON.stringify(iss.input)} is not ${what}`,
    });
};

/** A server's numeric id (a Droplet's, a Hetzner server's) as a number or digits: positive and exactly representable. */
export function numericId(v: unknown): number | undefined {
    const n = typeof v === "number" ? v : typeof v === "string" && /^[1-9]\d*$/.test(v) ? Number(v) : NaN;
    return Number.isSafeInteger(n) && n > 0 ? n : undefined;
}

/** A numeric id (`what`: "a Droplet id"), read by `numericId`; refused with how to write one, e.g. `example`. */
export const numericIdValue = (what: string, example: string) =>
    z
        .custom<number>((v) => numericId(v) !== undefined, {
            error: (iss) =>
                `${quote(iss.input)} is not ${what}; use the numeric id ` +
                `(a whole number from 1 to ${Number.MAX_SAFE_INTEGER}), e.g. ${example}`,
        })
        .transform((v) => numericId(v)!);
const cidrValue = z.string().transform((text, ctx) => {
    const parsed = parseCidr(text);
    if (parsed.ok === true) return parsed.cidr;
    ctx.addIssue({ code: CUSTOM, message: parsed.message, input: text });
    return z.NEVER;
});

// The `kubernetes` key (contract/kubernetes.ts maps it onto the rules): how a node pool's media pods are reached.
/** kube-apiserver's default `--service-node-port-range` (Kubernetes docs, Service type NodePort). */
export const NODE_PORT_RANGE: PortRange = { from: 30000, to: 32767 };

/** The cluster's NodePort range, written as ports are elsewhere ("30000-32767"), read by the same parser. */
const nodePortRange = z.unknown().transform((raw, ctx): PortRange => {
    const parsed = typeof raw === "string" && raw.includes("-") ? parsePorts(raw) : undefined;
    if (parsed?.ok === true && parsed.ranges.length === 1) return parsed.ranges[0]!;
    ctx.addIssue({
        code: CUSTOM,
        input: raw,
        message: `${quote(raw)} is not a port range; write the cluster's NodePort range, e.g. "30000-32767"`,
    });
    return z.NEVER;
});

const nodePort = z.number().int({ error: (iss) => `${quote(iss.input)} is not a node port; write a whole number` });

export const kubernetesSchema = z
    .strictObject({
        exposure: z.enum(["hostNetwork", "nodePort", "loadBalancer"], {
            error: (iss) =>
                `${quote(iss.input)} is not an exposure; use hostNetwork (the pod's ports are the node's), nodePort or loadBalancer`,
        }),
        /** Rule name → the node port its NodePort service uses. */
        nodePorts: z.record(z.string(), nodePort),
        nodePortRange,
        /** The LoadBalancer Service's `spec.healthCheckNodePort` (with `externalTrafficPolicy: Local`). */
        healthCheckNodePort: nodePort,
        /**
         * Where the load balancer's health checks come from, where the cloud does not say (the VPC's CIDR on AWS):
         * a source list like ports[].from, often the VPC's CIDR from another resource (vpc.cidrBlock).
         */
        healthCheckSources: inputList(cidrValue).refine((v) => !Array.isArray(v) || v.length > 0, {
            error: "is empty; give the CIDRs the load balancer's health checks come from",
        }),
    })
    .partial();

export type KubernetesInput = z.output<typeof kubernetesSchema>;

export const emptySource = (): SourceSpec => ({ public: false, admin: false, cidrs: [], groups: [], late: [] });

const sourceValue = (groups: readonly GroupSource[]) =>
    z.unknown().transform((raw, ctx): SourceSpec => {
        const source = emptySource();
        const items = Array.isArray(raw) ? raw : [raw];
        if (items.length === 0) {
            ctx.addIssue({
                code: CUSTOM,
                message: "[] lets nobody in; use public, admin or a list of CIDRs (or enabled: false)",
                input: raw,
            });
        }
        items.forEach((item, index) => {
            const path = Array.isArray(raw) ? [index] : [];
            if (item === "public") source.public = true;
            else if (item === "admin") source.admin = true;
            else if (isLate(item)) source.late.push(item);
            else if (typeof item === "string" && groups.some((g) => isGroupId(g, item.trim()))) source.groups.push(item.trim());
            else if (typeof item !== "string") {
                const named = groups.map((g) => `, or on ${g.cloud} ${g.write}`).join("");
                ctx.addIssue({
                    code: CUSTOM,
                    path,
                    input: item,
                    message: `${JSON.stringify(item)} is not a source; use public, admin, CIDRs like "203.0.113.0/24"${named}`,
                });
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
    for (const p of parsed.problems)
        ctx.addIssue({ code: CUSTOM, path: p.index === undefined ? [] : [p.index], message: p.message, input: raw });
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
        error: (iss) =>
            `${JSON.stringify(iss.input)} contains control or bidirectional-override characters; write the ${what} as plain text`,
    });

const ruleName = z.string().refine((s) => RULE_NAME.test(s) && s.length <= RULE_NAME_MAX, {
    error: (iss) =>
        `"${String(iss.input)}" is not a valid rule name; use lowercase letters, digits and ` +
        `dashes, starting with a letter, at most ${RULE_NAME_MAX} characters (e.g. "rtc-udp")`,
});

/** The `ports[]` entry schema, recognising the clouds' group sources. */
export const ruleSchema = (groups: readonly GroupSource[]) =>
    z.strictObject({
        name: ruleName,
        protocol: protocolValue.optional(),
        ports: portsValue.optional(),
        from: sourceValue(groups).optional(),
        description: printable("description").max(200).optional(),
        enabled: z.boolean().optional(),
        /** Opens a dangerous service (dangerousPorts.ts) to the world on purpose; the plan warns. */
        allowDangerous: z.boolean().optional(),
    });
export type RuleSchema = ReturnType<typeof ruleSchema>;
export type RuleInput = z.output<RuleSchema>;

/** Peers a TURN relay may reach despite the lockdown, and more it must not (contract/relayPeers.ts). */
export const turnRelaySchema = z.strictObject({
    allowPeers: inputList(cidrValue).optional(),
    denyPeers: inputList(cidrValue).optional(),
    /** Let clients open RFC 6062 TCP relays (coturn's no-tcp-relay off); WebRTC media needs UDP only. */
    tcpRelay: z.boolean().optional(),
});

/**
 * One schema per top-level key that is no cloud's: the keys before the clouds' blocks and after them, in
 * the order messages list them. Each cloud's block comes from its folder (validate.ts puts them between).
 */
export const KEYS_BEFORE_CLOUDS = {
    preset: z.enum(PRESET_NAMES),
    presetOptions: z.record(z.string(), z.boolean()),
    ports: z.array(z.unknown()),
    adminCidrs: inputList(cidrValue),
    ipv6: z.boolean(),
} as const;

export const KEYS_AFTER_CLOUDS = {
    kubernetes: kubernetesSchema,
    turnRelay: turnRelaySchema,
    secret: z.boolean(),
    serverConfigs: z
        .array(
            z.union([z.string().min(1), z.strictObject({ path: z.string().min(1), kind: z.enum(SERVER_KINDS).optional() })], {
                error: (iss) =>
                    `${quote(iss.input)} is not a server config; write a path, or {path, kind} with kind one of ${SERVER_KINDS.join(", ")}`,
            }),
        )
        .max(20, { error: "more than 20 server configs; name the files the media server really reads" }),
} as const;
