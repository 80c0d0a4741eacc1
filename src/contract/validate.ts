/**
 * config → validated spec. Every key is checked, every problem reported at once, before any
 * resource exists. The spec knows presets and ports, nothing of clouds' resources.
 */
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { formatPath, quote, type Problem } from "./problems";
import type { Cidr } from "./cidr";
import { issuesToProblems, unknownKeyMessage } from "./issues";
import { parsePorts } from "./ports";
import { presetOf, presetRules } from "./presets";
import {
    PRESET_NAMES,
    type PresetName,
    type FirewallSpec,
    type InputList,
    type RuleSpec,
    type TurnRelaySpec,
    type ServerConfig,
    type SourceSpec,
} from "./types";
import { checkBounds, isReservedKey, MAX_PROBLEMS_KEPT, reservedKeys } from "./limits";
import { checkAdminCidrs, checkExposure, checkPrivatePorts, checkPublications, SSH_PORT } from "./exposure";
import { KEYS_AFTER_CLOUDS, KEYS_BEFORE_CLOUDS, emptySource, ruleSchema, type RuleInput, type RuleSchema } from "./schema";
import type { Catalogue, CloudContract } from "./settings";
import { zodOf } from "./zodOf";
import { exposeRules } from "./kubernetes";
import type { KubernetesInput } from "./schema";
import { isLate, type Late } from "./late";
import { isGroupId } from "./groupSource";
import { allowPeersProblems, RELAY_RULES } from "./relayPeers";
import { append } from "./lists";

/** A setting as the resources take it: a late value's checked Output, or the plain value. */
export const toInput = <T>(v: T | Late): pulumi.Input<T> => (isLate(v) ? (v.value as pulumi.Output<T>) : v);
/** A setting as the resources take it, or undefined when not given. */
// Stryker disable next-line ConditionalExpression: toInput(undefined) is undefined too; the test narrows the type
export const optionalInput = <T>(v: T | Late | undefined): pulumi.Input<T> | undefined => (v === undefined ? undefined : toInput(v));
/** A list setting as the resources take it. */
export function inputList<T>(list: Late | (T | Late)[] | undefined): InputList<T> {
    if (list === undefined) return { value: [], given: false };
    if (isLate(list)) return { value: list.value as pulumi.Output<T[]>, given: true };
    return { value: list.map(toInput), given: list.length > 0 };
}

export interface Validation {
    spec?: FirewallSpec;
    problems: Problem[];
    warnings: string[];
}

type BaseKeys = typeof KEYS_BEFORE_CLOUDS & typeof KEYS_AFTER_CLOUDS;
/** The parsed keys; a cloud's block is read by its own contract. */
type Parsed = { [K in keyof BaseKeys]?: z.output<BaseKeys[K]> } & { cloud?: string } & Record<string, unknown>;

const cloudNames = (catalogue: Catalogue): string[] => catalogue.clouds.map((c) => c.name);

interface KeySchemas {
    schemas: Record<string, z.ZodType>;
    keys: string[];
    rules: RuleSchema;
}
/**
 * Every top-level key's schema, the clouds' blocks between the others. Built at each validation, not
 * cached: it costs under a millisecond, and a cache would hide its code from mutation testing.
 */
function keySchemas(catalogue: Catalogue): KeySchemas {
    const names = cloudNames(catalogue) as [string, ...string[]];
    const clouds = Object.fromEntries(catalogue.clouds.map((c) => [c.name, zodOf(c.settings.zod)]));
    const schemas: Record<string, z.ZodType> = { cloud: z.enum(names), ...KEYS_BEFORE_CLOUDS, ...clouds, ...KEYS_AFTER_CLOUDS };
    return { schemas, keys: Object.keys(schemas), rules: ruleSchema(catalogue.groupSources) };
}

/**
 * `servers` are the media servers' own configs named by `serverConfigs`, already read (sources/servers):
 * their rules replace the preset rules of the same name (the preset takes the file's ports) or are added.
 */
