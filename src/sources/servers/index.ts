/**
 * `serverConfigs`: media servers' own config files, read and turned into rules (or, for compose files,
 * publications for the drift check). Paths are relative to the project folder (where Pulumi.yaml is,
 * which is where Pulumi runs the program); the kind is recognised from the file or given.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type * as Yaml from "yaml";
import type { Problem } from "../../errors";
import { readCompose } from "./compose";
import { readCoturn } from "./coturn";
import { readLiveKit } from "./livekit";
import { readLiveKitSip } from "./livekitSip";
import { emptyConfig, SERVER_KINDS, type ServerConfig, type ServerKind } from "./types";

export { SERVER_KINDS, type ServerConfig, type ServerKind, type ServerRule } from "./types";

export const SERVER_FILE_MAX_BYTES = 1024 * 1024;

export interface ServerConfigEntry {
    path: string;
    kind?: ServerKind;
}

/** The kind of a server config from its name and content. */
export function detectKind(file: string, text: string): ServerKind | undefined {
    const base = path.basename(file).toLowerCase();
    if (base.endsWith(".conf") || /^\s*(listening-port|min-port|max-port|realm|lt-cred-mech)\b/m.test(text)) return "coturn";
    if (/compose/.test(base) || /^services\s*:/m.test(text)) return "compose";
    if (/^(sip_port|rtp_port)\s*:/m.test(text)) return "livekit-sip";
    if (/^(rtc|turn|port|keys)\s*:/m.test(text)) return "livekit";
    return undefined;
}

/** Reads one server config; every problem names the file, the key, the value and the fix. */
export function readServerConfig(entry: ServerConfigEntry, baseDir: string): ServerConfig {
    const file = path.resolve(baseDir, entry.path);
    const name = path.basename(file);
    const failed = (message: string): ServerConfig => ({ ...emptyConfig(entry.path, entry.kind ?? "livekit"), problems: [{ path: `serverConfigs: ${entry.path}`, message }] });
    let text: string;
    try {
        const stat = fs.statSync(file);
        if (!stat.isFile()) return failed("is not a regular file");
        if (stat.size > SERVER_FILE_MAX_BYTES) return failed(`is ${stat.size} bytes, more than the ${SERVER_FILE_MAX_BYTES} a server config may have`);
        text = fs.readFileSync(file, "utf8");
    } catch (err) {
        return failed(`cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); paths are relative to the project folder, ${baseDir}`);
    }
    const kind = entry.kind ?? detectKind(file, text);
    if (!kind) return failed(`is not recognised as a LiveKit, LiveKit SIP, coturn or docker compose config; give it as {path: ${entry.path}, kind: ${SERVER_KINDS.join("|")}}`);
    if (kind === "coturn") return readCoturn(text, entry.path, name);
    const yaml: typeof Yaml = require("yaml"); // loaded on use: most stacks name no server config
    const doc = yaml.parseDocument(text, { prettyErrors: false });
    if (doc.errors.length) return failed(`is not valid YAML: ${doc.errors[0]!.message.split("\n")[0]}`);
    if (kind === "compose") return readCompose(doc, entry.path, name);
    if (kind === "livekit-sip") return readLiveKitSip(doc, entry.path, name);
    return readLiveKit(doc, entry.path, name);
}

/** Reads every entry of a `serverConfigs` value already checked by the schema. */
export function readServerConfigs(entries: (string | ServerConfigEntry)[], baseDir: string): { configs: ServerConfig[]; problems: Problem[]; warnings: string[] } {
    const configs = entries.map((e) => readServerConfig(typeof e === "string" ? { path: e } : e, baseDir));
    return { configs, problems: configs.flatMap((c) => c.problems), warnings: configs.flatMap((c) => c.warnings) };
}
