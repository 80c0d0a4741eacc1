/** Hetzner Cloud settings (`hetzner:` block): written once, for validation, the multi-language schema and the args type. */
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { Late } from "../../contract/late";
import { quote } from "../../contract/problems";
import { numericIdValue } from "../../contract/schema";
import { lateListSetting, settingsBlock, type CloudContract } from "../../contract/settings";
import { UNPRINTABLE } from "../../contract/text";
import type { InputList } from "../../contract/types";
import { inputList } from "../../contract/validate";

/** The component's `hetzner` args: what the firewalls apply to, server ids and label selectors (`role=media`). */
export interface HetznerArgs {
    serverIds?: pulumi.Input<pulumi.Input<number>[]>;
    labelSelectors?: pulumi.Input<pulumi.Input<string>[]>;
}

/** The spec's Hetzner part. */
export interface HetznerSpec {
    serverIds: InputList<number>;
    labelSelectors: InputList<string>;
}

/** Hetzner label selectors (`role=media`, `env in (prod)`): printable text, at most 255 characters here. */
const labelSelector = z.string().refine((s) => s.trim() !== "" && s.length <= 255 && !new RegExp(UNPRINTABLE.source, "u").test(s), {
    error: (iss) => `${quote(iss.input)} is not a label selector; write one like "role=media" (Hetzner label selector syntax)`,
});

const settings = settingsBlock("hetzner", "HetznerArgs", "Hetzner Cloud settings.", {
    serverIds: lateListSetting(numericIdValue("a Hetzner server id", "12345678"), {
        type: "array",
        items: { type: "integer" },
        description: "Servers the firewalls apply to, by id.",
    }),
    labelSelectors: lateListSetting(labelSelector, {
        type: "array",
        items: { type: "string" },
        description: 'Label selectors of the servers the firewalls apply to, e.g. "role=media".',
    }),
});

type Parsed = { serverIds?: Late | (number | Late)[]; labelSelectors?: Late | (string | Late)[] };

export const hetznerContract: CloudContract<Parsed, HetznerSpec> = {
    name: "hetzner",
    title: "Hetzner Cloud",
    settings,
    spec: (parsed) => ({ serverIds: inputList(parsed?.serverIds), labelSelectors: inputList(parsed?.labelSelectors) }),
};