export function validateConfig(raw: unknown, servers: ServerConfig[], catalogue: Catalogue): Validation {
    const problems: Problem[] = [];
    const warnings: string[] = [];
    if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
        return {
            problems: [{ path: "(config)", message: `${quote(raw)} is not a map of settings; expected keys like cloud, preset, ports` }],
            warnings,
        };
    }
    // Own keys only, on an object without a prototype: a "__proto__" key is data, never a prototype.
    const input: Record<string, unknown> = Object.assign(Object.create(null), raw);
    append(problems, reservedKeys(input, []));
    const bounds = checkBounds(input);
    if (bounds.length) return { problems: bounds, warnings };
    const schemas = keySchemas(catalogue);
    const parsed = parseKeys(input, schemas, problems);
    const preset = parsed.preset as PresetName | undefined;

    if (input.cloud === undefined)
        problems.push({ path: "cloud", message: `is required; set it to one of ${cloudNames(catalogue).join(", ")}` });
    const presetOptions = checkPresetOptions(parsed, input, problems);
    const adminEntries = parsed.adminCidrs === undefined ? [] : isLate(parsed.adminCidrs) ? [parsed.adminCidrs] : parsed.adminCidrs;
    const adminCidrs = adminEntries.filter((c): c is Cidr => !isLate(c));
    const adminLate = adminEntries.filter(isLate);
    const entries = parseRuleEntries(input.ports, schemas.rules, problems);
    const merged = mergeRules(preset, presetOptions, servers, adminCidrs.length + adminLate.length > 0, entries, problems);
    const chosen = catalogue.clouds.find((c) => c.name === parsed.cloud);
    // On a node pool reached through NodePort services, the node ports are what opens (contract/kubernetes.ts).
    const kubernetes = parsed.kubernetes as KubernetesInput | undefined;
    if (kubernetes !== undefined && chosen && !chosen.nodePool?.given(parsed[chosen.name])) {
        problems.push({
            path: "kubernetes",
            message:
                `is set, but the ${chosen.name} settings name no managed Kubernetes node pool; ` +
                (chosen.nodePool ? `set ${chosen.nodePool.settings}` : `${chosen.title} has none here: remove kubernetes`),
        });
    }
    const rules = exposeRules(kubernetes, merged, problems, chosen?.nodePool?.loadBalancer);
    const serviceWarning = kubernetes && chosen?.nodePool?.warnings?.[kubernetes.exposure ?? "hostNetwork"];
    if (serviceWarning) warnings.push(serviceWarning);
    const lb = chosen?.nodePool?.loadBalancer;
    if (kubernetes?.exposure === "loadBalancer" && lb !== undefined && typeof lb !== "string") warnings.push(lb.controller);

    const adminCidrsGiven = input.adminCidrs !== undefined && parsed.adminCidrs === undefined; // given but invalid: already reported
    const exposure = {
        preset,
        ipv6: parsed.ipv6 ?? true,
        adminCidrs: adminCidrsGiven ? undefined : adminCidrs,
        adminLate: adminLate.length > 0,
    };
    const adminUsable = checkAdminCidrs(exposure, problems, warnings);
    checkExposure(rules, exposure, adminUsable, problems, warnings);
    checkPrivatePorts(
        rules,
        servers.flatMap((s) => s.privatePorts),
        exposure,
        adminUsable,
        problems,
        warnings,
    );
    checkPublications(
        preset,
        servers.flatMap((s) => s.published),
        problems,
    );
    if (rules.length === 0 && problems.length === 0) {
        const disabled = Array.isArray(input.ports) && input.ports.length > 0;
        const why = disabled ? "every rule is disabled" : "there is no preset and no rule";
        problems.push({
            path: "ports",
            message: `the config opens no port (${why}); choose a preset (${PRESET_NAMES.join(", ")}) or add rules under ports`,
        });
    }
    checkCloudKeys(parsed, chosen, catalogue, rules, problems);
    const turnRelay = checkTurnRelay(parsed, input, rules, problems);
    if (problems.length || !chosen || !parsed.cloud) return { problems: problems.slice(0, MAX_PROBLEMS_KEPT), warnings };

    return {
        problems,
        warnings,
        spec: {
            cloud: parsed.cloud,
            preset,
            rules,
            ipv6: parsed.ipv6 ?? true,
            adminCidrs,
            adminLate,
            settings: chosen.spec(parsed[parsed.cloud]),
            ...(turnRelay ? { turnRelay } : {}),
            secret: parsed.secret ?? false,
        },
    };
}

/**
 * Each cloud's keys that only mean something together, or only on that cloud (its own contract says
 * which); then group sources (AWS security groups), which only their own cloud can express. The other
 * clouds' blocks are validated and ignored, as documented.
 */
