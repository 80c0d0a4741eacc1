/**
 * Stack config → component args. Pulumi hands every config value over as a string; structured
 * values arrive as JSON. Keys keep their names, so a typo like `adminCIDRs` reaches validation
 * as an unknown key instead of being silently ignored.
 */
import * as pulumi from "@pulumi/pulumi";
import type { Problem } from "../contract/problems";
import { CONFIG_NAMESPACE } from "../sources/project";

/** Project defaults in Pulumi.yaml use "" to mean "not set"; `{}` where a list belongs is a type error, not unset. */
function isUnset(value: unknown): boolean {
    return value === "" || value === null;
}

function decode(text: string): unknown {
    const trimmed = text.trim();
    if (trimmed === "true") return true;
    if (trimmed === "false") return false;
    // Pulumi hands `443` over as text; say "443 is a number" when a list belongs there, not "a string".
    if (/^-?\d+(\.\d+)?$/.test(trimmed) && Number.isFinite(Number(trimmed))) return Number(trimmed);
    if (/^[[{]/.test(trimmed)) {
        try {
            return JSON.parse(trimmed);
        } catch {
            return text; // validation reports it as a string where a list or map belongs
        }
    }
    return text;
}

/** `webrtc_firewall`, `webrtcfirewall`, `WebRTC-Firewall`: a namespace meant to be ours. */
function looksLikeOurs(namespace: string): boolean {
    const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");
    return namespace !== CONFIG_NAMESPACE && squash(namespace) === squash(CONFIG_NAMESPACE);
}

/**
 * Reads every `webrtc-firewall:*` key of the current stack into component args (an object without a
 * prototype, so a `__proto__` key stays data and reaches validation).
 */
export function readStackConfig(config: Record<string, string> = pulumi.runtime.allConfig()): Record<string, unknown> {
    const args: Record<string, unknown> = Object.create(null);
    const prefix = `${CONFIG_NAMESPACE}:`;
    for (const [key, text] of Object.entries(config)) {
        if (!key.startsWith(prefix)) continue;
        const value = decode(text);
        if (!isUnset(value)) args[key.slice(prefix.length)] = value;
    }
    return args;
}

/**
 * Keys in a misspelled namespace (`webrtc_firewall:ports`): ignored by Pulumi's reading, they would leave
 * the preset rule they meant to change as it was; each is a problem naming the key it meant.
 */
export function misspelledNamespaces(config: Record<string, string> = pulumi.runtime.allConfig()): Problem[] {
    const problems: Problem[] = [];
    for (const key of Object.keys(config)) {
        const namespace = key.slice(0, key.indexOf(":"));
        if (!looksLikeOurs(namespace)) continue;
        const meant = `${CONFIG_NAMESPACE}:${key.slice(namespace.length + 1).replace(/^config:/, "")}`;
        problems.push({ path: key, message: `is in namespace "${namespace}", which this program does not read; did you mean ${meant}?` });
    }
    return problems;
}
