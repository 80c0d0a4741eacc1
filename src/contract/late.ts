/**
 * Values a program takes from other resources: a `pulumi.Input` that is an Output or a Promise, known
 * only when the engine resolves it (never, in a preview of a new resource). The args are scanned once:
 * each such value is replaced by a `Late` marker that validation recognises, so everything known is
 * checked at construction, and the whole config is checked again, by the same pipeline, once every late
 * value has resolved (firewall.ts). Only keys that name a thing (an address, an id, a tag) may be late;
 * the keys that decide which resources exist must be known when the program runs.
 */
import * as pulumi from "@pulumi/pulumi";
import { formatPath, type Problem } from "./problems";
import { LIMITS, MAX_PROBLEMS_KEPT } from "./limits";
import { parseCidr } from "./cidr";
import { isGroupId, type GroupSource } from "./groupSource";

/**
 * Key paths (list indexes as `[]`) of the keys that are no cloud's and may hold an Output, before and after
 * the clouds' blocks (each cloud's come from its folder: contract/settings.ts `catalogueOf`). The README's
 * "Use it in your program" and the multi-language schema say the same.
 */
export const INPUT_PATHS_BEFORE: readonly string[] = ["adminCidrs", "adminCidrs[]", "ports[].from", "ports[].from[]"];
/** The load balancer's health checks come from somewhere, often the VPC's CIDR another resource holds (vpc.cidrBlock). */
const HEALTH_CHECK_SOURCES = ["kubernetes.healthCheckSources", "kubernetes.healthCheckSources[]"];
export const INPUT_PATHS_AFTER: readonly string[] = [
    ...HEALTH_CHECK_SOURCES,
    "turnRelay.allowPeers",
    "turnRelay.allowPeers[]",
    "turnRelay.denyPeers",
    "turnRelay.denyPeers[]",
];

/** Paths whose late values are firewall sources (CIDRs, or a group id). */
const SOURCE_PATHS = new Set([...INPUT_PATHS_BEFORE, ...HEALTH_CHECK_SOURCES]);

/** Stands where a late value was written, until it resolves. */
export class Late {
    /** The value as the resources will carry it: released only after the resolved config passed validation. */
    value: pulumi.Output<unknown>;

    constructor(
        /** Key path as written, e.g. `adminCidrs[1]`. */
        readonly path: string,
        /** Position in the scan, i.e. in the list of resolved values. */
        readonly index: number,
        /** The program's own Output (or Promise, wrapped). */
        readonly raw: pulumi.Output<unknown>,
        /** It stands for a whole list (`adminCidrs: someOutput`), not one entry. */
        readonly many: boolean,
        readonly source: boolean,
    ) {
        this.value = raw;
    }

    /** The plan is plain data: a late entry shows as where it was written. */
    toJSON(): { late: string; list: boolean } {
        return { late: this.path, list: this.many };
    }
}

export const isLate = (v: unknown): v is Late => v instanceof Late;

/**
 * An Output, a Promise (both are `pulumi.Input`), or an unknown value as the provider server
 * deserializes one from another language's preview.
 */
export function isLateInput(v: unknown): boolean {
    // A thenable is anything with a callable `then`, as Promise resolution itself decides (functions too).
    return (
        pulumi.Output.isInstance(v) ||
        (pulumi.isUnknown(v) && !pulumi.Output.isInstance(v)) ||
        typeof (v as { then?: unknown } | null | undefined)?.then === "function"
    );
}

/** Plain data that the scan walks into: arrays and object literals (not class instances, not Outputs). */
function isPlainObject(v: unknown): v is Record<string, unknown> {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
    const proto = Object.getPrototypeOf(v);
    return proto === Object.prototype || proto === null;
}

export interface LateScan {
    /** The args with every late value replaced by its `Late` marker. */
    args: unknown;
    lates: Late[];
    problems: Problem[];
}

const pattern = (path: (string | number)[]) => formatPath(path.map((p) => (typeof p === "number" ? -1 : p))).replace(/\[-1\]/g, "[]");

/**
 * Replaces every Output and Promise in `args` by a marker; a late value where a plain one must be (any
 * path not in `inputPaths`, the catalogue's) is a problem.
 */
export function scanLate(args: unknown, inputPaths: readonly string[]): LateScan {
    const lates: Late[] = [];
    const problems: Problem[] = [];
    // Bounded like the rest of the input: the limits check counts what this leaves.
    let budget = LIMITS.expansion;
    const walk = (value: unknown, path: (string | number)[]): unknown => {
        if (budget-- <= 0) return value;
        // A map at a key that may come from other resources, with some values that do (tags from a cluster's name):
        // one value from other resources, checked whole once it resolves.
        if (isPlainObject(value) && inputPaths.includes(pattern(path)) && Object.values(value).some(isLateInput))
            value = pulumi.output(value);
        if (isLateInput(value)) {
            const where = pattern(path);
            if (!inputPaths.includes(where)) {
                if (problems.length < MAX_PROBLEMS_KEPT) problems.push({ path: formatPath(path), message: plainOnly(where, inputPaths) });
                return undefined;
            }
            const many = !where.endsWith("[]");
            const late = new Late(
                formatPath(path),
                lates.length,
                pulumi.output(value as pulumi.Input<unknown>),
                many,
                SOURCE_PATHS.has(where),
            );
            lates.push(late);
            return late;
        }
        if (Array.isArray(value)) return value.map((item, i) => walk(item, [...path, i]));
        if (!isPlainObject(value)) return value;
        const out: Record<string, unknown> = Object.create(null);
        for (const key of Object.keys(value)) out[key] = walk(value[key], [...path, key]);
        return out;
    };
    return { args: walk(args, []), lates, problems };
}

