/** Every firewall resource type the pack reads: each cloud's reader, from its own folder (clouds/<cloud>/policy.ts). */
import type { Reading } from "../clouds/observed";
import { CLOUD_LIST } from "../clouds/registry";

/** The resource types the pack judges. */
export const FIREWALL_TYPES: string[] = CLOUD_LIST.flatMap((c) => c.policy.types);

/** What the guards need from a resource, or undefined for a type that is no firewall. */
export function readFirewall(type: string, urn: string, props: Record<string, any>): Reading | undefined {
    return CLOUD_LIST.find((c) => c.policy.types.includes(type))?.policy.read(type, urn, props);
}
