/**
 * The contract's messages, each pinned by a deterministic case through validateConfig, the way a user
 * meets them: the key path, the value as written, the fix. Cheap on purpose: `npm run mutate` runs this
 * file first, so a broken message or guard is caught in milliseconds.
 */
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { lateDuplicateProblems, lateSourceProblems, resolveLate } from "../../src/contract/late";
import { scanLate, validateConfig } from "../../src/pipeline/validate";
import { lenientCidr, subtract } from "../../src/contract/addressSet";
import { compareCidrs, truncateBits } from "../../src/contract/cidr";
import { checkBounds, LIMITS } from "../../src/contract/limits";
import { formatRange, parsePorts, subtractRanges } from "../../src/contract/ports";
import { PRESETS, presetRules } from "../../src/contract/presets";
import { emptyConfig } from "../../src/sources/servers/types";
import { type ServerConfig } from "../../src/contract/types";
import { CLOUDS } from "../../src/clouds/registry";
import { aws as awsCloud } from "../../src/clouds/aws";
import { catalogueOf, lateListSetting, lateSetting, plainSetting, settingsBlock, type CloudContract } from "../../src/contract/settings";
import { scanLate as scanLateWith } from "../../src/contract/late";
import { z } from "zod";
import { validateConfig as validateWith } from "../../src/contract/validate";
import { gcp as gcpCloud } from "../../src/clouds/gcp";

const KEYS =
    "cloud, preset, presetOptions, ports, adminCidrs, ipv6, aws, gcp, digitalocean, azure, hetzner, oci, linode, openstack, kubernetes, turnRelay, secret, serverConfigs";
/** Every problem of a config (livekit on AWS unless it says otherwise), as `path: message`. */
const problemsOf = (config: Record<string, unknown>) =>
    validateConfig({ cloud: "aws", preset: "livekit", ...config }).problems.map((p) => `${p.path}: ${p.message}`);
const unknownKey = (key: string, guess?: string, keys = KEYS, at = key) =>
    `${at}: unknown key "${key}"; ${guess ? `did you mean "${guess}"? ` : ""}valid keys here: ${keys}`;

describe("unknown keys: did you mean, by edit distance", () => {
    it("one typo away (a letter dropped, changed or added) is suggested; two away in a short key is not", () => {
        assert.deepEqual(problemsOf({ clod: 1 }), [unknownKey("clod", "cloud")]);
        assert.deepEqual(problemsOf({ cloue: 1 }), [unknownKey("cloue", "cloud")]);
        assert.deepEqual(problemsOf({ xcloud: 1 }), [unknownKey("xcloud", "cloud")]);
        assert.deepEqual(problemsOf({ presset: 1 }), [unknownKey("presset", "preset")]);
        assert.deepEqual(problemsOf({ cluod: 1 }), [unknownKey("cluod")], "two letters swapped in a five-letter key is too far");
        assert.deepEqual(problemsOf({ zzzz: 1 }), [unknownKey("zzzz")]);
    });

    it("a long key tolerates a typo per four letters; case never counts", () => {
        const gcpKeys = "network, targetTags, gke";
        assert.deepEqual(problemsOf({ gcp: { tergetTagz: ["a"] } }), [unknownKey("tergetTagz", "targetTags", gcpKeys, "gcp.tergetTagz")]);
        assert.deepEqual(
            problemsOf({ gcp: { tergetTagzz: ["a"] } }),
            [unknownKey("tergetTagzz", undefined, gcpKeys, "gcp.tergetTagzz")],
            "three away in eleven letters",
        );
        assert.deepEqual(problemsOf({ ADMINCIDRS: ["203.0.113.0/24"] }), [unknownKey("ADMINCIDRS", "adminCidrs")]);
        assert.deepEqual(problemsOf({ adminCIDR: ["203.0.113.0/24"] }), [unknownKey("adminCIDR", "adminCidrs")]);
    });

    it("a key that starts another, or that another starts, is suggested however far; the closest wins", () => {
        assert.deepEqual(problemsOf({ ipv6only: true }), [unknownKey("ipv6only", "ipv6")]);
        assert.deepEqual(problemsOf({ turn: {} }), [unknownKey("turn", "turnRelay")]);
        assert.deepEqual(
            problemsOf({ presetOption: {} }),
            [unknownKey("presetOption", "presetOptions")],
            "presetOptions (one away) before preset (a prefix)",
        );
        assert.deepEqual(problemsOf({ azure: { priority: "2000-2099" } }), [
            unknownKey(
                "priority",
                "priorityRange",
                "resourceGroupName, location, networkSecurityGroupName, priorityRange, aks",
                "azure.priority",
            ),
        ]);
    });
});

describe("type errors: the value as written, what it is, what is expected", () => {
    it("names null, a list, a map, a number and a string as such", () => {
        assert.deepEqual(problemsOf({ ipv6: null }), ["ipv6: null is null; expected true or false"]);
        assert.deepEqual(problemsOf({ ipv6: [true] }), ["ipv6: [true] is a list; expected true or false"]);
        assert.deepEqual(problemsOf({ ipv6: {} }), ["ipv6: {} is a map; expected true or false"]);
        assert.deepEqual(problemsOf({ secret: 1 }), ["secret: 1 is a number; expected true or false"]);
        assert.deepEqual(problemsOf({ secret: "yes" }), ['secret: "yes" is a string; expected true or false']);
    });

    it("says what each kind of key expects: a list, a map of keys, a string", () => {
        assert.deepEqual(problemsOf({ ports: 1 }), ["ports: 1 is a number; expected a list"]);
        assert.deepEqual(problemsOf({ adminCidrs: "203.0.113.0/24" }), ['adminCidrs: "203.0.113.0/24" is a string; expected a list']);
        assert.deepEqual(problemsOf({ aws: [] }), ["aws: [] is a list; expected a map of keys"]);
        assert.deepEqual(problemsOf({ presetOptions: 1 }), ["presetOptions: 1 is a number; expected a map of keys"]);
        assert.deepEqual(problemsOf({ hetzner: { labelSelectors: [1] } }), ["hetzner.labelSelectors[0]: 1 is a number; expected a string"]);
    });

    it("a missing key is required, a value outside a set lists the set, a long text says the limit", () => {
        assert.deepEqual(problemsOf({ ports: [{ protocol: "udp", ports: 1 }] }), ["ports[0].name: is required; expected a string"]);
        assert.deepEqual(problemsOf({ cloud: "awz" }), [
            'cloud: "awz" is not one of: aws, gcp, digitalocean, azure, hetzner, oci, linode, openstack',
        ]);
        const long = "x".repeat(201);
        assert.deepEqual(problemsOf({ ports: [{ name: "a", protocol: "udp", ports: 40000, description: long }] }), [
            `ports[0].description: "${long}" is too long; at most 200 characters`,
        ]);
        assert.deepEqual(problemsOf({ ports: [{ name: "a", protocol: "udp", ports: 40000, description: "x".repeat(200) }] }), []);
        assert.deepEqual(problemsOf({ serverConfigs: Array(21).fill("a") }), [
            "serverConfigs: more than 20 server configs; name the files the media server really reads",
        ]);
    });
});

