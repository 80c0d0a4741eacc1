/**
 * Hostile and careless configs: every way found around the checks is refused (or warned) with the
 * key path, the value and the fix, and nothing is registered. Judged by what sources cover, not by
 * their spelling.
 */
import * as assert from "node:assert/strict";
import { ConfigError } from "../../src/contract/problems";
import { CLOUDS } from "../../src/clouds/registry";
import { validateConfig } from "../../src/pipeline/validate";
import { ipv4Networks, plan, refuse, itAtScale } from "../helpers";

import { REFUSED, SSH_WORLD } from "../fixtures/hostile";

describe("hostile configs are refused, each with the key path, the value and the fix", () => {
    for (const [title, config, pattern] of REFUSED) {
        it(title, () => {
            const lines = refuse({ cloud: "aws", ...config });
            assert.ok(
                lines.some((l) => pattern.test(l)),
                `no line matches ${pattern}:\n${lines.join("\n")}`,
            );
        });
    }

    it("the same refusals hold on every cloud", () => {
        for (const cloud of CLOUDS) {
            const lines = refuse({
                cloud,
                preset: "livekit",
                adminCidrs: ["0.0.0.0/1", "128.0.0.0/1"],
                gcp: { targetTags: ["m"] },
                digitalocean: { tags: ["m"] },
                azure: { resourceGroupName: "rg" },
            });
            assert.match(lines[0]!, /^adminCidrs: /, cloud);
        }
    });

    it("__proto__ keys are reported, never taken as a prototype", () => {
        const config = JSON.parse(
            '{"cloud": "aws", "__proto__": {"cloud": "gcp"}, "preset": "livekit", "presetOptions": {"__proto__": {"turn": true}}}',
        );
        const lines = refuse(config);
        assert.deepEqual(lines, [
            '__proto__: "__proto__" is not a setting and is never read; remove it',
            'presetOptions.__proto__: "__proto__" is not a setting and is never read; remove it',
        ]);
        assert.deepEqual(
            refuse(JSON.parse('{"__proto__": {"cloud": "gcp"}}')).filter((l) => l.startsWith("cloud:")),
            ["cloud: is required; set it to one of aws, gcp, digitalocean, azure, hetzner, oci, linode, openstack"],
        );
    });

    it("a config with only cloud says there is no preset and no rule", () => {
        assert.match(refuse({ cloud: "aws", ports: [] })[0]!, /there is no preset and no rule/);
    });
});

describe("allowDangerous opens a dangerous service deliberately, and the plan says so", () => {
    it("plans the rule and warns with the port, the service and the risk", async () => {
        const { firewall, resources } = await plan({
            cloud: "aws",
            ports: [{ name: "cache", protocol: "tcp", ports: 6379, allowDangerous: true }],
        });
        assert.deepEqual(firewall.warnings, [
            'ports[0].ports: rule "cache" opens 6379/tcp (Redis: unauthenticated by default; remote code execution) to all of IPv4 and all of IPv6 (allowDangerous: true)',
        ]);
        assert.equal(resources.filter((r) => r.inputs.fromPort === 6379).length, 2);
    });

    it("never for SSH: 22/tcp to the world stays refused", () => {
        assert.match(refuse({ cloud: "aws", ports: [{ name: "s", protocol: "tcp", ports: 22, allowDangerous: true }] })[0]!, SSH_WORLD);
    });

    it("a dangerous port limited to your networks needs no opt-in", async () => {
        const { firewall } = await plan({ cloud: "aws", ports: [{ name: "cache", protocol: "tcp", ports: 6379, from: ["10.0.0.0/8"] }] });
        assert.deepEqual(firewall.warnings, []);
    });

    it("wide admin sources are a warning", () => {
        const { warnings } = validateConfig({
            cloud: "aws",
            preset: "livekit",
            adminCidrs: ["10.0.0.0/8", "2001:d00::/24", "203.0.113.0/24", "2001:db8::/32"],
        });
        assert.deepEqual(warnings, [
            "adminCidrs: 10.0.0.0/8 is wider than /16; admin ports are open to all of it",
            "adminCidrs: 2001:d00::/24 is wider than /32; admin ports are open to all of it",
        ]);
    });
});

describe("no input may hang or exhaust the planner: limits are refused at once", () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
        [
            "1,000,000 adminCidrs",
            { preset: "livekit", adminCidrs: new Array(1_000_000).fill("10.0.0.1") },
            /^adminCidrs: 1000000 entries, more than the 5000 this planner accepts/,
        ],
        [
            "100,000 rules",
            { ports: new Array(100_000).fill({ name: "a", protocol: "udp", ports: 1 }) },
            /^ports: 100000 rules, more than the 1000 this planner accepts/,
        ],
        [
            "2,000 ports x 2,000 sources",
            {
                ports: [
                    { name: "x", protocol: "udp", ports: Array.from({ length: 1000 }, (_, i) => 20000 + 2 * i), from: ipv4Networks(2000) },
                ],
            },
            /^ports: the rules expand to 2000000 \(protocol, port, source\) pairs, more than the 250000/,
        ],
    ];
    for (const [title, config, pattern] of cases) {
        it(title, () => {
            const lines = refuse({ cloud: "aws", ...config });
            assert.match(lines[0]!, pattern);
        });
    }

    itAtScale("Azure with 3,998 distinct source sets is refused (priorities would run out), not looped on", () => {
        const ports = Array.from({ length: 1000 }, (_, i) => ({
            name: `r${i}`,
            protocol: ["udp", "tcp"],
            ports: 1000 + i,
            from: [`10.${Math.floor(i / 250)}.${i % 250}.1`, `2001:db8::${i.toString(16)}`],
        }));
        const lines = refuse({ cloud: "azure", ports, azure: { resourceGroupName: "rg" } });
        assert.ok(
            lines.some((l) => /^ports: Azure needs 4000 security rules/.test(l)),
            lines.join("\n"),
        );
    });

    it("1,000 bad rules: the problems kept and shown are bounded", () => {
        const config = { cloud: "aws", ports: new Array(1000).fill({ name: "BAD", protocol: "icmp", ports: "x", from: "nowhere" }) };
        const { problems } = validateConfig(config);
        assert.equal(problems.length, 200);
        const message = new ConfigError(problems).message;
        assert.match(message, /the config has 200 problems; nothing was created/);
        assert.match(message, /\n  \.\.\. and 150 more$/);
    });
});
