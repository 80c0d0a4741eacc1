/**
 * Reading a file a config names without letting it hang or exhaust the planner: opened without
 * blocking (a FIFO never blocks the open), only a regular file, at most `maxBytes`. Stack settings files
 * and server configs both read this way; each says the outcome in its own words.
 */
import * as fs from "node:fs";

export type Bounded = { ok: true; text: string } | { ok: false; why: "not-regular" } | { ok: false; why: "too-large"; size: number };

/** Throws what open throws (ENOENT, EACCES); everything after the open is an outcome. */
export function readBounded(file: string, maxBytes: number): Bounded {
    const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    try {
        const stat = fs.fstatSync(fd);
        if (!stat.isFile()) return { ok: false, why: "not-regular" };
        if (stat.size > maxBytes) return { ok: false, why: "too-large", size: stat.size };
        // One byte more than allowed: a file that grew since fstat is caught too.
        const buffer = Buffer.alloc(maxBytes + 1);
        const size = fs.readSync(fd, buffer, 0, buffer.length, 0);
        if (size > maxBytes) return { ok: false, why: "too-large", size };
        return { ok: true, text: buffer.subarray(0, size).toString("utf8") };
    } finally {
        fs.closeSync(fd);
    }
}
