/**
 * Oracle Cloud's image trap, with real packets. An Ubuntu image on OCI loads /etc/iptables/rules.v4 at
 * boot (netfilter-persistent) that accepts established traffic, ICMP, loopback, NTP replies and SSH, then
 * rejects everything else with icmp-host-prohibited, and sends 169.254.0.0/16 through its InstanceServices
 * chain. The ruleset below is that file as an instance of the image lists it (`iptables-save`; the
 * listing is published in nigel447/github.io `content/posts/ubunt-oci.md`, and Oracle's "Enabling Network
 * Traffic to Ubuntu Images in Oracle Cloud Infrastructure" describes the same REJECT; OCI's CLI reference
 * for `network nsg`: "Compute service images automatically include firewall rules"). Loaded with Debian's
 * iptables-nft in the server's namespace: without our host part the media ports are closed however the
 * cloud rules read; with the nftables ruleset and the image-openings script, they open, SSH is left to
 * adminCidrs, and a service on a port the spec does not name stays closed.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { ChildProcess } from "node:child_process";
import { validateConfig } from "../../../src/pipeline/validate";
import { renderHostFirewalls } from "../../../src/hosts";
import { planRules } from "../../../src/plan/plan";
import type { ProbeReport } from "../../../src/verify/probe";
import { hasTool, Lab, NET, sh, TSX, whyNot } from "../../netns/lab";

const UBUNTU_OCI_RULES_V4 = `*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:InstanceServices - [0:0]
-A INPUT -m state --state RELATED,ESTABLISHED -j ACCEPT
-A INPUT -p icmp -j ACCEPT
-A INPUT -i lo -j ACCEPT
-A INPUT -p udp -m udp --sport 123 -j ACCEPT
-A INPUT -p tcp -m state --state NEW -m tcp --dport 22 -j ACCEPT
-A INPUT -j REJECT --reject-with icmp-host-prohibited
-A FORWARD -j REJECT --reject-with icmp-host-prohibited
-A OUTPUT -d 169.254.0.0/16 -j InstanceServices
-A InstanceServices -d 169.254.0.2/32 -p tcp -m owner --uid-owner 0 -m tcp --dport 3260 -j ACCEPT
-A InstanceServices -d 169.254.2.0/24 -p tcp -m owner --uid-owner 0 -m tcp --dport 3260 -j ACCEPT
-A InstanceServices -d 169.254.0.2/32 -p tcp -m tcp --dport 80 -j ACCEPT
-A InstanceServices -d 169.254.169.254/32 -p udp -m udp --dport 53 -j ACCEPT
-A InstanceServices -d 169.254.169.254/32 -p tcp -m tcp --dport 53 -j ACCEPT
-A InstanceServices -d 169.254.169.254/32 -p tcp -m tcp --dport 80 -j ACCEPT
-A InstanceServices -d 169.254.169.254/32 -p udp -m udp --dport 67 -j ACCEPT
-A InstanceServices -d 169.254.169.254/32 -p udp -m udp --dport 69 -j ACCEPT
-A InstanceServices -d 169.254.169.254/32 -p udp -m udp --dport 123 -j ACCEPT
-A InstanceServices -d 169.254.0.0/16 -p tcp -m tcp -j REJECT --reject-with tcp-reset
-A InstanceServices -d 169.254.0.0/16 -p udp -m udp -j REJECT --reject-with icmp-port-unreachable
COMMIT
`;

/** A LiveKit-sized spec on OCI, IPv4 (the image's rules.v6 rejects nothing). */
const SPEC = {
    cloud: "oci",
    ipv6: false,
    adminCidrs: [`${NET.admin4}/32`],
    oci: { compartmentId: "ocid1.compartment.oc1..aaaaaaaamedia", vcnId: "ocid1.vcn.oc1.eu-frankfurt-1.amaaaaaamedia" },
    ports: [
        { name: "rtc-udp", protocol: "udp", ports: "40000-40010" },
        { name: "rtc-tcp", protocol: "tcp", ports: 7881 },
        { name: "turn-udp", protocol: "udp", ports: 3478 },
    ],
};
/** Services on the host the spec does not name: they must stay closed to the world. */
const OTHERS = {
    cloud: "aws",
    ipv6: false,
    ports: [
        { name: "admin-ui", protocol: "tcp", ports: 8080 },
        { name: "rdp", protocol: "tcp", ports: 3389, allowDangerous: true },
        // One port per source-port-123 check: an answered datagram leaves a conntrack entry that would let the next one in.
        { name: "stats", protocol: "udp", ports: "9000-9005" },
    ],
};
const OTHER_PORTS = ["tcp/8080", "tcp/3389", "udp/9000"];

/**
 * Whether a UDP question from `source`, sent from port 123, gets an answer from a stats port (9000-9005, a
 * new one each time: an answered one leaves a conntrack entry that later datagrams of the pair would match).
 */
let statsPort = 9000;
const fromNtpPort = (lab: Lab, source: string) =>
    sh(
        "ip",
        "netns",
        "exec",
        lab.cli,
        TSX,
        path.join(__dirname, "..", "..", "netns", "fromPort.ts"),
        source,
        "123",
        NET.server4,
        String(statsPort++),
    )
        .toString()
        .trim();

