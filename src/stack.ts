/** Pulumi's entry point (Pulumi.yaml `main`): the stack outputs of the program. */
import { main } from "./program";

const firewall = main();

export const rules = firewall.rules;
export const securityGroupIds = firewall.securityGroupIds;
export const firewallNames = firewall.firewallNames;
export const firewallIds = firewall.firewallIds;
export const networkSecurityGroupId = firewall.networkSecurityGroupId;
export const warnings = firewall.warnings;
