import { CLOUD_LIST } from "../src/clouds/registry";
import { isComponent, runWithMocks, type RecordedResource } from "../src/cli/mockRun";
import { WebRtcFirewall, type WebRtcFirewallArgs } from "../src/component/component";
import { CLOUD_SETTINGS } from "../tests/cloudSettings";

/** Plans under mocks; returns the cloud resources, the count of cloud rules, and the wall time. */
export async function timedPlan(
    args: Record<string, unknown>,
): Promise<{ resources: RecordedResource[]; rules: number; ms: number; firewall: WebRtcFirewall }> {
    const started = process.hrtime.bigint();
    const run = await runWithMocks({}, () => new WebRtcFirewall("bench", args as unknown as WebRtcFirewallArgs));
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const { firewall } = run;
    const resources = run.resources.filter((r) => !isComponent(r));
    return { resources, rules: countRules(resources), ms, firewall };
}

/** The cloud rules the resources are or hold, each counted by its own cloud (clouds/<cloud>/index.ts `rulesIn`). */
export function countRules(resources: RecordedResource[]): number {
    return resources.reduce((sum, r) => sum + CLOUD_LIST.reduce((n, c) => n + c.plan.rulesIn(r), 0), 0);
}

/** Stress configs, as large as each cloud's limits allow. */
export function stressArgs(cloud: string): Record<string, unknown> {
    const v4 = (n: number) => Array.from({ length: n }, (_, i) => `10.${Math.floor(i / 250)}.${i % 250}.0/24`);
    const v6 = (n: number) => Array.from({ length: n }, (_, i) => `2001:db8:${i.toString(16)}::/48`);
    // Dozens of rules, each from its own pair of networks: every one is a separate source set.
    const rules = (n: number) =>
        Array.from({ length: n }, (_, i) => ({
            name: `svc-${i}`,
            protocol: i % 2 ? "udp" : "tcp",
            ports: [20000 + 10 * i, `${30000 + 10 * i}-${30000 + 10 * i + 5}`],
            from: [`172.16.${i}.0/24`, `2001:db8:ff${i.toString(16).padStart(2, "0")}::/48`],
        }));
    const base = { cloud, preset: "livekit", presetOptions: { turn: true, sip: true, https: true }, ...CLOUD_SETTINGS };
    switch (cloud) {
        case "aws": // 5 groups × 55 rules per family (5 of 60 kept free for updates): 128 admins × (ssh + metrics) + 16 public flows = 272 per family
            return {
                ...base,
                adminCidrs: [...v4(128), ...v6(128)],
                ports: [{ name: "metrics", protocol: "tcp", ports: 9100, from: "admin" }],
            };
        case "oci": // 5 NSGs × 110 rules (10 of 120 kept free), both families and directions: 252 admins × (ssh + metrics) + 32 public flows + 2 egress = 538
            return {
                ...base,
                adminCidrs: [...v4(126), ...v6(126)],
                ports: [{ name: "metrics", protocol: "tcp", ports: 9100, from: "admin" }],
            };
        case "linode": // 25 rules a firewall, any number of addresses a rule: 1500 admins on ssh + metrics in one rule
            return {
                ...base,
                adminCidrs: [...v4(1000), ...v6(500)],
                ports: [{ name: "metrics", protocol: "tcp", ports: 9100, from: "admin" }],
            };
        case "openstack": // one remote prefix a rule, within a raised project quota: 800 admins × (ssh + metrics) + public + egress
            return {
                ...base,
                openstack: { projectQuotas: { securityGroupRules: 2000 } },
                adminCidrs: [...v4(400), ...v6(400)],
                ports: [{ name: "metrics", protocol: "tcp", ports: 9100, from: "admin" }],
            };
        case "digitalocean": // hundreds of sources per rule, dozens of rules, several firewalls
            return {
                ...base,
                adminCidrs: [...v4(600), ...v6(400)],
                ports: [...rules(60), { name: "metrics", protocol: "tcp", ports: 9100, from: "admin" }],
            };
        case "gcp": // 4000 admin sources, 60 rules with their own sources: 124 firewalls
            return {
                ...base,
                adminCidrs: [...v4(2000), ...v6(2000)],
                ports: [...rules(60), { name: "metrics", protocol: "tcp", ports: 9100, from: "admin" }],
            };
        default: // azure: 4000 source prefixes per NSG in total: 1900 admins x (ssh + metrics) + 60 rules x 2 + public
            return {
                ...base,
                adminCidrs: [...v4(1400), ...v6(500)],
                ports: [...rules(60), { name: "metrics", protocol: "tcp", ports: 9100, from: "admin" }],
            };
    }
}
