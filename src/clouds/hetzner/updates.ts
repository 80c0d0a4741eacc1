/**
 * What the Hetzner provider does to our firewalls in an update (terraform-provider-hcloud `internal/firewall`,
 * bridged by @pulumi/hcloud): no argument is ForceNew; changed rules are one `set_rules` action that replaces the
 * firewall's whole rule set (Hetzner Cloud API, "Set Rules"), so each firewall is always one of its two rule
 * sets. A server's firewalls combine as a union; the API takes 50 rules a firewall and 5 firewalls a server.
 */
import type { Refusal, UpdateModel } from "../updates";
import { HETZNER_TYPES } from "./policy";
import { HETZNER_RULES_PER_FIREWALL } from "./target";

/** Hetzner Cloud docs, firewall limits: a server takes at most 5 firewalls. */
const FIREWALLS_PER_SERVER = 5;

export const hetznerUpdates: UpdateModel = {
    monotone: true,
    resources: {
        [HETZNER_TYPES.firewall]: {
            replaceKeys: [],
            source: "terraform-provider-hcloud internal/firewall/resource.go (Update: SetRules, ApplyResources)",
        },
    },
    refusals(live) {
        const refusals: Refusal[] = [];
        const firewalls = live.filter((r) => r.type === HETZNER_TYPES.firewall);
        for (const r of firewalls) {
            const rules = Array.isArray(r.inputs.rules) ? r.inputs.rules.length : 0;
            if (rules > HETZNER_RULES_PER_FIREWALL)
                refusals.push({ rule: `${HETZNER_RULES_PER_FIREWALL} rules per firewall`, detail: `${r.name} holds ${rules}` });
        }
        if (firewalls.length > FIREWALLS_PER_SERVER)
            refusals.push({ rule: `${FIREWALLS_PER_SERVER} firewalls per server`, detail: `${firewalls.length} apply at once` });
        return refusals;
    },
};
