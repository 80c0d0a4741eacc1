/** Two network namespaces joined by a veth pair, for real-packet tests and the probe benchmark. */
import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { ProbeReport } from "../../src/verify/probe";

const ROOT = path.resolve(__dirname, "..", "..");
export const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
const CLI = path.join(ROOT, "src", "cli", "main.ts");
// RFC 2544 benchmarking and RFC 3849 documentation addresses, only ever inside these namespaces.
export const NET = {
    server4: "198.18.0.1",
    admin4: "198.18.0.2",
    other4: "198.18.0.3",
    server6: "2001:db8:77::1",
    admin6: "2001:db8:77::2",
    other6: "2001:db8:77::3",
};
export const ADMIN = [`${NET.admin4}/32`, `${NET.admin6}/128`];

/** Whether a command is on the PATH. */
export const hasTool = (tool: string): boolean => spawnSync("sh", ["-c", `command -v ${tool}`]).status === 0;

/** Why real-packet tests cannot run here, or undefined when they can. */
export function whyNot(): string | undefined {
    if (process.getuid?.() !== 0) return "not root: network namespaces need root";
    for (const tool of ["ip", "nft"]) if (!hasTool(tool)) return `${tool} is not installed (apt-get install iproute2 nftables)`;
    const probeNs = `wrf-check-${process.pid}`;
    if (spawnSync("ip", ["netns", "add", probeNs]).status !== 0) return "cannot create a network namespace here";
    spawnSync("ip", ["netns", "del", probeNs]);
    return undefined;
}

export const sh = (...args: string[]) => execFileSync(args[0]!, args.slice(1), { stdio: "pipe" });

export class Lab {
    readonly srv = `wrf-srv-${process.pid}`;
    readonly cli = `wrf-cli-${process.pid}`;
    readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "wrf-netns-"));

    up(): void {
        sh("ip", "netns", "add", this.srv);
        sh("ip", "netns", "add", this.cli);
        sh("ip", "link", "add", "wrfs", "netns", this.srv, "type", "veth", "peer", "name", "wrfc", "netns", this.cli);
        for (const [ns, dev, v4, v6] of [
            [this.srv, "wrfs", [NET.server4], [NET.server6]],
            [this.cli, "wrfc", [NET.admin4, NET.other4], [NET.admin6, NET.other6]],
        ] as const) {
            for (const a of v4) sh("ip", "-n", ns, "addr", "add", `${a}/24`, "dev", dev);
            for (const a of v6) sh("ip", "-n", ns, "addr", "add", `${a}/64`, "dev", dev, "nodad");
            sh("ip", "-n", ns, "link", "set", "lo", "up");
            sh("ip", "-n", ns, "link", "set", dev, "up");
        }
    }

    down(): void {
        spawnSync("ip", ["netns", "del", this.srv]);
        spawnSync("ip", ["netns", "del", this.cli]);
    }

    /** Writes a stack settings file for `args` (JSON is YAML) and returns its path. */
    settings(name: string, args: Record<string, unknown>): string {
        const file = path.join(this.dir, `Pulumi.${name}.yaml`);
        const lines = Object.entries(args).map(([k, v]) => `  webrtc-firewall:${k}: ${JSON.stringify(v)}`);
        fs.writeFileSync(file, `config:\n${lines.join("\n")}\n`);
        return file;
    }

    loadRuleset(ruleset: string): void {
        const file = path.join(this.dir, "ruleset.nft");
        fs.writeFileSync(file, ruleset);
        sh("ip", "netns", "exec", this.srv, "nft", "-f", file);
    }

    /**
     * Starts `listen` in a namespace (the server's by default) and resolves once it says it is listening
     * on every port; `ulimit` caps its open files, `args` are more options (--for).
     */
    listen(settings: string, options: { ns?: string; ulimit?: number; args?: string[] } = {}): Promise<ChildProcess> {
        const command = [TSX, CLI, "listen", "--config", settings, ...(options.args ?? [])];
        const inner = options.ulimit ? ["sh", "-c", `ulimit -n ${options.ulimit} && exec "$@"`, "sh", ...command] : command;
        const child = spawn("ip", ["netns", "exec", options.ns ?? this.srv, ...inner], { stdio: ["ignore", "pipe", "pipe"] });
        return new Promise((resolve, reject) => {
            let out = "";
            child.stdout!.on("data", (d) => {
                out += d;
                if (!/listening on \d+ tcp and \d+ udp ports/.test(out)) return;
                if (/not listening on/.test(out)) {
                    child.kill("SIGTERM");
                    reject(new Error(`listen could not bind every port:\n${out}`));
                } else resolve(child);
            });
            child.on("exit", (code) => reject(new Error(`listen exited ${code}: ${out}`)));
        });
    }

    /** Runs tests/netns/attacker.ts in a namespace (the client's by default); resolves with its JSON line and the child. */
    attacker(args: string[], ns = this.cli): { child: ChildProcess; result: Promise<any> } {
        const child = spawn("ip", ["netns", "exec", ns, TSX, path.join(__dirname, "attacker.ts"), ...args], {
            stdio: ["ignore", "pipe", "pipe"],
        });
        let out = "";
        const result = new Promise((resolve, reject) => {
            child.stdout!.on("data", (d) => {
                out += d;
                if (out.includes("\n")) resolve(JSON.parse(out.split("\n")[0]!));
            });
            child.on("exit", (code) => reject(new Error(`attacker exited ${code} before answering: ${out}`)));
        });
        return { child, result };
    }

    /** Probes several (host, source) pairs from the client namespace in one process (tests/netns/probeMany.ts). */
    probeMany(settings: string, pairs: [string, string][], extra: string[]): ProbeReport[] {
        const out = execFileSync(
            "ip",
            ["netns", "exec", this.cli, TSX, path.join(__dirname, "probeMany.ts"), settings, JSON.stringify(pairs), extra.join(",")],
            { encoding: "utf8", maxBuffer: 1 << 28 },
        );
        return JSON.parse(out);
    }

    /** Runs the `probe --json` command from the client namespace. */
    probe(
        settings: string,
        host: string,
        source: string,
        extra: string[] = [],
    ): Promise<{ code: number | null; report: ProbeReport; stderr: string }> {
        const args = [
            "netns",
            "exec",
            this.cli,
            TSX,
            CLI,
            "probe",
            "--config",
            settings,
            "--host",
            host,
            "--source",
            source,
            "--json",
            "--timeout",
            "300",
        ];
        if (extra.length) args.push("--extra", extra.join(","));
        const child = spawn("ip", args, { stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        return new Promise((resolve) =>
            child.on("close", (code) => resolve({ code, report: stdout ? JSON.parse(stdout) : undefined, stderr })),
        );
    }
}
