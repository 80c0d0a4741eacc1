/**
 * Host firewall with ufw, written as the Reflector guide writes it: `ufw allow 44200:44300/udp` for the
 * world, `ufw allow from CIDR to any port P proto udp` for sources. Default deny incoming, allow outgoing;
 * the same rules for Docker's published ports, in DOCKER-USER.
 */
import type { RulePlan, RelayPlan } from "../plan/plan";
import { isAnyAddress } from "../contract/cidr";
import { noSshNotes, unexpressibleNotes } from "./notes";
import { lockdownOf } from "./relayLockdown";
import { iptablesPorts } from "./iptables";
import { cidrsOf, FAMILIES } from "../contract/addressSet";
import { append } from "../contract/lists";
const ufwComment = (names: string[]) => `comment '${names.join(", ").replace(/[^A-Za-z0-9 ._,:-]/g, "")}'`;

/** The TURN relay's outbound filter; ufw's own before-output accepts established traffic, so these see only new flows, as nftables does. */
function relayOutputRules(relay: RelayPlan): string[] {
    if (!relay.relayPorts.length) return [];
    const lockdown = lockdownOf(relay);
    const protocols = relay.tcpRelay ? ["udp", "tcp"] : ["udp"];
    const lines: string[] = [];
    for (const [verb, sets, what] of [
        ["allow", lockdown.allow, "allowPeers"],
        ["deny", lockdown.deny, "denied peers"],
    ] as const) {
        for (const protocol of protocols) {
            for (const ports of relay.relayPorts) {
                for (const family of FAMILIES) {
                    for (const cidr of sets[family].flatMap((i) => cidrsOf(i, family))) {
                        lines.push(
                            `ufw ${verb} out proto ${protocol} from any port ` +
                                `${iptablesPorts(ports)} to ${cidr} comment 'turn relay: ${what}'`,
                        );
                    }
                }
            }
        }
    }
    return lines;
}

const MARK = "webrtc-firewall";

/** One iptables-restore block for DOCKER-USER in one family's after.rules: what the spec opens, by the port the client connected to. */
function dockerUserBlock(plan: RulePlan, family: "ipv4" | "ipv6"): string[] {
    const rules = new Set<string>();
    for (const flow of plan.flows.filter((f) => f.family === family)) {
        const from = isAnyAddress(flow.cidr) ? "" : `-s ${flow.cidr} `;
        rules.add(
            `-A DOCKER-USER ${from}-p ${flow.protocol} -m conntrack --ctstate DNAT --ctorigdstport ${iptablesPorts(flow.ports)} -j RETURN`,
        );
    }
    return [
        `# BEGIN ${MARK}`,
        "*filter",
        ":DOCKER-USER - [0:0]",
        "-A DOCKER-USER -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN",
        "-A DOCKER-USER -i docker0 -j RETURN",
        "-A DOCKER-USER -i br-+ -j RETURN",
        ...rules,
        "-A DOCKER-USER -m conntrack --ctstate DNAT -j DROP",
        "-A DOCKER-USER -j RETURN",
        "COMMIT",
        `# END ${MARK}`,
    ];
}

/**
 * Docker publishes container ports by DNAT and its own forward rules, so ufw's input rules never see
 * them (moby/moby#4737, #22054; chaifeng/ufw-docker). The same rules go into DOCKER-USER, the chain
 * Docker leaves to the user and jumps to first, through ufw's after.rules and after6.rules (ufw loads
 * them at every enable and reload); a block written before is replaced, never repeated.
 */
function dockerForwardCommands(plan: RulePlan): string[] {
    const lines = [
        "# Docker publishes container ports past ufw's input rules: the same rules for forwarded traffic, in DOCKER-USER",
        `sed -i '/^# BEGIN ${MARK}$/,/^# END ${MARK}$/d' /etc/ufw/after.rules /etc/ufw/after6.rules`,
    ];
    for (const [family, file] of [
        ["ipv4", "/etc/ufw/after.rules"],
        ["ipv6", "/etc/ufw/after6.rules"],
    ] as const) {
        append(lines, [`cat >> ${file} <<'WEBRTC_FIREWALL'`, ...dockerUserBlock(plan, family), "WEBRTC_FIREWALL"]);
    }
    return lines;
}

export function renderUfw(plan: RulePlan): string {
    const lines = [
        "# webrtc-firewall: host firewall with ufw (run as root)",
        ...noSshNotes(plan),
        "ufw default deny incoming",
        "ufw default allow outgoing",
    ];
    const done = new Set<string>();
    for (const flow of plan.flows) {
        const ports = iptablesPorts(flow.ports);
        // With IPv6 on, one `ufw allow P/proto` covers 0.0.0.0/0 and ::/0 together.
        const both = plan.ipv6 && isAnyAddress(flow.cidr);
        const command = both
            ? `ufw allow ${ports}/${flow.protocol}`
            : `ufw allow from ${flow.cidr} to any port ${ports} proto ${flow.protocol}`;
        if (done.has(command)) continue;
        done.add(command);
        lines.push(`${command} ${ufwComment(flow.rules)}`);
    }
    append(lines, [
        ...(plan.relay ? relayOutputRules(plan.relay) : []),
        ...unexpressibleNotes(plan),
        ...dockerForwardCommands(plan),
        "ufw --force enable",
        "ufw reload",
        "",
    ]);
    return lines.join("\n");
}
