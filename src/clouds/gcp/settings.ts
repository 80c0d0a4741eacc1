/** GCP settings (`gcp:` block): written once, for validation, the multi-language schema and the args type. */
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { Late } from "../../contract/late";
import { quote } from "../../contract/problems";
import { idValue } from "../../contract/schema";
import { lateListSetting, lateSetting, settingsBlock, type CloudContract } from "../../contract/settings";
import type { InputList } from "../../contract/types";
import { inputList, toInput } from "../../contract/validate";

/** A GCP name or network tag: lowercase letters, digits and dashes, starting with a letter. */
export const GCP_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** The component's `gcp` args. */
export interface GcpArgs {
    network?: pulumi.Input<string>;
    targetTags?: pulumi.Input<pulumi.Input<string>[]>;
}

/** The spec's GCP part. */
export interface GcpSpec {
    network: pulumi.Input<string>;
    targetTags: InputList<string>;
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
});

type Parsed = { network?: string | Late; targetTags?: Late | (string | Late)[] };

export const gcpContract: CloudContract<Parsed, GcpSpec> = {
    name: "gcp",
    title: "GCP",
    settings,
    spec: (parsed) => ({ network: toInput(parsed?.network ?? "default"), targetTags: inputList(parsed?.targetTags) }),
};
