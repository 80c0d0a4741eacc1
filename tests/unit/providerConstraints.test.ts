/**
 * Every input this package registers passes the providers' own validation (tests/providers/validators.ts,
 * with sources), for property-generated configs and for edge configs; a component name or config that
 * cannot produce valid inputs is refused before anything is registered, naming the cloud's rule.
 */
import * as assert from "node:assert/strict";
import fc from "fast-check";
import { CLOUDS } from "../../src/clouds/registry";
import { configs } from "../generators";
import { ipv4Networks, ipv6Networks, plan, refuse, itProperty } from "../helpers";
import { providerProblems } from "../providers/validators";
import { settingsOf } from "../cloudSettings";

const SEED = Number(process.env.WRF_SEED ?? 20261121);
const RUNS = Math.max(1, Math.floor(Number(process.env.WRF_RUNS ?? 200) / 4));

/** A description at the 200-character limit with non-ASCII text and an emoji astride every cut point. */
const LONG_DESCRIPTION = `Médiaserveur 日本語 ${"🎥".repeat(90)}`.slice(0, 200);

const EDGE_CONFIGS: Record<string, Record<string, unknown>> = {
    "every preset option, admin sources of both families": {
        preset: "livekit",
        presetOptions: { turn: true, sip: true, https: true },
        adminCidrs: ["203.0.113.0/24", "2001:db8::/48"],
    },
    "longest rule names and descriptions, non-ASCII": {
        ports: [
            { name: "a".repeat(40), protocol: ["udp", "tcp"], ports: ["40000-40100", 3000], description: LONG_DESCRIPTION },
            {
                name: "b".repeat(40),
                protocol: "udp",
                ports: 5000,
                description: "ümlaut & ampersand; {braces} $dollar *star* 'quote' \"dq\" <angle> ~tilde",
            },
        ],
    },
    // The most each cloud deploys: AWS 5 groups x 55 rules, DigitalOcean 1000 sources per rule (GCP, Azure take more).
    "largest source lists": { ipv6: false, ports: [{ name: "wide", protocol: "udp", ports: 9000, from: "many" }] },
    "IPv6 sources": { ports: [{ name: "v6", protocol: "tcp", ports: 443, from: ipv6Networks(50) }] },
};

describe("provider constraints: every registered input passes the providers' validators", function () {
    this.timeout(120_000);
    for (const cloud of CLOUDS) {
        itProperty(`${cloud}: ${RUNS} property-generated configs (seed ${SEED})`, async () => {
            const samples = fc.sample(configs(cloud), { seed: SEED, numRuns: RUNS });
            for (const g of samples) {
                const { resources } = await plan(g.args);
                assert.deepEqual(providerProblems(resources), [], JSON.stringify(g.args));
            }
        });
        for (const [label, config] of Object.entries(EDGE_CONFIGS)) {
            it(`${cloud}: ${label}`, async () => {
                // One rule per source: as many as 5 groups hold (AWS keeps 5 of each group's 60 free for updates); OpenStack: the default
                // quota of 100, less the default group's 4, 5 kept free and our 2 egress rules.
                const many = ipv4Networks(cloud === "aws" ? 275 : cloud === "oci" ? 300 : cloud === "openstack" ? 89 : 1000);
                const withSources = JSON.parse(JSON.stringify(config).replace('"many"', JSON.stringify(many)));
                const { resources } = await plan({ cloud, ...settingsOf(cloud), ...withSources });
                assert.deepEqual(providerProblems(resources), []);
            });
        }
    }

    it("descriptions are cut on code points: no lone surrogate reaches any cloud", async () => {
        for (const cloud of CLOUDS) {
            const { resources } = await plan({
                cloud,
                ...settingsOf(cloud),
                ports: [{ name: "e", protocol: "udp", ports: 9, description: LONG_DESCRIPTION }],
            });
            assert.deepEqual(providerProblems(resources), []);
            if (cloud === "azure") assert.match(JSON.stringify(resources), /🎥\.\.\./, "cut after a whole emoji");
        }
    });

    it("AWS keeps '&' in descriptions, as AWS allows it", async () => {
        const { resources } = await plan({ cloud: "aws", ports: [{ name: "e", protocol: "udp", ports: 9, description: "audio & video" }] });
        assert.ok(resources.some((r) => r.inputs.description === "e: audio & video"));
    });
});

describe("provider constraints: names and configs no cloud would accept are refused before anything is registered", () => {
    const admin = { adminCidrs: ["203.0.113.0/24"] };
    it("AWS: a group name may not start with sg- nor pass 255 characters", () => {
        assert.match(
            refuse({ cloud: "aws", preset: "livekit" }, "sg-media")[0]!,
            /^name: component name "sg-media" .*AWS refuses group names that start with "sg-" or are longer than 255/,
        );
        assert.match(
            refuse({ cloud: "aws", preset: "livekit" }, "m".repeat(250))[0]!,
            /longer than 255 characters.*at most 242 characters/,
        );
    });

    it("Azure: the NSG name must be 1-80 of [A-Za-z0-9_.-], alphanumeric first", () => {
        for (const name of ["Media Server", "_media", "m".repeat(70)]) {
            const lines = refuse({ cloud: "azure", preset: "livekit", azure: { resourceGroupName: "rg" } }, name);
            assert.match(
                lines[0]!,
                /^name: component name .* Azure allows 1-80 letters, digits, "_", "\." and "-", starting with a letter or digit/,
                name,
            );
        }
    });

    it("DigitalOcean: the firewall name must match ^[a-zA-Z0-9][a-zA-Z0-9.-]+$", () => {
        for (const name of ["_media", "my_media", "Media Server"]) {
            assert.match(
                refuse({ cloud: "digitalocean", preset: "livekit", digitalocean: { tags: ["m"] } }, name)[0]!,
                /DigitalOcean firewall names must start with a letter or digit/,
            );
        }
    });

    it("IPv4-mapped and IPv4-in-IPv6 spellings are refused on every cloud (AWS's ValidateIPv6CIDRBlock, ipaddr.js rewrites)", () => {
        const lines = refuse({
            cloud: "aws",
            ports: [{ name: "m", protocol: "udp", ports: 9, from: ["::ffff:203.0.113.0/120", "::1.2.3.4", "fe80::1%eth0"] }],
        });
        assert.deepEqual(lines, [
            'ports[0].from[0]: "::ffff:203.0.113.0/120" writes an IPv4 address inside IPv6; write the IPv4 address or network itself (e.g. "203.0.113.0") (or public / admin)',
            'ports[0].from[1]: "::1.2.3.4" writes an IPv4 address inside IPv6; write the IPv4 address or network itself (e.g. "1.2.3.4") (or public / admin)',
            'ports[0].from[2]: "fe80::1%eth0" has a zone index ("%eth0"), which only means something on one host; remove it (a link-local address is never a firewall source) (or public / admin)',
        ]);
    });

    it("control characters in descriptions and ids are refused, quoted as escapes", () => {
        const lines = refuse({
            cloud: "gcp",
            ...admin,
            gcp: { network: "default\u001b[2J" },
            ports: [{ name: "m", protocol: "udp", ports: 9, description: "a\u202eb" }],
        });
        assert.ok(
            lines.some((l) => l.startsWith("gcp.network: ") && l.includes("contains control characters")),
            lines.join("\n"),
        );
        assert.ok(
            lines.some((l) => l.startsWith("ports[0].description: ") && l.includes("control or bidirectional-override")),
            lines.join("\n"),
        );
    });
});
