/**
 * The guards of least privilege, each pinned by a deterministic case (no random draw decides whether a
 * broken guard is caught): what counts as the world and what does not, which ports are admin ports,
 * the CIDR refusals, the input limits at and one past each edge, `__proto__` at every depth, and the
 * exact text of each refusal (the key path, the value as written, the fix).
 */
import * as assert from "node:assert/strict";
import { cidrOf, compareCidrs, familyOf, isAnyAddress, parseCidr, truncateBits, type Cidr } from "../../src/contract/cidr";
import { addressBits, cidrsOf, subtract } from "../../src/contract/addressSet";
import { emptyConfig } from "../../src/sources/servers/types";
import { type PrivatePort, type ServerConfig } from "../../src/contract/types";
import { worldCovered } from "../../src/contract/coverage";
import { checkBounds, LIMITS, reservedKeys } from "../../src/contract/limits";
import { validateConfig } from "../../src/pipeline/validate";
import { ipv4Networks } from "../helpers";

const cidrs = (...texts: string[]): Cidr[] =>
    texts.map((t) => {
        const parsed = parseCidr(t);
        if (!parsed.ok) throw new Error(parsed.message);
        return parsed.cidr;
    });
/** The blocks of 128.0.0.0/1 without its first address (128.0.0.1/32, 128.0.0.2/31, ... 192.0.0.0/2). */
const halfButOne = Array.from(
    { length: 31 },
    (_, k) =>
        `${[128 + (k >= 24 ? 2 ** (k - 24) : 0), k >= 16 && k < 24 ? 2 ** (k - 16) : 0, k >= 8 && k < 16 ? 2 ** (k - 8) : 0, k < 8 ? 2 ** k : 0].join(".")}/${32 - k}`,
);
const problemsOf = (config: Record<string, unknown>) =>
    validateConfig({ cloud: "aws", ...config }).problems.map((p) => `${p.path}: ${p.message}`);

