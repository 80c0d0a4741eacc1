/**
 * The Pulumi project around a working directory: the nearest Pulumi.yaml upward, its stack settings
 * folder (`stackConfigDir`) and its config defaults, as the Pulumi CLI finds and applies them.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";

/** The stack config keys' namespace: `webrtc-firewall:cloud`. */
export const CONFIG_NAMESPACE = "webrtc-firewall";

export interface Project {
    dir: string;
    stacksDir: string;
    /** `namespace:key` → default, formatted as the Pulumi CLI hands it to the program. */
    defaults: Record<string, string>;
    /** The project's `name`, as URNs carry it. */
    name: string;
}

export function findProject(from: string): Project | undefined {
    for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
        const file = path.join(dir, "Pulumi.yaml");
        if (fs.existsSync(file)) {
            const project = (parseYaml(fs.readFileSync(file, "utf8")) ?? {}) as {
                name?: string;
                stackConfigDir?: string;
                config?: Record<string, unknown>;
            };
            const defaults: Record<string, string> = {};
            for (const [key, decl] of Object.entries(project.config ?? {})) {
                if (decl && typeof decl === "object" && "default" in decl) {
                    const value = (decl as { default: unknown }).default;
                    defaults[key.includes(":") ? key : `${CONFIG_NAMESPACE}:${key}`] =
                        typeof value === "string" ? value : JSON.stringify(value);
                }
            }
            return { dir, stacksDir: path.join(dir, project.stackConfigDir ?? "."), defaults, name: String(project.name ?? "project") };
        }
        if (path.dirname(dir) === dir) return undefined;
    }
}

/** Stack names with a settings file in the project. */
export function stackNames(project: Project): string[] {
    if (!fs.existsSync(project.stacksDir)) return [];
    return fs
        .readdirSync(project.stacksDir)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => !!s)
        .sort();
}
