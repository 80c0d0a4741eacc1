/** Hetzner Cloud: firewalls (@pulumi/hcloud). Everything this project knows of Hetzner Cloud is in this folder. */
import type * as pulumi from "@pulumi/pulumi";
import { countOf, defineCloud, listText } from "../cloud";
import { HETZNER_TYPES, readHetzner } from "./policy";
import { hetznerContract, type HetznerArgs } from "./settings";
import { hetznerTarget } from "./target";
import { hetznerUpdates } from "./updates";

export const hetzner = defineCloud<"hetzner", HetznerArgs, { firewallIds: pulumi.Output<string[]> }>("hetzner", {
    ...hetznerContract,
    firewall: "Hetzner Cloud firewalls",
    target: hetznerTarget,
    outputs: { firewallIds: { type: "strings", description: "Hetzner: the firewall ids, for firewallIds on hcloud.Server" } },
    plan: {
        summaries: {
            [HETZNER_TYPES.firewall]: (i) => {
                const targets = (i.applyTos ?? []).map((a: any) =>
                    a.server !== undefined ? `server ${a.server}` : `label ${a.labelSelector}`,
                );
                return `${(i.rules ?? []).length} inbound rules; applies to ${targets.join(", ") || "nothing yet"}`;
            },
        },
        inlineRules: (r) => {
            const rules = r.type === HETZNER_TYPES.firewall && Array.isArray(r.inputs.rules) ? (r.inputs.rules as any[]) : [];
            return rules.map(
                (rule) => `  ${r.name}: ${rule.direction} ${rule.protocol} ${rule.port ?? "any"} from ${listText(rule.sourceIps)}`,
            );
        },
        rulesIn: (r) => (r.type === HETZNER_TYPES.firewall ? countOf(r.inputs, "rules") : 0),
        nextStep: () =>
            "the firewalls apply to the servers in hetzner.serverIds and those matching hetzner.labelSelectors; " +
            "or pass the stack output firewallIds to firewallIds on hcloud.Server (attached before first boot)",
    },
    updates: hetznerUpdates,
    policy: { types: Object.values(HETZNER_TYPES), read: readHetzner, decides: ["rules", "direction", "protocol", "source"] },
});
