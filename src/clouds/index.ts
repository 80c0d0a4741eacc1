/** One target per cloud. Each maps the plan to its own resources; none knows the others. */
import type { Cloud } from "../contract/schema";
import { awsTarget } from "./aws";
import { azureTarget } from "./azure";
import { digitaloceanTarget } from "./digitalocean";
import { gcpTarget } from "./gcp";
import { hetznerTarget } from "./hetzner";
import { ociTarget } from "./oci";
import type { CloudTarget } from "./types";

export const TARGETS: Record<Cloud, CloudTarget<unknown>> = {
    aws: awsTarget as CloudTarget<unknown>,
    gcp: gcpTarget as CloudTarget<unknown>,
    digitalocean: digitaloceanTarget as CloudTarget<unknown>,
    azure: azureTarget as CloudTarget<unknown>,
    hetzner: hetznerTarget as CloudTarget<unknown>,
    oci: ociTarget as CloudTarget<unknown>,
};
