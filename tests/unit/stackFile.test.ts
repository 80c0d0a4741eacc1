/**
 * The plan reads stack files with the meaning Pulumi gives them (Go's yaml.v3): scalars whose meaning
 * differs between YAML readers are refused with the spelling that means the same everywhere; encrypted
 * values, misspelled namespaces and odd files are named, never planned as if absent.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runPlan } from "../../src/cli/plan";
import { ConfigError } from "../../src/contract/problems";
import { readStackFile, readStackSettings, STACK_FILE_MAX_BYTES } from "../../src/sources/stackFile";
import { itAtScale } from "../helpers";

const problemsOf = (yaml: string) => readStackSettings(yaml, "Pulumi.test.yaml").problems.map((p) => `${p.path}: ${p.message}`);

function tempFile(text: string | Buffer): string {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "wrf-stack-")), "Pulumi.test.yaml");
    fs.writeFileSync(file, text);
    return file;
}

async function planProblems(yaml: string): Promise<string[]> {
    try {
        await runPlan({ config: tempFile(yaml) });
    } catch (err) {
        // Each problem at its line of the file, which is a temporary one: written FILE here.
        if (ConfigError.isInstance(err))
            return err.problems.map((p) => `${p.path.replace(/^\S*Pulumi\.test\.yaml:/, "FILE:")}: ${p.message}`);
        throw err;
    }
    assert.fail("expected the plan to refuse the file");
}

describe("stack files: the same meaning as the Pulumi CLI", () => {
    const cases: [string, string, RegExp][] = [
        [
            "octal 0443",
            "config:\n  webrtc-firewall:ports:\n    - {name: web, protocol: tcp, ports: 0443}\n",
            /^webrtc-firewall:ports\[0\]\.ports: 0443 has a leading zero: Pulumi's YAML reader takes it as 291 \(octal\); write 443/,
        ],
        [
            "080",
            "config:\n  webrtc-firewall:ports:\n    - {name: web, protocol: tcp, ports: 080}\n",
            /080 has a leading zero: Pulumi's YAML reader takes it as 80; write 80/,
        ],
        [
            "026 is octal 22",
            "config:\n  webrtc-firewall:ports:\n    - {name: x, protocol: tcp, ports: 026}\n",
            /026 has a leading zero: Pulumi's YAML reader takes it as 22 \(octal\)/,
        ],
        [
            "0x1bb",
            "config:\n  webrtc-firewall:ports:\n    - {name: x, protocol: tcp, ports: 0x1bb}\n",
            /0x1bb is written in base 16; write the decimal number, e\.g\. 443/,
        ],
        ["0b", "config:\n  webrtc-firewall:ports:\n    - {name: x, protocol: tcp, ports: 0b11}\n", /0b11 is written in base 2/],
        [
            "0o",
            "config:\n  webrtc-firewall:ports:\n    - {name: x, protocol: tcp, ports: 0o777}\n",
            /0o777 is written in base 8; write the decimal number, e\.g\. 511/,
        ],
        [
            "underscores",
            "config:\n  webrtc-firewall:ports:\n    - {name: x, protocol: udp, ports: 50_000}\n",
            /50_000 has "_" digit separators.*write 50000/,
        ],
        [".inf", "config:\n  webrtc-firewall:ports:\n    - {name: x, protocol: udp, ports: .inf}\n", /\.inf is not a finite number/],
        ["1e400", "config:\n  webrtc-firewall:ports:\n    - {name: x, protocol: udp, ports: 1e400}\n", /1e400 is too large to be a number/],
        [
            "encrypted value",
            "config:\n  webrtc-firewall:cloud: aws\n  webrtc-firewall:adminCidrs:\n    secure: v1:abc\n",
            /^webrtc-firewall:adminCidrs: is encrypted \(secure: v1:….*cannot decrypt it/,
        ],
        [
            "encrypted value inside a map",
            "config:\n  webrtc-firewall:gcp:\n    network: default\n    targetTags:\n      secure: v1:abc\n",
            /^webrtc-firewall:gcp\.targetTags: is encrypted/,
        ],
        [
            "key without namespace",
            "config:\n  cloud: aws\n",
            /^cloud: is not a Pulumi config key; keys are `namespace:name`, e\.g\. `webrtc-firewall:cloud`/,
        ],
        [
            "no config map",
            "webrtc-firewall:cloud: aws\n",
            /has no top-level `config:` map \(it has webrtc-firewall:cloud\); indent webrtc-firewall:cloud under a top-level `config:`/,
        ],
        ["a list", "- a\n- b\n", /is a list, not a map/],
        ["a scalar", "hello\n", /is a single value, not a map/],
        ["empty", "", /is empty/],
        ["repeated key", "config:\n  webrtc-firewall:cloud: aws\n  webrtc-firewall:cloud: gcp\n", /^webrtc-firewall:cloud: is set twice/],
    ];
    for (const [title, yaml, pattern] of cases) {
        it(title, () => {
            const lines = problemsOf(yaml);
            assert.ok(
                lines.some((l) => pattern.test(l)),
                `no line matches ${pattern}:\n${lines.join("\n")}`,
            );
        });
    }

    it("quoted forms and plain decimals mean what they say", () => {
        const { values, problems } = readStackSettings(
            'config:\n  webrtc-firewall:ports:\n    - {name: x, protocol: tcp, ports: ["0443", 443, "50000-60000"]}\n  webrtc-firewall:ipv6: false\n',
            "f",
        );
        assert.deepEqual(problems, []);
        assert.equal(values["webrtc-firewall:ports"], '[{"name":"x","protocol":"tcp","ports":["0443",443,"50000-60000"]}]');
        assert.equal(values["webrtc-firewall:ipv6"], "false");
    });

    it("the plan refuses an encrypted value instead of planning without it", async () => {
        const lines = await planProblems(
            "config:\n  webrtc-firewall:cloud: aws\n  webrtc-firewall:preset: livekit\n  webrtc-firewall:ports:\n    secure: v1:AAAA\n",
        );
        assert.equal(lines.length, 1);
        assert.match(lines[0]!, /^FILE:4: webrtc-firewall:ports: is encrypted/);
    });

    it("a map beside `secure` keeps its other keys: validation sees them all", async () => {
        const lines = await planProblems(
            "config:\n  webrtc-firewall:cloud: gcp\n  webrtc-firewall:preset: livekit\n  webrtc-firewall:gcp:\n    secure: v1:AAAA\n    bogus: 1\n    targetTags: [media]\n",
        );
        assert.ok(
            lines.some((l) => l.startsWith('FILE:5: gcp.secure: unknown key "secure"')),
            lines.join("\n"),
        );
        assert.ok(
            lines.some((l) => l.startsWith('FILE:6: gcp.bogus: unknown key "bogus"')),
            lines.join("\n"),
        );
    });

    it("a misspelled namespace is named with the key it meant", async () => {
        const lines = await planProblems(
            "config:\n  webrtc-firewall:cloud: aws\n  webrtc-firewall:preset: livekit\n  webrtc_firewall:ports:\n    - {name: rtc-udp, enabled: false}\n  webrtcfirewall:adminCidrs: [203.0.113.0/24]\n",
        );
        assert.deepEqual(lines, [
            'FILE:4: webrtc_firewall:ports: is in namespace "webrtc_firewall", which this program does not read; did you mean webrtc-firewall:ports?',
            'FILE:6: webrtcfirewall:adminCidrs: is in namespace "webrtcfirewall", which this program does not read; did you mean webrtc-firewall:adminCidrs?',
        ]);
    });

    it("only regular files of bounded size are read", () => {
        assert.match(readStackFile("/dev/zero").problems[0]!.message, /is not a regular file/);
        const big = tempFile(Buffer.alloc(STACK_FILE_MAX_BYTES + 1, "#"));
        assert.match(readStackFile(big).problems[0]!.message, /more than the 1048576 a stack settings file may have/);
    });

    itAtScale("30,000 unknown keys (near the file size limit) are read in one pass and reported with a bounded list", async () => {
        const keys = Array.from({ length: 30_000 }, (_, i) => `  webrtc-firewall:k${i}: 1`).join("\n");
        const lines = await planProblems(`config:\n  webrtc-firewall:cloud: aws\n  webrtc-firewall:preset: livekit\n${keys}\n`);
        assert.equal(lines.length, 200);
        assert.match(lines[0]!, /^FILE:4: k0: unknown key "k0"/);
        assert.match(lines[199]!, /^FILE:203: k199: unknown key "k199"/);
    });
});
