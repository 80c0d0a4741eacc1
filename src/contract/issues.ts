/** Turns zod issues into Problems that name the key path, quote the value and say how to fix it. */
import type { z } from "zod";
import { formatPath, quote, type Problem } from "./problems";

const EXPECTED_HINT: Record<string, string> = {
    boolean: "true or false",
    string: "a string",
    number: "a number",
    array: "a list",
    object: "a map of keys",
    record: "a map of keys",
};

function kindOf(value: unknown): string {
    if (value === null) return "null";
    if (Array.isArray(value)) return "a list";
    if (typeof value === "object") return "a map";
    return `a ${typeof value}`;
}

/** Edit distance, for "did you mean" on misspelled keys like `adminCIDRs`. */
function distance(a: string, b: string): number {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
        let previous = row[0]!;
        row[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const current = row[j]!;
            row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
            previous = current;
        }
    }
    return row[b.length]!;
}

export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
    const lower = word.toLowerCase();
    const scored = candidates
        .map((c) => ({ c, d: distance(lower, c.toLowerCase()) }))
        .filter(
            (x) =>
                x.d <= Math.max(1, Math.floor(word.length / 4)) ||
                x.c.toLowerCase().startsWith(lower) ||
                lower.startsWith(x.c.toLowerCase()),
        )
        .sort((x, y) => x.d - y.d);
    return scored[0]?.c;
}

export function unknownKeyMessage(key: string, validKeys: readonly string[]): string {
    const guess = didYouMean(key, validKeys);
    const hint = guess ? `did you mean "${guess}"? ` : "";
    return `unknown key "${key}"; ${hint}valid keys here: ${validKeys.join(", ")}`;
}

export function issuesToProblems(
    issues: readonly z.core.$ZodIssue[],
    prefix: readonly PropertyKey[],
    validKeys: readonly string[],
): Problem[] {
    const problems: Problem[] = [];
    for (const issue of issues) {
        const path = [...prefix, ...issue.path];
        const input = (issue as { input?: unknown }).input;
        switch (issue.code) {
            case "unrecognized_keys":
                for (const key of issue.keys)
                    problems.push({ path: formatPath([...path, key]), message: unknownKeyMessage(key, validKeys) });
                break;
            case "invalid_type":
                problems.push({
                    path: formatPath(path),
                    message:
                        input === undefined
                            ? `is required; expected ${EXPECTED_HINT[issue.expected] ?? issue.expected}`
                            : `${quote(input)} is ${kindOf(input)}; expected ${EXPECTED_HINT[issue.expected] ?? issue.expected}`,
                });
                break;
            case "invalid_value":
                problems.push({ path: formatPath(path), message: `${quote(input)} is not one of: ${issue.values.map(String).join(", ")}` });
                break;
            case "too_big":
                problems.push({
                    path: formatPath(path),
                    message: issue.origin === "string" ? `${quote(input)} is too long; at most ${issue.maximum} characters` : issue.message,
                });
                break;
            default:
                problems.push({ path: formatPath(path), message: issue.message });
        }
    }
    return problems;
}
