/**
 * Services a WebRTC media server never needs open to the internet, with the risk of doing so. A rule
 * open to the world (see coverage.ts) that includes one is refused unless the rule says
 * `allowDangerous: true`; the plan then shows a warning for each. SSH (22/tcp) is not here: it is
 * never opened to the world, with no opt-in (use adminCidrs).
 */
import { rangesOverlap, type PortRange } from "./ports";
import type { Protocol } from "./types";

export interface DangerousPort {
    protocol: Protocol;
    from: number;
    to: number;
    service: string;
    risk: string;
}

const tcp = (from: number, to: number, service: string, risk: string): DangerousPort => ({ protocol: "tcp", from, to, service, risk });
const udp = (from: number, to: number, service: string, risk: string): DangerousPort => ({ protocol: "udp", from, to, service, risk });

export const DANGEROUS_PORTS: DangerousPort[] = [
    tcp(23, 23, "telnet", "clear-text remote login"),
    tcp(445, 445, "SMB", "file sharing; wormable remote code execution"),
    tcp(2375, 2376, "Docker API", "root on the host for anyone who reaches it"),
    tcp(2379, 2380, "etcd", "cluster secrets and state"),
    tcp(3306, 3306, "MySQL", "database login brute force and data theft"),
    tcp(3389, 3389, "RDP", "remote desktop brute force"),
    tcp(5432, 5432, "PostgreSQL", "database login brute force and data theft"),
    tcp(6379, 6379, "Redis", "unauthenticated by default; remote code execution"),
    tcp(9200, 9200, "Elasticsearch", "unauthenticated data access"),
    tcp(10250, 10250, "kubelet", "command execution in containers"),
    tcp(11211, 11211, "memcached", "data access"),
    tcp(27017, 27017, "MongoDB", "unauthenticated data access"),
    udp(19, 19, "chargen", "UDP amplification (DDoS reflector)"),
    udp(53, 53, "DNS", "UDP amplification (open resolver)"),
    udp(123, 123, "NTP", "UDP amplification (monlist)"),
    udp(161, 161, "SNMP", "UDP amplification and device data"),
    udp(1900, 1900, "SSDP", "UDP amplification"),
    udp(11211, 11211, "memcached", "UDP amplification (up to 50,000x)"),
];

/** `6379/tcp` or `2375-2376/tcp`. */
export function formatDangerous(d: DangerousPort): string {
    return `${d.from === d.to ? d.from : `${d.from}-${d.to}`}/${d.protocol} (${d.service}: ${d.risk})`;
}

/** The dangerous services that ports of these protocols include: one test for the component and the policy pack. */
export function dangersIn(protocols: readonly Protocol[], ports: readonly PortRange[]): DangerousPort[] {
    return DANGEROUS_PORTS.filter((d) => protocols.includes(d.protocol) && ports.some((r) => rangesOverlap(r, d)));
}
