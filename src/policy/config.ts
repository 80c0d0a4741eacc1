/**
 * What a user may set for each policy in `--policy-pack-config` (besides @pulumi/policy's own
 * `enforcementLevel`): the admin ports, and exemptions by URN or by tag. The defaults are written
 * once here and in the README.
 */
import type { PolicyConfigSchema } from "@pulumi/policy";
import { DANGEROUS_PORTS, formatDangerous } from "../contract/dangerousPorts";
import { SSH_PORT } from "../contract/exposure";
import type { Protocol } from "../contract/types";
import type { Watched } from "./judge";
import type { Reading } from "../clouds/observed";

export interface GuardConfig {
    /** `"22/tcp"`, `"8000-8100/tcp"`. */
    adminPorts?: string[];
    /** Resources the policy leaves alone, by URN. */
    exemptUrns?: string[];
    /** Tags or labels (`key` or `key=value`) that exempt a resource. */
    exemptTags?: string[];
}

const RDP_PORT = 3389;
/** The admin ports by default, with the names violations use. */
export const DEFAULT_ADMIN_PORTS: Record<string, string> = { [`${SSH_PORT}/tcp`]: "SSH", [`${RDP_PORT}/tcp`]: "RDP" };

const PORT_PATTERN = "^[0-9]{1,5}(-[0-9]{1,5})?/(tcp|udp)$";

const exemptionSchema = {
    exemptUrns: { type: "array", items: { type: "string" }, default: [], description: "URNs of resources this policy leaves alone." },
    exemptTags: {
        type: "array",
        items: { type: "string" },
        default: [],
        description: "Tags or labels (`key` or `key=value`) that exempt a resource (AWS and Azure tags, Hetzner labels).",
    },
} as const;

export const EXEMPTIONS_SCHEMA: PolicyConfigSchema = { properties: { ...exemptionSchema } };

export const ADMIN_SCHEMA: PolicyConfigSchema = {
    properties: {
        adminPorts: {
            type: "array",
            items: { type: "string", pattern: PORT_PATTERN },
            default: Object.keys(DEFAULT_ADMIN_PORTS),
            description: "Ports that are never open to the world, as `port/protocol` or `from-to/protocol`.",
        },
        ...exemptionSchema,
    },
};

/** The admin ports to watch; a malformed entry is skipped (the schema refuses it before a policy runs). */
export function adminWatched(config: GuardConfig): Watched[] {
    const out: Watched[] = [];
    for (const text of config.adminPorts ?? Object.keys(DEFAULT_ADMIN_PORTS)) {
        const match = /^(\d{1,5})(?:-(\d{1,5}))?\/(tcp|udp)$/.exec(text);
        if (!match) continue;
        const from = Number(match[1]);
        const to = Number(match[2] ?? match[1]);
        const name = DEFAULT_ADMIN_PORTS[text];
        out.push({ protocol: match[3] as Protocol, ports: { from, to }, what: name ? `${text} (${name})` : `${text} (an admin port)` });
    }
    return out;
}

/** The dangerous services (contract/dangerousPorts.ts) less RDP, which is an admin port here. */
export const dangerousWatched = (): Watched[] =>
    DANGEROUS_PORTS.filter((d) => !(d.protocol === "tcp" && d.from === RDP_PORT)).map((d) => ({
        protocol: d.protocol,
        ports: { from: d.from, to: d.to },
        what: formatDangerous(d),
    }));

/** Whether the config exempts a resource, by its URN or one of its tags. */
export function isExempt(config: GuardConfig, urn: string, reading: Reading): boolean {
    if ((config.exemptUrns ?? []).includes(urn)) return true;
    return (config.exemptTags ?? []).some((tag) => {
        const [key, ...rest] = tag.split("=");
        const value = rest.join("=");
        return key! in reading.tags && (rest.length === 0 || reading.tags[key!] === value);
    });
}
