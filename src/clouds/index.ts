/** One target per cloud. Each maps the plan to its own resources; none knows the others. */
import type { Cloud } from "../spec/schema";
import { awsTarget } from "./aws";
import type { CloudTarget } from "./types";

export const TARGETS: Partial<Record<Cloud, CloudTarget<unknown>>> = {
    aws: awsTarget as CloudTarget<unknown>,
};