describe("the world, judged by coverage", () => {
    it("sets that touch end to end are the world, in any order", () => {
        assert.deepEqual(worldCovered(cidrs("0.0.0.0/1", "128.0.0.0/1")), ["all of IPv4"]);
        assert.deepEqual(worldCovered(cidrs("128.0.0.0/1", "0.0.0.0/1")), ["all of IPv4"], "order does not matter");
        assert.deepEqual(worldCovered(cidrs("192.0.0.0/2", "0.0.0.0/2", "128.0.0.0/2", "64.0.0.0/2")), ["all of IPv4"]);
        assert.deepEqual(worldCovered(cidrs("0.0.0.0/1", ...halfButOne, "128.0.0.0/32")), ["all of IPv4"]);
        assert.deepEqual(
            worldCovered(cidrs("0.0.0.0/1", "10.0.0.0/8", "128.0.0.0/1")),
            ["all of IPv4"],
            "a block inside the first does not shorten it",
        );
        assert.deepEqual(worldCovered(cidrs("8000::/1", "::/1")), ["all of IPv6"]);
    });

    it("near-world sets with a gap are not: one missing address, a missing quarter, a wider set inside a narrower order", () => {
        assert.deepEqual(worldCovered(cidrs("0.0.0.0/1", ...halfButOne)), [], "all of IPv4 but 128.0.0.0");
        assert.deepEqual(worldCovered(cidrs(...halfButOne, "0.0.0.0/1").reverse()), []);
        assert.deepEqual(worldCovered(cidrs("0.0.0.0/1", "192.0.0.0/2")), [], "128.0.0.0/2 is missing");
        assert.deepEqual(worldCovered(cidrs("0.0.0.0/2", "128.0.0.0/1")), [], "64.0.0.0/2 is missing");
        assert.deepEqual(worldCovered(cidrs("0.0.0.0/1", "127.0.0.0/8", "128.0.0.0/2")), [], "a contained block does not close a gap");
        assert.deepEqual(
            worldCovered(cidrs("0.0.0.1/32", "0.0.0.2/31", "0.0.0.4/30", "0.0.0.0/1".replace("0.0.0.0/1", "128.0.0.0/1"))),
            [],
        );
        assert.deepEqual(worldCovered(cidrs("8000::/1", "4000::/2")), [], "all of IPv6 but ::/2 (where the IPv4-embedding prefixes are)");
        assert.deepEqual(worldCovered(cidrs("255.255.255.255/32", "0.0.0.0/1")), [], "the last address alone");
        assert.deepEqual(worldCovered(cidrs("128.0.0.0/1", "::/97")), [], "an IPv6 block never fills an IPv4 gap, whatever its numbers");
        assert.deepEqual(worldCovered(cidrs("::/1", "128.0.0.0/1")).includes("all of IPv4"), false);
    });

    it("each IPv6 prefix standing for every IPv4 host, and a near one that does not", () => {
        assert.deepEqual(worldCovered(cidrs("2002::/17", "2002:8000::/17")), ["every IPv4 host (6to4 2002::/16)"]);
        assert.deepEqual(worldCovered(cidrs("2002::/17")), []);
        assert.deepEqual(worldCovered(cidrs("2001::/32")), ["every IPv4 host (Teredo 2001::/32)"]);
        assert.deepEqual(worldCovered(cidrs("2001::/33")), []);
        assert.deepEqual(worldCovered(cidrs("64:ff9b::/96")), ["every IPv4 host (NAT64 64:ff9b::/96)"]);
        assert.deepEqual(worldCovered(cidrs("64:ff9b::/97")), []);
        assert.deepEqual(worldCovered(cidrs("::/0")), ["all of IPv6"], "all of IPv6 is named once");
    });

    it("a near-world admin set is accepted (with the wide-source warnings); the world in halves is refused with the exact text", () => {
        const near = validateConfig({ cloud: "aws", preset: "livekit", adminCidrs: ["0.0.0.0/1", "192.0.0.0/2"] });
        assert.deepEqual(near.problems, []);
        assert.deepEqual(near.warnings, [
            "adminCidrs: 0.0.0.0/1 is wider than /16; admin ports are open to all of it",
            "adminCidrs: 192.0.0.0/2 is wider than /16; admin ports are open to all of it",
        ]);
        assert.deepEqual(problemsOf({ preset: "livekit", adminCidrs: ["0.0.0.0/1", "128.0.0.0/1"] }), [
            'adminCidrs: ["0.0.0.0/1","128.0.0.0/1"] together cover all of IPv4; adminCidrs name who may administer the server: list your office, VPN or bastion networks',
        ]);
        assert.deepEqual(
            validateConfig({ cloud: "aws", preset: "livekit", adminCidrs: ["10.0.0.0/16", "2001:db8::/32"] }).warnings,
            [],
            "at /16 and /32: no warning",
        );
        assert.equal(
            validateConfig({ cloud: "aws", preset: "livekit", adminCidrs: ["10.0.0.0/15", "2001:db8::/31"] }).warnings.length,
            2,
            "one wider: a warning each",
        );
    });
});

