/** GCP settings (`gcp:` block): written once, for validation, the multi-language schema and the args type. */
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { Late } from "../../contract/late";
import { quote } from "../../contract/problems";
import { idValue } from "../../contract/schema";
import { lateListSetting, lateSetting, plainSetting, settingsBlock, type CloudContract } from "../../contract/settings";
import type { InputList } from "../../contract/types";
import { inputList, toInput } from "../../contract/validate";

/** A GCP name or network tag: lowercase letters, digits and dashes, starting with a letter. */
export const GCP_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** The component's `gcp` args. */
export interface GcpArgs {
    network?: pulumi.Input<string>;
    targetTags?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * GKE: the media pods run on a node pool of a `standard` cluster, over hostNetwork; without targetTags the
     * rules target a tag of their own (output `networkTags`) for the pool's `nodeConfig.tags`. `autopilot` is
     * refused: Autopilot admits no hostNetwork or hostPort pod.
     */
    gke?: "standard" | "autopilot";
}

/** The spec's GCP part. */
export interface GcpSpec {
    network: pulumi.Input<string>;
    targetTags: InputList<string>;
    gke?: "standard" | "autopilot";
}

const settings = settingsBlock("gcp", "GcpArgs", "GCP settings.", {
    network: lateSetting(idValue('a VPC network name or self link like "default"'), {
        type: "string",
        description: "The VPC network name or self link; default `default`.",
    }),
    targetTags: lateListSetting(
        z.string().refine((t) => GCP_NAME.test(t) && t.length <= 63, {
            error: (iss) =>
                `${quote(iss.input)} is not a GCP network tag; use 1-63 lowercase letters, digits and dashes, starting with a letter`,
        }),
        {
            type: "array",
            items: { type: "string" },
            description: "The media server instances' network tags; without them the rules reach every instance in the network.",
        },
    ),
    gke: plainSetting(z.enum(["standard", "autopilot"], { error: (iss) => `${quote(iss.input)} is not a GKE mode; use standard` }), {
        type: "string",
        enum: [{ value: "standard" }, { value: "autopilot" }],
        description:
            "GKE: the media pods run over hostNetwork on a node pool of a Standard cluster; without targetTags the rules target a tag " +
            "of their own (output networkTags) for the pool's nodeConfig.tags. Autopilot admits no hostNetwork pod, so it is refused.",
    }),
});

type Parsed = { network?: string | Late; targetTags?: Late | (string | Late)[]; gke?: "standard" | "autopilot" };

/**
 * GKE Autopilot's admission refuses hostNetwork and hostPort pods (GKE Warden's `autogke-no-host-port`;
 * GKE docs "Security constraints in Autopilot"; livekit/livekit-helm#147), so no firewall rule can reach a
 * media pod there by the node's ports.
 */
const AUTOPILOT =
    "is autopilot: GKE Autopilot admits no pod with hostNetwork or hostPort (GKE Warden's autogke-no-host-port), so the " +
    "media server's ports cannot be a node's ports there; run the media server on a node pool of a GKE Standard cluster " +
    "(gke: standard), or reach it through NodePort services (kubernetes.exposure: nodePort)";

export const gcpContract: CloudContract<Parsed, GcpSpec> = {
    name: "gcp",
    title: "GCP",
    settings,
    nodePool: {
        given: (parsed) => parsed?.gke !== undefined,
        settings: "gcp.gke (GKE)",
        // A passthrough Network Load Balancer delivers packets with the client's address and its own address and port
        // kept, so a firewall rule sees the Service's port. Health-check ranges: Cloud Load Balancing, "Firewall
        // rules" (external passthrough: 35.191.0.0/16, 209.85.152.0/22, 209.85.204.0/22; internal: 35.191.0.0/16, 130.211.0.0/22).
        loadBalancer: {
            delivers: "servicePort",
            healthChecks: {
                sources: ["35.191.0.0/16", "130.211.0.0/22", "209.85.152.0/22", "209.85.204.0/22"],
                from: "GKE's load balancers check health from Google's documented ranges, which the rule takes",
            },
            controller:
                "GKE: the service controller also writes its own firewall rule (k8s-fw-…) for a LoadBalancer Service's ports " +
                "from spec.loadBalancerSourceRanges, 0.0.0.0/0 when unset: give the Service loadBalancerSourceRanges no wider " +
                "than these rules' sources.",
        },
    },
    check(parsed, chosen, problems, { exposure }) {
        // Autopilot admits NodePort services; only the node's own ports are out of reach there.
        if (chosen && parsed?.gke === "autopilot" && exposure === "hostNetwork") problems.push({ path: "gcp.gke", message: AUTOPILOT });
    },
    spec: (parsed) => ({
        network: toInput(parsed?.network ?? "default"),
        targetTags: inputList(parsed?.targetTags),
        ...(parsed?.gke !== undefined ? { gke: parsed.gke } : {}),
    }),
};