function checkCloudKeys(
    parsed: Parsed,
    chosen: CloudContract | undefined,
    catalogue: Catalogue,
    rules: RuleSpec[],
    problems: Problem[],
): void {
    const exposure = (parsed.kubernetes as KubernetesInput | undefined)?.exposure ?? "hostNetwork";
    for (const cloud of catalogue.clouds) cloud.check?.(parsed[cloud.name], cloud === chosen, problems, { exposure });
    if (!chosen) return;
    for (const rule of rules) {
        for (const group of rule.from.groups) {
            // Several clouds name groups by id: each takes only its own kind.
            if (chosen.groupSource && isGroupId(chosen.groupSource, group)) continue;
            const source = catalogue.groupSources.find((g) => isGroupId(g, group))!;
            problems.push({
                path: `${rule.origin}.from`, // only a rule of ports[] names a group
                message:
                    `"${group}" is ${source.what}, a source only ${source.cloud} can ` +
                    `express; on ${parsed.cloud} name the sources by their addresses (CIDRs)`,
            });
        }
    }
}

/**
 * Lockdown by default wherever the config opens a TURN relay; `turnRelay` only exempts or adds peers.
 * An exemption that reaches the metadata service, loopback or the world is refused like world SSH.
 */
function checkTurnRelay(parsed: Parsed, input: Record<string, unknown>, rules: RuleSpec[], problems: Problem[]): TurnRelaySpec | undefined {
    const relay = rules.some((r) => RELAY_RULES.includes(r.name));
    const given = parsed.turnRelay;
    if (!relay) {
        if (input.turnRelay !== undefined) {
            problems.push({
                path: "turnRelay",
                message:
                    `is set but the config opens no TURN relay (no rule named ${RELAY_RULES.join(", ")}); remove ` +
                    `turnRelay, or turn TURN on (presetOptions.turn, preset coturn, or a turnserver.conf in serverConfigs)`,
            });
        }
        return undefined;
    }
    const known = (list: Late | (Cidr | Late)[] | undefined) =>
        list === undefined || isLate(list) ? [] : list.filter((c): c is Cidr => !isLate(c));
    const allow = known(given?.allowPeers);
    const reasons = allowPeersProblems(allow);
    if (reasons.length) {
        problems.push({
            path: "turnRelay.allowPeers",
            message:
                `${quote((input.turnRelay as { allowPeers?: unknown }).allowPeers)} ${reasons.join("; ")}; ` +
                `list only the peers the relay must reach, such as the SFU's private address ("10.0.1.5/32")`,
        });
    }
    return {
        allowPeers: allow.map((c) => c.text),
        denyPeers: known(given?.denyPeers).map((c) => c.text),
        tcpRelay: given?.tcpRelay ?? false,
    };
}

/** Parses each top-level key on its own so one bad key never hides another's problems. */
function parseKeys(input: Record<string, unknown>, { schemas, keys }: KeySchemas, problems: Problem[]): Parsed {
    const parsed: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(input)) {
        if (value === undefined || isReservedKey(key)) continue; // reserved keys are reported by reservedKeys
        if (!keys.includes(key)) {
            problems.push({ path: key, message: unknownKeyMessage(key, keys) });
            continue;
        }
        const schema = schemas[key]!;
        const result = schema.safeParse(value, { reportInput: true });
        if (result.success) parsed[key] = result.data;
        else append(problems, issuesToProblems(result.error.issues, [key], Object.keys((schema as { shape?: object }).shape ?? {})));
    }
    return parsed as Parsed;
}

function checkPresetOptions(parsed: Parsed, input: Record<string, unknown>, problems: Problem[]): Record<string, boolean> {
    const options = parsed.presetOptions ?? {};
    if (input.presetOptions === undefined) return options;
    if (input.preset === undefined) {
        problems.push({ path: "presetOptions", message: "is set but preset is not; choose a preset or remove presetOptions" });
        return {};
    }
    if (!parsed.preset) return {};
    const known = Object.keys(presetOf(parsed.preset as PresetName).options);
    for (const name of Object.keys(options)) {
        if (known.includes(name)) continue;
        const valid = known.length ? `valid options: ${known.join(", ")}` : "it has no options";
        problems.push({
            path: formatPath(["presetOptions", name]),
            message: `"${name}" is not an option of preset ${parsed.preset}; ${valid}`,
        });
    }
    return options;
}

interface RuleEntry {
    index: number;
    rule: RuleInput;
}

