/**
 * Where in a file a problem is: `file:line: key`, the form editors and CI logs link to. A key path
 * (`ports[2].ports`, `rtc.udp_port`, `services.web.ports[0]`) is looked up in the file's YAML, or for a
 * `key=value` file (turnserver.conf) on the line that sets the key; a key the file does not hold (a
 * missing setting) points at the nearest part of the path it does hold.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import type { Problem } from "../contract/problems";

/** `ports[2].ports` → ["ports", 2, "ports"]. */
export function keySegments(key: string): (string | number)[] {
    const segments: (string | number)[] = [];
    for (const part of key.split(".")) {
        const match = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
        if (!match) return segments;
        if (match[1]) segments.push(match[1]);
        for (const index of match[2]!.matchAll(/\[(\d+)\]/g)) segments.push(Number(index[1]));
    }
    return segments;
}

type Entry = { key: Node; value: Node };

/**
 * A map's entries by key (the first of a repeated key), and by the config key each parses to: built once
 * per map, so looking up every problem of a file with thousands of keys stays linear.
 */
function indexOf(node: Node, configKey?: (raw: string) => string | undefined): Map<string, Entry> {
    const index = new Map<string, Entry>();
    if (!isMap(node)) return index;
    for (const pair of node.items) {
        if (!isScalar(pair.key)) continue;
        const raw = String(pair.key.value);
        const entry = { key: pair.key as Node, value: pair.value as Node };
        for (const name of [raw, configKey?.(raw)]) if (name !== undefined && !index.has(name)) index.set(name, entry);
    }
    return index;
}
/**
 * The file parsed once; then the 1-based line of the deepest part of a key path it holds, below `start`
 * (a path into the document, e.g. `config`), the first segment matched through `configKey` when given.
 */
export function yamlLines(
    text: string,
    start: string[] = [],
    configKey?: (raw: string) => string | undefined,
): (segments: (string | number)[]) => number | undefined {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false });
    const indexes = new WeakMap<Node, Map<string, Entry>>();
    const child = (node: Node, name: string | number, first: boolean): Entry | undefined => {
        if (typeof name === "number") {
            const item = isSeq(node) ? (node.items[name] as Node | undefined) : undefined;
            return item ? { key: item, value: item } : undefined;
        }
        let index = indexes.get(node);
        if (!index) indexes.set(node, (index = indexOf(node, first ? configKey : undefined)));
        return index.get(name);
    };
    let root = doc.contents as Node | null;
    for (const name of start) root = root ? (child(root, name, false)?.value ?? null) : null;
    return (segments) => {
        let node = root;
        let found: Node | undefined;
        for (const [i, name] of segments.entries()) {
            const entry = node ? child(node, name, i === 0) : undefined;
            if (!entry) break;
            found = entry.key;
            node = entry.value;
        }
        const offset = found?.range?.[0];
        return offset === undefined ? undefined : lines.linePos(offset).line;
    };
}

/** The 1-based line that sets `key` in a `key=value` / `key value` file, ignoring comments. */
export function confLine(text: string, key: string): number | undefined {
    const name = key.replace(/^--/, "");
    const lines = text.split("\n");
    const at = lines.findIndex((line) => {
        const words = /^\s*(?:--)?([A-Za-z0-9-]+)(?:\s*=|\s|$)/.exec(line);
        return words?.[1] === name;
    });
    return at >= 0 ? at + 1 : undefined;
}

/** Each problem at `file:line: key`, where the key is found; the others as they were. `display` names the file. */
export function locateProblems(problems: Problem[], display: string, lineOf: (key: string) => number | undefined): Problem[] {
    return problems.map((problem) => {
        const line = lineOf(problem.path);
        return line === undefined ? problem : { ...problem, path: `${display}:${line}: ${problem.path}` };
    });
}
