/** The stack program: one WebRtcFirewall from the stack config. `pulumi up` and `npm run plan` both run it. */
import { WebRtcFirewall, type WebRtcFirewallArgs } from "./component";
import { readStackConfig } from "./stackConfig";

export const STACK_COMPONENT_NAME = "webrtc-firewall";

export function main(): WebRtcFirewall {
    return new WebRtcFirewall(STACK_COMPONENT_NAME, readStackConfig() as unknown as WebRtcFirewallArgs);
}
