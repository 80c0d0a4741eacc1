/**
 * Docker walks around host firewalls: a published port is DNATed in prerouting and accepted in Docker's
 * own forward chain, so it never meets the input chain ufw and our nftables input chain filter. Real
 * packets: a client namespace, a "host" namespace with Docker's iptables rules for published ports on
 * the default bridge (iptables-nft, the commands moby lists in
 * integration/network/bridge/iptablesdoc/generated/usernet-portmap.md, the docker-ext-bridges ipset
 * match written as `-o docker0`), and a "container" namespace behind its docker0 running `listen`.
 * Without our rules the published PostgreSQL and Redis ports answer the world; with the nftables
 * ruleset, or with the ufw commands run by Debian's ufw (its /etc/ufw private to the namespace through
 * `ip netns exec`'s /etc/netns bind mounts), only what the spec opens does, after Docker rewrites its
 * rules too, and the container still reaches the outside.
 */
import * as assert from "node:assert/strict";
import { type ChildProcess, execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { renderHostFirewalls } from "../../../src/hosts";
import { planRules } from "../../../src/plan/plan";
import { validateConfig } from "../../../src/pipeline/validate";
import * as os from "node:os";
import { runPlan } from "../../../src/cli/plan";
import { inFolder, refuse } from "../../helpers";
import { hasTool, Lab, NET, sh, whyNot } from "../../netns/lab";
import { CHILD_OUTPUT_MAX } from "../../childOutput";

const CONTAINER = "172.17.0.2";
/** What the spec opens (a LiveKit's TCP fallback and TURN), and what the compose file publishes besides. */
const SPEC = {
    cloud: "aws",
    ipv6: false,
    ports: [
        { name: "rtc-tcp", protocol: "tcp", ports: 7881 },
        { name: "turn-udp", protocol: "udp", ports: 3478 },
    ],
};
const PUBLISHED = [
    ["tcp", 7881],
    ["udp", 3478],
    ["tcp", 5432],
    ["tcp", 6379],
] as const;

/** Docker's rules for the default bridge with PUBLISHED mapped to the container, as moby writes them. */
function dockerRules(ns: string): void {
    const ipt = (...args: string[]) => sh("ip", "netns", "exec", ns, "iptables", ...args);
    for (const chain of ["DOCKER", "DOCKER-ISOLATION-STAGE-1", "DOCKER-ISOLATION-STAGE-2", "DOCKER-USER"])
        spawnSync("ip", ["netns", "exec", ns, "iptables", "-N", chain]);
    spawnSync("ip", ["netns", "exec", ns, "iptables", "-t", "nat", "-N", "DOCKER"]);
    ipt("-t", "nat", "-A", "PREROUTING", "-m", "addrtype", "--dst-type", "LOCAL", "-j", "DOCKER");
    ipt("-t", "nat", "-A", "POSTROUTING", "-s", "172.17.0.0/16", "!", "-o", "docker0", "-j", "MASQUERADE");
    ipt("-t", "nat", "-A", "DOCKER", "-i", "docker0", "-j", "RETURN");
    ipt("-A", "FORWARD", "-j", "DOCKER-USER");
    ipt("-A", "FORWARD", "-o", "docker0", "-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED", "-j", "ACCEPT");
    ipt("-A", "FORWARD", "-j", "DOCKER-ISOLATION-STAGE-1");
    ipt("-A", "FORWARD", "-o", "docker0", "-j", "DOCKER");
    ipt("-A", "FORWARD", "-i", "docker0", "!", "-o", "docker0", "-j", "ACCEPT");
    ipt("-A", "FORWARD", "-i", "docker0", "-o", "docker0", "-j", "ACCEPT");
    ipt("-A", "DOCKER-ISOLATION-STAGE-1", "-i", "docker0", "!", "-o", "docker0", "-j", "DOCKER-ISOLATION-STAGE-2");
    ipt("-A", "DOCKER-ISOLATION-STAGE-2", "-o", "docker0", "-j", "DROP");
    if (
        !execFileSync("ip", ["netns", "exec", ns, "iptables", "-S", "DOCKER-USER"], {
            maxBuffer: CHILD_OUTPUT_MAX,
            encoding: "utf8",
        }).includes("-A DOCKER-USER")
    )
        ipt("-A", "DOCKER-USER", "-j", "RETURN");
    for (const [protocol, port] of PUBLISHED) {
        ipt(
            "-t",
            "nat",
            "-A",
            "DOCKER",
            "!",
            "-i",
            "docker0",
            "-p",
            protocol,
            "-m",
            protocol,
            "--dport",
            String(port),
            "-j",
            "DNAT",
            "--to-destination",
            `${CONTAINER}:${port}`,
        );
        ipt(
            "-I",
            "DOCKER",
            "-d",
            `${CONTAINER}/32`,
            "!",
            "-i",
            "docker0",
            "-o",
            "docker0",
            "-p",
            protocol,
            "-m",
            protocol,
            "--dport",
            String(port),
            "-j",
            "ACCEPT",
        );
    }
    ipt("-A", "DOCKER", "!", "-i", "docker0", "-o", "docker0", "-j", "DROP");
}

/** Docker restarting: it deletes and rewrites its own rules, and leaves DOCKER-USER's content alone. */
function dockerRestart(ns: string): void {
    for (const [table, chains] of [
        ["filter", ["FORWARD", "DOCKER", "DOCKER-ISOLATION-STAGE-1", "DOCKER-ISOLATION-STAGE-2"]],
        ["nat", ["PREROUTING", "POSTROUTING", "DOCKER"]],
    ] as const) {
        for (const chain of chains) sh("ip", "netns", "exec", ns, "iptables", "-t", table, "-F", chain);
    }
    dockerRules(ns);
}

const observedOf = (report: { results: { protocol: string; port: number; observed: string }[] }) =>
    Object.fromEntries(
        PUBLISHED.map(([protocol, port]) => [
            `${port}/${protocol}`,
            report.results.find((r) => r.protocol === protocol && r.port === port)!.observed,
        ]),
    );

describe("Docker's published ports in the drift check and the config", () => {
    const compose =
        'services:\n  postgres:\n    image: postgres:16\n    ports: ["5432:5432"]\n  redis:\n    image: redis:7\n    ports: ["127.0.0.1:6379:6379"]\n  livekit:\n    ports: ["44200-44300:44200-44300/udp", "7881:7881"]\n  web:\n    ports: ["8080:80", {target: 3000, published: 3000}]\n';

    it("plan --check names each publication the spec does not open, with the entry to write instead; never-expose ports are errors", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wrf-docker-"));
        fs.writeFileSync(path.join(dir, "docker-compose.yml"), compose);
        fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n  webrtc-firewall:cloud: aws\n  webrtc-firewall:preset: reflector\n");
        const { stdout, code } = await runPlan({ config: path.join(dir, "Pulumi.dev.yaml"), check: ["docker-compose.yml"] }, dir);
        assert.equal(code, 1);
        assert.match(
            stdout,
            /Published on every address though it must never be exposed \(an error: Docker forwards it past ufw and input rules\):\n  5432\/tcp  docker-compose\.yml: services\.postgres\.ports\[0\]: PostgreSQL is internal to Reflector's Docker network and must never be exposed; publish it as "127\.0\.0\.1:5432:5432", or not at all\n/,
        );
        assert.match(
            stdout,
            /Published on every address, but not opened by the spec [^\n]*:\n  8080\/tcp  docker-compose\.yml: services\.web\.ports\[0\]: open it in the spec if it must be public, else publish it as "127\.0\.0\.1:8080:80", or not at all\n  3000\/tcp  docker-compose\.yml: services\.web\.ports\[1\]: [^\n]*publish it as host_ip: 127\.0\.0\.1, or not at all\n/,
        );
        assert.doesNotMatch(stdout, /6379|44200|  7881\/tcp  docker/, "loopback and opened publications are fine");
        const json = JSON.parse(
            (await runPlan({ config: path.join(dir, "Pulumi.dev.yaml"), check: ["docker-compose.yml"], format: "json" }, dir)).stdout,
        );
        assert.deepEqual(
            json.exposed.map((e: { ports: string; never?: string }) => `${e.ports} ${e.never ? "never" : "choice"}`),
            ["5432 never", "8080 choice", "3000 choice"],
        );
    });

    it("a compose file in serverConfigs publishing a never-expose port on every address is refused before anything is registered", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wrf-docker-"));
        fs.writeFileSync(path.join(dir, "docker-compose.yml"), compose);
        assert.deepEqual(await inFolder(dir, () => refuse({ cloud: "aws", preset: "reflector", serverConfigs: ["docker-compose.yml"] })), [
            "docker-compose.yml: services.postgres.ports[0]: publishes 5432/tcp on every address: PostgreSQL is internal to Reflector's Docker network and must never be exposed (preset reflector), and Docker forwards a publication past the host firewall's input rules; publish it as \"127.0.0.1:5432:5432\", or not at all",
        ]);
    });

    it("cloud-init installs the forward-path rules with the input rules: one ruleset, loaded at boot, in a table Docker never rewrites", () => {
        const hosts = renderHostFirewalls(planRules(validateConfig(SPEC).spec!));
        assert.ok(hosts.cloudInit.includes("chain forward {") && hosts.cloudInit.includes("ct status dnat drop"), hosts.cloudInit);
    });
});