function parseRuleEntries(raw: unknown, ruleSchema: RuleSchema, problems: Problem[]): RuleEntry[] {
    if (!Array.isArray(raw)) return [];
    const entries: RuleEntry[] = [];
    const firstIndexOf = new Map<string, number>();
    raw.forEach((item, index) => {
        const name = (item as { name?: unknown } | null)?.name;
        const seen = firstIndexOf.get(name as string); // only text names are ever set
        if (seen !== undefined) {
            problems.push({
                path: `ports[${index}].name`,
                message: `"${name}" is already used by ports[${seen}]; rule names must be unique`,
            });
        } else if (typeof name === "string") firstIndexOf.set(name, index);
        const result = ruleSchema.safeParse(item, { reportInput: true });
        if (!result.success) {
            append(problems, issuesToProblems(result.error.issues, ["ports", index], Object.keys(ruleSchema.shape)));
            // Every problem at once: a bad protocol must not hide that ports is missing, too.
            const given = typeof item === "object" ? (item as Record<string, unknown> | null) : null;
            if (given && given.enabled !== false) {
                for (const key of ["protocol", "ports"] as const) if (given[key] === undefined) problems.push(missingKey(index, key));
            }
            return;
        }
        if (seen === undefined) entries.push({ index, rule: result.data });
    });
    return entries;
}

function missingKey(index: number, key: "protocol" | "ports"): Problem {
    const hint = key === "protocol" ? "udp, tcp or [udp, tcp]" : 'a port, a range like "50000-60000", or a list';
    return { path: `ports[${index}].${key}`, message: `is required; expected ${hint}` };
}

const SOURCE_OF = (from: "public" | "admin"): SourceSpec => ({ ...emptySource(), public: from === "public", admin: from === "admin" });

/** Preset rules (with options), the ssh rule from adminCidrs, then the user's overrides, removals and additions. */
function mergeRules(
    preset: PresetName | undefined,
    options: Record<string, boolean>,
    servers: ServerConfig[],
    hasAdmin: boolean,
    entries: RuleEntry[],
    problems: Problem[],
): RuleSpec[] {
    const rules: RuleSpec[] = [];
    for (const r of preset ? presetRules(preset, options) : []) {
        const parsedPorts = parsePorts(r.ports);
        // Every preset port parses (tests/contract.test.ts); this guards edits to the table.
        // Stryker disable next-line ConditionalExpression,StringLiteral: unreachable with the table as it is
        if (!parsedPorts.ok) throw new Error(`internal: preset ${preset} rule ${r.name} has bad ports`);
        rules.push({
            name: r.name,
            protocols: [r.protocol],
            ports: parsedPorts.ranges,
            from: SOURCE_OF(r.from),
            description: r.description,
            origin: "preset",
        });
    }
    // The server's own config is the source of truth for the ports it listens on.
    for (const s of servers.flatMap((c) => c.rules)) {
        const rule: RuleSpec = {
            name: s.name,
            protocols: [s.protocol],
            ports: s.ports,
            from: SOURCE_OF("public"),
            description: `${s.description} (${s.origin})`,
            origin: s.origin,
            fromServerConfig: true,
        };
        const at = rules.findIndex((r) => r.name === s.name);
        if (at >= 0) rules[at] = rule;
        else rules.push(rule);
    }
    if (hasAdmin) {
        rules.push({
            name: "ssh",
            protocols: ["tcp"],
            ports: [{ from: SSH_PORT, to: SSH_PORT }],
            from: SOURCE_OF("admin"),
            description: "SSH from adminCidrs",
            origin: "adminCidrs",
        });
    }
    const baseNames = rules.map((r) => r.name);
    for (const { index, rule } of entries) {
        const at = rules.findIndex((r) => r.name === rule.name);
        if (rule.enabled === false) {
            const ignored = (["protocol", "ports", "from", "description", "allowDangerous"] as const).filter((k) => rule[k] !== undefined);
            if (ignored.length) {
                problems.push({
                    path: `ports[${index}].enabled`,
                    message:
                        `false removes the rule "${rule.name}", so its ${ignored.join(", ")} would be ignored; remove ` +
                        `${ignored.length > 1 ? "them" : "it"}, or drop enabled: false to replace the preset rule`,
                });
            }
            if (at >= 0) rules.splice(at, 1);
            else {
                const have = baseNames.length ? `rules you can disable: ${baseNames.join(", ")}` : "there are no preset rules to disable";
                problems.push({
                    path: `ports[${index}].name`,
                    message: `"${rule.name}" is disabled, but no preset rule has that name; ${have}`,
                });
            }
            continue;
        }
        const missing = (["protocol", "ports"] as const).filter((k) => rule[k] === undefined);
        for (const key of missing) problems.push(missingKey(index, key));
        if (missing.length) continue;
        const spec: RuleSpec = {
            name: rule.name,
            protocols: rule.protocol!,
            ports: rule.ports!,
            from: rule.from ?? SOURCE_OF("public"),
            description: rule.description,
            origin: `ports[${index}]`,
            ...(rule.allowDangerous ? { allowDangerous: true } : {}),
        };
        if (at >= 0) rules[at] = spec;
        else rules.push(spec);
    }
    return rules;
}
