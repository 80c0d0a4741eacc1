/**
 * Stack settings files (`Pulumi.<stack>.yaml`) read with the meaning the Pulumi CLI gives them.
 *
 * Pulumi parses them with Go's gopkg.in/yaml.v3 (pulumi/pulumi `sdk/go/common/encoding/marshal.go`,
 * `sdk/go/common/resource/config/value.go`, `object.go`): maps and lists reach the program as JSON
 * text, scalars as text, `{secure: v1:…}` is an encrypted value. yaml.v3 reads some plain scalars
 * differently from YAML 1.2 readers (`0443` is octal 291, `1_000` is 1000, `0b11` is 3); those are
 * refused with the spelling that means the same everywhere, so the offline plan is what deploys.
 */
import { isMap, isScalar, isSeq, parseDocument, type Node, type Scalar } from "yaml";
import type { Problem } from "../contract/problems";
import { readBounded } from "./boundedFile";
import { directiveProblem } from "./goYaml";
import { keySegments, locateProblems, yamlLines } from "./locate";
import { CONFIG_NAMESPACE } from "./project";

/** Larger than any config these targets deploy from a file: Azure's 4000 prefixes or 1000 rules, AWS's
 *  600 rules, 5000 admin CIDRs are all under 200 KB. Bigger configs belong in code (the component). */
export const STACK_FILE_MAX_BYTES = 1024 * 1024;

export interface StackSettings {
    /** `namespace:key` → the string the program receives. */
    values: Record<string, string>;
    problems: Problem[];
}

/** Why a plain scalar means something else to yaml.v3, or undefined when it reads the same. */
export function goYamlDifference(source: string, value: unknown): string | undefined {
    const text = source.trim();
    const sign = /^[-+]/.test(text) ? text[0] : "";
    const body = sign ? text.slice(1) : text;
    if (/^0[0-9]+$/.test(body)) {
        const go = /^[0-7]+$/.test(body) ? `${sign}${parseInt(body, 8)} (octal)` : `${sign}${Number(body)}`;
        return (
            `has a leading zero: Pulumi's YAML reader takes it as ${go}; write ` +
            `${sign}${Number(body)} without the leading zero, or quote it`
        );
    }
    if (/^0[xXoObB]/.test(body)) {
        return (
            `is written in base ${{ x: 16, o: 8, b: 2 }[body[1]!.toLowerCase() as "x" | "o" | "b"]}; ` +
            `write the decimal number, e.g. ${goInteger(body, sign) ?? "443"}`
        );
    }
    if (/^[0-9_.]+([eE][-+]?[0-9_]+)?$/.test(body) && body.includes("_") && /[0-9]/.test(body)) {
        return (
            `has "_" digit separators, which Pulumi's YAML reader drops (${sign}${body.replace(/_/g, "")}) ` +
            `and other readers keep as text; write ${sign}${body.replace(/_/g, "")}`
        );
    }
    if (/^\.(inf|Inf|INF|nan|NaN|NAN)$/.test(body)) return "is not a finite number; write a number or a quoted string";
    if (typeof value === "number" && !Number.isFinite(value)) return "is too large to be a number; write a number below 1e308";
    if (typeof value === "number" && Number.isInteger(value) && !Number.isSafeInteger(value)) {
        return `is too large to be read exactly (${value} beyond 2^53); quote it as a string`;
    }
    return undefined;
}

function goInteger(body: string, sign: string): string | undefined {
    const base = { x: 16, o: 8, b: 2 }[body[1]!.toLowerCase() as "x" | "o" | "b"];
    const n = parseInt(body.slice(2), base);
    return Number.isNaN(n) ? undefined : `${sign}${n}`;
}

const isEncrypted = (node: Node | null): boolean =>
    isMap(node) &&
    node.items.length === 1 &&
    isScalar(node.items[0]!.key) &&
    (node.items[0]!.key as Scalar).value === "secure" &&
    isScalar(node.items[0]!.value);

/** Walks a value: every ambiguous scalar and every encrypted value is a problem at its key path. */
function checkValue(node: Node | null, path: string, problems: Problem[]): void {
    if (isEncrypted(node)) {
        problems.push({
            path,
            message:
                "is encrypted (secure: v1:…, as `pulumi config set --secret` writes it) and the offline plan " +
                "cannot decrypt it; plan a copy of this file with the value in plain text, or run `pulumi preview`",
        });
        return;
    }
    if (isScalar(node)) {
        if (node.type === "PLAIN" && node.source !== undefined) {
            const why = goYamlDifference(String(node.source), node.value);
            if (why) problems.push({ path, message: `${node.source} ${why}` });
        }
        return;
    }
    if (isSeq(node)) node.items.forEach((item, i) => checkValue(item as Node, `${path}[${i}]`, problems));
    if (isMap(node)) {
        const seen = new Set<string>();
        for (const pair of node.items) {
            const key = isScalar(pair.key) ? String(pair.key.value) : "?";
            if (seen.has(key))
                problems.push({ path: `${path}.${key}`, message: "is set twice; Pulumi refuses a map with a repeated key: keep one" });
            seen.add(key);
            checkValue(pair.value as Node, `${path}.${key}`, problems);
        }
    }
}

