/** Text that reaches cloud inputs and terminals: printable, and cut where the providers count. */

/** Control characters and bidirectional overrides: never in a cloud input or on a terminal. */
export const UNPRINTABLE = /[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/** `text` cut to at most `maxBytes` UTF-8 bytes on a code point boundary, never splitting a surrogate pair. */
export function truncateUtf8(text: string, maxBytes: number): string {
    if (Buffer.byteLength(text) <= maxBytes) return text; // UTF-8, Buffer's default
    let out = "";
    let bytes = 0;
    for (const ch of text) {
        const size = Buffer.byteLength(ch);
        if (bytes + size > maxBytes - 3) break;
        out += ch;
        bytes += size;
    }
    return `${out}...`;
}

/** `text` with control characters shown as escapes, for terminal output of values a user wrote. */
export function printable(text: string): string {
    return text.replace(UNPRINTABLE, (ch) => `\\u${ch.codePointAt(0)!.toString(16).padStart(4, "0")}`);
}

/**
 * A value read from a file, for an error message: a scalar quoted, escaped and cut to `max` characters;
 * a map or a list named, never printed (a server file may hold secrets next to the key we read).
 */
export function excerpt(value: unknown, max = 16): string {
    if (value == null) return String(value); // null or undefined
    if (Array.isArray(value)) return "a list";
    if (typeof value === "object") return "a map";
    if (typeof value !== "string") return printable(cut(String(value), max)); // a number or a boolean, as written
    return printable(JSON.stringify(cut(value, max)));
}

/** Text read from a file, unquoted (a key, a line as written): escaped and cut to `max` characters. */
export function clip(text: string, max = 64): string {
    return printable(cut(text, max));
}

const cut = (text: string, max: number): string => {
    // Stryker disable next-line MethodExpression: only bounds the work; max + 1 characters take at most 2 (max + 1) code units
    const chars = [...text.slice(0, max * 2 + 2)];
    return chars.length > max ? `${chars.slice(0, max).join("")}...` : text;
};

/** `a, b or c`: a list in a sentence. */
export const orList = (items: readonly string[]): string =>
    items.length > 1 ? `${items.slice(0, -1).join(", ")} or ${items.at(-1)}` : (items[0] ?? "");
