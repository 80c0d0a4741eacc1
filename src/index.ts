export { WebRtcFirewall, WEBRTC_FIREWALL_TYPE, type WebRtcFirewallArgs, type PortRuleArgs } from "./component";
export { buildFirewall, type BuiltFirewall } from "./firewall";
export { ConfigError, type Problem } from "./errors";
export { validateConfig, type FirewallSpec, type RuleSpec } from "./spec/validate";
export { planRules, type RulePlan, type PlannedRule, type Flow } from "./plan/plan";
export { PRESETS, PRESET_NAMES, type PresetName } from "./spec/presets";
export { CLOUDS, type Cloud } from "./spec/schema";
export { readStackConfig, CONFIG_NAMESPACE } from "./stackConfig";
