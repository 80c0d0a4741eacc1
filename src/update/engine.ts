/**
 * The steps `pulumi up` takes from one state of a stack's resources to the next, and the order it may take them
 * in, as pulumi/pulumi's deployment engine does (commit 1b59498, pkg/resource/deploy/):
 * - step_generator.go `generateSteps`/`continueStepsFromDiff`: a resource only in the program is created; one
 *   whose inputs changed is updated, or replaced when the provider's diff names a replace key; a replacement is
 *   create-before-delete ("the default mode first creates a new instance … and finally after all of that,
 *   deletes the old resource") unless the diff or the resource asks for `deleteBeforeReplace`.
 * - step_generator.go `GenerateDeletes`: resources gone from the program, and replaced ones, are deleted after
 *   the program has registered everything (deployment_executor.go `Execute` calls `performPostSteps` once the
 *   source is done, and a Node program ends only when its registrations have returned).
 * - step_generator.go `ScheduleDeletes`: deletes run in antichains, dependents before what they depend on; each
 *   antichain finishes before the next starts (deployment_executor.go `performPostSteps`).
 * - step_executor.go: steps run in parallel, a resource's step waiting only for the resources its inputs come from;
 *   after a failed step no new step starts (`cancelDueToError`), and the deletes never run.
 * Each resource's provider semantics (which keys replace, what the API refuses) come from its cloud's folder.
 */
import type { LiveResource, UpdateModel } from "../clouds/updates";

export type StepKind = "create" | "update" | "replace" | "delete";

/** One atomic change to the live resources: what it takes away and what it puts in. */
export interface Action {
    id: number;
    kind: StepKind;
    type: string;
    name: string;
    removes?: LiveResource;
    adds?: LiveResource;
    /** The actions that finish before this one starts. */
    after: number[];
    /** `register`: while the program registers; `delete`: once it has, what it no longer holds goes. */
    phase: "register" | "delete";
    /** Why: the changed input keys, or what a replaced resource it belongs to did. */
    why: string;
}

const keyOf = (r: { type: string; name: string }): string => `${r.type}\u0000${r.name}`;
/** The id the offline plan's mocks give a resource (cli/mockRun.ts), which inputs of its members hold. */
const idOf = (name: string): string => `${name}-id`;
/** The id a replacement gets: another resource in the cloud, though the program holds the same name. */
const replacedId = (name: string): string => `${name}-id (replacement)`;

function changedKeys(old: Record<string, unknown>, next: Record<string, unknown>): string[] {
    const keys = new Set([...Object.keys(old), ...Object.keys(next)]);
    return [...keys].filter((k) => JSON.stringify(old[k]) !== JSON.stringify(next[k])).sort();
}

/** The resources whose ids `resource`'s inputs hold: its step waits for theirs. */
function dependenciesOf(resource: LiveResource, byId: Map<string, LiveResource>): LiveResource[] {
    const found: LiveResource[] = [];
    const visit = (value: unknown): void => {
        if (typeof value === "string") {
            const target = byId.get(value);
            if (target && target !== resource) found.push(target);
        } else if (Array.isArray(value)) value.forEach(visit);
        else if (value && typeof value === "object") Object.values(value).forEach(visit);
    };
    visit(resource.inputs);
    return found;
}

