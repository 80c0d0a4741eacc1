/** Linode (Akamai): Cloud Firewalls (@pulumi/linode). Everything this project knows of Linode is in this folder. */
import type * as pulumi from "@pulumi/pulumi";
import { defineCloud, listText } from "../cloud";
import { LINODE_TYPES, readLinode } from "./policy";
import { linodeContract, type LinodeArgs } from "./settings";
import { linodeTarget } from "./target";
import { linodeUpdates } from "./updates";

const inboundsOf = (inputs: Record<string, any>): any[] => (Array.isArray(inputs.inbounds) ? inputs.inbounds : []);

export const linode = defineCloud<"linode", LinodeArgs, { firewallIds: pulumi.Output<string[]> }>("linode", {
    ...linodeContract,
    firewall: "Linode Cloud Firewalls",
    target: linodeTarget,
    outputs: {
        firewallIds: {
            type: "strings",
            description:
                "Linode: the one firewall's id (a number as text), for linode.Instance's firewallId or an LKE node pool's firewall_id",
        },
    },
    plan: {
        summaries: {
            [LINODE_TYPES.firewall]: (i) => {
                const targets = [
                    ...(Array.isArray(i.linodes) ? i.linodes.map((id: unknown) => `linode ${String(id)}`) : []),
                    ...(Array.isArray(i.nodebalancers) ? i.nodebalancers.map((id: unknown) => `nodebalancer ${String(id)}`) : []),
                ];
                return (
                    `"${i.label}": ${inboundsOf(i).length} inbound rules, inbound ${i.inboundPolicy}, outbound ${i.outboundPolicy}; ` +
                    `governs ${targets.join(", ") || "nothing yet"}`
                );
            },
        },
        inlineRules: (r) =>
            r.type === LINODE_TYPES.firewall
                ? inboundsOf(r.inputs).map(
                      (rule) =>
                          `  ${r.name}: in ${String(rule.protocol).toLowerCase()} ${rule.ports ?? "any"} from ` +
                          listText([...(rule.ipv4s ?? []), ...(rule.ipv6s ?? [])]),
                  )
                : [],
        rulesIn: (r) => (r.type === LINODE_TYPES.firewall ? inboundsOf(r.inputs).length : 0),
        nextStep: () =>
            "the firewall governs the Linodes in linode.linodeIds and NodeBalancers in linode.nodeBalancerIds; or pass the " +
            "stack output firewallIds (one id) to linode.Instance's firewallId (at creation) or the LKE node pool's " +
            "firewall_id. A Linode takes one enabled firewall: detach any other first",
    },
    updates: linodeUpdates,
    policy: {
        types: Object.values(LINODE_TYPES),
        read: readLinode,
        decides: ["inbounds", "inboundPolicy", "action", "protocol", "ports", "ipv4s", "ipv6s"],
    },
});
