import * as pulumi from "@pulumi/pulumi";
import { printable } from "./text";

/** One thing wrong with the user's config: where, and what to do about it. */
export interface Problem {
    /** Key path as the user wrote it, e.g. `ports[2].ports`. */
    path: string;
    /** What is wrong, quoting the offending value, and how to fix it. */
    message: string;
}

/** Renders `["ports", 2, "ports"]` as `ports[2].ports`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
    let out = "";
    for (const part of path) {
        if (typeof part === "number") out += `[${part}]`;
        else out += out === "" ? String(part) : `.${String(part)}`;
    }
    return out || "(config)";
}

/** Quotes a value the way the user wrote it in YAML or TypeScript. */
export function quote(value: unknown): string {
    if (value === undefined) return "(missing)";
    if (typeof value === "number" && !Number.isFinite(value)) return String(value); // JSON would say null
    try {
        return JSON.stringify(value) ?? String(value);
    } catch {
        return String(value);
    }
}

/** Problems printed in full; the rest are counted. */
export const SHOWN_PROBLEMS = 50;

/**
 * Thrown before any resource is registered when the config is invalid.
 * A RunError, so `pulumi up` prints the message without a stack trace.
 */
export class ConfigError extends pulumi.RunError {
    readonly problems: Problem[];

    /** `resolved`: found once values from other resources resolved (late.ts), after construction. */
    // Stryker disable next-line StringLiteral: any stage but "resolved" renders the same
    constructor(problems: Problem[], stage: "construction" | "resolved" = "construction") {
        const text = ConfigError.render(problems, stage);
        super(text);
        this.name = "ConfigError";
        this.problems = problems;
        // When a late value fails (firewall.ts), every input that carries it rethrows this one error, and
        // Pulumi's serializer prefixes `error serializing property "x": ` to its message at each level
        // (@pulumi/pulumi runtime/rpc.js): the user would read our property names, not their problem.
        // Stryker disable next-line BooleanLiteral: nothing redefines it; configurable only keeps that possible
        Object.defineProperty(this, "message", { get: () => text, set: () => undefined, enumerable: false, configurable: true });
        // A user mistake, not a bug: where a host prints `err.stack` (the provider server's uncaught
        // handler, @pulumi/pulumi provider/server.js), it shows the problems, not our frames.
        this.stack = text;
    }

    // Stryker disable next-line StringLiteral: any stage but "resolved" renders the same
    static render(problems: Problem[], stage: "construction" | "resolved" = "construction"): string {
        const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
        const lines = problems.slice(0, SHOWN_PROBLEMS).map((p) => `  - ${printable(p.path)}: ${printable(p.message)}`);
        if (problems.length > SHOWN_PROBLEMS) lines.push(`  ... and ${problems.length - SHOWN_PROBLEMS} more`);
        const head =
            stage === "resolved"
                ? `webrtc-firewall: the config has ${count} once the values from other ` +
                  `resources resolved; no resource that carries those values was created:`
                : `webrtc-firewall: the config has ${count}; nothing was created:`;
        return [head, ...lines].join("\n");
    }

    /** Narrowing helper that also works across duplicate copies of this module. */
    static isInstance(err: unknown): err is ConfigError {
        return err instanceof ConfigError || (err as { name?: string } | undefined)?.name === "ConfigError";
    }
}
