/** Every firewall resource type the pack reads, by cloud; one reader per cloud, like the targets in src/clouds. */
import type { Reading } from "../clouds/observed";
import { readAws, AWS_TYPES } from "../clouds/aws/policy";
import { readAzure, AZURE_TYPES } from "../clouds/azure/policy";
import { readDigitalOcean, DIGITALOCEAN_TYPES } from "../clouds/digitalocean/policy";
import { readGcp, GCP_TYPES } from "../clouds/gcp/policy";
import { readHetzner, HETZNER_TYPES } from "../clouds/hetzner/policy";
import { readOci, OCI_TYPES } from "../clouds/oci/policy";

type ReaderFn = (type: string, urn: string, props: Record<string, any>) => Reading | undefined;

const READERS: [Record<string, string>, ReaderFn][] = [
    [AWS_TYPES, readAws],
    [GCP_TYPES, readGcp],
    [DIGITALOCEAN_TYPES, readDigitalOcean],
    [AZURE_TYPES, readAzure],
    [HETZNER_TYPES, readHetzner],
    [OCI_TYPES, readOci],
];

/** The resource types the pack judges. */
export const FIREWALL_TYPES: string[] = READERS.flatMap(([types]) => Object.values(types));

/** What the guards need from a resource, or undefined for a type that is no firewall. */
export function readFirewall(type: string, urn: string, props: Record<string, any>): Reading | undefined {
    for (const [types, read] of READERS) if (Object.values(types).includes(type)) return read(type, urn, props);
    return undefined;
}
