/**
 * What a cloud's provider does to its resources during an update, as the update simulator (src/update/) needs
 * it: which input changes replace a resource, how an update lands, and which states the cloud's API refuses.
 * Each cloud's folder says it for its own resource types (clouds/<cloud>/updates.ts), citing the provider's source.
 */
/** One resource as it lives in the cloud at some moment of an update: a recorded resource of the plan (cloud.ts). */
export interface LiveResource {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
}

/** What one provider does with one resource type. */
export interface ResourceBehaviour {
    /** Input keys whose change makes the provider replace the resource (Terraform's ForceNew / RequiresReplace). */
    replaceKeys: readonly string[];
    /** A change the provider's plan replaces though no single key forces it (what replaces, or undefined). */
    replaces?: (before: LiveResource, after: LiveResource) => string | undefined;
    /**
     * The input naming the resource it belongs to by id (a rule's group): a replaced group gets a new id, so its
     * members are replaced with it.
     */
    memberOf?: string;
    /**
     * The provider replaces it delete-before-create: pulumi-terraform-bridge does so for a resource whose autonamed
     * name was set explicitly (pkg/tfbridge/schema.go `nameRequiresDeleteBeforeReplace`); none of ours sets one.
     */
    deleteBeforeReplace?: boolean;
    /**
     * An update the provider makes in two calls, and the resource as it stands between them (an inline group's rules
     * revoked before the new ones are authorized); undefined when the update is one call.
     */
    between?: (before: LiveResource, after: LiveResource) => LiveResource | undefined;
    /** Where this behaviour is read from: provider file and function. */
    source: string;
}

/** A state the cloud's API refuses: the limit or uniqueness rule, and what broke it. */
export interface Refusal {
    rule: string;
    detail: string;
}

/** Everything the simulator needs of one cloud's provider. */
export interface UpdateModel {
    resources: Record<string, ResourceBehaviour>;
    /**
     * Every rule of ours only allows, and what is open is the union of what each live resource opens: then a state
     * opens more the more resources it holds, a gap can only follow a step that takes something away (an update in
     * place, a delete), and no state opens what neither end opens. The simulator judges packets where that can matter.
     */
    monotone: boolean;
    /** What the API refuses in a state where all of `live` exists at once (quotas, duplicates, priorities). */
    refusals(live: readonly LiveResource[]): Refusal[];
    /** A way around these refusals in one update, when the cloud has one (`old`: the resources before it). */
    remedy?(refusals: readonly Refusal[], old: readonly LiveResource[]): string | undefined;
}

/** Counts `live` resources of `type` by the value of input `key` (a rule's group). */
export function countBy(live: readonly LiveResource[], type: string, key: (r: LiveResource) => string | undefined): Map<string, number> {
    const counts = new Map<string, number>();
    for (const r of live) {
        if (r.type !== type) continue;
        const k = key(r);
        if (k !== undefined) counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    return counts;
}

/** The keys of `live` resources of `type` that two resources share (a duplicate the API refuses). */
export function duplicates(live: readonly LiveResource[], type: string, key: (r: LiveResource) => string): string[] {
    const seen = new Set<string>();
    const twice = new Set<string>();
    for (const r of live) {
        if (r.type !== type) continue;
        const k = key(r);
        if (seen.has(k)) twice.add(k);
        seen.add(k);
    }
    return [...twice];
}
