/**
 * The packets an update is judged by: for each protocol, every edge of every port range the two plans open (its
 * ends and one past each), from every edge of every source (its first and last address and one past each), and
 * one outbound packet a family. Between those edges nothing changes how any rule matches, so a gap or an extra
 * opening anywhere shows at one of them.
 */
import { addressText, intervalOf, WIDTH } from "../contract/addressSet";
import { cidrOf } from "../contract/cidr";
import { parsePorts } from "../contract/ports";
import type { PlannedRule } from "../plan/plan";
import type { Packet } from "./simulate";

/** At most this many packets: the plans' own limits keep real configs far below it. */
const MAX_WITNESSES = 200_000;

export function witnessesOf(...plans: readonly (readonly PlannedRule[])[]): Packet[] {
    const ports = { tcp: new Set<number>(), udp: new Set<number>() };
    const addresses = new Set<string>(["198.51.100.77", "2001:db8:ffff::77"]);
    for (const rules of plans)
        for (const rule of rules) {
            const parsed = parsePorts(rule.ports.join(","));
            for (const range of parsed.ok ? parsed.ranges : [])
                for (const p of [range.from - 1, range.from, range.to, range.to + 1]) if (p >= 1 && p <= 65535) ports[rule.protocol].add(p);
            for (const source of rule.sources) {
                if (!/^[0-9a-fA-F:.]+\/\d+$/.test(source)) continue;
                const cidr = cidrOf(source);
                const { from, to } = intervalOf(cidr);
                const top = (1n << BigInt(WIDTH[cidr.family])) - 1n;
                for (const bits of [from - 1n, from, to, to + 1n])
                    if (bits >= 0n && bits <= top) addresses.add(addressText(bits, cidr.family));
            }
        }
    const packets: Packet[] = [];
    for (const address of addresses) {
        for (const protocol of ["tcp", "udp"] as const) {
            for (const port of ports[protocol]) packets.push({ direction: "in", protocol, port, address });
            packets.push({ direction: "out", protocol, port: 443, address });
        }
        if (packets.length > MAX_WITNESSES) break;
    }
    return packets;
}
