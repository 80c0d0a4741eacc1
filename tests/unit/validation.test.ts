import * as assert from "node:assert/strict";
import { plan, refuse } from "../helpers";

/** Each case: args, and fragments that must appear in one problem line (path first). */
const cases: [string, Record<string, unknown>, string[]][] = [
    ["missing cloud", { preset: "livekit" }, ["cloud: is required", "aws, gcp, digitalocean, azure, hetzner, oci, linode, openstack"]],
    [
        "unknown cloud",
        { cloud: "ovh", preset: "livekit" },
        ['cloud: "ovh" is not one of: aws, gcp, digitalocean, azure, hetzner, oci, linode, openstack'],
    ],
    ["unknown preset", { cloud: "aws", preset: "janus" }, ['preset: "janus" is not one of: livekit, mediasoup']],
    [
        "unknown option",
        { cloud: "aws", preset: "livekit", presetOptions: { tunr: true } },
        ['presetOptions.tunr: "tunr" is not an option of preset livekit; valid options: udpMux, turn, sip, https'],
    ],
    [
        "options without preset",
        { cloud: "aws", presetOptions: { turn: true }, ports: [{ name: "a", protocol: "udp", ports: 1000 }] },
        ["presetOptions: is set but preset is not"],
    ],
    [
        "option not boolean",
        { cloud: "aws", preset: "livekit", presetOptions: { turn: "yes" } },
        ['presetOptions.turn: "yes" is a string; expected true or false'],
    ],
    [
        "port above range",
        { cloud: "aws", ports: [{ name: "a", protocol: "udp", ports: 70000 }] },
        ["ports[0].ports: 70000: port 70000 is outside 1..65535"],
    ],
    [
        "port zero in range",
        { cloud: "aws", ports: [{ name: "a", protocol: "udp", ports: "0-100" }] },
        ['ports[0].ports: "0-100": port 0 is outside 1..65535'],
    ],
    [
        "reversed range",
        { cloud: "aws", ports: [{ name: "a", protocol: "udp", ports: "60000-50000" }] },
        ['ports[0].ports: "60000-50000" is a reversed range', 'write it as "50000-60000"'],
    ],
    ["non-integer", { cloud: "aws", ports: [{ name: "a", protocol: "udp", ports: 44.5 }] }, ["ports[0].ports: 44.5 is not a whole number"]],
    [
        "text port",
        { cloud: "aws", ports: [{ name: "a", protocol: "udp", ports: "https" }] },
        ['ports[0].ports: "https" is not a port or range'],
    ],
    [
        "bad list element",
        { cloud: "aws", ports: [{ name: "a", protocol: "tcp", ports: [443, "80x"] }] },
        ['ports[0].ports[1]: "80x" is not a port or range'],
    ],
    [
        "unknown protocol",
        { cloud: "aws", ports: [{ name: "a", protocol: "icmp", ports: 1 }] },
        ['ports[0].protocol: "icmp" is not a protocol; use udp, tcp or [udp, tcp]'],
    ],
    [
        "malformed CIDR",
        { cloud: "aws", preset: "livekit", adminCidrs: ["10.0.0.300/8"] },
        ['adminCidrs[0]: "10.0.0.300/8" is not an IPv4/IPv6 address or CIDR'],
    ],
    [
        "prefix out of range v4",
        { cloud: "aws", preset: "livekit", adminCidrs: ["10.0.0.0/33"] },
        ['adminCidrs[0]: "10.0.0.0/33" has prefix length "/33"; IPv4 allows /0 to /32'],
    ],
    [
        "prefix out of range v6",
        { cloud: "aws", preset: "livekit", adminCidrs: ["2001:db8::/129"] },
        ['"2001:db8::/129" has prefix length "/129"; IPv6 allows /0 to /128'],
    ],
    [
        "host bits",
        { cloud: "aws", preset: "livekit", adminCidrs: ["192.168.1.10/24"] },
        ['adminCidrs[0]: "192.168.1.10/24" has host bits set', 'did you mean "192.168.1.0/24"'],
    ],
    [
        "host bits in a rule",
        { cloud: "aws", ports: [{ name: "a", protocol: "udp", ports: 1000, from: ["2001:db8::1/32"] }] },
        ['ports[0].from[0]: "2001:db8::1/32" has host bits set', '"2001:db8::/32"'],
    ],
    [
        "admin without adminCidrs",
        { cloud: "aws", ports: [{ name: "a", protocol: "tcp", ports: 9000, from: "admin" }] },
        ['ports[0].from: rule "a" is from admin, but adminCidrs is empty'],
    ],
    [
        "preset admin rule without adminCidrs",
        { cloud: "aws", preset: "reflector", presetOptions: { dashboard: true } },
        ['preset: rule "dashboard" is from admin, but adminCidrs is empty'],
    ],
    [
        "duplicate names",
        {
            cloud: "aws",
            ports: [
                { name: "a", protocol: "udp", ports: 1 },
                { name: "a", protocol: "tcp", ports: 2 },
            ],
        },
        ['ports[1].name: "a" is already used by ports[0]'],
    ],
    [
        "malformed name",
        { cloud: "aws", ports: [{ name: "Media_1", protocol: "udp", ports: 1 }] },
        ['ports[0].name: "Media_1" is not a valid rule name'],
    ],
    [
        "name too long",
        { cloud: "aws", ports: [{ name: "a".repeat(41), protocol: "udp", ports: 1 }] },
        ["ports[0].name:", "at most 40 characters"],
    ],
    [
        "unknown top-level key",
        { cloud: "aws", preset: "livekit", adminCIDRs: ["1.2.3.4"] },
        ['adminCIDRs: unknown key "adminCIDRs"; did you mean "adminCidrs"?'],
    ],
    [
        "unknown rule key",
        { cloud: "aws", ports: [{ name: "a", protocol: "udp", port: 1 }] },
        ['ports[0].port: unknown key "port"; did you mean "ports"?'],
    ],
    [
        "unknown cloud block key",
        { cloud: "aws", preset: "livekit", aws: { vpc: "vpc-12345678" } },
        ['aws.vpc: unknown key "vpc"; did you mean "vpcId"?'],
    ],
    ["wrong type", { cloud: "aws", preset: "livekit", ipv6: "no" }, ['ipv6: "no" is a string; expected true or false']],
    ["ports not a list", { cloud: "aws", ports: { name: "a" } }, ['ports: {"name":"a"} is a map; expected a list']],
    ["rule without ports", { cloud: "aws", ports: [{ name: "a", protocol: "udp" }] }, ["ports[0].ports: is required"]],
    ["opens nothing", { cloud: "aws" }, ["ports: the config opens no port"]],
    [
        "everything disabled",
        {
            cloud: "aws",
            preset: "livekit",
            ports: [
                { name: "rtc-udp", enabled: false },
                { name: "rtc-tcp", enabled: false },
            ],
        },
        ["ports: the config opens no port (every rule is disabled)"],
    ],
    [
        "disable unknown rule",
        { cloud: "aws", preset: "livekit", ports: [{ name: "rtc-udpp", enabled: false }] },
        ['ports[0].name: "rtc-udpp" is disabled, but no preset rule has that name; rules you can disable: rtc-udp, rtc-tcp'],
    ],
    [
        "ssh to public",
        { cloud: "aws", ports: [{ name: "shell", protocol: "tcp", ports: 22 }] },
        ['ports[0].ports: rule "shell" opens 22/tcp (SSH) to all of IPv4 and all of IPv6', "adminCidrs"],
    ],
    [
        "ssh in a public range",
        { cloud: "aws", ports: [{ name: "low", protocol: ["udp", "tcp"], ports: "1-1024" }] },
        ['rule "low" opens 22/tcp (SSH)'],
    ],
    [
        "ssh to ::/0",
        { cloud: "aws", ports: [{ name: "shell", protocol: "tcp", ports: 22, from: ["::/0"] }] },
        ['rule "shell" opens 22/tcp (SSH) to all of IPv6'],
    ],
    [
        "reflector internal port",
        { cloud: "aws", preset: "reflector", ports: [{ name: "db", protocol: "tcp", ports: "5000-5500" }] },
        ['ports[0].ports: rule "db" opens port 5432: PostgreSQL'],
    ],
    [
        "reflector-direct redis",
        { cloud: "aws", preset: "reflector-direct", ports: [{ name: "cache", protocol: "tcp", ports: 6379, from: ["10.0.0.0/8"] }] },
        ['rule "cache" opens port 6379: Redis'],
    ],
    ["azure without resource group", { cloud: "azure", preset: "livekit" }, ["azure.resourceGroupName: is required when cloud is azure"]],
    ["bad vpc id", { cloud: "aws", preset: "livekit", aws: { vpcId: "default" } }, ['aws.vpcId: "default" is not a VPC id']],
    [
        "too many droplets",
        { cloud: "digitalocean", preset: "livekit", digitalocean: { dropletIds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11] } },
        ["digitalocean.dropletIds: 11 Droplets; a DigitalOcean firewall takes at most 10"],
    ],
    [
        "too many tags",
        { cloud: "digitalocean", preset: "livekit", digitalocean: { tags: ["a", "b", "c", "d", "e", "f"] } },
        ["digitalocean.tags: 6 tags; a DigitalOcean firewall takes at most 5"],
    ],
    [
        "bad gcp tag",
        { cloud: "gcp", preset: "livekit", gcp: { targetTags: ["Media_Servers"] } },
        ['gcp.targetTags[0]: "Media_Servers" is not a GCP network tag'],
    ],
    [
        "another cloud's block is validated too",
        { cloud: "aws", preset: "livekit", azure: { resourceGroupName: "rg." } },
        ['azure.resourceGroupName: "rg." is not a resource group name'],
    ],
];

