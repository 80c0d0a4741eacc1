/** Oracle Cloud settings (`oci:` block): written once, for validation, the multi-language schema and the args type. */
import type * as pulumi from "@pulumi/pulumi";
import type { Late } from "../../contract/late";
import { idValue } from "../../contract/schema";
import { lateSetting, settingsBlock, type CloudContract } from "../../contract/settings";
import { optionalInput } from "../../contract/validate";

/** The component's `oci` args: the compartment and VCN of a new NSG, or an NSG you already have. */
export interface OciArgs {
    compartmentId?: pulumi.Input<string>;
    vcnId?: pulumi.Input<string>;
    networkSecurityGroupId?: pulumi.Input<string>;
}

/** The spec's OCI part. */
export type OciSpec = OciArgs;

/** An OCID (`ocid1.<type>.<realm>.[region][.future].<unique id>`, OCI "Resource Identifiers") of one of `types`. */
const ocid = (what: string, types: string[], example: string) =>
    idValue(what, (s) =>
        new RegExp(`^ocid1\\.(${types.join("|")})\\.[a-z0-9]+\\.[a-z0-9-]*(\\.[a-z0-9-]+)?\\.[a-z0-9]{1,255}$`).test(s)
            ? undefined
            : `"${s}" is not ${what}; write the OCID as the console shows it, e.g. "${example}"`,
    );

const settings = settingsBlock("oci", "OciArgs", "Oracle Cloud settings.", {
    compartmentId: lateSetting(ocid("a compartment OCID", ["compartment", "tenancy"], "ocid1.compartment.oc1..aaaaaaaa…"), {
        type: "string",
        description: "The compartment OCID of the network security group; required on OCI unless networkSecurityGroupId is given.",
    }),
    vcnId: lateSetting(ocid("a VCN OCID", ["vcn"], "ocid1.vcn.oc1.eu-frankfurt-1.amaaaaaa…"), {
        type: "string",
        description: "The VCN OCID where the media server's VNIC is; required on OCI unless networkSecurityGroupId is given.",
    }),
    /** An NSG the user already has: the rules are added to it, no NSG is created. */
    networkSecurityGroupId: lateSetting(
        ocid("a network security group OCID", ["networksecuritygroup"], "ocid1.networksecuritygroup.oc1.eu-frankfurt-1.aaaaaaaa…"),
        {
            type: "string",
            description: "An NSG you already have: the rules are added to it, and no NSG or egress rule is created.",
        },
    ),
});

type Parsed = { compartmentId?: string | Late; vcnId?: string | Late; networkSecurityGroupId?: string | Late };

export const ociContract: CloudContract<Parsed, OciSpec> = {
    name: "oci",
    title: "Oracle Cloud",
    settings,
    /** A new NSG needs its compartment and VCN; an existing one already has both. */
    check(parsed, chosen, problems) {
        if (parsed?.networkSecurityGroupId !== undefined) {
            for (const key of ["compartmentId", "vcnId"] as const) {
                if (parsed[key] !== undefined)
                    problems.push({
                        path: `oci.${key}`,
                        message:
                            `is set together with oci.networkSecurityGroupId; an existing NSG already ` +
                            `has its ${key === "vcnId" ? "VCN" : "compartment"}: remove ${key}`,
                    });
            }
            return;
        }
        if (!chosen || problems.some((p) => p.path.startsWith("oci"))) return;
        for (const key of ["compartmentId", "vcnId"] as const) {
            if (parsed?.[key] === undefined)
                problems.push({
                    path: `oci.${key}`,
                    message:
                        `is required when cloud is oci (the NSG's ` +
                        `${key === "vcnId" ? "VCN, where the media server's VNIC is" : "compartment"}); ` +
                        `or give oci.networkSecurityGroupId to add the rules to an NSG you have`,
                });
        }
    },
    spec: (parsed) => ({
        compartmentId: optionalInput(parsed?.compartmentId),
        vcnId: optionalInput(parsed?.vcnId),
        networkSecurityGroupId: optionalInput(parsed?.networkSecurityGroupId),
    }),
};