const observed = (report: ProbeReport) => Object.fromEntries(report.results.map((r) => [`${r.protocol}/${r.port}`, r.observed]));

const reason = whyNot() ?? (hasTool("iptables-restore") ? undefined : "iptables is not installed (apt-get install iptables)");
if (reason && process.env.CI === "true") {
    describe("Oracle Cloud's image firewall", () => it("can run on CI", () => assert.fail(`CI must run these: ${reason}`)));
} else if (reason) {
    console.log(`  (skipping Oracle Cloud's image firewall: ${reason})`);
} else {
    describe("Oracle Cloud's image firewall, with real packets: the Ubuntu image's iptables REJECT, without and with our host part", function () {
        this.timeout(180_000);
        const lab = new Lab();
        let listeners: ChildProcess[] = [];
        let settings: string;

        before(async () => {
            lab.up();
            const rules = path.join(lab.dir, "rules.v4");
            fs.writeFileSync(rules, UBUNTU_OCI_RULES_V4);
            sh("ip", "netns", "exec", lab.srv, "iptables-restore", rules);
            settings = lab.settings("oci", SPEC);
            listeners = [await lab.listen(settings), await lab.listen(lab.settings("others", OTHERS))];
        });
        after(() => {
            for (const l of listeners) l.kill("SIGTERM");
            lab.down();
        });

        it("the image's rules alone: every media port is closed, SSH is open to anyone, the other services are closed", async () => {
            const { report } = await lab.probe(settings, NET.server4, NET.other4, OTHER_PORTS);
            const seen = observed(report);
            for (const port of ["udp/40000", "udp/40010", "tcp/7881", "udp/3478"]) assert.equal(seen[port], "closed", port);
            assert.equal(seen["tcp/22"], "open", "the image's own SSH rule");
            for (const port of OTHER_PORTS) assert.equal(seen[port], "closed", port);
            assert.equal(fromNtpPort(lab, NET.other4), "answered", "the image's stateless UDP accept from source port 123");
        });

        const hosts = renderHostFirewalls(planRules(validateConfig(SPEC).spec!));

        it("our nftables ruleset alone does not open them: the image's REJECT ends the packet in a base chain of its own", async () => {
            lab.loadRuleset(hosts.nftables);
            const { report } = await lab.probe(settings, NET.server4, NET.other4, OTHER_PORTS);
            const seen = observed(report);
            for (const port of ["udp/40000", "tcp/7881", "udp/3478"]) assert.equal(seen[port], "closed", port);
        });

        /** Runs the image-openings script twice (a second boot or run must not add a second jump or duplicate rules). */
        const runOpenings = () => {
            const script = path.join(lab.dir, "openings.sh");
            fs.writeFileSync(script, hosts.iptables);
            for (let i = 0; i < 2; i++) sh("ip", "netns", "exec", lab.srv, "sh", script);
            const input = sh("ip", "netns", "exec", lab.srv, "iptables", "-S", "INPUT").toString().split("\n");
            assert.deepEqual(
                input.filter((l) => l.includes("WEBRTC-FIREWALL")),
                ["-A INPUT -j WEBRTC-FIREWALL"],
            );
            assert.equal(input[1], "-A INPUT -j WEBRTC-FIREWALL", "ahead of the image's REJECT");
        };

        /** From a source that is not admin, then from admin: the spec exactly, SSH from admin only, nothing from port 123. */
        const assertSpecExactly = async () => {
            for (const [source, ssh] of [
                [NET.other4, "closed"],
                [NET.admin4, "open"],
            ] as const) {
                const { report } = await lab.probe(settings, NET.server4, source, OTHER_PORTS);
                const wrong = report.results.filter((r) => r.observed !== r.expected);
                assert.deepEqual(
                    wrong.map((r) => `${r.protocol}/${r.port} expected ${r.expected}, observed ${r.observed}`),
                    [],
                    `from ${source}`,
                );
                const seen = observed(report);
                for (const port of ["udp/40000", "udp/40010", "tcp/7881", "udp/3478"])
                    assert.equal(seen[port], "open", `${port} from ${source}`);
                assert.equal(seen["tcp/22"], ssh, `ssh from ${source}`);
                for (const port of OTHER_PORTS) assert.equal(seen[port], "closed", `${port} from ${source}`);
                assert.equal(fromNtpPort(lab, source), "silent", `a stats port from ${source}, source port 123`);
            }
        };

        it("at boot (cloud-init: the nftables ruleset and the image-openings script): the spec exactly, from whom it says", async () => {
            runOpenings();
            await assertSpecExactly();
        });

        it("on a running server (the image-openings script alone, on the image's rules as booted): the spec exactly as well", async () => {
            sh("ip", "netns", "exec", lab.srv, "nft", "delete", "table", "inet", "webrtc_firewall");
            sh("ip", "netns", "exec", lab.srv, "iptables-restore", path.join(lab.dir, "rules.v4"));
            assert.ok(
                !sh("ip", "netns", "exec", lab.srv, "iptables", "-S").toString().includes("WEBRTC-FIREWALL"),
                "the image's rules as booted",
            );
            assert.equal(fromNtpPort(lab, NET.other4), "answered", "the hole is back before the script runs");
            runOpenings();
            await assertSpecExactly();
        });
    });
}
