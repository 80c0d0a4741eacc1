/** Text that reaches cloud inputs and terminals: printable, and cut where the providers count. */

/** Control characters and bidirectional overrides: never in a cloud input or on a terminal. */
export const UNPRINTABLE = /[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/** `text` cut to at most `maxBytes` UTF-8 bytes on a code point boundary, never splitting a surrogate pair. */
export function truncateUtf8(text: string, maxBytes: number): string {
    if (Buffer.byteLength(text, "utf8") <= maxBytes) return text;
    let out = "";
    let bytes = 0;
    for (const ch of text) {
        const size = Buffer.byteLength(ch, "utf8");
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
