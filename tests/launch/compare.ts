/** Comparing what a launch registered with what the offline plan (mocks) registered. */

export interface Entry {
    type: string;
    name: string;
    inputs: unknown;
}

/** Replaces every id of a registered resource by `<id of NAME>`, so two runs with different ids compare. */
export function symbolicIds(entries: Entry[], idOf: (e: Entry) => string | undefined): Entry[] {
    const names = new Map<string, string>();
    for (const e of entries) {
        const id = idOf(e);
        if (id) names.set(id, `<id of ${e.name}>`);
    }
    const walk = (v: unknown): unknown =>
        typeof v === "string"
            ? (names.get(v) ?? v)
            : Array.isArray(v)
              ? v.map(walk)
              : v && typeof v === "object"
                ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]))
                : v;
    return entries.map((e) => ({ ...e, inputs: walk(e.inputs) })).sort((a, b) => (a.type + a.name < b.type + b.name ? -1 : 1));
}

/** Unwraps `{secret: v}` markers; reports whether every top-level input of a cloud resource was secret. */
export function unwrapSecrets(v: unknown): unknown {
    if (Array.isArray(v)) return v.map(unwrapSecrets);
    if (v && typeof v === "object") {
        const keys = Object.keys(v);
        if (keys.length === 1 && keys[0] === "secret") return unwrapSecrets((v as { secret: unknown }).secret);
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, unwrapSecrets(x)]));
    }
    return v;
}