describe("values from other resources (late.ts), scanned and resolved without an engine", () => {
    const output = <T>(v: T) => pulumi.output(v);

    it("an Output, a Promise and an unknown value are late; null, plain data and an object with a non-function then are not", () => {
        const scan = scanLate({
            adminCidrs: [output("203.0.113.0/24"), Promise.resolve("198.51.100.0/24")],
            gcp: { network: pulumi.unknown, targetTags: ["a", null] },
            hetzner: { labelSelectors: [{ then: 1 }] },
        });
        assert.deepEqual(scan.problems, []);
        assert.deepEqual(
            scan.lates.map((l) => [l.path, l.index, l.many, l.source]),
            [
                ["adminCidrs[0]", 0, false, true],
                ["adminCidrs[1]", 1, false, true],
                ["gcp.network", 2, true, false],
            ],
        );
        const args = scan.args as { gcp: { targetTags: unknown[] }; hetzner: { labelSelectors: unknown[] } };
        assert.deepEqual(args.gcp.targetTags, ["a", null]);
        assert.deepEqual(JSON.parse(JSON.stringify(args.hetzner.labelSelectors)), [{ then: 1 }]);
        assert.equal(
            JSON.stringify(scan.lates[0]),
            '{"late":"adminCidrs[0]","list":false}',
            "a plan shows a late entry as where it was written",
        );
        assert.equal(JSON.stringify(scan.lates[2]), '{"late":"gcp.network","list":true}');
    });

    it("a late value where the config decides which rules exist is refused with the keys that may be late", () => {
        const scan = scanLate({
            cloud: output("aws"),
            ports: [{ name: "a", protocol: "udp", ports: Promise.resolve(1), from: [output("203.0.113.0/24")] }],
        });
        assert.deepEqual(
            scan.problems.map((p) => `${p.path}: ${p.message}`),
            ["cloud", "ports[0].ports"].map(
                (path) =>
                    `${path}: is an Output or a Promise, but ${path.replace("[0]", "[]")} decides which rules and resources exist, so it must be known when the program runs; pass a plain value (keys that may come from other resources: adminCidrs, ports[].from, aws.vpcId, aws.securityGroupId, aws.eksClusterSecurityGroupId, aws.securityGroupTags, gcp.network, gcp.targetTags, digitalocean.dropletIds, digitalocean.tags, digitalocean.kubernetesClusterId, azure.resourceGroupName, azure.location, azure.networkSecurityGroupName, hetzner.serverIds, hetzner.labelSelectors, oci.compartmentId, oci.vcnId, oci.networkSecurityGroupId, linode.linodeIds, linode.nodeBalancerIds, linode.lkeClusterId, linode.firewallId, openstack.secGroupId, openstack.secGroupName, kubernetes.healthCheckSources, turnRelay.allowPeers, turnRelay.denyPeers)`,
            ),
        );
        assert.deepEqual(
            scan.lates.map((l) => [l.path, l.many, l.source]),
            [["ports[0].from[0]", false, true]],
        );
        assert.equal((scan.args as { cloud?: unknown }).cloud, undefined, "a refused late value is not kept");
    });

    it("a scan is bounded: past the expansion limit it stops walking", () => {
        // The root and the list are two of the values walked; then each entry is one.
        const plain = (n: number) => Array.from({ length: n }, () => "203.0.113.0/24");
        assert.equal(
            scanLate({ adminCidrs: [...plain(LIMITS.expansion - 3), output("198.51.100.7")] }).lates.length,
            1,
            "the last value within the budget",
        );
        assert.equal(
            scanLate({ adminCidrs: [...plain(LIMITS.expansion - 2), output("198.51.100.7")] }).lates.length,
            0,
            "the first past it: the limits check refuses what the scan leaves",
        );
        const problems = scanLate({ ports: Array.from({ length: 300 }, () => ({ ports: output(1) })) }).problems;
        assert.equal(problems.length, 200, "at most the problems kept");
    });

    it("undefined and class instances are values, never walked into", () => {
        const when = new Date(0);
        const args = scanLate({ ipv6: undefined, gcp: { network: when }, secret: 1 }).args as { ipv6: unknown; gcp: { network: unknown } };
        assert.equal(args.gcp.network, when, "the instance itself, not a copy");
        assert.ok("ipv6" in args && args.ipv6 === undefined);
    });

    it("resolving puts each value where its marker stood, in lists and maps alike", () => {
        const scan = scanLate({
            adminCidrs: output(["203.0.113.0/24"]),
            ports: [{ name: "a", from: [output("x"), "public"] }],
            secret: true,
        });
        assert.deepEqual(JSON.parse(JSON.stringify(resolveLate(scan.args, [["203.0.113.0/24"], "198.51.100.7"]))), {
            adminCidrs: ["203.0.113.0/24"],
            ports: [{ name: "a", from: ["198.51.100.7", "public"] }],
            secret: true,
        });
        assert.equal(resolveLate(null, []), null);
    });

    it("a late source resolving to public or admin is refused at its path; on AWS a group inside a list Output is refused", () => {
        const scan = scanLate({
            adminCidrs: output(["admin", "203.0.113.0/24", "sg-0123abcd"]),
            ports: [{ name: "a", from: [output("public")] }],
            gcp: { network: output("public") },
        });
        const values = [["admin", "203.0.113.0/24", "sg-0123abcd"], "public", "public"];
        assert.deepEqual(
            lateSourceProblems(scan.lates, values, awsCloud.groupSource).map((p) => `${p.path}: ${p.message}`),
            [
                'adminCidrs[0]: resolved to "admin"; public and admin decide which rules exist, so write them as plain text in the config, not as an Output',
                'adminCidrs[2]: resolved to the security group "sg-0123abcd" inside a list Output; a list Output holds addresses only (it becomes managed prefix lists on AWS): pass the group as its own entry, e.g. from: [lb.securityGroupId, ...]',
                'ports[0].from[0]: resolved to "public"; public and admin decide which rules exist, so write them as plain text in the config, not as an Output',
            ],
        );
        assert.deepEqual(
            lateSourceProblems(scan.lates, values, gcpCloud.groupSource).map((p) => p.path),
            ["adminCidrs[0]", "ports[0].from[0]"],
            "elsewhere a group is validation's to refuse",
        );
        const odd = scanLate({
            adminCidrs: output("admin"),
            ports: [
                { name: "a", from: [output(["public"])] },
                { name: "b", from: output([["sg-0123abcd"]]) },
            ],
        });
        assert.deepEqual(
            lateSourceProblems(odd.lates, ["admin", ["public"], [["sg-0123abcd"]]], awsCloud.groupSource).map((p) => p.path),
            ["adminCidrs"],
            "a whole list resolving to one value is that value; an entry resolving to a list, or a list in a list, is validation's type error",
        );
    });

    it("a late source naming what its list already names is refused, however it is spelled; known repeats are the plan's to merge", () => {
        const scan = scanLate({
            adminCidrs: ["203.0.113.0/24", output("203.0.113.0/24 "), "198.51.100.7", "198.51.100.7"],
            ports: [{ name: "a", from: output(["10.0.0.0/8", "10.0.0.0/8", 5]) }, null],
        });
        assert.deepEqual(
            lateDuplicateProblems(scan.args, ["203.0.113.0/24 ", ["10.0.0.0/8", "10.0.0.0/8", 5]]).map((p) => `${p.path}: ${p.message}`),
            [
                'adminCidrs[1]: resolves to "203.0.113.0/24", which adminCidrs[0] already names; list each source once (a late source has a rule of its own, and AWS refuses the same rule twice: InvalidPermission.Duplicate)',
                'ports[0].from[1]: resolves to "10.0.0.0/8", which ports[0].from[0] already names; list each source once (a late source has a rule of its own, and AWS refuses the same rule twice: InvalidPermission.Duplicate)',
            ],
        );
        assert.deepEqual(
            lateDuplicateProblems(scanLate({ adminCidrs: [output("bad cidr"), " bad cidr"] }).args, ["bad cidr"]).map((p) => p.path),
            [],
            "a known entry after the late one is not the late one's repeat",
        );
        assert.deepEqual(
            lateDuplicateProblems(scanLate({ adminCidrs: ["bad cidr", output(" bad cidr ")] }).args, [" bad cidr "]).map((p) => p.path),
            ["adminCidrs[1]"],
            "text that is no CIDR compares trimmed",
        );
        assert.deepEqual(lateDuplicateProblems(undefined, []), []);
    });
});

