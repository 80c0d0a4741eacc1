/**
 * The README and the pages under docs/ (the npm page and the Registry's): every TypeScript block compiles as
 * written against this package's sources, every YAML block parses, every command a shell block runs with
 * `webrtc-firewall` uses options the command has, and what the pages state about the code is what it does.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { parseDocument } from "yaml";
import { FORMATS } from "../../src/cli/plan";

const ROOT = path.resolve(__dirname, "..", "..");
const DOCS = path.join(ROOT, "docs");
const PAGES = ["README.md", ...fs.readdirSync(DOCS).map((f) => path.join("docs", f))].filter((f) => f.endsWith(".md"));
const read = (page: string) => fs.readFileSync(path.join(ROOT, page), "utf8");
const README = read("README.md");

interface Block {
    page: string;
    lang: string;
    text: string;
    /** The name an HTML comment `<!-- file: NAME -->` just above the fence gives it. */
    file?: string;
}

/** Every fenced block of a page, de-indented (blocks inside list items are indented). */
function blocksOf(page: string): Block[] {
    const markdown = read(page);
    const blocks: Block[] = [];
    const fence = /(?:<!-- file: (\S+) -->\n)?^( *)```(\w*)\n([\s\S]*?)^\2```/gm;
    for (let m = fence.exec(markdown); m; m = fence.exec(markdown)) {
        const indent = m[2]!.length;
        const text = m[4]!
            .split("\n")
            .map((line) => line.slice(Math.min(indent, line.length - line.trimStart().length)))
            .join("\n");
        blocks.push({ page, lang: m[3]!, text, file: m[1] });
    }
    return blocks;
}

const ALL = PAGES.flatMap(blocksOf);

