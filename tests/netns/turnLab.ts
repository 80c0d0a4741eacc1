/**
 * A TURN lab: Debian's coturn in a server namespace, run as Debian's unit runs it (user turnserver),
 * a client namespace, and a third namespace behind the server (a veth pair: these kernels have no
 * `dummy` link) holding what a cloud VPC holds: a private host and the metadata addresses. Echo peers
 * (turnutils_peer) listen there, on the server's loopback and on an allowed address in the client's.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { hasTool, sh } from "./lab";
import { CHILD_OUTPUT_MAX } from "../childOutput";

export const TURN = {
    server4: "198.18.0.1",
    server6: "2001:db8:77::1",
    /** The client: inside the deny set (198.18.0.0/15, 2001:db8::/32), as a recorder in the VPC would be. */
    client4: "198.18.0.2",
    client6: "2001:db8:77::2",
    /** An echo peer the stack exempts with turnRelay.allowPeers. */
    allowed4: "198.18.0.4",
    private4: "10.0.0.5",
    metadata4: "169.254.169.254",
    metadata6: "fd00:ec2::254",
};
const PEER_PORT = 3480;

/** Why the TURN tests cannot run here, or undefined. */
export function whyNotTurn(): string | undefined {
    for (const tool of ["turnserver", "turnutils_uclient", "turnutils_peer", "runuser"])
        if (!hasTool(tool)) return `${tool} is not installed (apt-get install coturn)`;
    if (spawnSync("id", ["turnserver"]).status !== 0) return "no turnserver user (Debian's coturn package creates it)";
    return undefined;
}

export type RelayOutcome = "403" | "echo" | "silent";