const HOW_PORTS = 'write a port (443 or "443"), a range ("50000-60000") or a list of those';
const NOT_CIDR = (v: string) =>
    `"${v}" is not an IPv4/IPv6 address or CIDR; write an address or network such as "203.0.113.7", "203.0.113.0/24" or "2001:db8::/32"`;
const VPC_FIX = (v: string) =>
    `aws.vpcId: "${v}" is not a VPC id; write it like "vpc-0abc1234def567890", or omit vpcId for the default VPC`;
const rule = (extra: Record<string, unknown>) => ({ ports: [{ name: "a", protocol: "udp", ports: 40000, ...extra }] });

/** [what, config on top of livekit on AWS, every problem it must give, exactly]. */
const REFUSALS: [string, Record<string, unknown>, string[]][] = [
    [
        "an id with a control character",
        { aws: { vpcId: "vpc-\u0007" } },
        ['aws.vpcId: "vpc-\\u0007" contains control characters; expected a VPC id like "vpc-0abc1234"'],
    ],
    ["a blank id", { aws: { vpcId: "  " } }, ['aws.vpcId: "  " is not a VPC id like "vpc-0abc1234"']],
    ["an id that is no text", { aws: { vpcId: 5 } }, ['aws.vpcId: 5 is not a VPC id like "vpc-0abc1234"']],
    ["an empty region", { azure: { location: "" } }, ['azure.location: "" is not an Azure region like "westeurope"']],
    ["a VPC id too short", { aws: { vpcId: "vpc-123" } }, [VPC_FIX("vpc-123")]],
    ["a VPC id with a prefix", { aws: { vpcId: "xvpc-0123abcd" } }, [VPC_FIX("xvpc-0123abcd")]],
    ["a VPC id with a suffix", { aws: { vpcId: "vpc-0123abcdx" } }, [VPC_FIX("vpc-0123abcdx")]],
    ["a VPC id of 7 hex digits", { aws: { vpcId: "vpc-0123abc" } }, [VPC_FIX("vpc-0123abc")]],
    ["a VPC id of 9 hex digits", { aws: { vpcId: "vpc-0123abcde" } }, [VPC_FIX("vpc-0123abcde")]],
    ["a VPC id of 16 hex digits", { aws: { vpcId: "vpc-0123456789abcdef" } }, [VPC_FIX("vpc-0123456789abcdef")]],
    ["a VPC id in capitals", { aws: { vpcId: "vpc-0123ABCD" } }, [VPC_FIX("vpc-0123ABCD")]],
    ["a VPC id of 8 hex digits", { aws: { vpcId: "vpc-0123abcd" } }, []],
    ["a VPC id of 17 hex digits", { aws: { vpcId: "vpc-0123456789abcdef0" } }, []],
    [
        "a bad security group id",
        { aws: { securityGroupId: "sg-123" } },
        [
            'aws.securityGroupId: "sg-123" is not a security group id; write it like "sg-0abc1234def567890", or omit securityGroupId to create a group',
        ],
    ],
    ["a bad allowPeers entry", { preset: "coturn", turnRelay: { allowPeers: ["bad"] } }, [`turnRelay.allowPeers[0]: ${NOT_CIDR("bad")}`]],
    [
        "an empty source list",
        rule({ from: [] }),
        ["ports[0].from: [] lets nobody in; use public, admin or a list of CIDRs (or enabled: false)"],
    ],
    ["a bad single source", rule({ from: "bad" }), [`ports[0].from: ${NOT_CIDR("bad")} (or public / admin)`]],
    [
        "bad sources in a list, each at its index",
        rule({ from: ["bad", 5] }),
        [
            `ports[0].from[0]: ${NOT_CIDR("bad")} (or public / admin)`,
            'ports[0].from[1]: 5 is not a source; use public, admin, CIDRs like "203.0.113.0/24", or on AWS a security group id like "sg-0abc1234", or on OpenStack a security group id like "5b5ce4ab-2a4f-4c4b-8a6c-0c2c4a3d9f10"',
        ],
    ],
    ["a port that is no number", rule({ ports: "x" }), [`ports[0].ports: "x" is not a port or range; ${HOW_PORTS}`]],
    ["a port that is a boolean", rule({ ports: true }), [`ports[0].ports: true is not a port; ${HOW_PORTS}`]],
    ["no ports", rule({ ports: [] }), [`ports[0].ports: [] opens no port; ${HOW_PORTS}`]],
    [
        "text around a port, spaces allowed",
        rule({ ports: ["x443", "443-445x", " 443 ", "446 - 447 "] }),
        [
            `ports[0].ports[0]: "x443" is not a port or range; ${HOW_PORTS}`,
            `ports[0].ports[1]: "443-445x" is not a port or range; ${HOW_PORTS}`,
        ],
    ],
    ["no protocol", rule({ protocol: [] }), ["ports[0].protocol: [] is not a protocol; use udp, tcp or [udp, tcp]"]],
    ["another protocol", rule({ protocol: "icmp" }), ['ports[0].protocol: "icmp" is not a protocol; use udp, tcp or [udp, tcp]']],
    [
        "a control character in a description",
        rule({ description: "a\u0007" }),
        ['ports[0].description: "a\\u0007" contains control or bidirectional-override characters; write the description as plain text'],
    ],
    [
        "a rule name of 41 characters",
        rule({ name: "a".repeat(41) }),
        [
            `ports[0].name: "${"a".repeat(41)}" is not a valid rule name; use lowercase letters, digits and dashes, starting with a letter, at most 40 characters (e.g. "rtc-udp")`,
        ],
    ],
    ["a rule name of 40 characters", rule({ name: "a".repeat(40) }), []],
    ["a blank region", { azure: { location: "  " } }, ['azure.location: "  " is not an Azure region like "westeurope"']],
    [
        "a Droplet id in a list, or with a space",
        { digitalocean: { dropletIds: [[5], "12 "] } },
        ["[5]", '"12 "'].map(
            (v, i) =>
                `digitalocean.dropletIds[${i}]: ${v} is not a Droplet id; use the numeric id (a whole number from 1 to 9007199254740991), e.g. 123456789`,
        ),
    ],
    ...[["2000-2099"], "099-200"].map((range): [string, Record<string, unknown>, string[]] => [
        `the priority range ${JSON.stringify(range)}`,
        { azure: { networkSecurityGroupName: "nsg", priorityRange: range } },
        [
            `azure.priorityRange: ${JSON.stringify(range)} is not a priority range; write "FROM-TO" inside 100-4096 that no rule of the NSG uses yet, e.g. "2000-2099"`,
        ],
    ]),
    ["an existing security group alone", { aws: { securityGroupId: "sg-0123abcd" } }, []],
    [
        "Docker's API range opened to the world",
        { ports: [{ name: "docker", protocol: "tcp", ports: 2376 }] },
        [
            'ports[0].ports: rule "docker" opens 2375-2376/tcp (Docker API: root on the host for anyone who reaches it) to all of IPv4 and all of IPv6; a media server never needs it public: remove the port, limit from to your networks, or set allowDangerous: true on this rule to open it deliberately',
        ],
    ],
    [
        "SSH opened to the world without IPv6",
        { ipv6: false, ports: [{ name: "x", protocol: "tcp", ports: 22 }] },
        [
            'ports[0].ports: rule "x" opens 22/tcp (SSH) to all of IPv4; remove 22 and list your addresses in adminCidrs, which adds an ssh rule from those only',
        ],
    ],
    [
        "adminCidrs that are the world in both families",
        { adminCidrs: ["0.0.0.0/0", "::/0"] },
        [
            'adminCidrs: ["0.0.0.0/0","::/0"] together cover all of IPv4 and all of IPv6; adminCidrs name who may administer the server: list your office, VPN or bastion networks',
        ],
    ],
    [
        "Droplet ids: digits or whole numbers from 1 to 2^53-1",
        { digitalocean: { dropletIds: ["123", "0123", "12a", 0, -1, 1.5, 2 ** 53, 2 ** 53 - 1] } },
        (['"0123"', '"12a"', "0", "-1", "1.5", "9007199254740992"] as const).map(
            (v, i) =>
                `digitalocean.dropletIds[${i + 1}]: ${v} is not a Droplet id; use the numeric id (a whole number from 1 to 9007199254740991), e.g. 123456789`,
        ),
    ],
    [
        "11 Droplets",
        { digitalocean: { dropletIds: Array.from({ length: 11 }, (_, i) => i + 1) } },
        ["digitalocean.dropletIds: 11 Droplets; a DigitalOcean firewall takes at most 10: use tags for larger fleets"],
    ],
    ["10 Droplets", { digitalocean: { dropletIds: Array.from({ length: 10 }, (_, i) => i + 1) } }, []],
    [
        "6 DigitalOcean tags",
        { digitalocean: { tags: ["a", "b", "c", "d", "e", "f"] } },
        ["digitalocean.tags: 6 tags; a DigitalOcean firewall takes at most 5"],
    ],
    ["5 DigitalOcean tags", { digitalocean: { tags: ["a", "b", "c", "d", "e"] } }, []],
    [
        "a DigitalOcean tag with a space",
        { digitalocean: { tags: ["a b"] } },
        ['digitalocean.tags[0]: "a b" is not a DigitalOcean tag; use letters, digits, "_", "-" and ":"'],
    ],
    [
        "GCP tags: 63 characters, not 64, lowercase",
        { gcp: { targetTags: ["a".repeat(63), "a".repeat(64), "Media"] } },
        [`"${"a".repeat(64)}"`, '"Media"'].map(
            (v, i) =>
                `gcp.targetTags[${i + 1}]: ${v} is not a GCP network tag; use 1-63 lowercase letters, digits and dashes, starting with a letter`,
        ),
    ],
    [
        "a resource group ending in a dot",
        { azure: { resourceGroupName: "rg." } },
        [
            'azure.resourceGroupName: "rg." is not a resource group name; use 1-90 letters, digits, "_", "-", ".", "(" and ")", not ending in "."',
        ],
    ],
    ["a resource group of 90 characters", { azure: { resourceGroupName: "r".repeat(90) } }, []],
    [
        "a resource group of 91 characters",
        { azure: { resourceGroupName: "r".repeat(91) } },
        [
            `azure.resourceGroupName: "${"r".repeat(91)}" is not a resource group name; use 1-90 letters, digits, "_", "-", ".", "(" and ")", not ending in "."`,
        ],
    ],
    ...["-nsg", "nsg-", "n".repeat(81)].map((name): [string, Record<string, unknown>, string[]] => [
        `the NSG name ${name.slice(0, 8)}`,
        { azure: { networkSecurityGroupName: name, priorityRange: "2000-2099" } },
        [`azure.networkSecurityGroupName: "${name}" is not a network security group name; use 1-80 letters, digits, "_", "." and "-"`],
    ]),
    ...(
        [
            ["nsg_", "2000-2099"],
            ["a", " 2000 - 2099 "],
            ["n".repeat(80), "100-4096"],
            ["nsg", "2000-2000"],
        ] as const
    ).map(([name, range]): [string, Record<string, unknown>, string[]] => [
        `the NSG ${name.slice(0, 8)} with priorities ${range}`,
        { azure: { networkSecurityGroupName: name, priorityRange: range } },
        [],
    ]),
    ...["99-200", "100-4097", "2100-2000", 2000, "x2000-2099", "2000-2099x", "10000-20000"].map(
        (range): [string, Record<string, unknown>, string[]] => [
            `the priority range ${range}`,
            { azure: { networkSecurityGroupName: "nsg", priorityRange: range } },
            [
                `azure.priorityRange: ${JSON.stringify(range)} is not a priority range; write "FROM-TO" inside 100-4096 that no rule of the NSG uses yet, e.g. "2000-2099"`,
            ],
        ],
    ),
    [
        "label selectors: not blank, at most 255 characters, printable",
        { hetzner: { labelSelectors: ["", " ", "r".repeat(255), "r".repeat(256), "a\u0007", "role=media"] } },
        (
            [
                [0, '""'],
                [1, '" "'],
                [3, `"${"r".repeat(256)}"`],
                [4, '"a\\u0007"'],
            ] as const
        ).map(
            ([i, v]) =>
                `hetzner.labelSelectors[${i}]: ${v} is not a label selector; write one like "role=media" (Hetzner label selector syntax)`,
        ),
    ],
    [
        "Hetzner server ids",
        { hetzner: { serverIds: ["12", "x", 0] } },
        ['"x"', "0"].map(
            (v, i) =>
                `hetzner.serverIds[${i + 1}]: ${v} is not a Hetzner server id; use the numeric id (a whole number from 1 to 9007199254740991), e.g. 12345678`,
        ),
    ],
];

