/**
 * Replays an update step by step (engine.ts) and judges every state the cloud can pass through on the way:
 * (a) every packet both the old and the new resources admit is admitted, (b) none that neither admits, and
 * (c) no state the cloud's API refuses (its quotas and uniqueness rules, clouds/<cloud>/updates.ts).
 * A deployment stopped by a failed step stays in the state before that step, one of those judged here.
 */
import type { LiveResource, Refusal, UpdateModel } from "../clouds/updates";
import { stateAfter, stepsOf, type Action } from "./engine";

export interface Packet {
    direction: "in" | "out";
    protocol: "tcp" | "udp";
    port: number;
    address: string;
}

/** What a set of live resources admits: a packet's verdict. */
export type Admits = (live: readonly LiveResource[]) => (packet: Packet) => boolean;

export interface Finding {
    /** `gap`: a packet both ends admit is refused; `extra`: one neither admits passes; `refused`: the API refuses a step. */
    kind: "gap" | "extra" | "refused";
    /** The steps done, in an order the engine may run them, up to the state judged (for `refused`, the refused step last). */
    steps: Action[];
    packet?: Packet;
    refusal?: Refusal;
}

export interface Simulation {
    actions: Action[];
    /** How many distinct states were judged, and whether that is every state the engine can reach. */
    states: number;
    exhaustive: boolean;
    findings: Finding[];
}

export interface SimulateOptions {
    old: readonly LiveResource[];
    next: readonly LiveResource[];
    model: UpdateModel;
    admits: Admits;
    /** The packets to judge each state by: every boundary of the two specs' rules. */
    witnesses: readonly Packet[];
    /** Past this many states, orders are sampled: `samples` random orders, every prefix of each. */
    maxStates?: number;
    samples?: number;
    /** For the sampled orders. */
    seed?: number;
}

/** A small, seedable random source (mulberry32), so a failing order can be replayed. */
function random(seed: number): () => number {
    let t = seed >>> 0;
    return () => {
        t = (t + 0x6d2b79f5) >>> 0;
        let x = Math.imul(t ^ (t >>> 15), 1 | t);
        x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
        return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
    };
}

/** Every order-respecting sequence's prefixes, as id sequences: all of them when few, else sampled. */
function reachable(
    actions: readonly Action[],
    maxStates: number,
    samples: number,
    seed: number,
): { orders: number[][]; exhaustive: boolean } {
    const orders: number[][] = [];
    const seen = new Set<string>();
    const canRun = (done: ReadonlySet<number>, a: Action) => !done.has(a.id) && a.after.every((id) => done.has(id));
    // Depth-first over the downward-closed sets, each reached once, by a sequence the engine may run.
    let exhaustive = true;
    const walk = (sequence: number[], done: Set<number>): void => {
        if (!exhaustive) return;
        const key = [...done].sort((a, b) => a - b).join(",");
        if (seen.has(key)) return;
        seen.add(key);
        orders.push([...sequence]);
        if (seen.size > maxStates) {
            exhaustive = false;
            return;
        }
        for (const a of actions)
            if (canRun(done, a)) {
                done.add(a.id);
                sequence.push(a.id);
                walk(sequence, done);
                sequence.pop();
                done.delete(a.id);
            }
    };
    walk([], new Set());
    if (exhaustive) return { orders, exhaustive };
    orders.length = 0;
    seen.clear();
    const next = random(seed);
    for (let s = 0; s < samples; s++) {
        const done = new Set<number>();
        const sequence: number[] = [];
        for (;;) {
            const key = [...done].sort((a, b) => a - b).join(",");
            if (!seen.has(key)) {
                seen.add(key);
                orders.push([...sequence]);
            }
            const ready = actions.filter((a) => canRun(done, a));
            if (!ready.length) break;
            const pick = ready[Math.floor(next() * ready.length)]!;
            done.add(pick.id);
            sequence.push(pick.id);
        }
    }
    // Each step failing as early as it can (right after what it waits for, nothing else done): the deployment
    // stops there (step_executor.go cancelDueToError), so that state is judged whatever the samples drew.
    for (const failing of actions) {
        const sequence: number[] = [];
        const visit = (a: Action): void => {
            for (const id of a.after) if (!sequence.includes(id)) visit(actions[id]!);
            if (a !== failing && !sequence.includes(a.id)) sequence.push(a.id);
        };
        visit(failing);
        const key = [...sequence].sort((a, b) => a - b).join(",");
        if (!seen.has(key)) {
            seen.add(key);
            orders.push(sequence);
        }
    }
    return { orders, exhaustive: false };
}

const refusalKey = (r: Refusal): string => `${r.rule}\u0000${r.detail}`;

