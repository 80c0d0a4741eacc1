/**
 * Every host format rendered at the documented expansion limit (contract/limits.ts): 250,000 (protocol,
 * port, source) pairs that no two merge. The renderers once spread their lines into `push(...)`, and
 * ufw's Docker block overflowed the stack there after planning had succeeded (issue 31).
 */
import * as assert from "node:assert/strict";
import { LIMITS } from "../../src/contract/limits";
import { renderHostFirewalls } from "../../src/hosts";
import { renderCompose, renderCoturn, renderLiveKit } from "../../src/hosts/serverFragments";
import { validateConfig } from "../../src/pipeline/validate";
import { planRules } from "../../src/plan/plan";

const SOURCES = 5000;
const PORTS = LIMITS.expansion / SOURCES;
const v4 = (n: number) => Array.from({ length: n }, (_, i) => `10.${Math.floor(i / 250)}.${i % 250}.0/24`);

describe("host formats at the expansion limit", function () {
    this.timeout(120_000);

    it(`renders nftables, ufw, iptables, cloud-init and the server fragments for ${LIMITS.expansion} pairs`, () => {
        const ports = Array.from({ length: PORTS }, (_, i) => 20000 + 2 * i); // every other port: no two ranges merge
        const validation = validateConfig({ cloud: "gcp", ipv6: false, ports: [{ name: "x", protocol: "udp", ports, from: v4(SOURCES) }] });
        assert.deepEqual(validation.problems, [], "the limit itself is accepted");
        const plan = planRules(validation.spec!);
        assert.equal(plan.flows.length, LIMITS.expansion);
        const hosts = renderHostFirewalls(plan);
        // Each source reaches every format: the first and the last port from the last source.
        const last = `10.19.249.0/24`;
        assert.match(hosts.nftables, new RegExp(`${last.replace(/\./g, "\\.")}`));
        assert.equal(hosts.ufw.split("\n").filter((l) => l.startsWith("ufw allow from ")).length, LIMITS.expansion);
        assert.equal(hosts.ufw.split("\n").filter((l) => l.startsWith("-A DOCKER-USER -s ")).length, LIMITS.expansion);
        assert.match(hosts.iptables, new RegExp(`-s ${last.replace(/\./g, "\\.")} -p udp --dport ${20000 + 2 * (PORTS - 1)}`));
        assert.ok(hosts.cloudInit.includes(hosts.nftables.split("\n")[1]!), "cloud-init carries the ruleset");
        for (const render of [renderLiveKit, renderCoturn, renderCompose]) assert.equal(typeof render(plan), "string");
    });
});