describe("each refusal, exactly: the key path, the value as written, the fix", () => {
    for (const [what, config, expected] of REFUSALS) {
        it(what, () => assert.deepEqual(problemsOf(config), expected));
    }
});

const allProblems = (config: unknown) => validateConfig(config).problems.map((p) => `${p.path}: ${p.message}`);
const NO_PORT = (why: string) =>
    `ports: the config opens no port (${why}); choose a preset (livekit, mediasoup, plugnmeet, reflector, reflector-direct, jitsi, coturn) or add rules under ports`;
const REQUIRED = {
    protocol: "ports[0].protocol: is required; expected udp, tcp or [udp, tcp]",
    ports: 'ports[0].ports: is required; expected a port, a range like "50000-60000", or a list',
};
const aws = { cloud: "aws", preset: "livekit" };

/** [what, the whole config, every problem it must give, exactly]. */
const CONFIGS: [string, unknown, string[]][] = [
    ...[null, [], "x", 5].map((raw): [string, unknown, string[]] => [
        `${JSON.stringify(raw)} as the config`,
        raw,
        [`(config): ${JSON.stringify(raw)} is not a map of settings; expected keys like cloud, preset, ports`],
    ]),
    ["no preset and no rule", { cloud: "aws" }, [NO_PORT("there is no preset and no rule")]],
    ["an empty rule list", { cloud: "aws", ports: [] }, [NO_PORT("there is no preset and no rule")]],
    [
        "every rule disabled",
        {
            ...aws,
            ports: [
                { name: "rtc-udp", enabled: false },
                { name: "rtc-tcp", enabled: false },
            ],
        },
        [NO_PORT("every rule is disabled")],
    ],
    ["another problem instead of 'opens no port'", { cloud: "aws", ipv6: "x" }, ['ipv6: "x" is a string; expected true or false']],
    [
        "azure without a resource group, besides another problem",
        { cloud: "azure", preset: "livekit", ipv6: "x" },
        [
            'ipv6: "x" is a string; expected true or false',
            "azure.resourceGroupName: is required when cloud is azure; name an existing resource group",
        ],
    ],
    [
        "a repeated rule name: the repeat is not read further",
        {
            ...aws,
            ports: [
                { name: "a", protocol: "udp", ports: 40000 },
                { name: "a", enabled: false, ports: 1 },
            ],
        },
        ['ports[1].name: "a" is already used by ports[0]; rule names must be unique'],
    ],
    ["a rule that is text", { ...aws, ports: ["x"] }, ['ports[0]: "x" is a string; expected a map of keys']],
    [
        "azure without a resource group",
        { cloud: "azure", preset: "livekit" },
        ["azure.resourceGroupName: is required when cloud is azure; name an existing resource group"],
    ],
    [
        "azure with another azure problem: that one alone",
        { cloud: "azure", preset: "livekit", azure: { location: 5 } },
        ['azure.location: 5 is not an Azure region like "westeurope"'],
    ],
    ["gcp needs no resource group", { cloud: "gcp", preset: "livekit" }, []],
    [
        "invalid adminCidrs are said once, not again as missing",
        { ...aws, adminCidrs: ["bad"], ports: [{ name: "x", protocol: "tcp", ports: 8080, from: "admin" }] },
        [`adminCidrs[0]: ${NOT_CIDR("bad")}`],
    ],
    [
        "a rule from admin without adminCidrs",
        { ...aws, ports: [{ name: "x", protocol: "tcp", ports: 8080, from: "admin" }] },
        ['ports[0].from: rule "x" is from admin, but adminCidrs is empty; add adminCidrs: ["<your office CIDR>"]'],
    ],
    [
        "an existing group and a VPC",
        { ...aws, aws: { securityGroupId: "sg-0123abcd", vpcId: "vpc-0123abcd" } },
        ["aws.vpcId: is set together with aws.securityGroupId; an existing group already belongs to its VPC: remove vpcId"],
    ],
    [
        "an existing NSG without priorities",
        { cloud: "azure", preset: "livekit", azure: { resourceGroupName: "rg", networkSecurityGroupName: "nsg" } },
        [
            'azure.priorityRange: is required with azure.networkSecurityGroupName: the priorities our rules may take in that NSG, unused by its own rules, e.g. "2000-2099"',
        ],
    ],
    [
        "priorities without an NSG",
        { cloud: "azure", preset: "livekit", azure: { resourceGroupName: "rg", priorityRange: "2000-2099" } },
        [
            "azure.priorityRange: is set but azure.networkSecurityGroupName is not; it only applies to rules added to an existing NSG: remove it, or name the NSG",
        ],
    ],
    [
        "a security group source off AWS",
        { cloud: "gcp", preset: "livekit", ports: [{ name: "x", protocol: "tcp", ports: 8080, from: ["sg-0123abcd", "10.0.0.0/8"] }] },
        [
            'ports[0].from: "sg-0123abcd" is an AWS security group, a source only AWS can express; on gcp name the sources by their addresses (CIDRs)',
        ],
    ],
    ["a security group source on AWS", { ...aws, ports: [{ name: "x", protocol: "tcp", ports: 8080, from: " sg-0123abcd " }] }, []],
    [
        "a security group source with no cloud: only the cloud is missing",
        { preset: "livekit", ports: [{ name: "x", protocol: "tcp", ports: 8080, from: "sg-0123abcd" }] },
        ["cloud: is required; set it to one of aws, gcp, digitalocean, azure, hetzner, oci, linode, openstack"],
    ],
    [
        "allowPeers reaching two never-allowed addresses",
        { cloud: "aws", preset: "coturn", turnRelay: { allowPeers: ["169.254.169.254/32", "127.0.0.1/32"] } },
        [
            'turnRelay.allowPeers: ["169.254.169.254/32","127.0.0.1/32"] covers 169.254.169.254, the instance metadata service of AWS, GCP, Azure and Oracle Cloud; covers 127.0.0.1, loopback (the server\'s own local services); list only the peers the relay must reach, such as the SFU\'s private address ("10.0.1.5/32")',
        ],
    ],
    ["a key set to undefined is not set", { ...aws, ipv6: undefined }, []],
    [
        "__proto__ is reported once, as a reserved key",
        JSON.parse('{"cloud":"aws","preset":"livekit","__proto__":{"x":1}}'),
        ['__proto__: "__proto__" is not a setting and is never read; remove it'],
    ],
    [
        "options of an unknown preset: the preset alone",
        { cloud: "aws", preset: "livekyt", presetOptions: { turn: true } },
        ['preset: "livekyt" is not one of: livekit, mediasoup, plugnmeet, reflector, reflector-direct, jitsi, coturn'],
    ],
    [
        "an option of a preset without options",
        { cloud: "aws", preset: "coturn", presetOptions: { turn: true } },
        ['presetOptions.turn: "turn" is not an option of preset coturn; it has no options'],
    ],
    [
        "options without a preset",
        { cloud: "aws", presetOptions: { turn: true } },
        ["presetOptions: is set but preset is not; choose a preset or remove presetOptions"],
    ],
    [
        "an unknown option",
        { ...aws, presetOptions: { tunr: true } },
        ['presetOptions.tunr: "tunr" is not an option of preset livekit; valid options: udpMux, turn, sip, https'],
    ],
    [
        "a rule name used twice",
        {
            ...aws,
            ports: [
                { name: "a", protocol: "udp", ports: 40000 },
                { name: "a", protocol: "tcp", ports: 40001 },
            ],
        },
        ['ports[1].name: "a" is already used by ports[0]; rule names must be unique'],
    ],
    [
        "names that are no text are type errors, never repeats",
        {
            ...aws,
            ports: [
                { name: 5, protocol: "udp", ports: 40000 },
                { name: 5, protocol: "tcp", ports: 40001 },
            ],
        },
        ["ports[0].name: 5 is a number; expected a string", "ports[1].name: 5 is a number; expected a string"],
    ],
    [
        "bad rules: each problem, and what is missing besides",
        { ...aws, ports: [null, { name: "A", enabled: false }, { name: "b", protocol: "icmp" }, { name: "c", ports: "x" }] },
        [
            "ports[0]: null is null; expected a map of keys",
            'ports[1].name: "A" is not a valid rule name; use lowercase letters, digits and dashes, starting with a letter, at most 40 characters (e.g. "rtc-udp")',
            'ports[2].protocol: "icmp" is not a protocol; use udp, tcp or [udp, tcp]',
            REQUIRED.ports.replace("[0]", "[2]"),
            `ports[3].ports: "x" is not a port or range; ${HOW_PORTS}`,
            REQUIRED.protocol.replace("[0]", "[3]"),
        ],
    ],
    ["a rule with neither protocol nor ports", { ...aws, ports: [{ name: "b" }] }, [REQUIRED.protocol, REQUIRED.ports]],
    [
        "enabled: false with other keys: it or them",
        {
            ...aws,
            ports: [
                { name: "rtc-udp", enabled: false, ports: 1 },
                { name: "rtc-tcp", enabled: false, protocol: "tcp", ports: 1 },
            ],
        },
        [
            'ports[0].enabled: false removes the rule "rtc-udp", so its ports would be ignored; remove it, or drop enabled: false to replace the preset rule',
            'ports[1].enabled: false removes the rule "rtc-tcp", so its protocol, ports would be ignored; remove them, or drop enabled: false to replace the preset rule',
        ],
    ],
    [
        "disabling a rule no preset has, without a preset",
        { cloud: "aws", ports: [{ name: "zz", enabled: false }] },
        ['ports[0].name: "zz" is disabled, but no preset rule has that name; there are no preset rules to disable'],
    ],
    [
        "disabling a rule the preset does not have",
        { ...aws, ports: [{ name: "zz", enabled: false }] },
        ['ports[0].name: "zz" is disabled, but no preset rule has that name; rules you can disable: rtc-udp, rtc-tcp'],
    ],
];

