/**
 * A cloud is one folder: nothing in src/ outside src/clouds/<cloud>/ names its provider package, its
 * resource type tokens, its schema type or its own settings, except its line in the registry; and what
 * is written by hand about the clouds (the YAML descriptions) names every one of them.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { CLOUD_LIST, CLOUD_OUTPUT_NAMES } from "../../src/clouds/registry";
import { packageSchema } from "../../src/provider/schema";

const ROOT = path.resolve(__dirname, "..", "..");
const sources = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const full = path.join(dir, e.name);
        return e.isDirectory() ? sources(full) : e.name.endsWith(".ts") ? [path.relative(ROOT, full)] : [];
    });
/**
 * Setting names that are ordinary words elsewhere (a tag, a network, a location), another cloud's output's name, or a
 * field of another cloud's SDK (OpenStack's SecGroupRule takes `securityGroupId`; AWS's setting is still checked as
 * `aws.securityGroupId`).
 */
const COMMON = new Set(["tags", "network", "location", "securityGroupId", ...CLOUD_OUTPUT_NAMES]);

describe("one folder per cloud", () => {
    const files = sources(path.join(ROOT, "src")).map((file) => ({ file, text: fs.readFileSync(path.join(ROOT, file), "utf8") }));

    for (const cloud of CLOUD_LIST) {
        it(`${cloud.name}: nothing outside src/clouds/${cloud.name}/ names its package, types or settings`, () => {
            const words = [cloud.target.sdkPackage, cloud.settings.typeName, ...cloud.policy.types, ...Object.keys(cloud.plan.summaries)];
            const settings = Object.keys(cloud.settings.settings);
            const found = files
                .filter(({ file }) => !file.startsWith(`src/clouds/${cloud.name}/`) && file !== "src/clouds/registry.ts")
                .flatMap(({ file, text }) =>
                    [
                        ...words.filter((w) => text.includes(w)),
                        ...settings.filter((k) => text.includes(`${cloud.name}.${k}`)),
                        ...settings.filter((k) => !COMMON.has(k) && new RegExp(`\\b${k}\\b`).test(text)),
                    ].map((w) => `${file}: ${w}`),
                );
            assert.deepEqual(found, []);
            assert.ok(words.length > 3 && settings.length > 0, "the check has something to look for");
        });
    }

    it("the hand-written descriptions and the generated ones name every cloud", () => {
        const titles = CLOUD_LIST.map((c) => c.title);
        const yaml = (file: string) => /^description: (.*)$/m.exec(fs.readFileSync(path.join(ROOT, file), "utf8"))![1]!;
        for (const text of [yaml("Pulumi.yaml"), yaml("policy-pack/PulumiPolicy.yaml"), packageSchema("0.0.0").description as string]) {
            assert.deepEqual(
                titles.filter((t) => !text.includes(t)),
                [],
                text,
            );
        }
        const cloudKey = /cloud:\n\s+type: string\n\s+description: "(.*)"/.exec(
            fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8"),
        )![1]!;
        assert.deepEqual(
            CLOUD_LIST.map((c) => c.name).filter((n) => !new RegExp(`\\b${n}\\b`).test(cloudKey)),
            [],
            cloudKey,
        );
    });
});