describe("validation: bad input is refused before anything is registered", () => {
    for (const [title, args, fragments] of cases) {
        it(title, () => {
            const lines = refuse(args);
            const hit = lines.find((line) => fragments.every((f) => line.includes(f)));
            assert.ok(hit, `no problem line contains ${JSON.stringify(fragments)}; got:\n${lines.join("\n")}`);
        });
    }

    it("reports every problem at once", () => {
        const lines = refuse({
            cloud: "aws",
            preset: "livekit",
            adminCidrs: ["10.0.0.1/8"],
            ipv6: "yes",
            typo: 1,
            ports: [
                { name: "a", protocol: "udp", ports: "2-1" },
                { name: "b", protocol: "sctp", ports: 1 },
            ],
        });
        assert.equal(lines.length, 5, lines.join("\n"));
        for (const path of ["adminCidrs[0]", "ipv6", "typo", "ports[0].ports", "ports[1].protocol"]) {
            assert.ok(
                lines.some((l) => l.startsWith(`${path}: `)),
                `missing ${path}`,
            );
        }
    });

    it("the error is a Pulumi RunError (no stack trace in pulumi up) with a readable message", () => {
        const { WebRtcFirewall } = require("../../src/component/component");
        const pulumi = require("@pulumi/pulumi");
        try {
            new WebRtcFirewall("wrf", { cloud: "aws" });
            assert.fail("expected an error");
        } catch (err) {
            assert.ok(pulumi.RunError.isInstance(err));
            assert.match((err as Error).message, /^webrtc-firewall: the config has 1 problem; nothing was created:\n  - ports: /);
        }
    });
});

describe("validation: warnings", () => {
    it("warns when livekit opens its API port 7880, and when reflector opens a port Caddy proxies", async () => {
        const livekit = await plan({ cloud: "aws", preset: "livekit", ports: [{ name: "api", protocol: "tcp", ports: 7880 }] });
        assert.deepEqual(livekit.firewall.warnings, [
            'ports[0].ports: rule "api" opens port 7880: LiveKit\'s API/WebSocket port 7880 belongs behind a TLS load balancer, not open to the internet',
        ]);
        const reflector = await plan({ cloud: "aws", preset: "reflector", ports: [{ name: "s3", protocol: "tcp", ports: [3900, 1250] }] });
        assert.equal(reflector.firewall.warnings.length, 2);
        assert.match(reflector.firewall.warnings[0]!, /opens port 1250: Reflector's API 1250 is proxied by Caddy/);
        const direct = await plan({ cloud: "aws", preset: "reflector-direct" });
        assert.deepEqual(direct.firewall.warnings, []);
    });
});
