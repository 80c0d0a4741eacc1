/**
 * Cold start of `pulumi up`'s program launch, side by side: this project's stack program (stack.js,
 * loading the program that `npm install` compiled into dist/; the first launch after an edit of src/
 * builds first and is not what this measures) and Pulumi's
 * minimal TypeScript AWS program (one security group, `import * as aws from "@pulumi/aws"` and the
 * template's tsconfig.json), both through the real `@pulumi/pulumi/cmd/run` as the language host spawns
 * it (tests/launch/languageHost.ts), each with an empty ts-node cache (a fresh TMPDIR): what a new
 * machine or CI pays. Prints a markdown table; `npm run bench` includes it.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { launch } from "../tests/launch/languageHost";
import { PULUMI_TEMPLATE_COMPILER_OPTIONS } from "../tests/pulumiTemplate";

const ROOT = path.resolve(__dirname, "..");
const RUNS = Number(process.env.WRF_LAUNCH_RUNS ?? 3);

/** Pulumi's aws-typescript template, reduced to one security group; node_modules is this repo's. */
function minimalAwsProgram(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wrf-minimal-aws-"));
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: minimal-aws\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n");
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "minimal-aws", main: "index.ts" }));
    fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n  aws:region: us-east-1\n");
    fs.writeFileSync(
        path.join(dir, "index.ts"),
        'import * as aws from "@pulumi/aws";\n\nconst group = new aws.ec2.SecurityGroup("web", { description: "web" });\nexport const groupId = group.id;\n',
    );
    const tsconfig = { compilerOptions: PULUMI_TEMPLATE_COMPILER_OPTIONS, files: ["index.ts"] };
    fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
    return dir;
}

async function coldLaunch(projectDir: string, stack: string, env: Record<string, string> = {}): Promise<number> {
    const run = await launch({
        projectDir,
        stack,
        dryRun: true,
        env: { TMPDIR: fs.mkdtempSync(path.join(os.tmpdir(), "wrf-cold-")), ...env },
    });
    if (run.code !== 0) throw new Error(`${projectDir} exited ${run.code}:\n${run.stderr.slice(-2000)}`);
    return run.seconds;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function launchBench(): Promise<void> {
    const minimal = minimalAwsProgram();
    const cases: [string, () => Promise<number>][] = [
        ["webrtc-firewall stack aws (as shipped: stack.js, the program compiled by prepare)", () => coldLaunch(ROOT, "aws")],
        ["Pulumi minimal AWS program (template tsconfig, type-checked)", () => coldLaunch(minimal, "dev")],
    ];
    console.log(
        `\nCold launch through @pulumi/pulumi/cmd/run, median of ${RUNS} (target: under 3 s, no slower than the minimal AWS program)`,
    );
    console.log("\n| program | median s | runs |\n|---|---|---|");
    for (const [label, run] of cases) {
        const times: number[] = [];
        for (let i = 0; i < RUNS; i++) times.push(await run());
        console.log(`| ${label} | ${median(times).toFixed(2)} | ${times.map((t) => t.toFixed(2)).join(", ")} |`);
    }
}

if (require.main === module) {
    launchBench().catch((err) => {
        console.error(err);
        process.exit(1);
    });
}
