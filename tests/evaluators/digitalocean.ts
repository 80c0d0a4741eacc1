/**
 * DigitalOcean Cloud Firewalls, from registered inputs. Semantics (../shared/cloud-facts.md,
 * DigitalOcean): rules are allow-only; every firewall on a Droplet combines as a union
 * ("Introduction to Cloud Firewalls"); inbound is denied unless a rule allows it; and "if no
 * outbound rules are configured, no outbound traffic is permitted" ("How to configure firewall rules").
 */
import type { RecordedResource } from "../../src/cli/mockRun";
import { matcher, portSpan, type Evaluator } from "./packet";

interface CompiledRule {
    protocol: string;
    ports: [number, number];
    contains: (a: string) => boolean;
}

export function digitaloceanEvaluator(resources: RecordedResource[]): Evaluator {
    const firewalls = resources
        .filter((r) => r.type === "digitalocean:index/firewall:Firewall")
        .map((r) => r.inputs as Record<string, any>);
    const inbound: CompiledRule[] = firewalls.flatMap((f) =>
        (f.inboundRules ?? []).map((r: any) => ({
            protocol: r.protocol,
            ports: portSpan(r.portRange),
            contains: matcher(r.sourceAddresses ?? []),
        })),
    );
    const outbound: CompiledRule[] = firewalls.flatMap((f) =>
        (f.outboundRules ?? []).map((r: any) => ({
            protocol: r.protocol,
            ports: portSpan(r.portRange),
            contains: matcher(r.destinationAddresses ?? []),
        })),
    );
    return (p) =>
        (p.direction === "in" ? inbound : outbound).some(
            (r) => r.protocol === p.protocol && r.ports[0] <= p.port && p.port <= r.ports[1] && r.contains(p.address),
        );
}
