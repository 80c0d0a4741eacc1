/**
 * Hetzner Cloud: what the mapping does with the cloud's own rules (no outbound rule, sources split at
 * 100, firewalls at 50 rules, at most 5 per server), each limit at and one past its edge, and what the
 * firewalls apply to.
 */
import * as assert from "node:assert/strict";
import type { RecordedResource } from "../../src/cli/mockRun";
import { evaluatorFor } from "../conformance";
import { ipv4Networks, ofType, plan, refuse, itAtScale } from "../helpers";
import { providerProblems } from "../providers/validators";

const FIREWALL = "hcloud:index/firewall:Firewall";
const rulesOf = (resources: RecordedResource[]) => ofType(resources, FIREWALL).flatMap((f) => f.inputs.rules as Record<string, any>[]);
/** `count` rules on distinct, non-adjacent UDP ports, each open to the world. */
const separatePorts = (count: number) =>
    Array.from({ length: count }, (_, i) => ({ name: `p${i}`, protocol: "udp", ports: 20000 + 2 * i }));

describe("Hetzner Cloud firewalls", function () {
    this.timeout(60_000);

    it("livekit: one inbound rule per protocol and port range with both families' sources, no outbound rule, attached by label", async () => {
        const { resources, firewall } = await plan({
            cloud: "hetzner",
            preset: "livekit",
            adminCidrs: ["203.0.113.0/24", "2001:db8::/48"],
            hetzner: { labelSelectors: ["role=media"], serverIds: [4711] },
        });
        const [fw] = ofType(resources, FIREWALL);
        assert.equal(fw!.name, "wrf-fw");
        assert.deepEqual(fw!.inputs.applyTos, [{ server: 4711 }, { labelSelector: "role=media" }]);
        assert.deepEqual(
            rulesOf(resources).map((r) => `${r.direction} ${r.protocol} ${r.port} ${r.sourceIps.join(",")}`),
            ["in tcp 22 203.0.113.0/24,2001:db8::/48", "in tcp 7881 0.0.0.0/0,::/0", "in udp 50000-60000 0.0.0.0/0,::/0"],
        );
        assert.ok(
            rulesOf(resources).every((r) => r.direction === "in"),
            "an outbound rule would turn Hetzner's outbound to implicit deny",
        );
        assert.equal(fw!.inputs.name, undefined, "auto-named by Pulumi: unique in the project across stacks");
        assert.deepEqual(firewall.warnings, []);
        const allowed = evaluatorFor("hetzner", resources);
        assert.ok(allowed({ direction: "out", protocol: "udp", port: 50000, address: "198.51.100.1" }), "egress works");
        assert.ok(!allowed({ direction: "in", protocol: "tcp", port: 22, address: "198.51.100.1" }));
        assert.deepEqual(providerProblems(resources), []);
    });

    it("without serverIds or labelSelectors the plan warns that it protects nothing, and says how to attach", async () => {
        const { firewall } = await plan({ cloud: "hetzner", preset: "coturn" });
        assert.deepEqual(firewall.warnings, [
            "hetzner: no serverIds and no labelSelectors, so the firewall protects nothing yet; set hetzner.serverIds or hetzner.labelSelectors, or pass firewallIds to hcloud.Server",
        ]);
    });

    it("sources: 100 in one rule, 101 split into two", async () => {
        const at = await plan({ cloud: "hetzner", ports: [{ name: "m", protocol: "tcp", ports: 9100, from: ipv4Networks(100) }] });
        assert.deepEqual(
            rulesOf(at.resources).map((r) => r.sourceIps.length),
            [100],
        );
        const past = await plan({ cloud: "hetzner", ports: [{ name: "m", protocol: "tcp", ports: 9100, from: ipv4Networks(101) }] });
        assert.deepEqual(
            rulesOf(past.resources).map((r) => r.sourceIps.length),
            [100, 1],
        );
        assert.deepEqual(providerProblems(past.resources), []);
    });

    itAtScale("rules: 50 in one firewall, 51 over two on the same servers, 250 over five, 251 refused with the counts", async () => {
        const at = await plan({ cloud: "hetzner", ports: separatePorts(50), hetzner: { serverIds: [1] } });
        assert.deepEqual(
            ofType(at.resources, FIREWALL).map((f) => f.name),
            ["wrf-fw"],
        );
        const past = await plan({ cloud: "hetzner", ports: separatePorts(51), hetzner: { serverIds: [1] } });
        assert.deepEqual(
            ofType(past.resources, FIREWALL).map((f) => [
                f.name.replace(/^wrf-fw-[0-9a-f]{8}$/, "wrf-fw-<content>"),
                (f.inputs.rules as unknown[]).length,
            ]),
            [
                ["wrf-fw-<content>", 50],
                ["wrf-fw-<content>", 1],
            ],
            "split firewalls are named by what they hold (src/update/ finds a rule moving between numbered ones)",
        );
        assert.ok(ofType(past.resources, FIREWALL).every((f) => JSON.stringify(f.inputs.applyTos) === '[{"server":1}]'));
        assert.match(past.firewall.warnings.join("\n"), /51 rules exceed 50 per firewall: split into 2 firewalls on the same servers/);
        const five = await plan({ cloud: "hetzner", ports: separatePorts(250), hetzner: { serverIds: [1] } });
        assert.equal(ofType(five.resources, FIREWALL).length, 5);
        assert.deepEqual(refuse({ cloud: "hetzner", ports: separatePorts(251) }), [
            "ports: Hetzner needs 251 inbound rules (one per protocol and port range, split at 100 sources), more than 5 firewalls × 50 rules that one server can have (Hetzner FAQ); use port ranges, fewer separate ports or fewer sources",
        ]);
    });

    it("names: 128 characters with Pulumi's suffix fit, one more is refused", async () => {
        const fits = "a".repeat(128 - 8 - "-fw".length);
        assert.ok((await plan({ cloud: "hetzner", preset: "coturn" }, fits)).resources.length);
        assert.match(
            refuse({ cloud: "hetzner", preset: "coturn" }, `${fits}a`)[0]!,
            /^name: component name "a+" makes the firewall name "a+-fw" plus 8 random characters; Hetzner allows at most 128 characters/,
        );
    });

    it("server ids and label selectors are checked like the other clouds' ids", () => {
        assert.deepEqual(
            refuse({ cloud: "hetzner", preset: "coturn", hetzner: { serverIds: [0, "x"], labelSelectors: [""], serverID: [1] } }),
            [
                "hetzner.serverIds[0]: 0 is not a Hetzner server id; use the numeric id (a whole number from 1 to 9007199254740991), e.g. 12345678",
                'hetzner.serverIds[1]: "x" is not a Hetzner server id; use the numeric id (a whole number from 1 to 9007199254740991), e.g. 12345678',
                'hetzner.labelSelectors[0]: "" is not a label selector; write one like "role=media" (Hetzner label selector syntax)',
                'hetzner.serverID: unknown key "serverID"; did you mean "serverIds"? valid keys here: serverIds, labelSelectors',
            ],
        );
    });

    it("the evaluator can fail: one outbound rule anywhere turns the rest of egress off (Hetzner FAQ)", () => {
        const fw = {
            type: FIREWALL,
            name: "x",
            inputs: { rules: [{ direction: "out", protocol: "tcp", port: "443", destinationIps: ["0.0.0.0/0"] }] },
        };
        const allowed = evaluatorFor("hetzner", [fw]);
        assert.ok(allowed({ direction: "out", protocol: "tcp", port: 443, address: "198.51.100.1" }));
        assert.ok(!allowed({ direction: "out", protocol: "udp", port: 50000, address: "198.51.100.1" }));
    });
});
