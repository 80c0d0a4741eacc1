/** GCP: VPC firewall rules (@pulumi/gcp). Everything this project knows of GCP is in this folder. */
import type * as pulumi from "@pulumi/pulumi";
import { defineCloud, listText } from "../cloud";
import { GCP_TYPES, readGcp } from "./policy";
import { gcpContract, type GcpArgs } from "./settings";
import { gcpTarget } from "./target";
import { gcpUpdates } from "./updates";

export const gcp = defineCloud<"gcp", GcpArgs, { firewallNames: pulumi.Output<string[]>; networkTags: pulumi.Output<string[]> }>("gcp", {
    ...gcpContract,
    firewall: "GCP VPC firewall rules",
    target: gcpTarget,
    outputs: {
        firewallNames: { type: "strings", description: "GCP: the firewall rule names" },
        networkTags: {
            type: "strings",
            description:
                "GCP: the network tags the rules target: give them to the media server's instances, " +
                "or to a GKE node pool's nodeConfig.tags",
        },
    },
    plan: {
        summaries: {
            [GCP_TYPES.firewall]: (i) =>
                `${i.direction} ${(i.allows ?? []).map((a: any) => `${a.protocol}:${listText(a.ports)}`).join(" ")} ` +
                `from ${listText(i.sourceRanges)}${i.targetTags ? ` to tags ${listText(i.targetTags)}` : ""}`,
        },
        rulesIn: (r) => (r.type === GCP_TYPES.firewall ? 1 : 0),
        nextStep: (resources) => {
            const tags = (resources.find((r) => r.type === GCP_TYPES.firewall)?.inputs.targetTags as string[] | undefined) ?? [];
            return tags.length
                ? `give the media server instances, or a GKE node pool's nodeConfig.tags, the network tags ${tags.join(", ")} ` +
                      "(output networkTags): the rules apply to instances with those tags"
                : "set gcp.targetTags and give the media server instances those network " +
                      "tags: without them the rules apply to every instance in the network";
        },
    },
    updates: gcpUpdates,
    policy: {
        types: Object.values(GCP_TYPES),
        read: readGcp,
        decides: ["allows", "denies", "source", "priority", "direction", "disabled", "targetTags", "targetServiceAccounts"],
    },
});