const reason = whyNot() ?? (hasTool("iptables") ? undefined : "iptables is not installed (apt-get install iptables)");
if (reason && process.env.CI === "true") {
    describe("Docker's published ports", () => it("can run on CI", () => assert.fail(`CI must run these: ${reason}`)));
} else if (reason) {
    console.log(`  (skipping Docker tests: ${reason})`);
} else {
    describe("Docker's published ports, with real packets: the host outputs hold for forwarded traffic", function () {
        this.timeout(180_000);
        let lab: Lab;
        const ctr = `wrf-ctr-${process.pid}`;
        let container: ChildProcess;
        let settings: string;
        const hosts = renderHostFirewalls(planRules(validateConfig(SPEC).spec!));

        beforeEach(async () => {
            lab = new Lab();
            lab.up();
            sh("ip", "netns", "add", ctr);
            sh("ip", "link", "add", "docker0", "netns", lab.srv, "type", "veth", "peer", "name", "eth0", "netns", ctr);
            sh("ip", "-n", lab.srv, "addr", "add", "172.17.0.1/16", "dev", "docker0");
            sh("ip", "-n", ctr, "addr", "add", `${CONTAINER}/16`, "dev", "eth0");
            for (const [ns, dev] of [
                [lab.srv, "docker0"],
                [ctr, "eth0"],
                [ctr, "lo"],
            ] as const)
                sh("ip", "-n", ns, "link", "set", dev, "up");
            sh("ip", "-n", ctr, "route", "add", "default", "via", "172.17.0.1");
            sh("ip", "netns", "exec", lab.srv, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
            dockerRules(lab.srv);
            // The container: a media server and the databases its compose file publishes, answering as `listen` does.
            const inside = lab.settings("container", {
                cloud: "aws",
                ports: PUBLISHED.map(([protocol, port]) => ({ name: `p${port}`, protocol, ports: port, allowDangerous: true })),
            });
            container = await lab.listen(inside, { ns: ctr });
            settings = lab.settings("spec", SPEC);
        });
        afterEach(() => {
            container?.kill("SIGTERM");
            spawnSync("ip", ["netns", "del", ctr]);
            lab.down();
            fs.rmSync(`/etc/netns/${lab.srv}`, { recursive: true, force: true });
        });

        async function probe(): Promise<Record<string, string>> {
            const { report, stderr } = await lab.probe(settings, NET.server4, NET.other4, ["tcp/5432", "tcp/6379"]);
            assert.ok(report, stderr);
            return observedOf(report);
        }

        /** The container reaches the outside: `listen` in the client namespace sees it as the host (masqueraded). */
        async function containerReachesOut(): Promise<void> {
            const outside = await lab.listen(
                lab.settings("outside", {
                    cloud: "aws",
                    ports: [
                        { name: "o-tcp", protocol: "tcp", ports: 40100 },
                        { name: "o-udp", protocol: "udp", ports: 40100 },
                    ],
                }),
                { ns: lab.cli },
            );
            try {
                assert.deepEqual(await lab.attacker(["ask", NET.admin4, "40100"], ctr).result, {
                    udpSeen: NET.server4,
                    tcpSeen: NET.server4,
                });
            } finally {
                outside.kill("SIGTERM");
            }
        }

        it("without our rules, and with only the input chain's idea of them, Docker exposes PostgreSQL and Redis to the world", async () => {
            assert.deepEqual(await probe(), { "7881/tcp": "open", "3478/udp": "open", "5432/tcp": "open", "6379/tcp": "open" });
        });

        it("the nftables ruleset: only what the spec opens reaches the container, also after Docker rewrites its rules; the container still reaches out", async () => {
            lab.loadRuleset(hosts.nftables);
            const expected = { "7881/tcp": "open", "3478/udp": "open", "5432/tcp": "closed", "6379/tcp": "closed" };
            assert.deepEqual(await probe(), expected);
            dockerRestart(lab.srv);
            assert.deepEqual(await probe(), expected, "Docker rewriting its own rules does not undo ours");
            await containerReachesOut();
        });

        it("the ufw commands, run by Debian's ufw: the same through DOCKER-USER", async function () {
            if (!hasTool("ufw")) return process.env.CI === "true" ? assert.fail("ufw is not installed") : this.skip();
            // ufw keeps its state in /etc/ufw: `ip netns exec` bind-mounts /etc/netns/NAME/ufw over it.
            fs.mkdirSync(`/etc/netns/${lab.srv}`, { recursive: true });
            fs.cpSync("/etc/ufw", `/etc/netns/${lab.srv}/ufw`, { recursive: true });
            const script = path.join(lab.dir, "ufw.sh");
            fs.writeFileSync(script, hosts.ufw);
            const run = spawnSync("ip", ["netns", "exec", lab.srv, "sh", "-e", script], { maxBuffer: CHILD_OUTPUT_MAX, encoding: "utf8" });
            assert.equal(run.status, 0, run.stderr + run.stdout);
            assert.match(
                fs.readFileSync(`/etc/netns/${lab.srv}/ufw/after.rules`, "utf8"),
                /# BEGIN webrtc-firewall\n\*filter\n:DOCKER-USER/,
            );
            const expected = { "7881/tcp": "open", "3478/udp": "open", "5432/tcp": "closed", "6379/tcp": "closed" };
            assert.deepEqual(await probe(), expected);
            dockerRestart(lab.srv);
            assert.deepEqual(await probe(), expected, "Docker rewriting its own rules leaves DOCKER-USER alone");
            // Running the script again replaces the block instead of adding a second one.
            assert.equal(spawnSync("ip", ["netns", "exec", lab.srv, "sh", "-e", script]).status, 0);
            assert.equal(fs.readFileSync(`/etc/netns/${lab.srv}/ufw/after.rules`, "utf8").split("# BEGIN webrtc-firewall").length, 2);
            assert.deepEqual(await probe(), expected);
            await containerReachesOut();
        });
    });
}

/**
 * Debian's docker.io itself: dockerd started in the host namespace (nsenter into its network only, so
 * it sees the machine's cgroup mounts), a container from an image imported from busybox-static (no
 * registry is reachable) serving three TCP ports with busybox httpd, published with `-p` as a compose
 * file would. Docker writes its own rules; ours must hold against them, also after it rewrites them.
 */
const dockerReason =
    whyNot() ??
    (hasTool("dockerd") && hasTool("busybox")
        ? undefined
        : "docker.io or busybox-static is not installed (apt-get install docker.io busybox-static)");
if (dockerReason && process.env.CI === "true") {
    describe("Debian's docker.io", () => it("can run on CI", () => assert.fail(`CI must run these: ${dockerReason}`)));
} else if (dockerReason) {
    console.log(`  (skipping the docker.io tests: ${dockerReason})`);
} else {
    describe("Debian's docker.io in a network namespace: published ports against the nftables ruleset and ufw", function () {
        this.timeout(240_000);
        const TCP_SPEC = { cloud: "aws", ipv6: false, ports: [{ name: "rtc-tcp", protocol: "tcp", ports: 7881 }] };
        const PORTS = [7881, 5432, 6379];
        let lab: Lab;
        let root: string;
        let env: NodeJS.ProcessEnv;
        let settings: string;
        const hosts = renderHostFirewalls(planRules(validateConfig(TCP_SPEC).spec!));
        const docker = (...args: string[]) => execFileSync("docker", args, { env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

        /** `docker run -p` for every port, as compose publishes `"5432:5432"`. */
        const run = () =>
            docker(
                "run",
                "-d",
                "--name",
                "db",
                ...PORTS.flatMap((p) => ["-p", `${p}:${p}`]),
                "wrf-busybox:1",
                "/bin/busybox",
                "sh",
                "-c",
                PORTS.map((p, i) => `/bin/busybox httpd ${i === PORTS.length - 1 ? "-f " : ""}-p ${p}`).join(" && "),
            );

        before(async function () {
            // dockerd wants the cgroup v1 controllers mounted; mount the ones this machine has folders for.
            for (const c of ["devices", "cpu", "cpuacct", "cpuset", "blkio", "memory", "pids", "freezer"]) {
                const dir = `/sys/fs/cgroup/${c}`;
                if (fs.existsSync(dir) && spawnSync("mountpoint", ["-q", dir]).status !== 0)
                    spawnSync("mount", ["-t", "cgroup", "-o", c, "cgroup", dir]);
            }
            lab = new Lab();
            lab.up();
            root = fs.mkdtempSync("/tmp/wrf-dockerd-");
            env = { ...process.env, DOCKER_HOST: `unix://${root}/docker.sock` };
            const daemon = spawnSync("sh", [
                "-c",
                `nsenter --net=/run/netns/${lab.srv} dockerd --data-root ${root}/data --exec-root ${root}/exec -H unix://${root}/docker.sock --pidfile ${root}/docker.pid --storage-driver vfs >${root}/log 2>&1 &`,
            ]);
            assert.equal(daemon.status, 0);
            for (let i = 0; i < 60 && spawnSync("docker", ["info"], { maxBuffer: CHILD_OUTPUT_MAX, env }).status !== 0; i++)
                await new Promise((r) => setTimeout(r, 500));
            assert.equal(
                spawnSync("docker", ["info"], { maxBuffer: CHILD_OUTPUT_MAX, env }).status,
                0,
                fs
                    .readFileSync(`${root}/log`, "utf8")
                    .split("\n")
                    .filter((l) => /error|fatal|failed/.test(l))
                    .slice(-5)
                    .join("\n"),
            );
            fs.mkdirSync(`${root}/image/bin`, { recursive: true });
            fs.copyFileSync(
                execFileSync("sh", ["-c", "command -v busybox"], { maxBuffer: CHILD_OUTPUT_MAX, encoding: "utf8" }).trim(),
                `${root}/image/bin/busybox`,
            );
            fs.chmodSync(`${root}/image/bin/busybox`, 0o755);
            execFileSync("sh", ["-c", `tar -C ${root}/image -c . | docker import - wrf-busybox:1`], {
                maxBuffer: CHILD_OUTPUT_MAX,
                env,
                stdio: "ignore",
            });
            settings = lab.settings("docker-spec", TCP_SPEC);
        });
        after(async () => {
            spawnSync("docker", ["rm", "-f", "db"], { maxBuffer: CHILD_OUTPUT_MAX, env });
            if (root && fs.existsSync(`${root}/docker.pid`)) spawnSync("kill", [fs.readFileSync(`${root}/docker.pid`, "utf8").trim()]);
            for (let i = 0; i < 20 && root && fs.existsSync(`${root}/docker.pid`); i++) await new Promise((r) => setTimeout(r, 250));
            lab?.down();
            fs.rmSync(`/etc/netns/${lab?.srv}`, { recursive: true, force: true });
            spawnSync("rm", ["-rf", root]);
        });
        afterEach(() => spawnSync("docker", ["rm", "-f", "db"], { maxBuffer: CHILD_OUTPUT_MAX, env }));

        async function observed(): Promise<Record<number, string>> {
            const { report, stderr } = await lab.probe(settings, NET.server4, NET.other4, ["tcp/5432", "tcp/6379"]);
            assert.ok(report, stderr);
            return Object.fromEntries(PORTS.map((p) => [p, report.results.find((r) => r.protocol === "tcp" && r.port === p)!.observed]));
        }

        it("docker run -p publishes PostgreSQL and Redis past an input-only firewall; our nftables ruleset closes them, also after Docker rewrites its rules", async () => {
            run();
            assert.deepEqual(await observed(), { 7881: "open", 5432: "open", 6379: "open" }, "Docker exposes what it publishes");
            lab.loadRuleset(hosts.nftables);
            assert.deepEqual(await observed(), { 7881: "open", 5432: "closed", 6379: "closed" });
            docker("rm", "-f", "db");
            run(); // Docker deletes and writes its rules for the container again
            assert.deepEqual(await observed(), { 7881: "open", 5432: "closed", 6379: "closed" });
            sh("ip", "netns", "exec", lab.srv, "nft", "delete", "table", "inet", "webrtc_firewall");
        });

        it("the ufw commands, run by Debian's ufw with Docker running: DOCKER-USER holds the same", async function () {
            if (!hasTool("ufw")) return process.env.CI === "true" ? assert.fail("ufw is not installed") : this.skip();
            fs.mkdirSync(`/etc/netns/${lab.srv}`, { recursive: true });
            fs.cpSync("/etc/ufw", `/etc/netns/${lab.srv}/ufw`, { recursive: true });
            const script = path.join(lab.dir, "ufw-docker.sh");
            fs.writeFileSync(script, hosts.ufw);
            run();
            const applied = spawnSync("ip", ["netns", "exec", lab.srv, "sh", "-e", script], {
                maxBuffer: CHILD_OUTPUT_MAX,
                encoding: "utf8",
            });
            assert.equal(applied.status, 0, applied.stderr + applied.stdout);
            assert.deepEqual(await observed(), { 7881: "open", 5432: "closed", 6379: "closed" });
            docker("rm", "-f", "db");
            run();
            assert.deepEqual(await observed(), { 7881: "open", 5432: "closed", 6379: "closed" });
        });
    });
}