/** The steps from `old` to `next`, each with the steps it waits for. */
export function stepsOf(old: readonly LiveResource[], next: readonly LiveResource[], model: UpdateModel): Action[] {
    const oldByKey = new Map(old.map((r) => [keyOf(r), r]));
    const actions: Action[] = [];
    const registerOf = new Map<string, Action>();
    const replaced = new Set<string>();
    const deletedEarly = new Set<string>();
    const newById = new Map(next.map((r) => [idOf(r.name), r]));
    const oldById = new Map(old.map((r) => [idOf(r.name), r]));

    // Replacements first: a replaced resource's members are replaced with it (their group id changes).
    const decide = (r: LiveResource): { kind: StepKind | "same"; why: string } => {
        const before = oldByKey.get(keyOf(r));
        if (!before) return { kind: "create", why: "new" };
        const behaviour = model.resources[r.type];
        const changed = changedKeys(before.inputs, r.inputs);
        const owner = behaviour?.memberOf ? newById.get(r.inputs[behaviour.memberOf] as string) : undefined;
        if (owner && replaced.has(keyOf(owner))) return { kind: "replace", why: `its ${behaviour!.memberOf} is replaced` };
        if (!changed.length) return { kind: "same", why: "" };
        const replaceKeys = changed.filter((k) => behaviour?.replaceKeys.includes(k));
        const planned = behaviour?.replaces?.(before, r);
        if (planned) replaceKeys.push(planned);
        return replaceKeys.length ? { kind: "replace", why: replaceKeys.join(", ") } : { kind: "update", why: changed.join(", ") };
    };
    // Owners before members, so a member sees its owner's replacement.
    const ordered = [...next].sort((a, b) => Number(!!model.resources[a.type]?.memberOf) - Number(!!model.resources[b.type]?.memberOf));
    const decisions = new Map<string, { kind: StepKind | "same"; why: string }>();
    for (const r of ordered) {
        const decision = decide(r);
        decisions.set(keyOf(r), decision);
        if (decision.kind === "replace") replaced.add(keyOf(r));
    }
    const liveOf = (r: LiveResource): LiveResource => {
        const behaviour = model.resources[r.type];
        const owner = behaviour?.memberOf ? (r.inputs[behaviour.memberOf] as string) : undefined;
        const ownerResource = owner !== undefined ? newById.get(owner) : undefined;
        if (!ownerResource || !replaced.has(keyOf(ownerResource))) return r;
        return { ...r, inputs: { ...r.inputs, [behaviour!.memberOf!]: replacedId(ownerResource.name) } };
    };
    for (const r of ordered) {
        const decision = decisions.get(keyOf(r))!;
        if (decision.kind === "same") continue;
        const before = oldByKey.get(keyOf(r));
        let firstDeleted: Action | undefined;
        if (decision.kind === "replace" && model.resources[r.type]?.deleteBeforeReplace) {
            // Delete-before-replace: the old one goes first, in the register phase (continueStepsFromDiff).
            firstDeleted = {
                id: actions.length,
                kind: "delete",
                type: r.type,
                name: r.name,
                removes: before,
                after: [],
                phase: "register",
                why: `replaced first (${decision.why})`,
            };
            actions.push(firstDeleted);
            deletedEarly.add(keyOf(r));
        }
        const action: Action = {
            id: actions.length,
            kind: decision.kind,
            type: r.type,
            name: r.name,
            ...(decision.kind === "update" ? { removes: before } : {}),
            adds: liveOf(r),
            after: firstDeleted ? [firstDeleted.id] : [],
            phase: "register",
            why: decision.why,
        };
        const between = decision.kind === "update" ? model.resources[r.type]?.between?.(before!, r) : undefined;
        if (between) {
            // Two calls: the resource stands between them as `between`, and the second waits for the first.
            const first: Action = { ...action, adds: between, why: `${decision.why}: first call` };
            actions.push(first);
            action.id = actions.length;
            action.removes = between;
            action.after = [first.id];
            action.why = `${decision.why}: second call`;
        }
        actions.push(action);
        registerOf.set(keyOf(r), action);
    }
    // A resource's step waits for the steps of the resources its inputs name.
    for (const r of next) {
        const action = registerOf.get(keyOf(r));
        if (!action) continue;
        for (const dependency of dependenciesOf(r, newById)) {
            const waited = registerOf.get(keyOf(dependency));
            if (waited) action.after.push(waited.id);
        }
    }
    const registered = actions.map((a) => a.id);

    // The delete phase: what left the program, and the old halves of replacements.
    const condemned = old.filter((r) => {
        const decision = decisions.get(keyOf(r));
        return decision === undefined || (decision.kind === "replace" && !deletedEarly.has(keyOf(r)));
    });
    const dependents = (r: LiveResource): LiveResource[] =>
        condemned.filter((other) => dependenciesOf(other, oldById).some((d) => keyOf(d) === keyOf(r)));
    let remaining = [...condemned];
    const antichains: LiveResource[][] = [];
    while (remaining.length) {
        // ScheduleDeletes, read forwards: a resource goes once everything that depends on it has gone.
        const ready = remaining.filter((r) => dependents(r).every((d) => !remaining.includes(d)));
        antichains.push(ready);
        remaining = remaining.filter((r) => !ready.includes(r));
    }
    let previous = registered;
    for (const chain of antichains) {
        const ids: number[] = [];
        for (const r of chain) {
            const decision = decisions.get(keyOf(r));
            const action: Action = {
                id: actions.length,
                kind: "delete",
                type: r.type,
                name: r.name,
                removes: r,
                after: [...previous],
                phase: "delete",
                why: decision ? `replaced (${decision.why})` : "gone from the program",
            };
            actions.push(action);
            ids.push(action.id);
        }
        previous = ids;
    }
    return actions;
}

/** The live resources once `done` (a set of action ids closed under `after`) have run, from `old`. */
export function stateAfter(old: readonly LiveResource[], actions: readonly Action[], done: ReadonlySet<number>): LiveResource[] {
    const live = new Map(old.map((r) => [keyOf(r) + "\u0000old", r]));
    for (const a of actions) {
        if (!done.has(a.id)) continue;
        if (a.removes) live.delete(keyOf(a.removes) + "\u0000old");
        if (a.kind === "update") live.set(keyOf(a.adds!) + "\u0000old", a.adds!);
        else if (a.adds) live.set(keyOf(a.adds) + "\u0000new", a.adds);
    }
    return [...live.values()];
}
