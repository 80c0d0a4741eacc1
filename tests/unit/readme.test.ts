/** The README is the npm page: its TypeScript blocks compile as written, against this package's sources. */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";

const ROOT = path.resolve(__dirname, "..", "..");
const README = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");

/** Every ```ts block, de-indented (blocks inside list items are indented). */
function tsBlocks(markdown: string): string[] {
    const blocks: string[] = [];
    const fence = /^( *)```ts\n([\s\S]*?)^\1```/gm;
    for (let m = fence.exec(markdown); m; m = fence.exec(markdown)) {
        const indent = m[1]!.length;
        blocks.push(
            m[2]!
                .split("\n")
                .map((line) => line.slice(Math.min(indent, line.length - line.trimStart().length)))
                .join("\n"),
        );
    }
    return blocks;
}

describe("README", function () {
    this.timeout(120_000);

    it("every TypeScript block compiles under strict TypeScript, importing the package by name", () => {
        const blocks = tsBlocks(README);
        assert.ok(blocks.length >= 2, "the README has its component examples");
        const files = new Map(blocks.map((text, i) => [path.join(ROOT, `readme-block-${i + 1}.ts`), `export {};\n${text}`]));
        const options: ts.CompilerOptions = {
            strict: true,
            noEmit: true,
            skipLibCheck: true,
            target: ts.ScriptTarget.ES2022,
            module: ts.ModuleKind.CommonJS,
            moduleResolution: ts.ModuleResolutionKind.Node10,
            esModuleInterop: true,
            types: ["node"],
            baseUrl: ROOT,
            paths: { "webrtc-firewall": ["src/index.ts"] },
        };
        const host = ts.createCompilerHost(options);
        const getSourceFile = host.getSourceFile.bind(host);
        host.getSourceFile = (name, version) =>
            files.has(name) ? ts.createSourceFile(name, files.get(name)!, version) : getSourceFile(name, version);
        const fileExists = host.fileExists.bind(host);
        host.fileExists = (name) => files.has(name) || fileExists(name);
        const program = ts.createProgram([...files.keys()], options, host);
        const errors = ts.getPreEmitDiagnostics(program).filter((d) => d.file && files.has(d.file.fileName));
        assert.deepEqual(
            errors.map((d) => `${path.basename(d.file!.fileName)}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`),
            [],
        );
    });

    it("refers to no file outside the repository", () => {
        assert.doesNotMatch(README, /\.\.\/shared|\]\(\.\.\//);
    });

    it("lists the TURN relay's deny set exactly as the code denies it", () => {
        const { DENIED_PEERS } = require("../../src/contract/relayPeers") as typeof import("../../src/contract/relayPeers");
        const rows = [...README.matchAll(/^\| `([0-9a-f:.]+\/\d+)` \| (.+) \| (.+) \|$/gm)].map((m) => `${m[1]} | ${m[2]} | ${m[3]}`);
        assert.deepEqual(
            rows,
            DENIED_PEERS.map((p) => `${p.cidr} | ${p.what} | ${p.source}`),
        );
    });

    it("names every test file `npm run mutate` leaves out; its three Stryker configs run all the others", () => {
        const specs = ["stryker.contract.json", "stryker.mappings.json", "stryker.policy.json"].flatMap(
            (f) => (JSON.parse(fs.readFileSync(path.join(ROOT, f), "utf8")) as { mochaOptions: { spec: string[] } }).mochaOptions.spec,
        );
        const all = ["unit", "real/network", "real/processes"].flatMap((lane) =>
            fs
                .readdirSync(path.join(ROOT, "tests", lane))
                .filter((f) => f.endsWith(".test.ts"))
                .map((f) => `tests/${lane}/${f}`),
        );
        for (const file of specs) assert.ok(all.includes(file), `${file} is in a Stryker config but does not exist`);
        const section = README.slice(README.indexOf("`npm run mutate` runs StrykerJS"), README.indexOf("## Benchmarks"));
        const leftOut = all.filter((f) => !specs.includes(f));
        assert.deepEqual(
            leftOut.filter((f) => !section.includes(`\`${f.replace("tests/", "")}\``)),
            [],
            "the README's mutation paragraph names each file it leaves out",
        );
    });

    it("gives the install command and the test command", () => {
        assert.match(README, /npm install webrtc-firewall @pulumi\/pulumi @pulumi\/aws/);
        assert.match(README, /npm test/);
    });
});