describe("whole configs, exactly: what validation says", () => {
    for (const [what, config, expected] of CONFIGS) {
        it(what, () => assert.deepEqual(allProblems(config), expected));
    }

    it("the problems kept are bounded: 250 found, 200 returned", () => {
        const problems = allProblems({ cloud: "aws", ports: Array.from({ length: 125 }, (_, i) => ({ name: `r${i}` })) });
        assert.equal(problems.length, 200);
        assert.equal(problems[199], REQUIRED.ports.replace("[0]", "[99]"));
    });
});

describe("the spec validation hands the plan", () => {
    const specOf = (config: unknown, servers: ServerConfig[] = []) => {
        const v = validateConfig(config, servers);
        assert.deepEqual(v.problems, []);
        return v.spec!;
    };
    const publicSource = { public: true, admin: false, cidrs: [], groups: [], late: [] };

    it("every cloud block as given, defaults where not, and whether a list may hold anything: the chosen cloud's in settings", () => {
        const blocks = {
            aws: { vpcId: "vpc-0123abcd" },
            gcp: { network: "n", targetTags: ["t"] },
            digitalocean: { dropletIds: ["7"], tags: ["d"] },
            azure: { resourceGroupName: "rg", location: "westeurope", networkSecurityGroupName: "nsg", priorityRange: "2000-2099" },
            hetzner: { serverIds: [8], labelSelectors: ["role=media"] },
            oci: { networkSecurityGroupId: "ocid1.networksecuritygroup.oc1.eu-frankfurt-1.aaaaaaaansg" },
            linode: { linodeIds: ["41234567"], firewallLabel: "media-fw", lkeClusterId: 9 },
            openstack: { secGroupName: "media", projectQuotas: { securityGroupRules: 500 } },
        };
        const expected: Record<string, unknown> = {
            aws: { vpcId: "vpc-0123abcd", securityGroupId: undefined },
            gcp: { network: "n", targetTags: { value: ["t"], given: true } },
            digitalocean: { dropletIds: { value: [7], given: true }, tags: { value: ["d"], given: true } },
            azure: {
                resourceGroupName: "rg",
                location: "westeurope",
                networkSecurityGroupName: "nsg",
                priorityRange: { from: 2000, to: 2099 },
            },
            hetzner: { serverIds: { value: [8], given: true }, labelSelectors: { value: ["role=media"], given: true } },
            oci: {
                compartmentId: undefined,
                vcnId: undefined,
                networkSecurityGroupId: "ocid1.networksecuritygroup.oc1.eu-frankfurt-1.aaaaaaaansg",
            },
            linode: {
                linodeIds: { value: [41234567], given: true },
                nodeBalancerIds: { value: [], given: false },
                firewallLabel: "media-fw",
                lkeClusterId: 9,
            },
            openstack: { secGroupName: "media", projectQuotas: { securityGroups: 10, securityGroupRules: 500 } },
        };
        assert.deepEqual(Object.keys(expected), [...CLOUDS]);
        for (const cloud of CLOUDS) {
            const spec = specOf({ cloud, preset: "livekit", ipv6: false, secret: true, ...blocks });
            assert.deepEqual(
                { ...spec, rules: undefined },
                {
                    cloud,
                    preset: "livekit",
                    rules: undefined,
                    ipv6: false,
                    adminCidrs: [],
                    adminLate: [],
                    secret: true,
                    settings: expected[cloud],
                },
                cloud,
            );
        }
        const bare = (cloud: string, extra: object = {}) => specOf({ cloud, preset: "livekit", ...extra });
        assert.deepEqual([bare("gcp", { gcp: { targetTags: [] } }).ipv6, bare("gcp").secret], [true, false]);
        assert.deepEqual(bare("gcp", { gcp: { targetTags: [] } }).settings, {
            network: "default",
            targetTags: { value: [], given: false },
        });
        assert.deepEqual(bare("digitalocean").settings, { dropletIds: { value: [], given: false }, tags: { value: [], given: false } });
        assert.deepEqual(bare("aws").settings, { vpcId: undefined, securityGroupId: undefined });
        assert.deepEqual(bare("hetzner").settings, { serverIds: { value: [], given: false }, labelSelectors: { value: [], given: false } });
        const bareSpec = bare("gcp");
        assert.equal(bareSpec.turnRelay, undefined, "no relay, no lockdown");
    });

    it("the preset's rules, the ssh rule from adminCidrs, then the user's: a rule of the same name replaces, even the first", () => {
        const spec = specOf({
            cloud: "aws",
            preset: "livekit",
            adminCidrs: ["203.0.113.0/24"],
            ports: [
                { name: "rtc-udp", protocol: ["udp", "tcp", "udp"], ports: ["40010-40020", "40001-40030", 45060, 45061] },
                { name: "extra", protocol: "tcp", ports: 8443, from: ["admin", "198.51.100.0/24"], description: "x" },
            ],
        });
        assert.deepEqual(JSON.parse(JSON.stringify(spec.rules)), [
            {
                name: "rtc-udp",
                protocols: ["tcp", "udp"],
                ports: [
                    { from: 40001, to: 40030 },
                    { from: 45060, to: 45061 },
                ],
                from: publicSource,
                origin: "ports[0]",
            },
            {
                name: "rtc-tcp",
                protocols: ["tcp"],
                ports: [{ from: 7881, to: 7881 }],
                from: publicSource,
                description: "WebRTC over TCP (ICE/TCP)",
                origin: "preset",
            },
            {
                name: "ssh",
                protocols: ["tcp"],
                ports: [{ from: 22, to: 22 }],
                from: { ...publicSource, public: false, admin: true },
                description: "SSH from adminCidrs",
                origin: "adminCidrs",
            },
            {
                name: "extra",
                protocols: ["tcp"],
                ports: [{ from: 8443, to: 8443 }],
                from: { ...publicSource, public: false, admin: true, cidrs: [{ text: "198.51.100.0/24", family: "ipv4", prefix: 24 }] },
                description: "x",
                origin: "ports[1]",
            },
        ]);
        assert.deepEqual(
            spec.adminCidrs.map((c) => c.text),
            ["203.0.113.0/24"],
        );
        const sources = specOf(
            scanLate({
                cloud: "aws",
                preset: "livekit",
                ports: [{ name: "x", protocol: "tcp", ports: 8443, from: [" sg-0123abcd ", pulumi.output("10.0.0.0/8"), "public"] }],
            }).args,
        ).rules[2]!.from;
        assert.deepEqual([sources.groups, sources.late.map((l) => l.path), sources.public], [["sg-0123abcd"], ["ports[0].from[1]"], true]);
    });

    it("a server config's rules replace the preset's of the same name, even the first, and add the others", () => {
        const server: ServerConfig = {
            ...emptyConfig("/x/livekit.yaml", "livekit"),
            rules: [
                {
                    name: "rtc-udp",
                    protocol: "udp",
                    ports: [{ from: 40000, to: 40100 }],
                    description: "ICE/UDP",
                    origin: "livekit.yaml: rtc.port_range_start",
                },
                {
                    name: "turn-udp",
                    protocol: "udp",
                    ports: [{ from: 3478, to: 3478 }],
                    description: "TURN",
                    origin: "livekit.yaml: turn.udp_port",
                },
            ],
        };
        assert.deepEqual(
            specOf({ cloud: "aws", preset: "livekit" }, [server]).rules.map((r) => [
                r.name,
                r.description,
                r.origin,
                r.fromServerConfig ?? false,
                r.ports,
            ]),
            [
                [
                    "rtc-udp",
                    "ICE/UDP (livekit.yaml: rtc.port_range_start)",
                    "livekit.yaml: rtc.port_range_start",
                    true,
                    [{ from: 40000, to: 40100 }],
                ],
                ["rtc-tcp", "WebRTC over TCP (ICE/TCP)", "preset", false, [{ from: 7881, to: 7881 }]],
                ["turn-udp", "TURN (livekit.yaml: turn.udp_port)", "livekit.yaml: turn.udp_port", true, [{ from: 3478, to: 3478 }]],
            ],
        );
    });

    it("late values keep their markers: a whole adminCidrs adds the ssh rule, late relay peers are checked when they resolve", () => {
        const args = scanLate({
            cloud: "aws",
            preset: "coturn",
            adminCidrs: pulumi.output(["203.0.113.0/24"]),
            turnRelay: { allowPeers: [pulumi.output("10.0.0.5/32"), "10.0.1.5/32"], denyPeers: pulumi.output(["100.0.0.0/8"]) },
            ports: [{ name: "x", protocol: "tcp", ports: 8443, from: pulumi.output(["198.51.100.0/24"]) }],
            gcp: { targetTags: pulumi.output(["a"]) },
            hetzner: { serverIds: [pulumi.output(5), 6] },
        }).args;
        const spec = specOf(args);
        assert.deepEqual(
            spec.adminLate.map((l) => l.path),
            ["adminCidrs"],
        );
        assert.deepEqual(spec.adminCidrs, []);
        assert.ok(
            spec.rules.some((r) => r.name === "ssh"),
            "a late adminCidrs still opens ssh from it",
        );
        assert.deepEqual(
            spec.rules.find((r) => r.name === "x")!.from.late.map((l) => l.path),
            ["ports[0].from"],
        );
        assert.deepEqual(spec.turnRelay, { allowPeers: ["10.0.1.5/32"], denyPeers: [], tcpRelay: false });
        const onGcp = specOf({ ...(args as object), cloud: "gcp" }).settings as { targetTags: { value: unknown; given: boolean } };
        assert.ok(pulumi.Output.isInstance(onGcp.targetTags.value) && onGcp.targetTags.given);
        const onHetzner = specOf({ ...(args as object), cloud: "hetzner" }).settings as { serverIds: { value: unknown[]; given: boolean } };
        const ids = onHetzner.serverIds.value;
        assert.ok(pulumi.Output.isInstance(ids[0]) && ids[1] === 6 && onHetzner.serverIds.given);
        const known = specOf(
            scanLate({ cloud: "aws", preset: "livekit", adminCidrs: [pulumi.output("198.51.100.7"), "203.0.113.0/24"] }).args,
        );
        assert.deepEqual(
            [known.adminLate.map((l) => l.path), known.adminCidrs.map((c) => c.text)],
            [["adminCidrs[0]"], ["203.0.113.0/24"]],
        );
    });
});

