/**
 * Every cloud, one line each. A cloud is one folder (clouds/<cloud>/) holding all it knows; the contract,
 * the plan, the component, the CLI, the provider schema and the policy pack loop over this list and
 * name no cloud. Adding a cloud: its folder, and its line here (README "Development").
 */
import { catalogueOf } from "../contract/settings";
import type { CloudDefinition } from "./cloud";
import { aws } from "./aws";
import { gcp } from "./gcp";
import { digitalocean } from "./digitalocean";
import { azure } from "./azure";
import { hetzner } from "./hetzner";
import { oci } from "./oci";
import { linode } from "./linode";
import { openstack } from "./openstack";

export const CLOUD_LIST = [aws, gcp, digitalocean, azure, hetzner, oci, linode, openstack] as const;

export type CloudDefinitions = (typeof CLOUD_LIST)[number];
export type Cloud = CloudDefinitions["name"];
export const CLOUDS: readonly Cloud[] = CLOUD_LIST.map((c) => c.name);

/** Every output some cloud fills, in registry order (a name two clouds fill, once). */
export const CLOUD_OUTPUT_NAMES: readonly string[] = [...new Set(CLOUD_LIST.flatMap((c) => Object.keys(c.outputs)))];

/** What the contract knows of every cloud: settings, checks, group sources, Output paths. */
export const CATALOGUE = catalogueOf(CLOUD_LIST);

/** The definition of `name`; throws for a name validation would have refused. */
export function cloudOf(name: string): CloudDefinition {
    const cloud = CLOUD_LIST.find((c) => c.name === name);
    if (!cloud) throw new Error(`internal: no cloud named ${name}`);
    return cloud;
}

/** The component args a cloud adds under its own key (its folder's args type). */
export type CloudArgs = { [D in CloudDefinitions as D["name"]]?: NonNullable<D["argsType"]> };

/** The name of every output some cloud fills, as a type (each folder's `defineCloud` says its own). */
export type CloudOutputName = { [D in CloudDefinitions as D["name"]]: keyof NonNullable<D["outputsType"]> & string }[Cloud];

/** Per cloud, its output `K`'s type (never where it has none). */
type OutputByCloud<K extends string> = {
    [D in CloudDefinitions as D["name"]]: NonNullable<D["outputsType"]> extends infer O ? (K extends keyof O ? O[K] : never) : never;
};

/** The clouds that fill output `K`. */
type FillersOf<K extends string> = { [C in Cloud]: [OutputByCloud<K>[C]] extends [never] ? never : C }[Cloud];

/** Output `K` typed as present when the chosen cloud `C` fills it, `undefined` for another; both when `C` is not known statically. */
export type CloudOutput<C extends Cloud, K extends string> = C extends FillersOf<K> ? OutputByCloud<K>[FillersOf<K>] : undefined;

/** Every cloud output as a component property, typed as present when the chosen cloud `C` fills it. */
export type CloudOutputProperties<C extends Cloud> = { readonly [K in CloudOutputName]: CloudOutput<C, K> };
