/**
 * Lists that grow with the input (flows, sources, rendered lines) are never spread into a call:
 * `push(...items)` and `Math.max(...values)` pass every element as an argument, and past about 100,000
 * of them the call overflows the stack (a GCP plan at the documented expansion limit did, in ufw's output).
 */

/** Appends `items` to `target` one by one; returns `target`. */
export function append<T>(target: T[], items: Iterable<T>): T[] {
    for (const item of items) target.push(item);
    return target;
}

/** The largest of `values`; `-Infinity` for none, as `Math.max()` says. */
export function maxOf(values: Iterable<number>): number {
    let max = -Infinity;
    // Stryker disable next-line EqualityOperator: >= keeps the same maximum
    for (const value of values) if (value > max) max = value;
    return max;
}
