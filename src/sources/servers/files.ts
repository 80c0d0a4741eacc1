/**
 * Reading a server config file without trusting it: `serverConfigs` names files in stack settings and
 * in any language's program, and the plan's output lands in engine and CI logs. So a path must stay
 * inside the project folder once every symbolic link is followed (a refused path never says whether
 * the file exists), only a regular file of bounded size is read (../boundedFile.ts), and YAML is read
 * as the servers' own Go reader (yaml.v3) reads it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type * as Yaml from "yaml";
import { clip, excerpt } from "../../contract/text";
import { readBounded } from "../boundedFile";
import { directiveProblem } from "../goYaml";

export const SERVER_FILE_MAX_BYTES = 1024 * 1024;
/** Aliases one file may expand: enough for any real config, far too few for a "billion laughs". */
const MAX_ALIASES = 100;

export type Read = { ok: true; text: string; file: string } | { ok: false; message: string };

const inside = (dir: string, file: string) => file === dir || file.startsWith(dir.endsWith(path.sep) ? dir : dir + path.sep);

/**
 * Reads `given` relative to `baseDir`. With `confine`, the file must be inside `baseDir` after links
 * (serverConfigs); without, it is a path the operator typed on the command line (`plan --check`).
 */
export function readServerFile(given: string, baseDir: string, confine: boolean): Read {
    const lexical = path.resolve(baseDir, given);
    let file = lexical;
    if (confine) {
        let root: string;
        try {
            root = fs.realpathSync(baseDir);
        } catch {
            return { ok: false, message: `cannot be read: the project folder ${baseDir} cannot be resolved` };
        }
        const refused = {
            ok: false as const,
            message:
                `is not a file inside the project folder ${root}: no such file there, or a path or symbolic link that ` +
                `leads out of it; serverConfigs are read only from inside the project folder, given relative to it`,
        };
        if (!inside(path.resolve(baseDir), lexical) && !inside(root, lexical)) return refused;
        try {
            file = fs.realpathSync(lexical);
        } catch {
            return refused; // missing, or a link to something missing: the same words either way
        }
        if (!inside(root, file)) return refused;
    }
    try {
        const read = readBounded(file, SERVER_FILE_MAX_BYTES);
        if (read.ok === true) return { ok: true, text: read.text, file };
        return {
            ok: false,
            message:
                read.why === "not-regular"
                    ? "is not a regular file"
                    : `is ${read.size} bytes, more than the ${SERVER_FILE_MAX_BYTES} a server config may have`,
        };
    } catch (err) {
        return {
            ok: false,
            message: `cannot be read (${(err as NodeJS.ErrnoException).code ?? "error"})${confine ? relativeNote(baseDir) : ""}`,
        };
    }
}

export type Parsed = { ok: true; root: unknown } | { ok: false; message: string };

/**
 * YAML as LiveKit and docker compose read it (both with gopkg.in/yaml.v3): merge keys (`<<: *base`)
 * merged, YAML 1.2 core scalars whatever a `%YAML 1.1` directive says (yaml.v3 resolves the same way
 * under it, and refuses any other version: its parserc.go), aliases bounded.
 */
export function parseServerYaml(text: string): Parsed {
    const yaml: typeof Yaml = require("yaml"); // loaded on use: most stacks name no server config
    if (flowDepth(text) > MAX_FLOW_DEPTH)
        return { ok: false, message: `nests [ ] or { } more than ${MAX_FLOW_DEPTH} deep; no server config does` };
    try {
        // Repeated keys are found below in one pass: the library's own check is quadratic in the keys.
        const doc = yaml.parseDocument(text, { prettyErrors: false, merge: true, schema: "core", uniqueKeys: false });
        if (doc.errors.length) return { ok: false, message: `is not valid YAML: ${clip(doc.errors[0]!.message.split("\n")[0]!, 120)}` };
        const directive = directiveProblem(doc);
        if (directive) return { ok: false, message: directive };
        const repeated = repeatedKey(yaml, doc.contents);
        if (repeated !== undefined)
            return {
                ok: false,
                message: `sets the key ${excerpt(repeated)} twice in one map, which the servers' YAML reader refuses; keep one`,
            };
        return { ok: true, root: doc.toJS({ maxAliasCount: MAX_ALIASES }) };
    } catch (err) {
        // The alias budget, or nesting deeper than the stack: a config error, never a crash.
        const why = /alias/i.test((err as Error).message)
            ? `expands more than ${MAX_ALIASES} aliases; write the values out`
            : "is nested too deeply or otherwise cannot be read as YAML";
        return { ok: false, message: why };
    }
}

/** Deeper than any config; a megabyte of `[` would otherwise exhaust the YAML parser's heap before its stack. */
const MAX_FLOW_DEPTH = 64;

/** How deep `[`/`{` nest outside quoted text: one pass, before the parser sees the text. */
function flowDepth(text: string): number {
    let depth = 0;
    let deepest = 0;
    let quote = "";
    for (let i = 0; i < text.length; i++) {
        const ch = text[i]!;
        if (quote) {
            if (ch === "\\" && quote === '"') i++;
            else if (ch === quote || ch === "\n") quote = "";
        } else if (ch === '"' || ch === "'") quote = ch;
        else if (ch === "[" || ch === "{") deepest = Math.max(deepest, ++depth);
        else if ((ch === "]" || ch === "}") && depth > 0) depth--;
    }
    return deepest;
}

/** The first key set twice in one map (merge keys aside), walking without recursion. */
function repeatedKey(yaml: typeof Yaml, root: unknown): string | undefined {
    const stack: unknown[] = [root];
    while (stack.length) {
        const node = stack.pop();
        if (yaml.isMap(node)) {
            const seen = new Set<string>();
            for (const pair of node.items) {
                const key = yaml.isScalar(pair.key) ? String(pair.key.value) : undefined;
                if (key !== undefined && key !== "<<") {
                    if (seen.has(key)) return key;
                    seen.add(key);
                }
                stack.push(pair.value);
            }
        } else if (yaml.isSeq(node)) for (const item of node.items) stack.push(item);
    }
    return undefined;
}

const relativeNote = (baseDir: string): string => `; paths are relative to the project folder, ${baseDir}`;
