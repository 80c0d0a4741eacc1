/**
 * The TURN relay's peer lockdown with Debian's coturn 4.6.1 and the kernel's netfilter (tests/netns/
 * turnLab.ts): the config fragment and the nftables ruleset from the plan, each layer alone, and the
 * shipped config as the reference that reaches the metadata service. Needs root, iproute2, nftables and
 * coturn (.ci/run installs them); skipped elsewhere with the reason, never on CI.
 */
import * as assert from "node:assert/strict";
import { renderNftables } from "../../../src/hosts/nftables";
import { renderCoturn } from "../../../src/hosts/serverFragments";
import { validateConfig } from "../../../src/pipeline/validate";
import { planRules } from "../../../src/plan/plan";
import { whyNot } from "../../netns/lab";
import { TURN, TurnLab, whyNotTurn, type RelayOutcome } from "../../netns/turnLab";

const args = { cloud: "aws", preset: "coturn", turnRelay: { allowPeers: [`${TURN.allowed4}/32`] } };
const plan = planRules(validateConfig(args).spec!);
const locked = renderCoturn(plan);
/** The same fragment with every lockdown line taken out: what the ports alone say. */
const portsOnly = locked.split("# TURN relay peer lockdown")[0]!;

/** Peers the relay must never reach, and how the client asks for them. */
const DENIED: [string, "ipv4" | "ipv6"][] = [
    [TURN.metadata4, "ipv4"],
    [TURN.private4, "ipv4"],
    ["127.0.0.1", "ipv4"],
    [TURN.metadata6, "ipv6"],
    ["::ffff:127.0.0.1", "ipv6"],
    ["::ffff:169.254.169.254", "ipv6"],
];

const reason = whyNot() ?? whyNotTurn();
if (reason && process.env.CI === "true") {
    describe("the TURN relay lockdown with coturn", () => it("can run on CI", () => assert.fail(`CI must run these: ${reason}`)));
} else if (reason) {
    console.log(`  (skipping TURN relay tests: ${reason})`);
} else {
    describe("the TURN relay lockdown with Debian's coturn, in network namespaces", function () {
        this.timeout(120_000);
        const lab = new TurnLab();
        before(() => lab.up());
        after(() => lab.down());
        const outcomes = (peers: [string, "ipv4" | "ipv6"][]) =>
            Object.fromEntries(peers.map(([peer, family]) => [peer, lab.relay(peer, family)]));
        const every = (peers: [string, unknown][], outcome: RelayOutcome) => Object.fromEntries(peers.map(([peer]) => [peer, outcome]));

        it("reference: the shipped config's port lines alone relay to the metadata service and the private network", async () => {
            lab.loadRuleset(undefined);
            await lab.startTurn("listening-port=3478\nmin-port=49152\nmax-port=65535\n");
            assert.deepEqual(
                outcomes([
                    [TURN.metadata4, "ipv4"],
                    [TURN.private4, "ipv4"],
                    [TURN.metadata6, "ipv6"],
                ]),
                { [TURN.metadata4]: "echo", [TURN.private4]: "echo", [TURN.metadata6]: "echo" },
            );
        });

        it("both layers: every denied peer is refused with 403 (Forbidden IP), IPv4-mapped spellings too; the allowed peer echoes to a client inside the deny set", async () => {
            lab.loadRuleset(renderNftables(plan));
            await lab.startTurn(locked);
            assert.doesNotMatch(lab.log, /Wrong address format/, "coturn read every lockdown line");
            assert.deepEqual(outcomes(DENIED), every(DENIED, "403"));
            assert.equal(lab.relay(TURN.allowed4, "ipv4"), "echo");
        });

        it("coturn's lines alone (no ruleset loaded) refuse every denied peer", async () => {
            lab.loadRuleset(undefined);
            await lab.startTurn(locked);
            assert.deepEqual(outcomes(DENIED), every(DENIED, "403"));
            assert.equal(lab.relay(TURN.allowed4, "ipv4"), "echo");
        });

        it("the nftables ruleset alone (coturn without the deny lines) keeps every denied relay from reaching its peer", async () => {
            lab.loadRuleset(renderNftables(plan));
            await lab.startTurn(portsOnly);
            // coturn grants the permission, the output chain drops what the relay sends.
            const reachable: [string, "ipv4" | "ipv6"][] = [
                [TURN.metadata4, "ipv4"],
                [TURN.private4, "ipv4"],
                [TURN.metadata6, "ipv6"],
            ];
            assert.deepEqual(outcomes(reachable), every(reachable, "silent"));
            assert.equal(
                lab.relay(TURN.allowed4, "ipv4"),
                "echo",
                "allowPeers pass the output chain, and replies reach a client inside the deny set",
            );
        });
    });
}
