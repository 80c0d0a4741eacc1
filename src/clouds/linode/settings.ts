/** Linode (Akamai) settings (`linode:` block): written once, for validation, the multi-language schema and the args type. */
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { Late } from "../../contract/late";
import { quote } from "../../contract/problems";
import { numericIdValue } from "../../contract/schema";
import { lateListSetting, lateSetting, plainSetting, settingsBlock, type CloudContract } from "../../contract/settings";
import type { InputList } from "../../contract/types";
import { inputList, optionalInput } from "../../contract/validate";

/** The component's `linode` args: what the firewall governs, its label, and an LKE cluster's node pool. */
export interface LinodeArgs {
    /** Linode instance ids the firewall governs. */
    linodeIds?: pulumi.Input<pulumi.Input<number>[]>;
    /** NodeBalancer ids the firewall governs (only inbound rules apply to a NodeBalancer). */
    nodeBalancerIds?: pulumi.Input<pulumi.Input<number>[]>;
    /** The firewall's label, unique in the account: 3-32 letters, digits, "-", "_", "." (default: the component's name). */
    firewallLabel?: string;
    /**
     * LKE: the cluster's id (`linode.LkeCluster`'s `id`). The firewall gets the rules LKE's nodes need from the
     * cluster's private network, and is meant for the node pool's `firewall_id`.
     */
    lkeClusterId?: pulumi.Input<number>;
    /** Refused, with the reason: Linode has no rule resource, so an existing firewall cannot take rules from us. */
    firewallId?: pulumi.Input<number>;
}

/** The spec's Linode part. */
export interface LinodeSpec {
    linodeIds: InputList<number>;
    nodeBalancerIds: InputList<number>;
    firewallLabel?: string;
    lkeClusterId?: pulumi.Input<number>;
}

/**
 * A firewall label (Linode API, Firewall `label`): 3-32 characters, letters, digits, "-", "_" and "."; begins with a
 * letter (the API's pattern `^[a-zA-Z]((?!--|__|\.\.)[a-zA-Z0-9-_.])+$`), ends with a letter or digit, no two of
 * "-", "_" or "." in a row.
 */
export const FIREWALL_LABEL = /^(?=.{3,32}$)[a-zA-Z](?!.*(--|__|\.\.))[a-zA-Z0-9\-_.]*[a-zA-Z0-9]$/;

const settings = settingsBlock("linode", "LinodeArgs", "Linode (Akamai) settings.", {
    linodeIds: lateListSetting(numericIdValue("a Linode id", "41234567"), {
        type: "array",
        items: { type: "integer" },
        description: "Linode instance ids the firewall governs (a Linode takes one enabled firewall).",
    }),
    nodeBalancerIds: lateListSetting(numericIdValue("a NodeBalancer id", "512345"), {
        type: "array",
        items: { type: "integer" },
        description: "NodeBalancer ids the firewall governs (only inbound rules apply to a NodeBalancer).",
    }),
    firewallLabel: plainSetting(
        z.string().regex(FIREWALL_LABEL, {
            error: (iss) =>
                `${quote(iss.input)} is not a Linode firewall label; use 3-32 letters, digits, "-", "_" or ".", beginning ` +
                'with a letter, ending with a letter or digit, no two of "-", "_", "." in a row, e.g. "media-fw"',
        }),
        { type: "string", description: "The firewall's label, unique in the account (default: the component's name)." },
    ),
    lkeClusterId: lateSetting(numericIdValue("an LKE cluster id", "123456"), {
        type: "integer",
        description:
            "LKE: the cluster's id (linode.LkeCluster id). The firewall also opens what LKE's nodes need from the cluster's " +
            "private network; give its id to the node pool's firewall_id.",
    }),
    firewallId: lateSetting(numericIdValue("a Linode firewall id", "1234567"), {
        type: "integer",
        description:
            "Refused with the reason: Linode keeps a firewall's rules as one set, so only the component's own firewall takes them.",
    }),
});

type Parsed = {
    linodeIds?: Late | (number | Late)[];
    nodeBalancerIds?: Late | (number | Late)[];
    firewallLabel?: string;
    lkeClusterId?: number | Late;
    firewallId?: number | Late;
};

/** LKE's NodeBalancers proxy: packets reach the nodes from the NodeBalancers' private range, not the client's address. */
const NODEBALANCER_PROXIES =
    "LKE's LoadBalancer Services are NodeBalancers, which proxy: packets reach the nodes from 192.168.255.0/24, not the " +
    "client's address (Akamai, LKE network and firewall details), so no node rule can keep them to the spec's sources; keep " +
    "those at the NodeBalancer (its own firewall, linode.nodeBalancerIds) and use exposure: hostNetwork or nodePort for media";

export const linodeContract: CloudContract<Parsed, LinodeSpec> = {
    name: "linode",
    title: "Linode",
    settings,
    nodePool: {
        given: (parsed) => parsed?.lkeClusterId !== undefined,
        settings: "linode.lkeClusterId (LKE)",
        loadBalancer: NODEBALANCER_PROXIES,
    },
    check(parsed, chosen, problems) {
        if (parsed?.firewallId !== undefined)
            problems.push({
                path: "linode.firewallId",
                message:
                    "Linode keeps a firewall's rules as one set with no separate rule resource (terraform-provider-linode #625, " +
                    "#1606), and a Linode takes one enabled firewall, so rules cannot be added to a firewall the component does " +
                    "not own: remove firewallId, give the servers as linode.linodeIds and detach the old firewall from them; " +
                    "put any rules of it you still need in ports",
            });
        if (!chosen) return;
        if (parsed?.lkeClusterId !== undefined && parsed.nodeBalancerIds !== undefined)
            problems.push({
                path: "linode.nodeBalancerIds",
                message:
                    "is set together with linode.lkeClusterId; the node pool's firewall holds LKE's node rules, which a " +
                    "NodeBalancer does not need: give the NodeBalancers a firewall of their own (another component)",
            });
    },
    spec: (parsed) => ({
        linodeIds: inputList(parsed?.linodeIds),
        nodeBalancerIds: inputList(parsed?.nodeBalancerIds),
        ...(parsed?.firewallLabel !== undefined ? { firewallLabel: parsed.firewallLabel } : {}),
        ...(parsed?.lkeClusterId !== undefined ? { lkeClusterId: optionalInput(parsed.lkeClusterId) } : {}),
    }),
};
