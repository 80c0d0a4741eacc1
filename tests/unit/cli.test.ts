import * as assert from "node:assert/strict";
import { readStackConfig } from "../../src/stack/settings";

describe("stack config → component args", () => {
    it("decodes Pulumi's string values, drops Pulumi.yaml's empty defaults, keeps unknown keys for validation", () => {
        const args = readStackConfig({
            "webrtc-firewall:cloud": "aws",
            "webrtc-firewall:preset": "",
            "webrtc-firewall:presetOptions": "",
            "webrtc-firewall:ipv6": "false",
            "webrtc-firewall:ports": '[{"name":"a","protocol":"udp","ports":"1-2"}]',
            "webrtc-firewall:aws": "{}",
            "webrtc-firewall:ipv4": "443",
            "webrtc-firewall:adminCIDRs": '["1.2.3.4"]',
            "aws:region": "us-east-1",
        });
        // "" is the project default for "not set"; {} is a value (validation decides whether it fits).
        assert.deepEqual(
            { ...args },
            {
                cloud: "aws",
                ipv6: false,
                ports: [{ name: "a", protocol: "udp", ports: "1-2" }],
                aws: {},
                ipv4: 443,
                adminCIDRs: ["1.2.3.4"],
            },
        );
    });
});