describe("admin ports", () => {
    it("22/tcp to the world: the exact refusal, with the SSH fix", () => {
        assert.deepEqual(problemsOf({ ports: [{ name: "s", protocol: "tcp", ports: "20-22" }] }), [
            'ports[0].ports: rule "s" opens 22/tcp (SSH) to all of IPv4 and all of IPv6; remove 22 and list your addresses in adminCidrs, which adds an ssh rule from those only',
        ]);
    });

    it("ranges next to 22, UDP 22, and 22 from your networks are not admin exposure", () => {
        assert.deepEqual(
            problemsOf({
                ports: [
                    { name: "a", protocol: "tcp", ports: "23-25" },
                    { name: "b", protocol: "tcp", ports: "20-21" },
                ],
            }).filter((p) => p.includes("SSH")),
            [],
        );
        assert.deepEqual(problemsOf({ ports: [{ name: "u", protocol: "udp", ports: 22 }] }), []);
        assert.deepEqual(problemsOf({ ports: [{ name: "s", protocol: "tcp", ports: 22, from: ["10.0.0.0/8"] }] }), []);
    });

    it("an admin rule's ports to the world by another rule: the exact refusal naming the admin rule, and the admin fix", () => {
        assert.deepEqual(
            problemsOf({
                adminCidrs: ["203.0.113.0/24"],
                ports: [
                    { name: "metrics", protocol: "tcp", ports: "9100-9101", from: "admin" },
                    { name: "wide", protocol: "tcp", ports: 9101 },
                ],
            }),
            [
                'ports[1].ports: rule "wide" opens 9100-9101/tcp (admin rule "metrics") to all of IPv4 and all of IPv6; admin ports are for adminCidrs only: limit this rule\'s from to your networks',
            ],
        );
        assert.deepEqual(
            problemsOf({
                adminCidrs: ["203.0.113.0/24"],
                ports: [
                    { name: "metrics", protocol: "tcp", ports: 9100, from: "admin" },
                    { name: "other", protocol: "udp", ports: 9100 },
                ],
            }),
            [],
            "another protocol on the same number is no admin port",
        );
        assert.deepEqual(
            problemsOf({
                adminCidrs: ["203.0.113.0/24"],
                ports: [
                    { name: "metrics", protocol: "tcp", ports: 9100, from: "admin" },
                    { name: "near", protocol: "tcp", ports: "9101-9199" },
                ],
            }),
            [],
        );
    });

    it("admin sources count only for rules from admin: a rule's own half plus adminCidrs' other half is not the world", () => {
        assert.deepEqual(
            problemsOf({ adminCidrs: ["0.0.0.0/1"], ports: [{ name: "s", protocol: "tcp", ports: 22, from: ["128.0.0.0/1"] }] }),
            [],
        );
        assert.deepEqual(
            problemsOf({ adminCidrs: ["0.0.0.0/1"], ports: [{ name: "s", protocol: "tcp", ports: 22, from: ["admin", "128.0.0.0/1"] }] }),
            [
                'ports[0].ports: rule "s" opens 22/tcp (SSH) to all of IPv4; remove 22 and list your addresses in adminCidrs, which adds an ssh rule from those only',
            ],
        );
    });

    it("from admin without adminCidrs: the exact text", () => {
        assert.deepEqual(problemsOf({ ports: [{ name: "m", protocol: "tcp", ports: 9100, from: "admin" }] }), [
            'ports[0].from: rule "m" is from admin, but adminCidrs is empty; add adminCidrs: ["<your office CIDR>"]',
        ]);
    });
});

describe("dangerous services and private ports, each with its exact text", () => {
    it("two dangerous services in one rule: plural forms; one range of several is enough", () => {
        assert.deepEqual(problemsOf({ ports: [{ name: "db", protocol: "tcp", ports: [3306, 5432] }] }), [
            'ports[0].ports: rule "db" opens 3306/tcp (MySQL: database login brute force and data theft), 5432/tcp (PostgreSQL: database login brute force and data theft) to all of IPv4 and all of IPv6; a media server never needs them public: remove the ports, limit from to your networks, or set allowDangerous: true on this rule to open them deliberately',
        ]);
        assert.deepEqual(
            problemsOf({ ports: [{ name: "mix", protocol: "tcp", ports: [40000, 6379] }] }).length,
            1,
            "one dangerous range among safe ones",
        );
    });
    it("the opt-in and a preset's documented range are warnings with their own texts", () => {
        assert.deepEqual(
            validateConfig({ cloud: "aws", ports: [{ name: "db", protocol: "tcp", ports: [3306, 5432], allowDangerous: true }] }).warnings,
            [
                'ports[0].ports: rule "db" opens 3306/tcp (MySQL: database login brute force and data theft), 5432/tcp (PostgreSQL: database login brute force and data theft) to all of IPv4 and all of IPv6 (allowDangerous: true)',
            ],
        );
        assert.ok(
            validateConfig({ cloud: "aws", preset: "livekit", presetOptions: { sip: true } }).warnings.includes(
                'preset: rule "sip-rtp" opens 11211/udp (memcached: UDP amplification (up to 50,000x)) to all of IPv4 and all of IPv6 (the preset\'s documented range: keep that service off this host)',
            ),
        );
    });
    it("with ipv6: false, public is all of IPv4 only, and said so", () => {
        assert.deepEqual(problemsOf({ ipv6: false, ports: [{ name: "s", protocol: "tcp", ports: 22 }] }), [
            'ports[0].ports: rule "s" opens 22/tcp (SSH) to all of IPv4; remove 22 and list your addresses in adminCidrs, which adds an ssh rule from those only',
        ]);
    });
    it("adminCidrs given but invalid: its problem alone, no second guess about admin rules", () => {
        assert.deepEqual(problemsOf({ adminCidrs: ["nope"], ports: [{ name: "m", protocol: "tcp", ports: 9100, from: "admin" }] }), [
            'adminCidrs[0]: "nope" is not an IPv4/IPv6 address or CIDR; write an address or network such as "203.0.113.7", "203.0.113.0/24" or "2001:db8::/32"',
        ]);
    });
    it("two admin rules whose ports overlap a world rule each by a part the other does not: both said", () => {
        const lines = problemsOf({
            adminCidrs: ["203.0.113.0/24"],
            ports: [
                { name: "a", protocol: "tcp", ports: "9100-9110", from: "admin" },
                { name: "b", protocol: "tcp", ports: "9105-9120", from: "admin" },
                { name: "w", protocol: "tcp", ports: "9100-9120" },
            ],
        });
        assert.deepEqual(
            lines.map((l) => l.replace(/ to all.*/, "")),
            [
                'ports[2].ports: rule "w" opens 9100-9110/tcp (admin rule "a")',
                'ports[2].ports: rule "w" opens 9105-9120/tcp (admin rule "b")',
            ],
        );
        const inside = problemsOf({
            adminCidrs: ["203.0.113.0/24"],
            ports: [
                { name: "a", protocol: "tcp", ports: "9100-9120", from: "admin" },
                { name: "b", protocol: "tcp", ports: "9105-9110", from: "admin" },
                { name: "w", protocol: "tcp", ports: "9100-9120" },
            ],
        });
        assert.equal(inside.length, 1, "the second admin rule's ports were said with the first");
    });
});

