/**
 * `serverConfigs`: media servers' own config files, read and turned into rules (or, for compose files,
 * publications for the drift check). Paths are relative to the project folder (where Pulumi.yaml is,
 * which is where Pulumi runs the program) and must stay inside it (files.ts); the kind is recognised
 * from the file or given, and a file with none of its kind's keys is refused rather than read as that
 * kind's defaults. No file can make a reader throw: every problem names the file and the key.
 */
import * as path from "node:path";
import type { Problem } from "../../contract/problems";
import { readCompose } from "./compose";
import { COTURN_KEYS, hasCoturnKey, readCoturn } from "./coturn";
import { parseServerYaml, readServerFile } from "./files";
import { LIVEKIT_KEYS, readLiveKit } from "./livekit";
import { LIVEKIT_SIP_KEYS, readLiveKitSip } from "./livekitSip";
import { emptyConfig } from "./types";
import { confLine, keySegments, yamlLines } from "../locate";
import { SERVER_KINDS, type ServerConfig, type ServerKind } from "../../contract/types";

export { SERVER_FILE_MAX_BYTES } from "./files";

export interface ServerConfigEntry {
    path: string;
    kind?: ServerKind;
}

/** A top-level YAML key on a line of its own: a literal at the line's start, so each line costs its length. */
const topLevelKey = (text: string, keys: readonly string[]): boolean => new RegExp(`^(${keys.join("|")})[ \\t]*:`, "m").test(text);

/** The kind of a server config from its name and content. */
export function detectKind(file: string, text: string): ServerKind | undefined {
    const base = path.basename(file).toLowerCase();
    if (hasCoturnKey(text)) return "coturn";
    if (/compose/.test(base) || topLevelKey(text, ["services"])) return "compose";
    if (topLevelKey(text, ["sip_port", "rtp_port"])) return "livekit-sip";
    if (topLevelKey(text, ["rtc", "turn", "port", "keys"])) return "livekit";
    return undefined;
}

const KEYS_OF: Record<Exclude<ServerKind, "coturn">, readonly string[]> = {
    compose: ["services"],
    livekit: LIVEKIT_KEYS,
    "livekit-sip": LIVEKIT_SIP_KEYS,
};

/** Reads one server config; every problem names the file, the key, the value (as a short excerpt) and the fix. */
export function readServerConfig(entry: ServerConfigEntry, baseDir: string, confine = true): ServerConfig {
    const failed = (message: string): ServerConfig => ({
        ...emptyConfig(entry.path, entry.kind ?? "livekit"),
        problems: [{ path: `serverConfigs: ${entry.path}`, message }],
    });
    const read = readServerFile(entry.path, baseDir, confine);
    if (read.ok === false) return failed(read.message);
    const name = path.basename(read.file);
    const kind = entry.kind ?? detectKind(read.file, read.text);
    if (!kind)
        return failed(
            `is not recognised as a LiveKit, LiveKit SIP, coturn or docker compose ` +
                `config; give it as {path: ${entry.path}, kind: ${SERVER_KINDS.join("|")}}`,
        );
    return withLines(readKind(entry, read.text, kind, name, failed), entry.path, name, read.text, kind);
}

/**
 * Each problem's key at its line: `livekit.yaml:12: rtc.udp_port`. A reader names the file by its path as
 * given or its base name, then the key.
 */
function withLines(config: ServerConfig, given: string, name: string, text: string, kind: ServerKind): ServerConfig {
    if (!config.problems.length) return config;
    const yaml = kind === "coturn" ? undefined : yamlLines(text);
    const lineOf = (key: string) => (yaml ? yaml(keySegments(key)) : confLine(text, key));
    const problems = config.problems.map((problem) => {
        const prefix = [`${given}: `, `${name}: `].find((p) => problem.path.startsWith(p));
        if (!prefix) return problem;
        // A compose origin names the file again (`docker-compose.yml: services.web.ports[0]`): once is enough.
        const rest = problem.path.slice(prefix.length);
        const key = rest.startsWith(`${name}: `) ? rest.slice(name.length + 2) : rest;
        const line = lineOf(key);
        return line === undefined ? problem : { ...problem, path: `${given}:${line}: ${key}` };
    });
    return { ...config, problems };
}

/** The file as its kind's reader sees it; a file with none of its kind's keys is refused. */
function readKind(
    entry: ServerConfigEntry,
    text: string,
    kind: ServerKind,
    name: string,
    failed: (message: string) => ServerConfig,
): ServerConfig {
    const read = { text };
    try {
        if (kind === "coturn") {
            if (!hasCoturnKey(read.text))
                return failed(
                    `has none of coturn's settings (${COTURN_KEYS.slice(0, 6).join(", ")}, ...): it is not a ` +
                        `turnserver.conf, and reading it as one would open coturn's defaults; name the right file or kind`,
                );
            return readCoturn(read.text, entry.path, name);
        }
        const parsed = parseServerYaml(read.text);
        if (parsed.ok === false) return failed(parsed.message);
        const root = parsed.root;
        const keys = KEYS_OF[kind];
        const isMap = root !== null && typeof root === "object" && !Array.isArray(root);
        if (!isMap || !keys.some((k) => Object.prototype.hasOwnProperty.call(root, k))) {
            return failed(
                `has none of a ${kind} config's keys ` +
                    `(${keys.slice(0, 6).join(", ")}${keys.length > 6 ? ", ..." : ""}); name the right file or kind`,
            );
        }
        if (kind === "compose") return readCompose(root as Record<string, unknown>, entry.path, name);
        if (kind === "livekit-sip") return readLiveKitSip(root as Record<string, unknown>, entry.path, name);
        return readLiveKit(root as Record<string, unknown>, entry.path, name);
    } catch {
        // A shape no reader foresaw: said as a config problem, never as a stack trace.
        return failed(`cannot be read as a ${kind} config; check it against the server's documentation`);
    }
}

/** Reads every entry of a `serverConfigs` value already checked by the schema (or, `confine` false, `plan --check` files). */
export function readServerConfigs(
    entries: (string | ServerConfigEntry)[],
    baseDir: string,
    confine = true,
): { configs: ServerConfig[]; problems: Problem[]; warnings: string[] } {
    const configs = entries.map((e) => readServerConfig(typeof e === "string" ? { path: e } : e, baseDir, confine));
    return { configs, problems: configs.flatMap((c) => c.problems), warnings: configs.flatMap((c) => c.warnings) };
}
