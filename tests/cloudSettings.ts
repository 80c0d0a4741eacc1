/**
 * One settings block per cloud (every cloud but AWS needs one to validate), shared by the tests and the
 * benchmark so the copies cannot disagree. The golden files are planned with these.
 */
export const CLOUD_SETTINGS = {
    gcp: { targetTags: ["media"] },
    digitalocean: { tags: ["media"] },
    azure: { resourceGroupName: "rg-media" },
    hetzner: { labelSelectors: ["role=media"] },
    oci: { compartmentId: "ocid1.compartment.oc1..aaaaaaaamedia", vcnId: "ocid1.vcn.oc1.eu-frankfurt-1.amaaaaaamedia" },
    linode: { linodeIds: [41234567] },
    openstack: {},
};

/** `cloud`'s block alone, under its key (`{}` for a cloud that needs none). */
export function settingsOf(cloud: string): Record<string, unknown> {
    const block = (CLOUD_SETTINGS as Record<string, unknown>)[cloud];
    return block === undefined ? {} : { [cloud]: block };
}
