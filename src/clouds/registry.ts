/** One target per cloud. Each maps the plan to its own resources; none knows the others. */
import type { Cloud } from "../contract/schema";
import { awsTarget } from "./aws/target";
import { azureTarget } from "./azure/target";
import { digitaloceanTarget } from "./digitalocean/target";
import { gcpTarget } from "./gcp/target";
import { hetznerTarget } from "./hetzner/target";
import { ociTarget } from "./oci/target";
import type { CloudTarget } from "./cloud";

export const TARGETS: Record<Cloud, CloudTarget<unknown>> = {
    aws: awsTarget as CloudTarget<unknown>,
    gcp: gcpTarget as CloudTarget<unknown>,
    digitalocean: digitaloceanTarget as CloudTarget<unknown>,
    azure: azureTarget as CloudTarget<unknown>,
    hetzner: hetznerTarget as CloudTarget<unknown>,
    oci: ociTarget as CloudTarget<unknown>,
};
