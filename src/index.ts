export { WebRtcFirewall, WEBRTC_FIREWALL_TYPE, type WebRtcFirewallArgs, type PortRuleArgs } from "./component/component";
export { buildFirewall, type BuiltFirewall } from "./component/build";
export { ConfigError, type Problem } from "./contract/problems";
export { validateConfig, type FirewallSpec, type RuleSpec } from "./contract/validate";
export { planRules, type RulePlan, type PlannedRule, type Flow } from "./plan/plan";
export { PRESETS, PRESET_NAMES, type PresetName } from "./contract/presets";
export { CLOUDS, type Cloud } from "./contract/schema";
export { readStackConfig, CONFIG_NAMESPACE } from "./stack/settings";