/** A key as Pulumi parses it (`config.ParseKey`): `namespace:name`, or the old `namespace:config:name`. */
export function parseConfigKey(key: string): string | undefined {
    const parts = key.split(":");
    if (parts.length === 2 && parts[0] && parts[1]) return key;
    if (parts.length === 3 && parts[1] === "config" && parts[0] && parts[2]) return `${parts[0]}:${parts[2]}`;
    return undefined;
}

/** Parses the text of a stack settings file. `file` names it in messages. */
export function readStackSettings(text: string, file: string): StackSettings {
    const problems: Problem[] = [];
    const values: Record<string, string> = Object.create(null);
    // Duplicate keys are found below in one pass: the library's own check is quadratic in the keys.
    // The core schema whatever a `%YAML 1.1` directive says: yaml.v3 resolves `off` and `yes` to the
    // same strings under it, and refuses every other version (its parserc.go), so this reader does too.
    const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false, schema: "core" });
    if (doc.errors.length) {
        return {
            values,
            problems: doc.errors.slice(0, 5).map((e) => ({ path: file, message: `is not valid YAML: ${e.message.split("\n")[0]}` })),
        };
    }
    const directive = directiveProblem(doc);
    if (directive) return { values, problems: [{ path: file, message: directive }] };
    const root = doc.contents as Node | null;
    if (root === null || (isScalar(root) && (root.value === null || root.value === ""))) {
        return {
            values,
            problems: [
                { path: file, message: "is empty; a stack settings file starts with `config:` and keys like `webrtc-firewall:cloud: aws`" },
            ],
        };
    }
    if (!isMap(root)) {
        const kind = isSeq(root) ? "a list" : "a single value";
        return {
            values,
            problems: [
                {
                    path: file,
                    message:
                        `is ${kind}, not a map; a stack settings file starts with ` +
                        `\`config:\` and keys like \`webrtc-firewall:cloud: aws\``,
                },
            ],
        };
    }
    const config = root.get("config", true) as Node | undefined;
    if (config === undefined || config === null) {
        const keys = root.items.map((p) => (isScalar(p.key) ? String(p.key.value) : "?"));
        const looksLikeConfig = keys.filter((k) => k.includes(":") || k === "cloud" || k === "preset");
        const hint = looksLikeConfig.length ? `; indent ${looksLikeConfig.slice(0, 3).join(", ")} under a top-level \`config:\`` : "";
        return {
            values,
            problems: [{ path: file, message: `has no top-level \`config:\` map (it has ${keys.join(", ") || "nothing"})${hint}` }],
        };
    }
    if (!isMap(config))
        return { values, problems: [{ path: "config", message: "is not a map; write keys like `webrtc-firewall:cloud: aws` under it" }] };

    const seen = new Set<string>();
    for (const pair of config.items) {
        const rawKey = isScalar(pair.key) ? String(pair.key.value) : undefined;
        if (rawKey !== undefined && seen.has(rawKey)) {
            problems.push({ path: rawKey, message: "is set twice in this file; Pulumi refuses a repeated key: keep one" });
            continue;
        }
        if (rawKey !== undefined) seen.add(rawKey);
        const key = rawKey === undefined ? undefined : parseConfigKey(rawKey);
        if (key === undefined) {
            problems.push({
                path: rawKey ?? "config",
                message:
                    `is not a Pulumi config key; keys are \`namespace:name\`, e.g. ` +
                    `\`webrtc-firewall:${rawKey && !rawKey.includes(":") ? rawKey : "cloud"}\``,
            });
            continue;
        }
        const node = pair.value as Node | null;
        const before = problems.length;
        checkValue(node, key, problems);
        if (problems.length > before) continue;
        // maxAliasCount bounds "billion laughs" alias expansion.
        const value: unknown = node === null ? null : (node as Node).toJS(doc, { maxAliasCount: 100 });
        if (value === null || value === undefined) continue; // an empty value: the project default applies
        values[key] = typeof value === "string" ? value : JSON.stringify(value);
    }
    return { values, problems };
}

/** Reads a stack settings file: a regular file of bounded size, so no input can hang the planner. */
export function readStackFile(file: string): StackSettings {
    const read = readBounded(file, STACK_FILE_MAX_BYTES);
    if (read.ok === true) return readStackSettings(read.text, file);
    const message =
        read.why === "not-regular"
            ? "is not a regular file; give the path of a stack settings file (Pulumi.<stack>.yaml)"
            : `is ${read.size} bytes, more than the ${STACK_FILE_MAX_BYTES} a ` +
              `stack settings file may have; no cloud deploys a firewall that large`;
    return { values: {}, problems: [{ path: file, message }] };
}

/**
 * The problems of a stack's settings at their lines in its file (`stacks/Pulumi.aws.yaml:14: ports[2].ports`):
 * a problem's path is a setting's key path, with or without the `webrtc-firewall:` namespace. A file that
 * cannot be read again leaves them as they were. `display` is the file as the user should see it.
 */
export function locateInStackFile(problems: Problem[], file: string, display: string): Problem[] {
    const read = readBounded(file, STACK_FILE_MAX_BYTES);
    if (read.ok !== true) return problems;
    const lines = yamlLines(read.text, ["config"], parseConfigKey);
    return locateProblems(problems, display, (key) => {
        const qualified = /^[^.[]*:/.test(key) ? key : `${CONFIG_NAMESPACE}:${key}`;
        return lines(keySegments(qualified));
    });
}
