/**
 * The spec's ports opened in an image's own firewall, ahead of its REJECT. Oracle Cloud's Ubuntu images
 * load /etc/iptables/rules.v4 at boot (netfilter-persistent) with `-A INPUT -j REJECT --reject-with
 * icmp-host-prohibited` after an SSH rule, and its Oracle Linux images run firewalld (OCI docs: "Compute
 * service images automatically include firewall rules"; "Enabling Network Traffic to Ubuntu Images in
 * OCI"). A base chain of another table cannot override a REJECT there: nftables evaluates every base
 * chain of the input hook, and a drop or reject in any one ends the packet. So this script accepts
 * exactly what the spec opens, from the spec's sources, in that firewall itself: a chain of its own
 * jumped to first in iptables' INPUT (saved for the next boot where netfilter-persistent is), or rich
 * rules where firewalld runs. The chain ends in a drop, so on a running server this script alone is the host
 * part (the nftables ruleset adds the forward and relay chains; cloud-init applies both).
 */
import { isAnyAddress, type Family } from "../contract/cidr";
import { formatRange, type PortRange } from "../contract/ports";
import type { Flow, RulePlan } from "../plan/plan";
import { noSshNotes, unexpressibleNotes } from "./notes";
import { ICMPV6_TYPES } from "./nftables";

export const IPTABLES_CHAIN = "WEBRTC-FIREWALL";
const TOOL: Record<Family, string> = { ipv4: "iptables", ipv6: "ip6tables" };

/** `443` or `50000:60000`: a port range as iptables (and ufw) write it. */
export const iptablesPorts = (r: PortRange) => (r.from === r.to ? String(r.from) : `${r.from}:${r.to}`);

/** ip6tables' names for the ICMPv6 types nftables.ts accepts, where they differ. */
const IP6TABLES_ICMPV6: Record<string, string> = {
    "nd-router-solicit": "router-solicitation",
    "nd-router-advert": "router-advertisement",
    "nd-neighbor-solicit": "neighbour-solicitation",
    "nd-neighbor-advert": "neighbour-advertisement",
};

/**
 * Our chain, jumped to first, decides every packet as the nftables ruleset's input chain does: replies,
 * loopback and the ICMP the ruleset takes, then the spec's flows, then a drop. The image's own accepts never
 * see a new connection: its SSH accept for everyone, and its stateless `-p udp --sport 123 -j ACCEPT`
 * through which anyone reached every UDP port by sending from port 123 (real NTP replies are replies).
 */
function chainLines(flows: Flow[], family: Family): string[] {
    const tool = `${TOOL[family]} -w`;
    const add = (rule: string) => `    ${tool} -A ${IPTABLES_CHAIN} ${rule}`;
    const icmp =
        family === "ipv4"
            ? [add("-p icmp -j ACCEPT")]
            : ICMPV6_TYPES.map((t) => add(`-p ipv6-icmp --icmpv6-type ${IP6TABLES_ICMPV6[t] ?? t} -j ACCEPT`));
    const accepts = flows
        .filter((f) => f.family === family)
        .map((f) => add(`${isAnyAddress(f.cidr) ? "" : `-s ${f.cidr} `}-p ${f.protocol} --dport ${iptablesPorts(f.ports)} -j ACCEPT`));
    return [
        `if command -v ${TOOL[family]} >/dev/null 2>&1; then`,
        `    ${tool} -N ${IPTABLES_CHAIN} 2>/dev/null || ${tool} -F ${IPTABLES_CHAIN}`,
        add("-m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT"),
        add("-m conntrack --ctstate INVALID -j DROP"),
        add("-i lo -j ACCEPT"),
        ...icmp,
        ...accepts,
        add("-j DROP"),
        `    ${tool} -C INPUT -j ${IPTABLES_CHAIN} 2>/dev/null || ${tool} -I INPUT 1 -j ${IPTABLES_CHAIN}`,
        "fi",
    ];
}

/** firewalld's rich rule for one flow: family, source (none for the world), port, protocol. */
function richRule(f: Flow): string {
    const source = isAnyAddress(f.cidr) ? "" : ` source address="${f.cidr}"`;
    return (
        `    firewall-cmd --permanent --add-rich-rule='rule family="${f.family}"${source} ` +
        `port port="${formatRange(f.ports)}" protocol="${f.protocol}" accept'`
    );
}

export function renderIptablesOpenings(plan: RulePlan): string {
    return [
        "#!/bin/sh",
        "# webrtc-firewall: the spec's ports opened in the image's own firewall, ahead of its REJECT (Oracle Cloud's",
        "# Ubuntu images: iptables rules.v4 through netfilter-persistent; its Oracle Linux images: firewalld).",
        "# Exactly what the spec opens, from the spec's sources; everything else new is dropped, the image's SSH",
        "# accept for everyone and its UDP accept from source port 123 included. On its own it is the whole host part.",
        ...noSshNotes(plan),
        ...unexpressibleNotes(plan),
        "set -e",
        "if command -v firewall-cmd >/dev/null 2>&1 && firewall-cmd --state >/dev/null 2>&1; then",
        ...plan.flows.map(richRule),
        "    # The default zone's ssh service opens SSH to everyone; the spec's own rules say who may.",
        "    firewall-cmd --permanent --remove-service=ssh >/dev/null 2>&1 || true",
        "    firewall-cmd --reload",
        "    exit 0",
        "fi",
        ...chainLines(plan.flows, "ipv4"),
        ...chainLines(plan.flows, "ipv6"),
        "if command -v netfilter-persistent >/dev/null 2>&1; then netfilter-persistent save; fi",
        "",
    ].join("\n");
}
