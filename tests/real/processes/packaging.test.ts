import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { itRealPart } from "../../helpers";
import { CHILD_OUTPUT_MAX } from "../../childOutput";

describe("packaging", () => {
    itRealPart("an AWS-only program loads no other cloud's SDK", () => {
        const script = `
            const Module = require("module");
            const resolve = Module._resolveFilename;
            Module._resolveFilename = function (request, ...rest) {
                if (/^@pulumi\\/(gcp|digitalocean|azure-native)/.test(request)) throw new Error("not installed: " + request);
                return resolve.call(this, request, ...rest);
            };
            require("tsx/cjs");
            const { installRecordingMocks, settle } = require("./src/cli/mockRun.ts");
            const { WebRtcFirewall } = require("./src/index.ts");
            const resources = installRecordingMocks({});
            const fw = new WebRtcFirewall("x", { cloud: "aws", preset: "livekit" });
            settle(fw).then(() => console.log(resources.length));`;
        const run = spawnSync(process.execPath, ["-e", script], {
            maxBuffer: CHILD_OUTPUT_MAX,
            cwd: path.resolve(__dirname, "..", "..", ".."),
            encoding: "utf8",
        });
        assert.equal(run.status, 0, run.stderr);
        assert.equal(run.stdout.trim(), "8"); // component, group, 4 ingress, 2 egress
    });
});