describe("the preset table", () => {
    it("each option adds only rules its preset lacks, and replaces what it says", () => {
        for (const [name, preset] of Object.entries(PRESETS)) {
            for (const [option, spec] of Object.entries(
                preset.options as Record<string, { add: { name: string }[]; replaces?: string[] }>,
            )) {
                const base = preset.rules.map((r) => r.name).filter((r) => !spec.replaces?.includes(r));
                assert.deepEqual(
                    spec.add.filter((r) => base.includes(r.name)),
                    [],
                    `${name}.${option}`,
                );
            }
        }
        const names = (options: Record<string, boolean>) => presetRules("livekit", options).map((r) => r.name);
        assert.deepEqual(names({ udpMux: true }), ["rtc-tcp", "rtc-udp-mux"]);
        assert.deepEqual(names({ udpMux: true, turn: true, https: false }), ["rtc-tcp", "rtc-udp-mux", "turn-udp", "turn-tls"]);
        assert.deepEqual(names({}), ["rtc-udp", "rtc-tcp"]);
        for (const [name, preset] of Object.entries(PRESETS)) {
            const all = [
                ...preset.rules,
                ...Object.values(preset.options as Record<string, { add: { ports: string }[] }>).flatMap((o) => o.add),
            ];
            for (const r of all) assert.ok(parsePorts(r.ports).ok, `${name}: ${r.ports}`);
        }
    });
});

