// The pack is the guards of webrtc-firewall's component, applied to every firewall resource of a stack
// (README "Policy pack"). Policies, defaults and config keys live in the package; this file only names the pack.
import { PolicyPack } from "@pulumi/policy";
import { firewallPolicies } from "webrtc-firewall/policy";

new PolicyPack("webrtc-firewall-guards", { policies: firewallPolicies() });
