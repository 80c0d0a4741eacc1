/**
 * Property tests: for random valid configs, what lands on each cloud opens exactly the spec,
 * egress works, and updates are calm. Seeded: WRF_SEED=<n> reproduces a run (fast-check prints
 * the seed and the counterexample on failure); WRF_RUNS=<n> changes the number of configs.
 */
import * as assert from "node:assert/strict";
import fc from "fast-check";
import { isComponent, type RecordedResource } from "../../src/cli/mockRun";
import { CLOUDS } from "../../src/clouds/registry";
import { checkConformance } from "../conformance";
import { cidr, configs, freshRule, shuffleArgs, type Generated } from "../generators";
import { plan, itProperty } from "../helpers";

const SEED = Number(process.env.WRF_SEED ?? 20261121);
const RUNS = Number(process.env.WRF_RUNS ?? 200);

const cloudResources = (resources: RecordedResource[]) => resources.filter((r) => !isComponent(r));

function azurePriorities(resources: RecordedResource[]): Map<string, number> {
    const nsg = resources.find((r) => r.type === "azure-native:network:NetworkSecurityGroup")!;
    return new Map((nsg.inputs.securityRules as { name: string; priority: number }[]).map((r) => [r.name, r.priority]));
}

async function checkCalmUpdates(
    cloud: string,
    g: Generated,
    base: RecordedResource[],
    k: number,
    addedSources: string[] | "public",
): Promise<void> {
    const shuffled = await plan(shuffleArgs(g.args, k));
    assert.deepEqual(shuffled.resources, base, `${cloud}: shuffling the config's lists changed the plan`);

    const extra = freshRule(g.spec, 1024 + k * 97, addedSources);
    if (!extra) return;
    const grown = await plan({ ...g.args, ports: [...((g.args.ports as unknown[]) ?? []), extra] });
    const after = new Map(cloudResources(grown.resources).map((r) => [r.name, r]));
    // Named by what they open (docs/updates.md): on GCP the new rule's source set's rules, one a family, are new
    // rules (created before the old ones go); split DigitalOcean and Hetzner firewalls are renamed with their content.
    const split = ["digitalocean", "hetzner"].includes(cloud) && cloudResources(base).length > 1;
    const renamed = cloudResources(base).filter((r) => !after.has(r.name));
    assert.ok(
        renamed.length <= (cloud === "gcp" ? 2 : split ? Infinity : 0),
        `${cloud}: adding a rule renamed or removed ${renamed.map((r) => r.name).join(", ")}`,
    );
    for (const r of cloudResources(base))
        if (cloud === "aws") assert.deepEqual(after.get(r.name), r, `${cloud}: adding a rule changed ${r.name}`);
    if (cloud === "azure") {
        const before = azurePriorities(base);
        const grownPriorities = azurePriorities(grown.resources);
        for (const [name, priority] of before) assert.equal(grownPriorities.get(name), priority, `azure: adding a rule renumbered ${name}`);
    }
}

describe("properties: effective policy and calm updates on every cloud", function () {
    this.timeout(240_000);
    for (const cloud of CLOUDS) {
        itProperty(`${cloud}: ${RUNS} random configs open exactly the spec, keep egress, and update calmly (seed ${SEED})`, async () => {
            const sources = fc.oneof(fc.constant<"public">("public"), fc.array(cidr, { minLength: 1, maxLength: 2 }));
            await fc.assert(
                fc.asyncProperty(configs(cloud), fc.nat(50), sources, async (g, k, addedSources) => {
                    const base = await plan(g.args);
                    checkConformance(cloud, g, base.resources);
                    await checkCalmUpdates(cloud, g, base.resources, k, addedSources);
                }),
                { seed: SEED, numRuns: RUNS },
            );
        });
    }
});
