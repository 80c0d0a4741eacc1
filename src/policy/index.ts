/**
 * The policy pack's guards (`webrtc-firewall/policy`): `new PolicyPack(name, { policies: firewallPolicies() })`.
 * The pack itself lives in `policy/` of the repository.
 */
export { firewallPolicies } from "./policies";
export { DEFAULT_ADMIN_PORTS, type GuardConfig } from "./config";
export { FIREWALL_TYPES, readFirewall } from "./readers";
export { worldOpenings, type Opening, type Watched } from "./judge";
export type { ObservedRule, Reading, Source } from "../clouds/observed";
