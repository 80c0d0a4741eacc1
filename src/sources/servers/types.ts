/** What a media server's own config says it listens on, as rules with their origin in that file. */
import type { PortRange } from "../../contract/ports";
import type { ServerConfig, ServerKind } from "../../contract/types";
import { excerpt } from "../../contract/text";

export const emptyConfig = (file: string, kind: ServerKind): ServerConfig => ({
    file,
    kind,
    rules: [],
    published: [],
    privatePorts: [],
    problems: [],
    warnings: [],
});

/** A port value from a server file: a whole number 1..65535, or a problem naming the file, key and fix. */
export function portValue(config: ServerConfig, key: string, value: unknown): number | undefined {
    const n = typeof value === "string" && /^\d+$/.test(value.trim()) ? Number(value) : value;
    if (typeof n === "number" && Number.isInteger(n) && n >= 1 && n <= 65535) return n;
    config.problems.push({
        path: `${config.file}: ${key}`,
        message: `${excerpt(value)} is not a port; write a whole number from 1 to 65535`,
    });
    return undefined;
}

/** `from..to` from two keys; a reversed range is a problem with the fix. */
export function rangeValue(
    config: ServerConfig,
    fromKey: string,
    toKey: string,
    from: number | undefined,
    to: number | undefined,
): PortRange | undefined {
    if (from === undefined || to === undefined) return undefined;
    if (from > to) {
        config.problems.push({
            path: `${config.file}: ${fromKey}`,
            message: `${from}..${to} (${fromKey}..${toKey}) is a reversed range; swap the two values`,
        });
        return undefined;
    }
    return { from, to };
}