describe("CIDR refusals, each with its message", () => {
    const message = (text: string) => {
        const parsed = parseCidr(text);
        return parsed.ok ? "ok" : parsed.message;
    };
    it("IPv4-mapped: refused at /96 and longer; a shorter prefix has host bits, said as such", () => {
        assert.equal(
            message("::ffff:0:0/96"),
            '"::ffff:0:0/96" is an IPv4-mapped IPv6 range (::ffff:0:0/96), which AWS refuses and which stands for IPv4 hosts; write the IPv4 address or network itself',
        );
        assert.equal(
            message("::ffff:c000:201"),
            '"::ffff:c000:201" is an IPv4-mapped IPv6 range (::ffff:0:0/96), which AWS refuses and which stands for IPv4 hosts; write the IPv4 address or network itself',
        );
        assert.match(message("::ffff:0:0/95"), /^"::ffff:0:0\/95" has host bits set after \/95; did you mean/);
        assert.equal(message("::fffe:0:0/96"), "ok");
    });
    it("IPv4 inside IPv6, zone indexes, prefixes, host bits, legacy forms", () => {
        assert.equal(
            message("::1.2.3.4"),
            '"::1.2.3.4" writes an IPv4 address inside IPv6; write the IPv4 address or network itself (e.g. "1.2.3.4")',
        );
        assert.equal(
            message("fe80::1%eth0"),
            '"fe80::1%eth0" has a zone index ("%eth0"), which only means something on one host; remove it (a link-local address is never a firewall source)',
        );
        assert.equal(
            message("fe80::1%eth0/64"),
            '"fe80::1%eth0/64" has a zone index ("%eth0"), which only means something on one host; remove it (a link-local address is never a firewall source)',
        );
        assert.equal(message("10.0.0.0/33"), '"10.0.0.0/33" has prefix length "/33"; IPv4 allows /0 to /32');
        assert.equal(message("2001:db8::/129"), '"2001:db8::/129" has prefix length "/129"; IPv6 allows /0 to /128');
        assert.equal(
            message("10.0.0.5/8"),
            '"10.0.0.5/8" has host bits set after /8; did you mean "10.0.0.0/8" (the network) or "10.0.0.5" (the one address)?',
        );
        assert.equal(
            message("10.1"),
            '"10.1" is not an IPv4/IPv6 address or CIDR; write an address or network such as "203.0.113.7", "203.0.113.0/24" or "2001:db8::/32"',
        );
        assert.equal(
            message("10.0.0.0/8/8"),
            '"10.0.0.0/8/8" is not an IPv4/IPv6 address or CIDR; write an address or network such as "203.0.113.7", "203.0.113.0/24" or "2001:db8::/32"',
        );
        assert.equal(message(" 10.0.0.0/8 "), "ok");
        assert.equal(message("10.0.0.0/32"), "ok");
        assert.equal(message("10.0.0.0/0x8"), '"10.0.0.0/0x8" has prefix length "/0x8"; IPv4 allows /0 to /32');
    });
});

