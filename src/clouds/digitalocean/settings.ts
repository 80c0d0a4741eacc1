/** DigitalOcean settings (`digitalocean:` block): written once, for validation, the multi-language schema and the args type. */
import type * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { Late } from "../../contract/late";
import { quote } from "../../contract/problems";
import { numericId } from "../../contract/schema";
import { lateListSetting, settingsBlock, type CloudContract } from "../../contract/settings";
import type { InputList } from "../../contract/types";
import { inputList } from "../../contract/validate";

const DO_TAG = /^[a-zA-Z0-9_\-:]{1,255}$/;
const DROPLETS_MAX = 10;
const DO_TAGS_MAX = 5;

/** The component's `digitalocean` args. */
export interface DigitaloceanArgs {
    dropletIds?: pulumi.Input<pulumi.Input<number>[]>;
    tags?: pulumi.Input<pulumi.Input<string>[]>;
}

/** The spec's DigitalOcean part. */
export interface DigitaloceanSpec {
    dropletIds: InputList<number>;
    tags: InputList<string>;
}

const settings = settingsBlock("digitalocean", "DigitaloceanArgs", "DigitalOcean settings.", {
    dropletIds: lateListSetting(
        z
            .custom<number>((v) => numericId(v) !== undefined, {
                error: (iss) =>
                    `${quote(iss.input)} is not a Droplet id; use the numeric id (a ` +
                    `whole number from 1 to ${Number.MAX_SAFE_INTEGER}), e.g. 123456789`,
            })
            .transform((v) => numericId(v)!),
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
});

type Parsed = { dropletIds?: Late | (number | Late)[]; tags?: Late | (string | Late)[] };

export const digitaloceanContract: CloudContract<Parsed, DigitaloceanSpec> = {
    name: "digitalocean",
    title: "DigitalOcean",
    settings,
    spec: (parsed) => ({ dropletIds: inputList(parsed?.dropletIds), tags: inputList(parsed?.tags) }),
};
