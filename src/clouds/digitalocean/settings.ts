/** DigitalOcean settings (`digitalocean:` block): written once, for validation, the multi-language schema and the args type. */
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { Late } from "../../contract/late";
import { idValue, numericIdValue } from "../../contract/schema";
import { lateListSetting, lateSetting, settingsBlock, type CloudContract } from "../../contract/settings";
import type { InputList } from "../../contract/types";
import { inputList, optionalInput } from "../../contract/validate";

const DO_TAG = /^[a-zA-Z0-9_\-:]{1,255}$/;
const DROPLETS_MAX = 10;
const DO_TAGS_MAX = 5;

/** The component's `digitalocean` args. */
export interface DigitaloceanArgs {
    dropletIds?: pulumi.Input<pulumi.Input<number>[]>;
    tags?: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * DOKS: the cluster's id (`digitalocean.KubernetesCluster`'s `id`). The firewall is tagged `k8s:<id>`, the
     * tag DigitalOcean puts on every worker node, beside the managed `k8s-<id>-worker` firewall it rewrites.
     */
    kubernetesClusterId?: pulumi.Input<string>;
}

/** The spec's DigitalOcean part. */
export interface DigitaloceanSpec {
    dropletIds: InputList<number>;
    tags: InputList<string>;
    kubernetesClusterId?: pulumi.Input<string>;
}

/** A DOKS cluster id: a UUID, as the API returns it. */
const CLUSTER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const settings = settingsBlock("digitalocean", "DigitaloceanArgs", "DigitalOcean settings.", {
    dropletIds: lateListSetting(
        numericIdValue("a Droplet id", "123456789"),
        { type: "array", items: { type: "integer" }, description: "At most 10 Droplet ids." },
        {
            max: DROPLETS_MAX,
            message: (n) => `${n} Droplets; a DigitalOcean firewall takes at most ${DROPLETS_MAX}: use tags for larger fleets`,
        },
    ),
    tags: lateListSetting(
        z.string().regex(DO_TAG, {
            error: (iss) => `${JSON.stringify(iss.input)} is not a DigitalOcean tag; use letters, digits, "_", "-" and ":"`,
        }),
        { type: "array", items: { type: "string" }, description: "At most 5 Droplet tags; use tags for larger fleets." },
        { max: DO_TAGS_MAX, message: (n) => `${n} tags; a DigitalOcean firewall takes at most ${DO_TAGS_MAX}` },
    ),
    kubernetesClusterId: lateSetting(
        idValue('a DOKS cluster id like "1b8b2100-0e9f-4e8f-ad78-9eb578c2a0af"', (s) =>
            CLUSTER_ID.test(s)
                ? undefined
                : `"${s}" is not a DOKS cluster id; give digitalocean.KubernetesCluster's id, a UUID like ` +
                  '"1b8b2100-0e9f-4e8f-ad78-9eb578c2a0af"',
        ),
        {
            type: "string",
            description:
                "DOKS: the cluster's id (digitalocean.KubernetesCluster id). The firewall is tagged k8s:<id>, the tag every worker " +
                "node carries, beside the managed k8s-<id>-worker firewall, which DigitalOcean rewrites.",
        },
    ),
});

type Parsed = { dropletIds?: Late | (number | Late)[]; tags?: Late | (string | Late)[]; kubernetesClusterId?: string | Late };

export const digitaloceanContract: CloudContract<Parsed, DigitaloceanSpec> = {
    name: "digitalocean",
    title: "DigitalOcean",
    settings,
    nodePool: {
        given: (parsed) => parsed?.kubernetesClusterId !== undefined,
        settings: "digitalocean.kubernetesClusterId (DOKS)",
        // digitalocean-cloud-controller-manager's firewall controller (do/firewall_controller.go,
        // createReconciledFirewallRequest): for an external REGIONAL_NETWORK load balancer (passthrough, the default) it
        // opens the Service's own ports to 0.0.0.0/0 and ::/0 on the workers, and the health-check port from the load
        // balancer; for a NodePort Service, its node ports to 0.0.0.0/0 and ::/0 unless the Service is annotated
        // kubernetes.digitalocean.com/firewall-managed: "false".
        loadBalancer: {
            delivers: "servicePort",
            healthChecks: "controller",
            worldOnly:
                "DigitalOcean's cloud controller opens a REGIONAL_NETWORK load balancer's ports to everyone on the workers " +
                "(its public-access firewall, where it keeps one), so no rule of ours can keep them to some sources; " +
                "keep it to them at the load " +
                "balancer (the Service's spec.loadBalancerSourceRanges) and make this rule public, or use exposure: hostNetwork",
            controller:
                "DOKS: DigitalOcean's cloud controller opens the LoadBalancer Service's ports and its health checks on the " +
                "workers itself; keep the Service to these rules' sources with spec.loadBalancerSourceRanges.",
        },
        warnings: {
            nodePort:
                'DOKS: annotate each NodePort Service kubernetes.digitalocean.com/firewall-managed: "false", or DigitalOcean\'s ' +
                "cloud controller opens its node ports to 0.0.0.0/0 and ::/0 in its public-access firewall (where it keeps one), " +
                "whatever these rules keep.",
        },
    },
    check(parsed, _chosen, problems) {
        const tags = parsed?.tags;
        if (parsed?.kubernetesClusterId !== undefined && Array.isArray(tags) && tags.length >= DO_TAGS_MAX)
            problems.push({
                path: "digitalocean.tags",
                message:
                    `${tags.length} tags and the cluster's k8s:<id> tag; a DigitalOcean firewall takes at most ${DO_TAGS_MAX}: ` +
                    `name at most ${DO_TAGS_MAX - 1} beside digitalocean.kubernetesClusterId`,
            });
    },
    spec: (parsed) => ({
        dropletIds: inputList(parsed?.dropletIds),
        tags: inputList(parsed?.tags),
        ...(parsed?.kubernetesClusterId !== undefined ? { kubernetesClusterId: optionalInput(parsed.kubernetesClusterId) } : {}),
    }),
};
