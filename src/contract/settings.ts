/**
 * What the contract knows of a cloud, declared once in the cloud's own folder (clouds/<cloud>/settings.ts):
 * its settings block, each setting's zod schema and multi-language schema property from one definition,
 * which settings may come from other resources, the checks across its keys, and the part of the spec it
 * makes. validate.ts, late.ts and the provider schema loop over these and name no cloud.
 */
import { z } from "zod";
import type { Problem } from "./problems";
import type { GroupSource } from "./groupSource";
import type { Exposure, LoadBalancerFacts } from "./types";
import { INPUT_PATHS_AFTER, INPUT_PATHS_BEFORE } from "./late";
import { inputList, orLate } from "./schema";
import { zodOf } from "./zodOf";

/** A property of the Pulumi package schema (pulumi/pulumi `pkg/codegen/schema/pulumi.json`), without `plain`. */
export type SchemaProperty = Record<string, unknown>;

/**
 * A zod schema, as a setting holds it. The published declarations describe it by what every zod schema
 * has (Standard Schema's `~standard`), not by zod's own types: those need `esModuleInterop`, which
 * Pulumi's TypeScript templates do not set (pulumi/templates `aws-typescript/tsconfig.json`), so a
 * consumer's compile would fail on them. `zodOf` (zodOf.ts) gives the zod type back inside.
 */
export interface Schema {
    readonly "~standard": unknown;
}

/** One setting: its check, its schema property, and whether a program may pass it as an Output. */
export interface Setting {
    zod: Schema;
    schema: SchemaProperty;
    /** `value`: the setting may be an Output; `list`: the list or any entry may be. */
    late?: "value" | "list";
}

/** A setting that decides which resources exist: written as a plain value. */
export const plainSetting = (zod: Schema, schema: SchemaProperty): Setting => ({ zod, schema });

/** A setting that names a thing (an id, a network), so a program may take it from another resource. */
export const lateSetting = (zod: Schema, schema: SchemaProperty): Setting => ({ zod: orLate(zodOf(zod)), schema, late: "value" });

/** A list whose entries, or the whole of it, may be Outputs; `bound` adds the cloud's limit on its length. */
export function lateListSetting(
    element: Schema,
    schema: SchemaProperty,
    bound?: { max: number; message: (count: number) => string },
): Setting {
    const list = inputList(zodOf(element));
    const zod = bound
        ? list.refine((v) => !Array.isArray(v) || v.length <= bound.max, { error: (iss) => bound.message((iss.input as unknown[]).length) })
        : list;
    return { zod, schema, late: "list" };
}

/** A cloud's settings block: the key it is written under, and its settings. */
export interface SettingsBlock {
    /** The config key and the `cloud:` value, e.g. `aws`. */
    key: string;
    /** The multi-language schema's type name, `<Cloud>Args`. */
    typeName: string;
    description: string;
    settings: Record<string, Setting>;
    /** Every setting optional, no other key. */
    zod: Schema;
    /** Key paths that may hold an Output (`<cloud>.<setting>`; a list also as `<cloud>.<setting>[]`). */
    inputPaths: string[];
}

export function settingsBlock(key: string, typeName: string, description: string, settings: Record<string, Setting>): SettingsBlock {
    const shape = Object.fromEntries(Object.entries(settings).map(([name, s]) => [name, zodOf(s.zod).optional()]));
    const inputPaths = Object.entries(settings).flatMap(([name, s]) => {
        if (s.late === "value") return [`${key}.${name}`];
        return s.late === "list" ? [`${key}.${name}`, `${key}.${name}[]`] : [];
    });
    return { key, typeName, description, settings, zod: z.strictObject(shape), inputPaths };
}

/** What a cloud's check may read beside its own block: how a node pool's pods are reached. */
export interface CheckContext {
    exposure: Exposure;
}

/** What the contract needs of one cloud. `Parsed` is its block as zod made it; `Spec` the spec's part. */
export interface CloudContract<Parsed = any, Spec = unknown> {
    /** The `cloud:` value, e.g. `aws`; also the key of its settings block. */
    name: string;
    /** "AWS", "Oracle Cloud": for messages and descriptions. */
    title: string;
    settings: SettingsBlock;
    /**
     * Keys that mean something only together (an existing group and a VPC), or are required when this is
     * the config's cloud (`chosen`). `problems` so far, so a key already reported is not reported again.
     */
    check?(parsed: Parsed | undefined, chosen: boolean, problems: Problem[], context: CheckContext): void;
    /** Managed Kubernetes: whether its block names a node pool, and the settings that do (docs/kubernetes.md). */
    nodePool?: {
        given(parsed: Parsed | undefined): boolean;
        settings: string;
        loadBalancer: LoadBalancerFacts;
        /** What the service's own controllers do that the plan must say, by exposure. */
        warnings?: Partial<Record<Exposure, string>>;
    };
    /** The chosen cloud's settings as the spec carries them (defaults filled, late values as Inputs). */
    spec(parsed: Parsed | undefined): Spec;
    /** A source this cloud names by id instead of address (AWS security groups). */
    groupSource?: GroupSource;
}

/** Every cloud's contract, as the registry (clouds/registry.ts) lists them. */
export interface Catalogue {
    clouds: readonly CloudContract[];
    /** Their group sources, one list so the rule schema is built once. */
    groupSources: readonly GroupSource[];
    /** The key paths that may hold an Output, in the order messages list them. */
    inputPaths: readonly string[];
}

export function catalogueOf(clouds: readonly CloudContract[]): Catalogue {
    return {
        clouds,
        groupSources: clouds.flatMap((c) => (c.groupSource ? [c.groupSource] : [])),
        inputPaths: [...INPUT_PATHS_BEFORE, ...clouds.flatMap((c) => c.settings.inputPaths), ...INPUT_PATHS_AFTER],
    };
}