describe("input limits at and one past each edge", function () {
    this.timeout(60_000);
    const rule = (extra: Record<string, unknown>) => ({ ports: [{ name: "r", protocol: "udp", ...extra }] });
    it(`port entries in one rule: ${LIMITS.portsPerRule} accepted, one more refused with the limit`, () => {
        const ports = (n: number) => Array.from({ length: n }, (_, i) => 20000 + 2 * i);
        assert.deepEqual(checkBounds(rule({ ports: ports(LIMITS.portsPerRule), from: ["10.0.0.0/8"] })), []);
        assert.deepEqual(
            checkBounds(rule({ ports: ports(LIMITS.portsPerRule + 1), from: ["10.0.0.0/8"] })).map((p) => `${p.path}: ${p.message}`),
            ['ports[0].ports: 1001 entries, more than the 1000 this planner accepts; use ranges like "50000-60000"'],
        );
    });
    it(`sources of one rule: ${LIMITS.sources} accepted, one more refused with the limit`, () => {
        assert.deepEqual(checkBounds(rule({ ports: 9, from: ipv4Networks(LIMITS.sources) })), []);
        assert.deepEqual(
            checkBounds(rule({ ports: 9, from: ipv4Networks(LIMITS.sources + 1) })).map((p) => `${p.path}: ${p.message}`),
            [
                "ports[0].from: 5001 sources, more than the 5000 this planner accepts (GCP, the most, takes 5000 per rule); use wider networks",
            ],
        );
    });
    it(`adminCidrs: ${LIMITS.sources} accepted, one more refused`, () => {
        assert.deepEqual(checkBounds({ adminCidrs: ipv4Networks(LIMITS.sources) }), []);
        assert.deepEqual(
            checkBounds({ adminCidrs: ipv4Networks(LIMITS.sources + 1) }).map((p) => p.path),
            ["adminCidrs"],
        );
    });
    it(`rules: ${LIMITS.rules} accepted, one more refused`, () => {
        const rules = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `r${i}`, protocol: "udp", ports: 1000 + i }));
        assert.deepEqual(checkBounds({ ports: rules(LIMITS.rules) }), []);
        assert.deepEqual(
            checkBounds({ ports: rules(LIMITS.rules + 1) }).map((p) => `${p.path}: ${p.message}`),
            [
                "ports: 1001 rules, more than the 1000 this planner accepts (Azure, the most, deploys 1000 per NSG); merge rules with port ranges or lists",
            ],
        );
    });
    it(`(protocol, port, source) pairs: ${LIMITS.expansion} accepted, one more refused; admin and public count as what they expand to`, () => {
        // 250 ports × 1000 sources = 250,000; one more source tips it over.
        const ports = Array.from({ length: 250 }, (_, i) => 20000 + 2 * i);
        assert.deepEqual(checkBounds(rule({ ports, from: ipv4Networks(1000) })), []);
        assert.match(
            checkBounds({
                ports: [
                    { name: "r", protocol: "udp", ports, from: ipv4Networks(1000) },
                    { name: "s", protocol: "udp", ports: 9, from: ["10.0.0.0/8"] },
                ],
            })[0]!.message,
            /expand to 250001 \(protocol, port, source\) pairs, more than the 250000/,
        );
        assert.match(
            checkBounds({
                adminCidrs: ipv4Networks(1000),
                ports: [{ name: "r", protocol: ["udp", "tcp"], ports: ports.slice(0, 126), from: "admin" }],
            })[0]!.message,
            /expand to 252000/,
        );
        assert.deepEqual(
            checkBounds({
                ports: [{ name: "r", protocol: "udp", ports: Array.from({ length: 1000 }, (_, i) => 2 * i + 1), from: "public" }],
            }),
            [],
            "public counts 2: 2000 pairs",
        );
        assert.match(
            checkBounds({
                ports: Array.from({ length: 126 }, (_, i) => ({
                    name: `r${i}`,
                    protocol: ["udp", "tcp"],
                    ports: Array.from({ length: 1000 }, (_, j) => 2 * j + 1),
                })),
            })[0]!.message,
            /expand to 504000/,
        );
    });
    it("the expansion problem is not added on top of a per-rule limit, and a rule that is not a map is skipped", () => {
        const ports = Array.from({ length: LIMITS.portsPerRule + 1 }, (_, i) => 20000 + 2 * i);
        assert.deepEqual(
            checkBounds({ ports: [{ name: "r", protocol: "udp", ports, from: ipv4Networks(1000) }] }).map((p) => p.path),
            ["ports[0].ports"],
        );
        assert.deepEqual(checkBounds({ ports: [null, "x", { name: "r", protocol: "udp", ports: 9 }] }), []);
    });
    it("a source list counts admin as adminCidrs and public as two", () => {
        const ports = Array.from({ length: 126 }, (_, i) => 20000 + 2 * i);
        assert.match(
            checkBounds({ adminCidrs: ipv4Networks(1000), ports: [{ name: "r", protocol: ["udp", "tcp"], ports, from: ["admin"] }] })[0]!
                .message,
            /expand to 252000/,
        );
        assert.deepEqual(
            checkBounds({
                adminCidrs: ipv4Networks(1000),
                ports: [{ name: "r", protocol: ["udp", "tcp"], ports: ports.slice(0, 125), from: ["admin"] }],
            }),
            [],
            "250,000 exactly",
        );
        assert.match(
            checkBounds({
                ports: Array.from({ length: 126 }, (_, i) => ({
                    name: `r${i}`,
                    protocol: ["udp", "tcp"],
                    ports: Array.from({ length: 1000 }, (_, j) => 2 * j + 1),
                    from: ["public"],
                })),
            })[0]!.message,
            /expand to 504000/,
        );
        assert.match(
            checkBounds({
                ports: Array.from({ length: 126 }, (_, i) => ({
                    name: `r${i}`,
                    protocol: ["udp", "tcp"],
                    ports: Array.from({ length: 1000 }, (_, j) => 2 * j + 1),
                    from: ["10.0.0.0/8", "10.1.0.0/16"],
                })),
            })[0]!.message,
            /expand to 504000/,
        );
    });
    it("reserved keys: at most the problems kept", () => {
        const many = Array.from({ length: 300 }, () => JSON.parse('{"__proto__": 1}'));
        assert.equal(reservedKeys({ ports: many }, []).length, 200);
    });
    it("__proto__ at every depth is reported with its path, inside lists too", () => {
        const config = JSON.parse(
            '{"cloud":"aws","ports":[{"name":"a","protocol":"udp","ports":1,"__proto__":{"x":1}}],"aws":{"__proto__":{}},"adminCidrs":[{"__proto__":1}],"gcp":{"targetTags":[[{"constructor":1}]]}}',
        );
        assert.deepEqual(
            reservedKeys(config, []).map((p) => p.path),
            ["ports[0].__proto__", "aws.__proto__", "adminCidrs[0].__proto__", "gcp.targetTags[0][0].constructor"],
        );
        assert.ok(
            validateConfig(config).problems.some(
                (p) => p.path === "ports[0].__proto__" && p.message === '"__proto__" is not a setting and is never read; remove it',
            ),
        );
    });
});

