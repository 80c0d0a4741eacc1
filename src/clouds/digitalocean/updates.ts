/**
 * What the DigitalOcean provider does to our firewalls in an update (terraform-provider-digitalocean,
 * `digitalocean/firewall/resource_firewall.go`, bridged by @pulumi/digitalocean): no argument is ForceNew; an
 * update is one `PUT /v2/firewalls/{id}` of the whole firewall (godo `Firewalls.Update`), so each firewall is
 * always one of its two versions. Firewalls on a Droplet combine as a union (DigitalOcean "Cloud Firewalls").
 * The API refuses a firewall of more than 50 rules, inbound and outbound together (DigitalOcean docs, "Firewall limits").
 */
import type { Refusal, UpdateModel } from "../updates";
import { DIGITALOCEAN_TYPES } from "./policy";
import { DO_RULES_PER_FIREWALL } from "./target";

const count = (value: unknown): number => (Array.isArray(value) ? value.length : 0);

export const digitaloceanUpdates: UpdateModel = {
    monotone: true,
    resources: {
        [DIGITALOCEAN_TYPES.firewall]: {
            replaceKeys: [],
            source: "terraform-provider-digitalocean digitalocean/firewall/resource_firewall.go (Update: Firewalls.Update)",
        },
    },
    refusals(live) {
        const refusals: Refusal[] = [];
        for (const r of live) {
            if (r.type !== DIGITALOCEAN_TYPES.firewall) continue;
            const rules = count(r.inputs.inboundRules) + count(r.inputs.outboundRules);
            if (rules > DO_RULES_PER_FIREWALL)
                refusals.push({ rule: `${DO_RULES_PER_FIREWALL} rules per firewall`, detail: `${r.name} holds ${rules}` });
        }
        return refusals;
    },
};
