/**
 * What `probe` sends and `listen` answers, built so that a listener on a public address cannot be turned
 * against anyone (the "Loop DoS" class, CVE-2024-2169: two UDP services that answer anything answer
 * each other forever after one spoofed datagram):
 * - a question and an answer never look alike: a listener answers only a well-formed question and never
 *   an answer, so two listeners (or a listener and itself) cannot keep each other talking;
 * - a question is padded to QUESTION_BYTES and an answer is never larger than the question it answers,
 *   so no spoofed question brings its victim more bytes than the spoofer sent;
 * - the question carries a nonce the probe drew for that port, and the answer echoes it, so a third host
 *   cannot forge an answer, and an answer from another address is ignored.
 */
import * as net from "node:net";
import * as ipaddr from "ipaddr.js";
import type { Protocol } from "../contract/types";

const QUESTION_MAGIC = "WRFQ1";
const ANSWER_MAGIC = "WRFA1";
/** 16 random bytes as hex. */
const NONCE = /^[0-9a-f]{32}$/;
/** The longest answer: magic, protocol, port, a full IPv6 address, the nonce, spaces and newline is 89 bytes. */
export const QUESTION_BYTES = 96;
/** More than any answer; a TCP peer that sends more is not a listener. */
export const MAX_ANSWER_BYTES = QUESTION_BYTES;

/** `::ffff:198.18.0.2` → `198.18.0.2`; `fe80::b%br-3f2a1c` → `fe80::b`; anything unparseable → undefined. Never throws. */
export function plainAddress(address: string | undefined): string | undefined {
    if (!address) return undefined;
    // The zone (an interface name, which may hold `-`, `.` or `_`) means nothing to the other side.
    const bare = address.replace(/%.*$/, "");
    if (!net.isIP(bare)) return undefined;
    const parsed = ipaddr.parse(bare);
    if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress())
        return (parsed as ipaddr.IPv6).toIPv4Address().toString();
    return parsed.toString();
}

/** The probe's question for one port: magic, nonce, padding to QUESTION_BYTES. */
export function question(nonce: string): Buffer {
    const text = `${QUESTION_MAGIC} ${nonce}\n`;
    return Buffer.from(text.padEnd(QUESTION_BYTES, "."), "latin1");
}

/** The nonce of a well-formed question, or undefined for anything else (an answer included). */
export function readQuestion(datagram: Buffer): string | undefined {
    if (datagram.length !== QUESTION_BYTES) return undefined;
    const text = datagram.toString("latin1");
    const match = /^WRFQ1 ([0-9a-f]{32})\n\.*$/.exec(text);
    return match?.[1];
}

/** The answer naming the protocol, port and the address the listener saw; the nonce echoed for UDP. */
export function answer(protocol: Protocol, port: number, seenAs: string, nonce?: string): Buffer {
    return Buffer.from(`${ANSWER_MAGIC} ${protocol} ${port} ${seenAs}${nonce ? ` ${nonce}` : ""}\n`, "latin1");
}

export interface Answer {
    protocol: Protocol;
    port: number;
    seenAs: string;
    nonce?: string;
}

/** A well-formed answer, or undefined; the address must be an IP address (never trusted as text). */
export function readAnswer(data: Buffer): Answer | undefined {
    if (data.length > MAX_ANSWER_BYTES) return undefined;
    const match = /^WRFA1 (tcp|udp) (\d{1,5}) (\S{1,45})(?: (\S+))?\n$/.exec(data.toString("latin1"));
    if (!match) return undefined;
    const port = Number(match[2]);
    const seenAs = plainAddress(match[3]);
    if (port < 1 || port > 65535 || !seenAs) return undefined;
    if (match[4] !== undefined && !NONCE.test(match[4])) return undefined;
    return { protocol: match[1] as Protocol, port, seenAs, ...(match[4] ? { nonce: match[4] } : {}) };
}

/** The same address whichever way it is written (`2001:db8::1` and `2001:0db8:0::1`). */
export function sameAddress(a: string, b: string): boolean {
    const x = plainAddress(a);
    const y = plainAddress(b);
    return x !== undefined && y !== undefined && ipaddr.parse(x).toNormalizedString() === ipaddr.parse(y).toNormalizedString();
}
