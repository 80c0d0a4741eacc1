/**
 * Hostile and careless configs: every way found around the checks is refused (or warned) with the
 * key path, the value and the fix, and nothing is registered. Judged by what sources cover, not by
 * their spelling.
 */
import * as assert from "node:assert/strict";
import { ConfigError } from "../src/errors";
import { CLOUDS } from "../src/contract/schema";
import { validateConfig } from "../src/contract/validate";
import { ipv4Networks, plan, refuse } from "./helpers";

const SSH_WORLD = /opens 22\/tcp \(SSH\) to /;

/** [title, config, a pattern one problem line must match]. */
const REFUSED: [string, Record<string, unknown>, RegExp][] = [
    ["adminCidrs 0.0.0.0/0 and ::/0", { preset: "livekit", adminCidrs: ["0.0.0.0/0", "::/0"] }, /^adminCidrs: .* together cover all of IPv4 and all of IPv6; adminCidrs name who may administer the server/],
    ["ipv6: false does not make ::/0 admin safe", { preset: "livekit", ipv6: false, adminCidrs: ["::/0"] }, /^adminCidrs: .*cover all of IPv6/],
    ["two /1 halves", { ports: [{ name: "s", protocol: "tcp", ports: 22, from: ["0.0.0.0/1", "128.0.0.0/1"] }] }, /^ports\[0\]\.ports: rule "s" opens 22\/tcp \(SSH\) to all of IPv4;/],
    ["four /2 quarters", { ports: [{ name: "s", protocol: "tcp", ports: 22, from: ["0.0.0.0/2", "64.0.0.0/2", "128.0.0.0/2", "192.0.0.0/2"] }] }, SSH_WORLD],
    ["IPv6 halves", { ports: [{ name: "s", protocol: "tcp", ports: 22, from: ["::/1", "8000::/1"] }] }, /opens 22\/tcp \(SSH\) to all of IPv6/],
    ["halves as adminCidrs", { preset: "livekit", adminCidrs: ["0.0.0.0/1", "128.0.0.0/1"] }, /^adminCidrs: .*cover all of IPv4/],
    ["world admin + an admin rule over every port", { adminCidrs: ["0.0.0.0/0"], ports: [{ name: "all", protocol: ["udp", "tcp"], ports: "1-65535", from: "admin" }] }, /^adminCidrs: /],
    ["6to4 2002::/16", { ports: [{ name: "s", protocol: "tcp", ports: 22, from: ["2002::/16"] }] }, /to every IPv4 host \(6to4 2002::\/16\)/],
    ["Teredo 2001::/32", { ports: [{ name: "s", protocol: "tcp", ports: 22, from: ["2001::/32"] }] }, /to every IPv4 host \(Teredo 2001::\/32\)/],
    ["NAT64 64:ff9b::/96", { ports: [{ name: "s", protocol: "tcp", ports: 22, from: ["64:ff9b::/96"] }] }, /to every IPv4 host \(NAT64 64:ff9b::\/96\)/],
    ["IPv4-mapped ::ffff:0:0/96", { ports: [{ name: "s", protocol: "tcp", ports: 22, from: ["::ffff:0:0/96"] }] }, /IPv4-mapped IPv6 range/],
    ["6to4 as two halves", { ports: [{ name: "s", protocol: "tcp", ports: 22, from: ["2002::/17", "2002:8000::/17"] }] }, /6to4/],
    ["an admin rule's port opened to the world by another rule", { adminCidrs: ["203.0.113.0/24"], ports: [{ name: "metrics", protocol: "tcp", ports: 9100, from: "admin" }, { name: "wide", protocol: "tcp", ports: "9000-9200" }] }, /^ports\[1\]\.ports: rule "wide" opens 9100\/tcp \(admin rule "metrics"\) to all of IPv4 and all of IPv6/],
    ["reflector dashboard opened to the world", { preset: "reflector", ports: [{ name: "dash", protocol: "tcp", ports: 8888 }], adminCidrs: ["203.0.113.0/24"], presetOptions: { dashboard: true } }, /rule "dash" opens 8888\/tcp \(admin rule "dashboard"\)/],
    ["RDP with no preset", { ports: [{ name: "rdp", protocol: "tcp", ports: 3389 }] }, /^ports\[0\]\.ports: rule "rdp" opens 3389\/tcp \(RDP: remote desktop brute force\) to all of IPv4 and all of IPv6; .*set allowDangerous: true on this rule/],
    ["Redis with livekit", { preset: "livekit", ports: [{ name: "cache", protocol: "tcp", ports: 6379 }] }, /6379\/tcp \(Redis/],
    ["Docker API range", { ports: [{ name: "d", protocol: "tcp", ports: "2375-2376" }] }, /2375-2376\/tcp \(Docker API/],
    ["memcached over UDP", { ports: [{ name: "m", protocol: "udp", ports: 11211 }] }, /11211\/udp \(memcached/],
    ["NTP amplification", { ports: [{ name: "n", protocol: "udp", ports: 123 }] }, /123\/udp \(NTP/],
    ["every port but 22", { ports: [{ name: "lo", protocol: ["udp", "tcp"], ports: "1-21" }, { name: "hi", protocol: ["udp", "tcp"], ports: "23-65535" }] }, /^ports\[1\]\.ports: rule "hi" opens 23\/tcp \(telnet.*6379\/tcp \(Redis.*1900\/udp \(SSDP/],
    ["reflector's never-expose ports need no world source to be refused", { preset: "reflector", ports: [{ name: "db", protocol: "tcp", ports: 5432, from: ["10.0.0.0/8"], allowDangerous: true }] }, /opens port 5432: PostgreSQL is internal/],
    ["enabled: false with ports", { preset: "livekit", ports: [{ name: "rtc-udp", enabled: false, protocol: "tcp", ports: 22 }] }, /^ports\[0\]\.enabled: false removes the rule "rtc-udp", so its protocol, ports would be ignored/],
    ["adminCidrs as a map", { preset: "livekit", adminCidrs: {} }, /^adminCidrs: \{\} is a map; expected a list/],
    ["Droplet id \"0\"", { preset: "livekit", digitalocean: { dropletIds: ["0"] } }, /^digitalocean\.dropletIds\[0\]: "0" is not a Droplet id/],
    ["Droplet id past 2^53", { preset: "livekit", digitalocean: { dropletIds: ["99999999999999999999999"] } }, /"99999999999999999999999" is not a Droplet id/],
    ["Droplet ids 0 and -1 are quoted", { preset: "livekit", digitalocean: { dropletIds: [0, -1] } }, /^digitalocean\.dropletIds\[1\]: -1 is not a Droplet id; use the numeric id/],
    ["Infinity is quoted as written", { ports: [{ name: "i", protocol: "udp", ports: Infinity }] }, /Infinity/],
    ["zone index", { preset: "livekit", adminCidrs: ["fe80::1%eth0"] }, /^adminCidrs\[0\]: "fe80::1%eth0" has a zone index/],
];

describe("hostile configs are refused, each with the key path, the value and the fix", () => {
    for (const [title, config, pattern] of REFUSED) {
        it(title, () => {
            const lines = refuse({ cloud: "aws", ...config });
            assert.ok(lines.some((l) => pattern.test(l)), `no line matches ${pattern}:\n${lines.join("\n")}`);
        });
    }

    it("the same refusals hold on every cloud", () => {
        for (const cloud of CLOUDS) {
            const lines = refuse({ cloud, preset: "livekit", adminCidrs: ["0.0.0.0/1", "128.0.0.0/1"], gcp: { targetTags: ["m"] }, digitalocean: { tags: ["m"] }, azure: { resourceGroupName: "rg" } });
            assert.match(lines[0]!, /^adminCidrs: /, cloud);
        }
    });

    it("__proto__ keys are reported, never taken as a prototype", () => {
        const config = JSON.parse('{"cloud": "aws", "__proto__": {"cloud": "gcp"}, "preset": "livekit", "presetOptions": {"__proto__": {"turn": true}}}');
        const lines = refuse(config);
        assert.deepEqual(lines, ['__proto__: "__proto__" is not a setting and is never read; remove it', 'presetOptions.__proto__: "__proto__" is not a setting and is never read; remove it']);
        assert.deepEqual(refuse(JSON.parse('{"__proto__": {"cloud": "gcp"}}')).filter((l) => l.startsWith("cloud:")), ["cloud: is required; set it to one of aws, gcp, digitalocean, azure, hetzner"]);
    });

    it("a config with only cloud says there is no preset and no rule", () => {
        assert.match(refuse({ cloud: "aws", ports: [] })[0]!, /there is no preset and no rule/);
    });
});

describe("allowDangerous opens a dangerous service deliberately, and the plan says so", () => {
    it("plans the rule and warns with the port, the service and the risk", async () => {
        const { firewall, resources } = await plan({ cloud: "aws", ports: [{ name: "cache", protocol: "tcp", ports: 6379, allowDangerous: true }] });
        assert.deepEqual(firewall.warnings, ['ports[0].ports: rule "cache" opens 6379/tcp (Redis: unauthenticated by default; remote code execution) to all of IPv4 and all of IPv6 (allowDangerous: true)']);
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
        const { warnings } = validateConfig({ cloud: "aws", preset: "livekit", adminCidrs: ["10.0.0.0/8", "2001:d00::/24", "203.0.113.0/24", "2001:db8::/32"] });
        assert.deepEqual(warnings, ["adminCidrs: 10.0.0.0/8 is wider than /16; admin ports are open to all of it", "adminCidrs: 2001:d00::/24 is wider than /32; admin ports are open to all of it"]);
    });
});

describe("no input may hang or exhaust the planner: limits are refused at once", () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
        ["1,000,000 adminCidrs", { preset: "livekit", adminCidrs: new Array(1_000_000).fill("10.0.0.1") }, /^adminCidrs: 1000000 entries, more than the 5000 this planner accepts/],
        ["100,000 rules", { ports: new Array(100_000).fill({ name: "a", protocol: "udp", ports: 1 }) }, /^ports: 100000 rules, more than the 1000 this planner accepts/],
        ["2,000 ports x 2,000 sources", { ports: [{ name: "x", protocol: "udp", ports: Array.from({ length: 1000 }, (_, i) => 20000 + 2 * i), from: ipv4Networks(2000) }] }, /^ports: the rules expand to 2000000 \(protocol, port, source\) pairs, more than the 250000/],
    ];
    for (const [title, config, pattern] of cases) {
        it(title, () => {
            const lines = refuse({ cloud: "aws", ...config });
            assert.match(lines[0]!, pattern);
        });
    }

    it("Azure with 3,998 distinct source sets is refused (priorities would run out), not looped on", () => {
        const ports = Array.from({ length: 1000 }, (_, i) => ({ name: `r${i}`, protocol: ["udp", "tcp"], ports: 1000 + i, from: [`10.${Math.floor(i / 250)}.${i % 250}.1`, `2001:db8::${i.toString(16)}`] }));
        const lines = refuse({ cloud: "azure", ports, azure: { resourceGroupName: "rg" } });
        assert.ok(lines.some((l) => /^ports: Azure needs 4000 security rules/.test(l)), lines.join("\n"));
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
