/** Every firewall resource type the pack reads, by cloud; one reader per cloud, like the targets in src/clouds. */
import type { Reading } from "../observed";
import { readAws, AWS_TYPES } from "./aws";
import { readAzure, AZURE_TYPES } from "./azure";
import { readDigitalOcean, DIGITALOCEAN_TYPES } from "./digitalocean";
import { readGcp, GCP_TYPES } from "./gcp";
import { readHetzner, HETZNER_TYPES } from "./hetzner";
import { readOci, OCI_TYPES } from "./oci";

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