export class TurnLab {
    readonly srv = `wrf-tsrv-${process.pid}`;
    readonly cli = `wrf-tcli-${process.pid}`;
    readonly vpc = `wrf-tvpc-${process.pid}`;
    /** Readable by the turnserver user (mkdtemp makes 0700 directories). */
    readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "wrf-turn-"));
    private children: ChildProcess[] = [];
    private turn?: ChildProcess;
    log = "";

    up(): void {
        fs.chmodSync(this.dir, 0o755);
        for (const ns of [this.srv, this.cli, this.vpc]) sh("ip", "netns", "add", ns);
        sh("ip", "link", "add", "wrfs", "netns", this.srv, "type", "veth", "peer", "name", "wrfc", "netns", this.cli);
        sh("ip", "link", "add", "wrfv", "netns", this.srv, "type", "veth", "peer", "name", "wrfp", "netns", this.vpc);
        const addresses: [string, string, string[]][] = [
            [this.srv, "wrfs", [`${TURN.server4}/24`, `${TURN.server6}/64`]],
            [this.cli, "wrfc", [`${TURN.client4}/24`, `${TURN.allowed4}/24`, `${TURN.client6}/64`]],
            [this.srv, "wrfv", ["10.0.0.1/24", "169.254.0.1/16", "fd00:ec2::1/64"]],
            [this.vpc, "wrfp", [`${TURN.private4}/24`, `${TURN.metadata4}/16`, `${TURN.metadata6}/64`]],
        ];
        for (const [ns, dev, list] of addresses) {
            for (const a of list) sh("ip", "-n", ns, "addr", "add", a, "dev", dev, ...(a.includes(":") ? ["nodad"] : []));
            sh("ip", "-n", ns, "link", "set", dev, "up");
        }
        for (const ns of [this.srv, this.cli, this.vpc]) sh("ip", "-n", ns, "link", "set", "lo", "up");
        sh("ip", "-n", this.vpc, "route", "add", "default", "via", "10.0.0.1");
        sh("ip", "-n", this.vpc, "-6", "route", "add", "default", "via", "fd00:ec2::1");
        const peer = (ns: string, addresses: string[]) =>
            this.spawnIn(ns, "turnutils_peer", ...addresses.flatMap((a) => ["-L", a]), "-p", String(PEER_PORT));
        peer(this.vpc, [TURN.private4, TURN.metadata4, TURN.metadata6]);
        peer(this.srv, ["127.0.0.1", "::1"]);
        peer(this.cli, [TURN.allowed4]);
    }

    down(): void {
        this.stopTurn();
        for (const child of this.children) child.kill("SIGKILL");
        for (const ns of [this.srv, this.cli, this.vpc]) spawnSync("ip", ["netns", "del", ns]);
    }

    private spawnIn(ns: string, ...command: string[]): ChildProcess {
        const child = spawn("ip", ["netns", "exec", ns, ...command], { stdio: "ignore" });
        this.children.push(child);
        return child;
    }

    /** Starts turnserver on `base + fragment` as user turnserver; resolves once it listens. */
    async startTurn(fragment: string): Promise<void> {
        this.stopTurn();
        const base = [
            `listening-ip=${TURN.server4}`,
            `listening-ip=${TURN.server6}`,
            `relay-ip=${TURN.server4}`,
            `relay-ip=${TURN.server6}`,
            "lt-cred-mech",
            "user=lab:labpass",
            "realm=lab.example",
            "no-cli",
            "no-tls",
            "log-file=stdout",
            "simple-log",
        ];
        const file = path.join(this.dir, "turnserver.conf");
        fs.writeFileSync(file, `${base.join("\n")}\n${fragment}`, { mode: 0o644 });
        const child = spawn(
            "ip",
            ["netns", "exec", this.srv, "runuser", "-u", "turnserver", "--", "turnserver", "-c", file, "--pidfile="],
            { stdio: ["ignore", "pipe", "pipe"] },
        );
        this.turn = child;
        this.log = "";
        await new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`turnserver did not start:\n${this.log}`)), 10_000);
            const read = (d: Buffer) => {
                this.log += d;
                if (/Total General servers|IPv4. UDP listener opened on/.test(this.log)) {
                    clearTimeout(timer);
                    setTimeout(resolve, 300);
                }
            };
            child.stdout!.on("data", read);
            child.stderr!.on("data", read);
            child.on("exit", (code) => reject(new Error(`turnserver exited ${code}:\n${this.log}`)));
        });
    }

    stopTurn(): void {
        if (!this.turn) return;
        this.turn.removeAllListeners("exit");
        this.turn.kill("SIGTERM");
        spawnSync("ip", ["netns", "exec", this.srv, "pkill", "-x", "turnserver"]);
        this.turn = undefined;
    }

    loadRuleset(ruleset: string | undefined): void {
        if (ruleset === undefined) {
            sh("ip", "netns", "exec", this.srv, "nft", "flush", "ruleset");
            return;
        }
        const file = path.join(this.dir, "ruleset.nft");
        fs.writeFileSync(file, ruleset);
        sh("ip", "netns", "exec", this.srv, "nft", "-f", file);
    }

    /** One allocation from the client, relaying to `peer`: refused (403), echoed, or silent. */
    relay(peer: string, family: "ipv4" | "ipv6"): RelayOutcome {
        const v6 = family === "ipv6";
        const args = [
            "-c",
            "-u",
            "lab",
            "-w",
            "labpass",
            "-n",
            "3",
            "-e",
            peer,
            "-r",
            String(PEER_PORT),
            "-L",
            v6 ? TURN.client6 : TURN.client4,
            ...(v6 ? ["-x"] : []),
            v6 ? TURN.server6 : TURN.server4,
        ];
        let out: string;
        try {
            out = execFileSync("ip", ["netns", "exec", this.cli, "timeout", "8", "turnutils_uclient", ...args], {
                maxBuffer: CHILD_OUTPUT_MAX,
                encoding: "utf8",
                stdio: ["ignore", "pipe", "pipe"],
            });
        } catch (err) {
            out = `${(err as { stdout?: string }).stdout ?? ""}${(err as { stderr?: string }).stderr ?? ""}`;
        }
        if (/403 \(Forbidden IP\)/.test(out)) return "403";
        const received = [...out.matchAll(/tot_recv_msgs=(\d+)/g)].map((m) => Number(m[1]));
        return received.some((n) => n > 0) ? "echo" : "silent";
    }
}