describe("README and docs/", function () {
    this.timeout(120_000);

    it("every TypeScript block compiles under strict TypeScript, importing the package by name; named blocks import each other", () => {
        const blocks = ALL.filter((b) => b.lang === "ts");
        assert.ok(blocks.length >= 7, "the pages have their component examples");
        // Each page's blocks in a folder of their own, so a named block (`./index`) resolves within its page.
        const files = new Map(
            blocks.map((b, i) => [
                path.join(ROOT, ".readme-blocks", b.page.replace(/[/.]/g, "-"), b.file ?? `block-${i + 1}.ts`),
                b.file ? b.text : `export {};\n${b.text}`,
            ]),
        );
        const options: ts.CompilerOptions = {
            strict: true,
            noEmit: true,
            skipLibCheck: true,
            target: ts.ScriptTarget.ES2022,
            module: ts.ModuleKind.CommonJS,
            moduleResolution: ts.ModuleResolutionKind.Node10,
            esModuleInterop: true,
            types: ["node", "mocha"],
            baseUrl: ROOT,
            paths: { "webrtc-firewall": ["src/index.ts"] },
        };
        const host = ts.createCompilerHost(options);
        const getSourceFile = host.getSourceFile.bind(host);
        host.getSourceFile = (name, version) =>
            files.has(name) ? ts.createSourceFile(name, files.get(name)!, version) : getSourceFile(name, version);
        const fileExists = host.fileExists.bind(host);
        host.fileExists = (name) => files.has(name) || fileExists(name);
        const folders = new Set([...files.keys()].map((f) => path.dirname(f)));
        const directoryExists = host.directoryExists?.bind(host);
        host.directoryExists = (name) =>
            folders.has(name) || name === path.join(ROOT, ".readme-blocks") || (directoryExists?.(name) ?? true);
        const program = ts.createProgram([...files.keys()], options, host);
        const errors = ts.getPreEmitDiagnostics(program).filter((d) => d.file && files.has(d.file.fileName));
        assert.deepEqual(
            errors.map((d) => `${path.relative(ROOT, d.file!.fileName)}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`),
            [],
        );
    });

    it("every YAML block parses", () => {
        const blocks = ALL.filter((b) => b.lang === "yaml");
        assert.ok(blocks.length >= 2);
        for (const b of blocks) assert.deepEqual(parseDocument(b.text).errors.map(String), [], `${b.page}:\n${b.text}`);
    });

    it("every `webrtc-firewall plan` in a shell block uses plan's options and formats; `npm run plan` is -s wherever output is redirected", () => {
        const PLAN_OPTIONS = ["--stack", "--config", "--cloud", "--format", "--json", "--check", "--output", "--help"];
        const lines = ALL.filter((b) => b.lang === "sh").flatMap((b) => b.text.split("\n").map((line) => ({ page: b.page, line })));
        const plans = lines.filter(({ line }) =>
            /(webrtc-firewall|npm run( -s)? plan)( --)? plan\b|npm run( -s)? plan/.test(line.split("#")[0]!),
        );
        assert.ok(plans.length >= 5);
        for (const { page, line } of plans) {
            const command = line.split("#")[0]!.split(/\||&&|>/)[0]!;
            for (const option of command.match(/--[a-z-]+/g) ?? [])
                assert.ok(PLAN_OPTIONS.includes(option), `${page}: ${option} in ${line}`);
            const format = /--format (\S+)/.exec(command)?.[1];
            if (format) assert.ok((FORMATS as readonly string[]).includes(format), `${page}: --format ${format}`);
            if (/npm run plan/.test(line) && /[|>]/.test(line.split("#")[0]!))
                assert.fail(`${page}: npm's banner would land in the output: ${line}`);
        }
    });

    it("the command line page lists every format plan offers, and --check, --output and --version", () => {
        const cli = read("docs/cli.md");
        for (const format of FORMATS) assert.match(cli, new RegExp(`\\| \`--format ${format}\``), format);
        for (const option of ["--check", "--output", "--version"]) assert.match(cli, new RegExp(`\\| \`${option}`), option);
    });

    it("links between the pages lead to pages that exist, and nothing refers outside the repository", () => {
        for (const page of PAGES) {
            const text = read(page);
            assert.doesNotMatch(text, /\.\.\/shared|\]\(\.\.\/\.\./, page);
            for (const m of text.matchAll(/\]\(([^)#\s]+\.md)(#[^)]*)?\)/g)) {
                if (/^https?:/.test(m[1]!)) continue;
                assert.ok(fs.existsSync(path.join(ROOT, path.dirname(page), m[1]!)), `${page}: ${m[1]}`);
            }
        }
    });

    it("the README is short: what, why, try, install, use, links", () => {
        assert.ok(README.split("\n").length <= 260, `${README.split("\n").length} lines`);
        for (const heading of ["## Why", "## Try it", "## Install", "## Use", "## Test a program that uses it", "## Documentation"])
            assert.ok(README.includes(`\n${heading}\n`), heading);
    });

    it("the Registry's two pages have their front matter", () => {
        assert.match(read("docs/_index.md"), /^---\ntitle: webrtc-firewall\nmeta_desc: .+\nlayout: overview\n---\n/);
        assert.match(read("docs/installation-configuration.md"), /^---\ntitle: .+\nmeta_desc: .+\nlayout: package\n---\n/);
    });

    it("lists the TURN relay's deny set exactly as the code denies it", () => {
        const { DENIED_PEERS } = require("../../src/contract/relayPeers") as typeof import("../../src/contract/relayPeers");
        const rows = [...read("docs/turn.md").matchAll(/^\| `([0-9a-f:.]+\/\d+)` \| (.+) \| (.+) \|$/gm)].map(
            (m) => `${m[1]} | ${m[2]} | ${m[3]}`,
        );
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
        const testing = read("docs/testing.md");
        const section = testing.slice(testing.indexOf("`npm run mutate` runs StrykerJS"));
        const leftOut = all.filter((f) => !specs.includes(f));
        assert.deepEqual(
            leftOut.filter((f) => !section.includes(`\`${f.replace("tests/", "")}\``)),
            [],
            "the testing page's mutation paragraph names each file it leaves out",
        );
    });

    it("gives an install that works today (the tarball npm pack writes) and the test command", () => {
        const pkg = JSON.parse(read("package.json")) as { name: string; version: string };
        const tarball = `${pkg.name}-${pkg.version}.tgz`;
        assert.match(README, new RegExp(`npm install \\S*${tarball.replace(/\./g, "\\.")} @pulumi/pulumi @pulumi/aws`));
        assert.match(read("docs/installation-configuration.md"), new RegExp(tarball.replace(/\./g, "\\.")));
        assert.doesNotMatch(
            README,
            /<git URL>|github\.com\/<|npm install webrtc-firewall\b/,
            "no placeholder, no registry install that fails",
        );
        assert.match(README, /npm test/);
    });
});