describe("port lists: merged, subtracted", () => {
    it("overlapping, contained and adjacent ranges merge in any order; gaps stay", () => {
        const merged = (ports: unknown) => {
            const p = parsePorts(ports);
            assert.ok(p.ok);
            return p.ranges.map(formatRange);
        };
        assert.deepEqual(merged(["40010-40020", "40001-40030"]), ["40001-40030"]);
        assert.deepEqual(merged(["40001-40030", "40010-40020"]), ["40001-40030"]);
        assert.deepEqual(merged([5061, 5060]), ["5060-5061"]);
        assert.deepEqual(merged([5060, 5062]), ["5060", "5062"]);
        assert.deepEqual(merged(["7-9", "1-3", "4-5"]), ["1-5", "7-9"]);
    });

    it("a cut inside, at either edge, over the whole, or outside a range", () => {
        const r = (from: number, to: number) => ({ from, to });
        assert.deepEqual(subtractRanges([r(1, 100)], [r(10, 20)]), [r(1, 9), r(21, 100)]);
        assert.deepEqual(subtractRanges([r(1, 100)], [r(1, 20), r(90, 100)]), [r(21, 89)]);
        assert.deepEqual(subtractRanges([r(1, 100)], [r(0, 200)]), []);
        assert.deepEqual(subtractRanges([r(10, 20)], [r(1, 9), r(21, 30)]), [r(10, 20)]);
        assert.deepEqual(subtractRanges([r(10, 20), r(30, 40)], [r(15, 35)]), [r(10, 14), r(36, 40)]);
        assert.deepEqual(subtractRanges([r(10, 20)], [r(30, 40)]), [r(10, 20)], "a cut after");
        assert.deepEqual(subtractRanges([r(10, 20)], [r(1, 5)]), [r(10, 20)], "a cut before");
    });
});

describe("input limits, by counting", () => {
    const bounds = (input: Record<string, unknown>) => checkBounds(input).map((p) => `${p.path}: ${p.message}`);

    it("adminCidrs past the source limit, a rule that is no map skipped, the expansion said at ports", () => {
        assert.deepEqual(bounds({ adminCidrs: Array(LIMITS.sources + 1).fill("203.0.113.0/24") }), [
            `adminCidrs: ${LIMITS.sources + 1} entries, more than the ${LIMITS.sources} this planner accepts (no cloud takes more sources in one rule); use wider networks`,
        ]);
        assert.deepEqual(bounds({ ports: [null, "x", { ports: Array(LIMITS.portsPerRule + 1).fill(1) }] }), [
            `ports[2].ports: ${LIMITS.portsPerRule + 1} entries, more than the ${LIMITS.portsPerRule} this planner accepts; use ranges like "50000-60000"`,
        ]);
        const wide = { protocol: ["udp", "tcp"], ports: Array(1000).fill(1), from: Array(126).fill("203.0.113.0/24") };
        assert.deepEqual(bounds({ ports: [wide] }), [
            `ports: the rules expand to 252000 (protocol, port, source) pairs, more than the ${LIMITS.expansion} this planner accepts; no cloud deploys that many: use port ranges, fewer separate ports per source, or wider networks`,
        ]);
    });
});

describe("addresses: order, truncation, lenient reading, subtraction", () => {
    it("IPv4 before IPv6, by address as numbers, then by prefix as a number", () => {
        assert.deepEqual(["16.0.0.0/8", "2.0.0.0/8"].sort(compareCidrs), ["2.0.0.0/8", "16.0.0.0/8"]);
        assert.deepEqual(["10.0.0.0/16", "10.0.0.0/8"].sort(compareCidrs), ["10.0.0.0/8", "10.0.0.0/16"]);
        assert.deepEqual(["::/0", "0.0.0.0/0", "::1/128"].sort(compareCidrs), ["0.0.0.0/0", "::/0", "::1/128"]);
    });

    it("an IPv4 network keeps its first bits of 32", () => {
        assert.equal(truncateBits(0x0a0000ffn, "ipv4", 24), 0x0a000000n);
        assert.equal(truncateBits(0x0a0000ffn, "ipv4", 32), 0x0a0000ffn);
    });

    it("a relay's config is read trimmed; a cut that ends an interval leaves nothing after it", () => {
        assert.deepEqual(lenientCidr(" 10.0.0.5/8 "), { text: "10.0.0.0/8", family: "ipv4", prefix: 8 });
        assert.equal(lenientCidr("10.0.0.0/33"), undefined);
        assert.deepEqual(
            subtract(
                [{ from: 0n, to: 10n }],
                [
                    { from: 0n, to: 9n },
                    { from: 10n, to: 10n },
                ],
            ),
            [],
        );
    });

    it("a port a server config keeps private is a warning when it says so, an error when it says so", () => {
        const server = (error: boolean): ServerConfig => ({
            ...emptyConfig("/x/livekit.yaml", "livekit"),
            privatePorts: [
                { protocol: "tcp", port: 6789, origin: "livekit.yaml: prometheus_port", why: "metrics belong on a private network", error },
            ],
        });
        const open = { cloud: "aws", preset: "livekit", ports: [{ name: "metrics", protocol: "tcp", ports: 6789 }] };
        const warned = validateConfig(open, [server(false)]);
        assert.deepEqual(
            [warned.problems, warned.warnings],
            [
                [],
                [
                    'ports[0].ports: rule "metrics" opens 6789/tcp (livekit.yaml: prometheus_port) to all of IPv4 and all of IPv6: metrics belong on a private network',
                ],
            ],
        );
        assert.deepEqual(
            validateConfig(open, [server(true)]).problems.map((p) => `${p.path}: ${p.message}`),
            [
                'ports[0].ports: rule "metrics" opens 6789/tcp (livekit.yaml: prometheus_port) to all of IPv4 and all of IPv6: metrics belong on a private network; remove it from the rule',
            ],
        );
    });
});

