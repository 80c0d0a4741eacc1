/** DigitalOcean: Cloud Firewalls (@pulumi/digitalocean). Everything this project knows of DigitalOcean is in this folder. */
import type * as pulumi from "@pulumi/pulumi";
import { countOf, defineCloud, listText } from "../cloud";
import { DIGITALOCEAN_TYPES, readDigitalOcean } from "./policy";
import { digitaloceanContract, type DigitaloceanArgs } from "./settings";
import { digitaloceanTarget } from "./target";
import { digitaloceanUpdates } from "./updates";

export const digitalocean = defineCloud<"digitalocean", DigitaloceanArgs, { firewallIds: pulumi.Output<string[]> }>("digitalocean", {
    ...digitaloceanContract,
    firewall: "DigitalOcean Cloud Firewalls",
    target: digitaloceanTarget,
    outputs: { firewallIds: { type: "strings", description: "DigitalOcean: the Cloud Firewall ids" } },
    plan: {
        summaries: {
            [DIGITALOCEAN_TYPES.firewall]: (i) =>
                `${(i.inboundRules ?? []).length} inbound + ${(i.outboundRules ?? []).length} ` +
                `outbound rules; droplets [${listText(i.dropletIds)}] tags [${listText(i.tags)}]`,
        },
        inlineRules: (r) => {
            if (r.type !== DIGITALOCEAN_TYPES.firewall) return [];
            const rules = (key: string): any[] => (Array.isArray(r.inputs[key]) ? (r.inputs[key] as any[]) : []);
            return [
                ...rules("inboundRules").map(
                    (rule) => `  ${r.name}: in  ${rule.protocol} ${rule.portRange ?? "all"} from ${listText(rule.sourceAddresses)}`,
                ),
                ...rules("outboundRules").map(
                    (rule) => `  ${r.name}: out ${rule.protocol} ${rule.portRange ?? "all"} to ${listText(rule.destinationAddresses)}`,
                ),
            ];
        },
        rulesIn: (r) =>
            r.type === DIGITALOCEAN_TYPES.firewall ? countOf(r.inputs, "inboundRules") + countOf(r.inputs, "outboundRules") : 0,
        nextStep: (resources) =>
            resources.some((r) => (r.inputs.tags as unknown[] | undefined)?.some((t) => typeof t === "string" && t.startsWith("k8s:")))
                ? "nothing to attach: the firewall's k8s:<cluster id> tag is on every worker node of the DOKS cluster"
                : "the firewall applies to the Droplets in digitalocean.dropletIds and " +
                  "those tagged with digitalocean.tags: tag the media server's Droplets",
    },
    updates: digitaloceanUpdates,
    policy: { types: Object.values(DIGITALOCEAN_TYPES), read: readDigitalOcean, decides: ["inboundRules", "outboundRules"] },
});
