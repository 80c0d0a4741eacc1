/**
 * Input limits (src/contract/limits.ts, src/sources/stackFile.ts): configs at the limits must plan in under
 * 10 s and 1 GB, and configs past them must be refused in under 2 s. Each case runs in its own process
 * (`tsx bench/limits.ts CASE`) for its wall time and peak memory.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runPlan } from "../src/cli/plan";
import { ConfigError } from "../src/contract/problems";
import { CLOUD_SETTINGS } from "../tests/cloudSettings";

const v4 = (n: number) => Array.from({ length: n }, (_, i) => `10.${Math.floor(i / 250)}.${i % 250}.0/24`);

function stackFile(config: Record<string, unknown>): string {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "wrf-limits-")), "Pulumi.limits.yaml");
    const lines = Object.entries(config).map(([k, v]) => `  webrtc-firewall:${k}: ${JSON.stringify(v)}`);
    fs.writeFileSync(file, `config:\n${lines.join("\n")}\n`);
    return file;
}

/** name → [what is expected, the stack file (or path) to plan]. */
const CASES: Record<string, [string, () => string]> = {
    "gcp: 5000 admin CIDRs, 40 admin rules": [
        "plans",
        () =>
            stackFile({
                cloud: "gcp",
                preset: "livekit",
                adminCidrs: v4(5000),
                ports: Array.from({ length: 40 }, (_, i) => ({ name: `a${i}`, protocol: "tcp", ports: 9000 + i, from: "admin" })),
                ...CLOUD_SETTINGS,
            }),
    ],
    "digitalocean: 100,000 (protocol, port, source) pairs": [
        "plans",
        () =>
            stackFile({
                cloud: "digitalocean",
                ipv6: false,
                ports: [{ name: "x", protocol: "udp", ports: Array.from({ length: 20 }, (_, i) => 20000 + 2 * i), from: v4(5000) }],
                ...CLOUD_SETTINGS,
            }),
    ],
    "gcp: 250,000 pairs, no two mergeable (the expansion limit)": [
        "plans",
        () =>
            stackFile({
                cloud: "gcp",
                ipv6: false,
                ports: [{ name: "x", protocol: "udp", ports: Array.from({ length: 50 }, (_, i) => 20000 + 2 * i), from: v4(5000) }],
                ...CLOUD_SETTINGS,
            }),
    ],
    "azure: 1000 rules": [
        "plans",
        () =>
            stackFile({
                cloud: "azure",
                ipv6: false,
                ports: Array.from({ length: 1000 }, (_, i) => ({
                    name: `r${i}`,
                    protocol: "tcp",
                    ports: 1000 + i,
                    from: [`10.0.${Math.floor(i / 200)}.${i % 200}`],
                })),
                ...CLOUD_SETTINGS,
            }),
    ],
    "1,000,000 adminCidrs (14 MB file)": [
        "refused",
        () => stackFile({ cloud: "aws", preset: "livekit", adminCidrs: new Array(1_000_000).fill("10.0.0.1") }),
    ],
    "100,000 rules": [
        "refused",
        () => stackFile({ cloud: "aws", ports: new Array(100_000).fill({ name: "a", protocol: "udp", ports: 1 }) }),
    ],
    "2,000 ports x 2,000 sources": [
        "refused",
        () =>
            stackFile({
                cloud: "gcp",
                ports: [{ name: "x", protocol: "udp", ports: Array.from({ length: 1000 }, (_, i) => 20000 + 2 * i), from: v4(2000) }],
                ...CLOUD_SETTINGS,
            }),
    ],
    "azure: 3,998 source sets": [
        "refused",
        () =>
            stackFile({
                cloud: "azure",
                ports: Array.from({ length: 1000 }, (_, i) => ({
                    name: `r${i}`,
                    protocol: ["udp", "tcp"],
                    ports: 1000 + i,
                    from: [`10.${Math.floor(i / 250)}.${i % 250}.1`, `2001:db8::${i.toString(16)}`],
                })),
                ...CLOUD_SETTINGS,
            }),
    ],
    "100,000 unknown keys (2.6 MB file)": [
        "refused",
        () => {
            const f = stackFile({ cloud: "aws", preset: "livekit" });
            fs.appendFileSync(f, Array.from({ length: 100_000 }, (_, i) => `  webrtc-firewall:k${i}: 1`).join("\n"));
            return f;
        },
    ],
    "30,000 unknown keys (under 1 MiB)": [
        "refused",
        () => {
            const f = stackFile({ cloud: "aws", preset: "livekit" });
            fs.appendFileSync(f, Array.from({ length: 30_000 }, (_, i) => `  webrtc-firewall:k${i}: 1`).join("\n"));
            return f;
        },
    ],
    "50 MB file": [
        "refused",
        () => {
            const f = stackFile({ cloud: "aws", preset: "livekit" });
            fs.appendFileSync(f, `# ${"x".repeat(50 * 1024 * 1024)}\n`);
            return f;
        },
    ],
    "/dev/zero": ["refused", () => "/dev/zero"],
};

async function runCase(name: string): Promise<void> {
    const file = CASES[name]![1]();
    const started = Date.now();
    let outcome = "plans";
    try {
        await runPlan({ config: file, json: true });
    } catch (err) {
        if (!ConfigError.isInstance(err)) throw err;
        outcome = "refused";
    }
    process.stdout.write(JSON.stringify({ outcome, ms: Date.now() - started, peakMB: Math.round(process.resourceUsage().maxRSS / 1024) }));
}

export function limitsBench(): void {
    console.log("\nInput limits: at the limits plan in < 10 s and 1 GB; past them refused in < 2 s (each in its own process)");
    console.log("\n| case | expected | outcome | ms | peak MB |\n|---|---|---|---|---|");
    const tsx = path.join(__dirname, "..", "node_modules", ".bin", "tsx");
    for (const [name, [expected]] of Object.entries(CASES)) {
        const out = JSON.parse(execFileSync(tsx, [__filename, name], { encoding: "utf8", maxBuffer: 1 << 20 }));
        console.log(
            `| ${name} | ${expected} | ${out.outcome}${out.outcome === expected ? "" : " (UNEXPECTED)"} | ${out.ms} | ${out.peakMB} |`,
        );
    }
}

if (require.main === module) {
    console.warn = () => undefined;
    process.setSourceMapsEnabled(false);
    const name = process.argv[2];
    if (name)
        runCase(name).catch((err) => {
            console.error(err);
            process.exit(1);
        });
    else limitsBench();
}
