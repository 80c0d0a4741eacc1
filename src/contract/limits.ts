/**
 * Input limits, checked before anything is parsed, so that no input can hang or exhaust the planner.
 * Each is above what any cloud can deploy (the largest: Azure's 1000 rules and 4000 source prefixes per
 * NSG, GCP's 5000 source ranges per rule, AWS's 5 groups x 60 rules per family); past one the config
 * is refused at once with the limit and why.
 */
import { formatPath, type Problem } from "./problems";

export const LIMITS = {
    /** Entries under `ports`: Azure, the most, deploys 1000 rules per NSG. */
    rules: 1000,
    /** adminCidrs, and the sources of one rule: GCP takes 5000 source ranges per rule, Azure 4000 per NSG. */
    sources: 5000,
    /** Port entries in one rule's `ports` list. */
    portsPerRule: 1000,
    /** turnRelay.allowPeers and denyPeers each: every entry is a line in coturn's config and a host rule. */
    peers: 1000,
    /** (protocol, port entry, source) pairs the config expands to before normalization. */
    expansion: 250_000,
};

/** Problems kept and shown: enough to fix a config, never megabytes of them. */
export const MAX_PROBLEMS_KEPT = 200;

const RESERVED = new Set(["__proto__", "constructor", "prototype"]);
export const isReservedKey = (key: string): boolean => RESERVED.has(key);

/** Keys that would reach JavaScript's object machinery instead of our settings, anywhere in the input. */
export function reservedKeys(value: unknown, path: (string | number)[], found: Problem[] = []): Problem[] {
    if (found.length >= MAX_PROBLEMS_KEPT || value === null || typeof value !== "object") return found;
    if (Array.isArray(value)) {
        // The slice bounds the time spent on a huge list (checkBounds refuses it anyway); dropping it changes no answer.
        // Stryker disable next-line MethodExpression: a time bound
        value.slice(0, LIMITS.sources).forEach((item, i) => reservedKeys(item, [...path, i], found));
        return found;
    }
    for (const key of Object.keys(value)) {
        if (RESERVED.has(key))
            found.push({ path: formatPath([...path, key]), message: `"${key}" is not a setting and is never read; remove it` });
        else reservedKeys((value as Record<string, unknown>)[key], [...path, key], found);
    }
    return found;
}

/** A list counts its entries; a single value, or none, counts as one: below every limit either way. */
const lengthOf = (v: unknown): number => (Array.isArray(v) ? v.length : 1);

/** Sizes past the limits, found by counting only. Empty when the config is within them. */
export function checkBounds(input: Record<string, unknown>): Problem[] {
    const problems: Problem[] = [];
    const admin = lengthOf(input.adminCidrs);
    if (admin > LIMITS.sources)
        problems.push({
            path: "adminCidrs",
            message:
                `${admin} entries, more than the ${LIMITS.sources} this planner ` +
                `accepts (no cloud takes more sources in one rule); use wider networks`,
        });
    const relay = input.turnRelay !== null && typeof input.turnRelay === "object" ? (input.turnRelay as Record<string, unknown>) : {};
    for (const key of ["allowPeers", "denyPeers"]) {
        const n = lengthOf(relay[key]);
        if (n > LIMITS.peers)
            problems.push({
                path: `turnRelay.${key}`,
                message:
                    `${n} entries, more than the ${LIMITS.peers} this planner accepts (each is ` +
                    `a line in the relay's config and a host firewall rule); use wider networks`,
            });
    }
    // Stryker disable next-line ArrayDeclaration: a non-list has no rules to count; a stand-in element is skipped as a non-object
    const rules = Array.isArray(input.ports) ? input.ports : [];
    if (rules.length > LIMITS.rules) {
        problems.push({
            path: "ports",
            message:
                `${rules.length} rules, more than the ${LIMITS.rules} this planner accepts ` +
                `(Azure, the most, deploys 1000 per NSG); merge rules with port ranges or lists`,
        });
        return problems;
    }
    let expansion = 0;
    rules.forEach((rule, i) => {
        // A rule that is no map counts as one of nothing (validation says what it is); null cannot be destructured.
        const { ports, from, protocol } = (rule ?? {}) as Record<string, unknown>;
        if (lengthOf(ports) > LIMITS.portsPerRule)
            problems.push({
                path: `ports[${i}].ports`,
                message:
                    `${lengthOf(ports)} entries, more than the ${LIMITS.portsPerRule} ` +
                    `this planner accepts; use ranges like "50000-60000"`,
            });
        if (lengthOf(from) > LIMITS.sources)
            problems.push({
                path: `ports[${i}].from`,
                message:
                    `${lengthOf(from)} sources, more than the ${LIMITS.sources} this planner ` +
                    `accepts (GCP, the most, takes 5000 per rule); use wider networks`,
            });
        const sources = Array.isArray(from)
            ? from.reduce((n: number, s) => n + (s === "admin" ? Math.max(1, admin) : s === "public" ? 2 : 1), 0)
            : from === "admin"
              ? Math.max(1, admin)
              : 2;
        expansion += Math.max(1, lengthOf(protocol)) * Math.max(1, lengthOf(ports)) * sources;
    });
    if (problems.length === 0 && expansion > LIMITS.expansion) {
        problems.push({
            path: "ports",
            message:
                `the rules expand to ${expansion} (protocol, port, source) pairs, more than the ${LIMITS.expansion} this planner ` +
                `accepts; no cloud deploys that many: use port ranges, fewer separate ports per source, or wider networks`,
        });
    }
    return problems;
}