describe("a preset's never-expose ports published by a container on every address (compose in serverConfigs)", () => {
    const compose = (ports: [number, number][], origin = "docker-compose.yml: services.db.ports[0]"): ServerConfig => ({
        file: "docker-compose.yml",
        kind: "compose",
        rules: [],
        privatePorts: [],
        problems: [],
        warnings: [],
        published: ports.map(([from, to]) => ({
            protocol: "tcp" as const,
            ports: { from, to },
            origin,
            loopback: '"127.0.0.1:5432:5432"',
        })),
    });
    const refusals = (preset: string | undefined, server: ServerConfig) =>
        validateConfig({ cloud: "aws", ...(preset ? { preset } : { ports: [{ name: "web", protocol: "tcp", ports: 443 }] }) }, [
            server,
        ]).problems.map((p) => `${p.path}: ${p.message}`);

    it("a publication covering 5432 or 6379 under a Reflector preset is refused with the loopback entry to write; edges count", () => {
        assert.deepEqual(refusals("reflector", compose([[5432, 5432]])), [
            `docker-compose.yml: services.db.ports[0]: publishes 5432/tcp on every address: PostgreSQL is internal to Reflector's Docker network and must never be exposed (preset reflector), and Docker forwards a publication past the host firewall's input rules; publish it as "127.0.0.1:5432:5432", or not at all`,
        ]);
        assert.equal(refusals("reflector-direct", compose([[5000, 6379]])).length, 2, "a range covering both is refused for each");
        assert.deepEqual(
            refusals(
                "reflector",
                compose([
                    [5433, 6378],
                    [6380, 7076],
                ]),
            ),
            [],
            "next to them is fine",
        );
    });

    it("other presets and no preset have no never-expose ports", () => {
        assert.deepEqual(refusals("livekit", compose([[5432, 5432]])), []);
        assert.deepEqual(refusals(undefined, compose([[5432, 5432]])), []);
    });
});

describe("the contract over any catalogue of clouds", () => {
    /** A second cloud that names groups as sources, beside AWS: the contract must treat both alike. */
    // Built inside each test, not while mocha collects them: Stryker activates a mutant per test only.
    const otherCloud = (): CloudContract => ({
        name: "other",
        title: "Other",
        settings: settingsBlock("other", "OtherArgs", "Other settings.", {
            id: lateSetting(z.string(), { type: "string" }),
            ids: lateListSetting(z.string(), { type: "array" }, { max: 2, message: (n) => `${n} ids; at most 2` }),
            mode: plainSetting(z.enum(["a", "b"]), { type: "string" }),
        }),
        groupSource: {
            pattern: /^grp-\d+$/,
            what: "an Other group",
            write: 'a group id like "grp-1"',
            cloud: "Other",
            resourceType: "other:index:Group",
            inList: (id) => `resolved to the group "${id}" inside a list Output`,
        },
        spec: () => ({}),
    });
    const catalogueNow = () => catalogueOf([awsCloud, otherCloud()]);
    const lone0 = () => catalogueOf([otherCloud(), { ...otherCloud(), name: "plain", groupSource: undefined }]);
    const validate = (config: Record<string, unknown>) => validateWith(config, [], catalogueNow());
    const rule = (from: unknown) => ({ cloud: "other", ports: [{ name: "x", protocol: "tcp", ports: 8080, from }] });

    it("takes each cloud's settings block by its own definition: Outputs only where it says, its limits, no other key", () => {
        assert.deepEqual(catalogueNow().inputPaths.slice(4, -6), [
            "aws.vpcId",
            "aws.securityGroupId",
            "aws.eksClusterSecurityGroupId",
            "aws.securityGroupTags",
            "other.id",
            "other.ids",
            "other.ids[]",
        ]);
        assert.deepEqual(
            validate({ ...rule(["grp-7"]), other: { id: 5, ids: ["a", "b", "c"], mode: "c", extra: 1 } }).problems.map((p) => p.path),
            ["other.id", "other.ids", "other.mode", "other.extra"],
        );
        const scan = scanLateWith(
            { cloud: "other", other: { id: pulumi.output("x"), ids: [pulumi.output("y")], mode: pulumi.output("a") } },
            catalogueNow().inputPaths,
        );
        assert.deepEqual([scan.lates.map((l) => l.path), scan.problems.map((p) => p.path)], [["other.id", "other.ids[0]"], ["other.mode"]]);
    });

    it("a list setting within its cloud's limit passes; past it, the cloud's own message", () => {
        assert.deepEqual(validate({ ...rule(["grp-7"]), other: { ids: ["a", "b"] } }).problems, []);
        assert.deepEqual(
            validate({ ...rule(["grp-7"]), other: { ids: ["a", "b", "c"] } }).problems.map((p) => `${p.path}: ${p.message}`),
            ["other.ids: 3 ids; at most 2"],
        );
    });

    it("recognises every cloud's group ids, and names each way to write a source", () => {
        assert.deepEqual(validate(rule(["grp-7", "203.0.113.0/24"])).spec!.rules[0]!.from.groups, ["grp-7"]);
        assert.deepEqual(
            validate(rule([5])).problems.map((p) => p.message),
            [
                '5 is not a source; use public, admin, CIDRs like "203.0.113.0/24", ' +
                    'or on AWS a security group id like "sg-0abc1234", or on Other a group id like "grp-1"',
            ],
        );
    });

    it("refuses another cloud's group on a cloud that names groups too, saying whose it is", () => {
        assert.deepEqual(
            validate(rule(["sg-0123abcd"])).problems.map((p) => `${p.path}: ${p.message}`),
            [
                'ports[0].from: "sg-0123abcd" is an AWS security group, a source only AWS can express; on other name the sources by their addresses (CIDRs)',
            ],
            "a cloud that names groups takes only its own kind: its mapping would take another cloud's id for one of its groups",
        );
        assert.deepEqual(
            validate({ ...rule(["grp-7"]), cloud: "aws" }).problems.map((p) => p.path),
            ["ports[0].from"],
        );
        assert.deepEqual(validate(rule(["grp-7"])).problems, [], "its own kind passes");
        assert.equal(lone0().groupSources.length, 1, "a cloud without group sources adds none");
        const lone = catalogueOf([
            otherCloud(),
            {
                ...otherCloud(),
                name: "plain",
                title: "Plain",
                groupSource: undefined,
                settings: settingsBlock("plain", "PlainArgs", "Plain.", {}),
            },
        ]);
        assert.deepEqual(
            validateWith({ ...rule(["grp-7"]), cloud: "plain" }, [], lone).problems.map((p) => `${p.path}: ${p.message}`),
            [
                'ports[0].from: "grp-7" is an Other group, a source only Other can express; on plain name the sources by their addresses (CIDRs)',
            ],
        );
        assert.deepEqual(validate({}).problems.map((p) => `${p.path}: ${p.message}`)[0], "cloud: is required; set it to one of aws, other");
    });
});
