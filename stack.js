/**
 * The stack program Pulumi runs (Pulumi.yaml `main`, with `typescript: false`). It loads the compiled
 * program from dist/, which `npm install` / `pulumi install` build through the `prepare` script: plain
 * JavaScript starts without loading TypeScript, the larger part of a cold launch (see README
 * "Benchmarks"). When src/ has changed since the last build, it builds first, so an edit is never
 * deployed stale. Its exports are the stack outputs: only those the chosen cloud has.
 */
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

function newest(dir) {
    let latest = 0;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        latest = Math.max(latest, entry.isDirectory() ? newest(full) : fs.statSync(full).mtimeMs);
    }
    return latest;
}

const built = path.join(__dirname, "dist", "stack", "program.js");
const stale = !fs.existsSync(built) || newest(path.join(__dirname, "src")) > fs.statSync(built).mtimeMs;
if (stale) {
    console.log("webrtc-firewall: src/ changed since the last build; building (npm run build)");
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(__dirname, "tsconfig.build.json")], {
        stdio: "inherit",
    });
}

const { main, stackOutputs } = require(built);
module.exports = stackOutputs(main());
