/**
 * What the Google provider does to our firewall rules in an update (terraform-provider-google, bridged by
 * @pulumi/gcp): `google_compute_firewall`'s `name`, `network`, `direction` and `project` are ForceNew; every other
 * change is one `firewalls.patch` call on the rule, which takes effect as a whole. Names are auto-named per
 * resource (`<logical>-<random>`), so two rules never clash on one. GCP checks no per-rule limit an update
 * could pass mid-way: the plan's own checks hold for both ends, and each rule is one of the two.
 */
import type { UpdateModel } from "../updates";
import { GCP_TYPES } from "./policy";

export const gcpUpdates: UpdateModel = {
    monotone: true,
    resources: {
        [GCP_TYPES.firewall]: {
            replaceKeys: ["name", "network", "direction", "project"],
            source: "terraform-provider-google services/compute/resource_compute_firewall.go (ForceNew; Update via Patch)",
        },
    },
    refusals: () => [],
};
