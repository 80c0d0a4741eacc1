/**
 * What the policy pack reads out of any firewall resource, whoever wrote it: one model for the five
 * clouds' shapes, so the guards judge every cloud's rules with the same code as our component's.
 */
import * as ipaddr from "ipaddr.js";
import { lenientCidr } from "../contract/addressSet";
import { ANY_IPV4, ANY_IPV6, cidrOf, type Cidr } from "../contract/cidr";
import type { PortRange } from "../contract/ports";
import type { Protocol } from "../contract/types";

/** One source as the resource wrote it, and the addresses it covers (none for a tag or a group). */
export interface Source {
    text: string;
    cidrs: Cidr[];
    /** The world by omission (a GCP rule with no source), not written by anyone. */
    implicit?: boolean;
}

/** One inbound rule, wherever it sits: inline in a group or a resource of its own. */
export interface ObservedRule {
    urn: string;
    /** `ingress[2]`, `securityRules[0] "allow-ssh"`, or "" for a resource that is one rule. */
    label: string;
    action: "allow" | "deny";
    /** Lower is evaluated first (Azure, GCP); 0 on clouds whose rules only allow. */
    priority: number;
    protocols: Protocol[];
    ports: PortRange[];
    sources: Source[];
    /** GCP: the instance tags or service accounts the rule applies to; undefined for every instance. */
    targets?: string[];
}

/** Where a standalone rule belongs: linked by the engine's property dependencies or by the value. */
export interface Membership {
    /** The property that names the group (its own id or name field). */
    property: string;
    /** The group's key when the value is known (`aws:sg-0abc`); undefined while it is not. */
    key?: string;
}

/** Everything the guards need from one resource. */
export interface Reading {
    ingress: ObservedRule[];
    /** How many outbound allow rules it holds (for the egress check). */
    egressRules: number;
    /** Paths whose values are not known yet (a preview), e.g. `ingress[0].cidrBlocks`. */
    unknowns: string[];
    /** A group, NSG, firewall or network: the keys its rules may name it by. */
    groupKeys?: string[];
    /** A rule resource: the group it joins. */
    joins?: Membership;
    /** Where a group with inbound rules and no outbound rule sends nothing: why, and the fix. */
    noEgressMeans?: string;
    /** Tags or labels, for exemptions. */
    tags: Record<string, string>;
}

/** `path.key`, or `key` alone for a resource that is one rule. */
export const at = (path: string, key: string): string => (path ? `${path}.${key}` : key);

/**
 * Reads values through @pulumi/policy's unknown-checking proxy: a value not known during a preview
 * throws its `UnknownValueError` (pulumi-policy `sdk/nodejs/policy/proxy.ts`), which becomes an entry
 * in `unknowns` here instead of failing the whole policy, so the rest of the resource is still judged.
 */
export class Reader {
    readonly unknowns: string[] = [];

    /** The value at `path` (read by `get`), or undefined after recording it as unknown. */
    known<T>(path: string, get: () => T): T | undefined {
        try {
            return get();
        } catch (err) {
            if (isUnknownValueError(err)) {
                this.unknowns.push(path);
                return undefined;
            }
            throw err;
        }
    }

    /** A list at `path`, each element read through `each`; unknown elements are recorded, not read. */
    list<T>(path: string, get: () => unknown, each: (item: any, path: string) => T | undefined): T[] {
        const raw = this.known(path, get);
        if (!Array.isArray(raw)) return [];
        const out: T[] = [];
        for (let i = 0; i < raw.length; i++) {
            const item = this.known(`${path}[${i}]`, () => raw[i]);
            if (item === undefined || item === null) continue;
            const value = each(item, `${path}[${i}]`);
            if (value !== undefined) out.push(value);
        }
        return out;
    }

    /** A list of strings at `path`. */
    strings(path: string, get: () => unknown): string[] {
        return this.list(path, get, (item) => (typeof item === "string" ? item : undefined));
    }

    /** A string-valued map (tags, labels); an unknown map reads as empty. */
    tags(path: string, get: () => unknown): Record<string, string> {
        const raw = this.known(path, get);
        const out: Record<string, string> = {};
        if (!raw || typeof raw !== "object") return out;
        for (const key of Object.keys(raw)) {
            const value = this.known(`${path}.${key}`, () => (raw as Record<string, unknown>)[key]);
            if (typeof value === "string") out[key] = value;
        }
        return out;
    }
}

/** @pulumi/policy's UnknownValueError, recognised by its public field (instanceof needs the pack's own copy). */
function isUnknownValueError(err: unknown): boolean {
    return err instanceof Error && "unknownTypeSentinel" in err;
}

/** A CIDR or a bare address as clouds accept them; host bits are masked (the cloud covers at least that). */
export function sourceOf(text: string): Source {
    const trimmed = text.trim();
    if (ipaddr.isValid(trimmed) && !trimmed.includes("/")) {
        const cidr = lenientCidr(`${trimmed}/${trimmed.includes(":") ? 128 : 32}`);
        return { text, cidrs: cidr ? [cidr] : [] };
    }
    const cidr = lenientCidr(trimmed);
    return { text, cidrs: cidr ? [cidr] : [] };
}

/** A name that stands for every address (Azure's `Internet` and `*`, GCP's empty source list). */
export const worldSource = (text: string): Source => ({ text, cidrs: [cidrOf(ANY_IPV4), cidrOf(ANY_IPV6)] });

const ALL_PORTS: PortRange = { from: 1, to: 65535 };

/**
 * A port or range as text (`"22"`, `"1000-2000"`). `allPorts` is how the cloud spells every port (its
 * policy.ts declares them from its API docs: DigitalOcean's `all` and `0`, Azure's `*`); a missing or
 * empty value means every port too, as on every cloud here that allows one. Text that is neither a port nor
 * such a word is read as every port: a policy may not pass what it cannot read. Undefined for a range
 * with no port in 1-65535.
 */
export function portsOfText(text: string | number | undefined, allPorts: readonly string[]): PortRange | undefined {
    const raw = String(text ?? "")
        .trim()
        .toLowerCase();
    if (raw === "" || allPorts.includes(raw)) return ALL_PORTS;
    const match = /^(\d{1,5})(?:\s*-\s*(\d{1,5}))?$/.exec(raw);
    if (!match) return ALL_PORTS;
    return portsBetween(Number(match[1]), Number(match[2] ?? match[1]));
}

/** from..to clamped to 1..65535 (port 0 in `0-65535` is no port of a media server). */
export function portsBetween(from: number, to: number): PortRange | undefined {
    const low = Math.max(1, from);
    const high = Math.min(65535, to);
    return low <= high ? { from: low, to: high } : undefined;
}

/** A protocol name or number; `all`, `-1` and `*` mean both TCP and UDP. Others (ICMP, ESP) carry no port. */
export function protocolsOf(raw: unknown): Protocol[] {
    const text = String(raw ?? "")
        .trim()
        .toLowerCase();
    if (text === "all" || text === "-1" || text === "*") return ["tcp", "udp"];
    if (text === "tcp" || text === "6") return ["tcp"];
    if (text === "udp" || text === "17") return ["udp"];
    return [];
}
