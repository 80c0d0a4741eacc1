/**
 * Stack config → component args. Pulumi hands every config value over as a string; structured
 * values arrive as JSON. Keys keep their names, so a typo like `adminCIDRs` reaches validation
 * as an unknown key instead of being silently ignored.
 */
import * as pulumi from "@pulumi/pulumi";

export const CONFIG_NAMESPACE = "webrtc-firewall";

/** Project defaults in Pulumi.yaml use "" (and [] / {}) to mean "not set". */
function isUnset(value: unknown): boolean {
    if (value === "" || value === null) return true;
    if (Array.isArray(value)) return false;
    return typeof value === "object" && Object.keys(value as object).length === 0;
}

function decode(text: string): unknown {
    const trimmed = text.trim();
    if (trimmed === "true") return true;
    if (trimmed === "false") return false;
    if (/^[[{]/.test(trimmed)) {
        try {
            return JSON.parse(trimmed);
        } catch {
            return text; // validation reports it as a string where a list or map belongs
        }
    }
    return text;
}

/** Reads every `webrtc-firewall:*` key of the current stack into component args. */
export function readStackConfig(config: Record<string, string> = pulumi.runtime.allConfig()): Record<string, unknown> {
    const args: Record<string, unknown> = {};
    const prefix = `${CONFIG_NAMESPACE}:`;
    for (const [key, text] of Object.entries(config)) {
        if (!key.startsWith(prefix)) continue;
        const value = decode(text);
        if (!isUnset(value)) args[key.slice(prefix.length)] = value;
    }
    return args;
}