export function simulate(options: SimulateOptions): Simulation {
    const { old, next, model, admits, witnesses } = options;
    const actions = stepsOf(old, next, model);
    const { orders, exhaustive } = reachable(actions, options.maxStates ?? 4096, options.samples ?? 200, options.seed ?? 1);
    const before = admits(old);
    const after = admits(next);
    const both = witnesses.filter((p) => before(p) && after(p));
    const neither = witnesses.filter((p) => !before(p) && !after(p));
    // A limit the old or the new state already breaks is the plan's to refuse, not the update's.
    const standing = new Set([...model.refusals(old), ...model.refusals(next)].map(refusalKey));
    const findings: Finding[] = [];
    const reported = new Set<string>();
    const report = (finding: Finding, key: string) => {
        if (reported.has(key)) return;
        reported.add(key);
        findings.push(finding);
    };
    const takesAway = (a: Action) => a.removes !== undefined;
    const registerCount = actions.filter((a) => a.phase === "register").length;
    for (const order of orders) {
        const live = stateAfter(old, actions, new Set(order));
        const steps = order.map((id) => actions[id]!);
        const last = steps[steps.length - 1];
        const refusals = model.refusals(live).filter((r) => !standing.has(refusalKey(r)));
        for (const refusal of refusals)
            report({ kind: "refused", steps, refusal }, `refused ${refusalKey(refusal)} ${last ? `${last.kind} ${last.name}` : ""}`);
        // A refused step leaves the state before it, judged on its own prefix.
        if (refusals.length) continue;
        // Where what is open is a union of allows, only a state after a step that took something away can close a
        // packet, and none opens what neither end opens (UpdateModel.monotone).
        // Once the program has registered everything, every new resource is live: nothing of the new state is closed.
        if (model.monotone && (!steps.some(takesAway) || steps.filter((a) => a.phase === "register").length === registerCount)) continue;
        const state = admits(live);
        for (const packet of both) if (!state(packet)) report({ kind: "gap", steps, packet }, `gap ${JSON.stringify(packet)}`);
        if (!model.monotone)
            for (const packet of neither) if (state(packet)) report({ kind: "extra", steps, packet }, `extra ${JSON.stringify(packet)}`);
    }
    return { actions, states: orders.length, exhaustive, findings };
}

/** A finding in words, with the steps that led to it: what a failing test and `plan --diff` print. */
export function describeFinding(finding: Finding): string {
    const order = finding.steps.map((a, i) => `  ${i + 1}. ${a.kind} ${a.name} (${a.why})`).join("\n");
    const packet = finding.packet;
    const inbound = packet?.direction === "in";
    const what =
        finding.kind === "refused"
            ? `the cloud refuses a step: ${finding.refusal!.rule}: ${finding.refusal!.detail}`
            : `${inbound ? "inbound" : "outbound"} ${packet!.protocol}/${packet!.port} ${inbound ? "from" : "to"} ${packet!.address} ` +
              (finding.kind === "gap" ? "closes, though the old and the new state both open it" : "opens, though neither state opens it");
    return `${what}, after:\n${order || "  (no step)"}`;
}

/** The other way through an update the API refuses half-way: delete some old resources first, then update. */
export interface TwoSteps {
    /** The old resources `pulumi destroy --target` removes first: each is gone from the new state or replaced in it. */
    first: LiveResource[];
    /** Whether deleting them first closes nothing the old and the new state both open, and the update after passes. */
    clean: boolean;
    /** What is wrong with it, when not clean. */
    findings: Finding[];
}

/**
 * Makes room before the update, when it is refused mid-way (a quota or a priority the old resources still hold):
 * the fewest resources the update deletes anyway, taken first while that closes nothing both ends open, until the
 * update from there is refused no more.
 */
export function twoSteps(options: SimulateOptions, simulation: Simulation): TwoSteps | undefined {
    if (!simulation.findings.some((f) => f.kind === "refused")) return undefined;
    const { old, next, admits, witnesses } = options;
    const before = admits(old);
    const after = admits(next);
    const both = witnesses.filter((p) => before(p) && after(p));
    const deletable = simulation.actions.filter((a) => a.phase === "delete").map((a) => a.removes!);
    const first: LiveResource[] = [];
    let rest = simulate({ ...options });
    for (const candidate of deletable) {
        const remaining = old.filter((r) => r !== candidate && !first.includes(r));
        const state = admits(remaining);
        if (both.some((p) => !state(p))) continue; // deleting it first would close what both ends open
        first.push(candidate);
        rest = simulate({ ...options, old: remaining });
        if (!rest.findings.length) return { first, clean: true, findings: [] };
    }
    return { first, clean: false, findings: rest.findings };
}