describe("the mutation survivors of the guard files, each pinned by a case", () => {
    const server = (rules: { protocol: "udp" | "tcp"; from: number; to: number }[], privatePorts: PrivatePort[] = []): ServerConfig => ({
        ...emptyConfig("livekit.yaml", "livekit"),
        rules: rules.map((r, i) => ({
            name: `srv-${i}`,
            protocol: r.protocol,
            ports: [{ from: r.from, to: r.to }],
            description: "x",
            origin: "livekit.yaml: rtc",
        })),
        privatePorts,
    });

    it("an admin rule's ports are named with every range, and an overlap already said is not said again", () => {
        assert.deepEqual(
            problemsOf({
                adminCidrs: ["203.0.113.0/24"],
                ports: [
                    { name: "dash", protocol: "tcp", ports: [8888, 9000], from: "admin" },
                    { name: "web", protocol: "tcp", ports: "8000-9100" },
                ],
            }),
            [
                `ports[1].ports: rule "web" opens 8888, 9000/tcp (admin rule "dash") to all of IPv4 and all of IPv6; admin ports are for adminCidrs only: limit this rule's from to your networks`,
            ],
        );
        // Admin ports on UDP are judged as those on TCP.
        assert.deepEqual(
            problemsOf({
                adminCidrs: ["203.0.113.0/24"],
                ports: [
                    { name: "mon", protocol: "udp", ports: 8125, from: "admin" },
                    { name: "media", protocol: "udp", ports: "8000-8200" },
                ],
            }),
            [
                `ports[1].ports: rule "media" opens 8125/udp (admin rule "mon") to all of IPv4 and all of IPv6; admin ports are for adminCidrs only: limit this rule's from to your networks`,
            ],
        );
        // mgmt's 20-30 overlaps web only at 22, which the ssh message already says.
        assert.deepEqual(
            problemsOf({
                adminCidrs: ["203.0.113.0/24"],
                ports: [
                    { name: "mgmt", protocol: "tcp", ports: "20-30", from: "admin" },
                    { name: "web", protocol: "tcp", ports: 22 },
                ],
            }),
            [
                `ports[1].ports: rule "web" opens 22/tcp (SSH) to all of IPv4 and all of IPv6; remove 22 and list your addresses in adminCidrs, which adds an ssh rule from those only`,
            ],
        );
    });

    it("one dangerous service is 'it', several are 'them', in problems and in warnings", () => {
        assert.deepEqual(problemsOf({ ports: [{ name: "db", protocol: "tcp", ports: 6379 }] }), [
            `ports[0].ports: rule "db" opens 6379/tcp (Redis: unauthenticated by default; remote code execution) to all of IPv4 and all of IPv6; a media server never needs it public: remove the port, limit from to your networks, or set allowDangerous: true on this rule to open it deliberately`,
        ]);
        assert.deepEqual(problemsOf({ ports: [{ name: "db", protocol: "tcp", ports: [6379, 11211] }] }), [
            `ports[0].ports: rule "db" opens 6379/tcp (Redis: unauthenticated by default; remote code execution), 11211/tcp (memcached: data access) to all of IPv4 and all of IPv6; a media server never needs them public: remove the ports, limit from to your networks, or set allowDangerous: true on this rule to open them deliberately`,
        ]);
        assert.deepEqual(validateConfig({ cloud: "aws", preset: "livekit", presetOptions: { sip: true } }).warnings, [
            `preset: rule "sip-rtp" opens 11211/udp (memcached: UDP amplification (up to 50,000x)) to all of IPv4 and all of IPv6 (the preset's documented range: keep that service off this host)`,
        ]);
        const fromFile = validateConfig({ cloud: "aws" }, [server([{ protocol: "tcp", from: 6379, to: 11211 }])]).warnings;
        assert.equal(fromFile.length, 1);
        assert.match(
            fromFile[0]!,
            /^livekit\.yaml: rtc: rule "srv-0" opens 6379\/tcp .*, 11211\/tcp .* \(the media server listens there by its own config: keep those services off this host\)$/,
        );
    });

    it("a private port is judged by protocol, port and world alike: another protocol, another port or a private source is fine", () => {
        const metrics: PrivatePort = {
            protocol: "tcp",
            port: 6789,
            origin: "livekit.yaml: prometheus_port",
            why: "Prometheus metrics must never be public",
            error: true,
        };
        const with_ = (ports: unknown[]) =>
            validateConfig({ cloud: "aws", ports }, [server([], [metrics])]).problems.map((p) => `${p.path}: ${p.message}`);
        assert.deepEqual(with_([{ name: "m", protocol: "udp", ports: 6789 }]), []);
        assert.deepEqual(with_([{ name: "m", protocol: "tcp", ports: 6790 }]), []);
        assert.deepEqual(with_([{ name: "m", protocol: "tcp", ports: 6789, from: ["10.0.0.0/8"] }]), []);
        assert.deepEqual(with_([{ name: "m", protocol: "tcp", ports: 6789 }]), [
            `ports[0].ports: rule "m" opens 6789/tcp (livekit.yaml: prometheus_port) to all of IPv4 and all of IPv6: Prometheus metrics must never be public; remove it from the rule`,
        ]);
    });

    it("odd shapes never throw: null entries and blocks, a public rule with ipv6 off, invalid adminCidrs with an admin rule", () => {
        assert.ok(problemsOf({ ports: [null, 5] }).length > 0);
        assert.ok(problemsOf({ aws: null }).some((p) => p.startsWith("aws")));
        assert.ok(problemsOf({ preset: "coturn", turnRelay: null }).some((p) => p.startsWith("turnRelay")));
        assert.deepEqual(
            problemsOf({ ipv6: false, ports: [{ name: "db", protocol: "tcp", ports: 6379, from: "public" }] }).map((p) =>
                p.includes("to all of IPv4;"),
            ),
            [true],
        );
        const invalidAdmin = problemsOf({ adminCidrs: ["nonsense"], preset: "reflector", presetOptions: { dashboard: true } });
        assert.ok(invalidAdmin.length >= 1 && invalidAdmin.every((p) => p.startsWith("adminCidrs")), invalidAdmin.join("\n"));
    });

    it("a single value where a list belongs is one entry, however long its text", () => {
        const long = "a".repeat(LIMITS.sources + 1);
        assert.ok(!problemsOf({ adminCidrs: long }).some((p) => /entries, more than/.test(p)));
        assert.ok(!problemsOf({ ports: [{ name: "x", protocol: "tcp", ports: long, from: long }] }).some((p) => /more than the/.test(p)));
        const many = Array.from({ length: LIMITS.peers + 1 }, (_, i) => `203.0.${Math.floor(i / 250)}.${i % 250}/32`);
        assert.deepEqual(problemsOf({ preset: "coturn", turnRelay: { allowPeers: many } }), [
            `turnRelay.allowPeers: ${LIMITS.peers + 1} entries, more than the ${LIMITS.peers} this planner accepts (each is a line in the relay's config and a host firewall rule); use wider networks`,
        ]);
    });

    it("turnRelay exemptions: two world families named together, and one family's addresses never stand for the other's", () => {
        assert.deepEqual(
            problemsOf({ preset: "coturn", turnRelay: { allowPeers: ["0.0.0.0/0", "::/0"] } }).map((p) => p.split("; list only")[0]),
            ['turnRelay.allowPeers: ["0.0.0.0/0","::/0"] covers all of IPv4 and all of IPv6: the relay would reach every peer again'],
        );
        // ::a9fe:a9fe has the bits of 169.254.169.254, and 0.0.0.1 those of ::1: neither is either.
        assert.deepEqual(problemsOf({ preset: "coturn", turnRelay: { allowPeers: ["::a9fe:a9fe/128", "0.0.0.1/32"] } }), []);
    });

    it("IPv4 sources never fill an IPv6 gap: all of IPv6 but ::/96, plus 0.0.0.0/0, is not all of IPv6", () => {
        const rest = cidrsOf({ from: 1n << 32n, to: (1n << 128n) - 1n }, "ipv6").map((text): Cidr => ({
            text,
            family: "ipv6",
            prefix: Number(text.split("/")[1]),
        }));
        assert.deepEqual(worldCovered([...cidrs("0.0.0.0/0"), ...rest]), [
            "all of IPv4",
            "every IPv4 host (IPv4-mapped ::ffff:0:0/96)",
            "every IPv4 host (6to4 2002::/16)",
            "every IPv4 host (Teredo 2001::/32)",
            "every IPv4 host (NAT64 64:ff9b::/96)",
        ]);
    });

    it("address arithmetic: a cut list is applied whole, CIDRs sort by address, families are told apart", () => {
        const bits = (a: string) => addressBits(a);
        assert.deepEqual(
            subtract(
                [{ from: 0n, to: 100n }],
                [
                    { from: 10n, to: 20n },
                    { from: 30n, to: 40n },
                ],
            ),
            [
                { from: 0n, to: 9n },
                { from: 21n, to: 29n },
                { from: 41n, to: 100n },
            ],
        );
        assert.deepEqual(cidrsOf({ from: bits("10.0.0.1"), to: bits("10.0.0.6") }, "ipv4"), [
            "10.0.0.1/32",
            "10.0.0.2/31",
            "10.0.0.4/31",
            "10.0.0.6/32",
        ]);
        assert.deepEqual(["16.0.0.0/8", "2001:db8::/32", "10.0.0.0/16", "2.0.0.0/8", "10.0.0.0/8"].sort(compareCidrs), [
            "2.0.0.0/8",
            "10.0.0.0/8",
            "10.0.0.0/16",
            "16.0.0.0/8",
            "2001:db8::/32",
        ]);
        assert.equal(isAnyAddress("10.0.0.0/8"), false);
        assert.deepEqual([familyOf("2001:db8::/32"), familyOf("10.0.0.0/8")], ["ipv6", "ipv4"]);
        assert.equal(truncateBits(bits("2001:db8::ffff"), "ipv6", 64), bits("2001:db8::"));
        assert.throws(() => cidrOf("nonsense"), /^Error: internal: not a canonical CIDR: nonsense$/);
    });
});
