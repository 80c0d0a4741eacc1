/**
 * Hostile server files of the largest size a server config may have (1 MiB), each through the whole
 * planner in its own process held to 512 MB of heap (bench/hostileFile.ts). Target: every one under
 * 2 s and 512 MB, ending in a plan or a config error. Beside it, what the same kind of file cost
 * before the readers were hardened, as issue 22 measured it on this machine's kind.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { billionLaughs } from "../tests/fixtures/hostile";

const MiB = 1024 * 1024;
const fill = (line: (i: number) => string, head = "", budget = MiB - 64): string => {
    let out = head;
    for (let i = 0; out.length + line(i).length < budget; i++) out += line(i);
    return out;
};

const CASES: { name: string; file: string; kind?: string; text: () => string; before: string }[] = [
    {
        name: "1 MiB of blank lines, then a coturn key",
        file: "turn.txt",
        text: () => `${"\n".repeat(MiB - 32)}listening-port=3478\n`,
        before: "80,000 lines: 8.7 s; 1 MiB: about 25 min (quadratic)",
    },
    {
        name: 'compose: "1-65535:1-65535/udp" as often as fits',
        file: "docker-compose.yml",
        text: () => fill(() => '      - "1-65535:1-65535/udp"\n', "services:\n  media:\n    ports:\n"),
        before: "400 entries (12 KB): 31 s, 3.9 GB; out of heap through serverConfigs",
    },
    {
        name: "compose: every other single port published",
        file: "docker-compose.yml",
        text: () => fill((i) => `      - "${(i % 32767) * 2 + 1}:80"\n`, "services:\n  media:\n    ports:\n"),
        before: "-",
    },
    {
        name: "livekit.yaml: 60,000 keys, one repeated",
        file: "livekit.yaml",
        text: () => fill((i) => `k${i}: ${i}\n`, "rtc: {tcp_port: 7881}\n", MiB - 200) + "k5: 1\n",
        before: "-",
    },
    {
        name: "livekit.yaml: nine levels of nine aliases",
        file: "livekit.yaml",
        text: () => billionLaughs("rtc: {tcp_port: 7881}"),
        before: "stack trace (Excessive alias count), exit 3",
    },
    {
        name: "livekit.yaml: a flow sequence nested a million deep",
        file: "deep.yaml",
        kind: "livekit",
        text: () => `rtc: ${"[".repeat(MiB - 16)}\n`,
        before: "-",
    },
    {
        name: "turnserver.conf: one line of a megabyte",
        file: "turnserver.conf",
        text: () => `listening-port=${"9".repeat(MiB - 32)}\n`,
        before: "the whole value echoed into the error",
    },
    {
        name: "turnserver.conf: 30,000 denied-peer-ip lines",
        file: "turnserver.conf",
        text: () =>
            fill(
                (i) => `denied-peer-ip=10.${(i >> 8) & 255}.${i & 255}.0-10.${(i >> 8) & 255}.${i & 255}.255\n`,
                "listening-port=3478\nmin-port=49152\nmax-port=65535\n",
            ),
        before: "-",
    },
];

export function hostileFilesBench(): void {
    console.log(
        "\nHostile server files, 1 MiB each, through serverConfigs and plan --check, in a process held to 512 MB of heap (target: under 2 s and 512 MB each)",
    );
    console.log(
        "\n| file | bytes | ms (both runs) | peak MB | serverConfigs | plan --check | before hardening |\n|---|---|---|---|---|---|---|",
    );
    const tsx = path.join(__dirname, "..", "node_modules", ".bin", "tsx");
    for (const c of CASES) {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wrf-bench-hostile-"));
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: media\nruntime: nodejs\n");
        const text = c.text();
        fs.writeFileSync(path.join(dir, c.file), text);
        let row: { ms: number; peakMB: number; planned: string; checked: string };
        try {
            const out = execFileSync(tsx, [path.join(__dirname, "hostileFile.ts"), dir, c.file, ...(c.kind ? [c.kind] : [])], {
                encoding: "utf8",
                env: { ...process.env, NODE_OPTIONS: "--max-old-space-size=512" },
                timeout: 300_000,
            });
            row = JSON.parse(out);
        } catch (err) {
            row = { ms: NaN, peakMB: NaN, planned: `FAILED: ${String((err as Error).message).split("\n")[0]}`, checked: "" };
        }
        const over = row.ms > 2000 || row.peakMB > 512 ? " OVER TARGET" : "";
        console.log(
            `| ${c.name} | ${Buffer.byteLength(text)} | ${row.ms}${over} | ${row.peakMB} | ${row.planned} | ${row.checked} | ${c.before} |`,
        );
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

if (require.main === module) hostileFilesBench();