function plainOnly(where: string, inputPaths: readonly string[]): string {
    return (
        `is an Output or a Promise, but ${where} decides which rules and resources exist, so it must be known when the program runs; ` +
        `pass a plain value (keys that may come from other resources: ${inputPaths.filter((p) => !p.endsWith("[]")).join(", ")})`
    );
}

/** The args again, with each marker replaced by its resolved value. */
export function resolveLate(args: unknown, values: readonly unknown[]): unknown {
    if (isLate(args)) return values[args.index];
    if (Array.isArray(args)) return args.map((item) => resolveLate(item, values));
    if (!isPlainObject(args)) return args;
    const out: Record<string, unknown> = Object.create(null);
    for (const key of Object.keys(args)) out[key] = resolveLate(args[key], values);
    return out;
}

/**
 * A late source must resolve to addresses (or, on a cloud with `groupSource`, a group id): `public` and
 * `admin` decide which rules exist, so they are written as plain text. Each problem names the path as written.
 */
export function lateSourceProblems(lates: readonly Late[], values: readonly unknown[], groupSource: GroupSource | undefined): Problem[] {
    const problems: Problem[] = [];
    for (const late of lates.filter((l) => l.source)) {
        const value = values[late.index];
        const items = late.many && Array.isArray(value) ? value : [value];
        items.forEach((item, i) => {
            if (item !== "public" && item !== "admin") return;
            const path = late.many && Array.isArray(value) ? `${late.path}[${i}]` : late.path;
            problems.push({
                path,
                message:
                    `resolved to "${item}"; public and admin decide which rules exist, ` +
                    `so write them as plain text in the config, not as an Output`,
            });
        });
        // Elsewhere a group is no source at all, which validation says.
        if (groupSource && late.many && Array.isArray(value)) {
            value.forEach((item, i) => {
                if (typeof item === "string" && isGroupId(groupSource, item))
                    problems.push({ path: `${late.path}[${i}]`, message: groupSource.inList(item) });
            });
        }
    }
    return problems;
}

/**
 * A value from another resource that resolved to nothing (undefined or null): the resources that carry it
 * were declared with a value there, so it is refused, not read as the setting left out.
 */
export function lateMissingProblems(lates: readonly Late[], values: readonly unknown[]): Problem[] {
    return lates
        .filter((late) => values[late.index] === undefined || values[late.index] === null)
        .map((late) => ({
            path: late.path,
            message:
                `resolved to nothing (${String(values[late.index])}): the value from the other resource is not set; ` +
                "pass one that is, or leave the setting out",
        }));
}

/** Each entry of one source list, resolved, with the path it stands at. */
function entriesOf(list: unknown, path: string, values: readonly unknown[]): { path: string; value: unknown; late: boolean }[] {
    if (isLate(list)) {
        const value = values[list.index];
        // A single resolved value has nothing in its own list to repeat.
        // Stryker disable next-line ArrayDeclaration: a stand-in entry has no value, so it is skipped like none
        return Array.isArray(value) ? value.map((v, i) => ({ path: `${path}[${i}]`, value: v, late: true })) : [];
    }
    // Stryker disable next-line ArrayDeclaration: a stand-in entry has no value, so it is skipped like none
    if (!Array.isArray(list)) return [];
    return list.map((item, i) =>
        isLate(item)
            ? { path: `${path}[${i}]`, value: values[item.index], late: true }
            : { path: `${path}[${i}]`, value: item, late: false },
    );
}

/**
 * A late source that names what its list already names. Known entries are deduplicated by the plan,
 * but a late one has its own resource, so it would be the same rule twice (AWS refuses that with
 * InvalidPermission.Duplicate). `args` still holds the markers.
 */
export function lateDuplicateProblems(args: unknown, values: readonly unknown[]): Problem[] {
    const input = (args ?? {}) as { adminCidrs?: unknown; ports?: unknown };
    const lists: [string, unknown][] = [["adminCidrs", input.adminCidrs]];
    if (Array.isArray(input.ports))
        input.ports.forEach((rule, i) => lists.push([`ports[${i}].from`, (rule as { from?: unknown } | null)?.from]));
    const problems: Problem[] = [];
    for (const [path, list] of lists) {
        const seen = new Map<string, string>();
        for (const entry of entriesOf(list, path, values)) {
            if (typeof entry.value !== "string") continue;
            const parsed = parseCidr(entry.value);
            const key = parsed.ok ? parsed.cidr.text : entry.value.trim();
            const first = seen.get(key);
            if (first === undefined) seen.set(key, entry.path);
            else if (entry.late)
                problems.push({
                    path: entry.path,
                    message:
                        `resolves to "${key}", which ${first} already names; list each source once (a late source ` +
                        `has a rule of its own, and AWS refuses the same rule twice: InvalidPermission.Duplicate)`,
                });
        }
    }
    return problems;
}
