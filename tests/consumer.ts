/** The package as a consumer gets it: packed once per test run (`npm pack` builds through `prepare`), installed into fresh projects. */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CHILD_OUTPUT_MAX } from "./childOutput";

export const ROOT = path.resolve(__dirname, "..");
const made: string[] = [];

/**
 * A temporary folder that is removed when the test process exits: a consumer project with its node_modules is
 * hundreds of megabytes, and runs that left them filled a disk in this session.
 */
export function scratchDir(prefix: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    if (!made.length) process.once("exit", () => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
    made.push(dir);
    return dir;
}

export const NPM_FLAGS = ["--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"];
/** `pkg@<the version this repo tests with>`, so a consumer gets what the tests ran against. */
export const pinned = (pkg: string) =>
    `${pkg}@${JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", pkg, "package.json"), "utf8")).version as string}`;

let tarball: string | undefined;
export function packedTarball(): string {
    if (!tarball) {
        const packDir = fs.mkdtempSync(path.join(os.tmpdir(), "wrf-pack-"));
        const packed = execFileSync("npm", ["pack", "--json", "--pack-destination", packDir, ...NPM_FLAGS], {
            maxBuffer: CHILD_OUTPUT_MAX,
            cwd: ROOT,
            encoding: "utf8",
        });
        tarball = path.join(packDir, JSON.parse(packed.slice(packed.indexOf("[")))[0].filename);
    }
    return tarball;
}

/** A fresh project with the packed package and `packages` installed. */
export function consumerProject(packages: string[]): string {
    const project = scratchDir("wrf-consumer-");
    fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true }));
    execFileSync("npm", ["install", packedTarball(), ...packages.map(pinned), ...NPM_FLAGS], {
        maxBuffer: CHILD_OUTPUT_MAX,
        cwd: project,
        stdio: "pipe",
    });
    return project;
}
