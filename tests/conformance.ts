/** Whether what landed on a cloud opens exactly what the spec says (the property tests' judge). */
import * as assert from "node:assert/strict";
import type { RecordedResource } from "../src/cli/mockRun";
import { awsEvaluator } from "./evaluators/aws";
import { azureEvaluator, VNET } from "./evaluators/azure";
import { digitaloceanEvaluator } from "./evaluators/digitalocean";
import { gcpEvaluator } from "./evaluators/gcp";
import { hetznerEvaluator } from "./evaluators/hetzner";
import { ociEvaluator } from "./evaluators/oci";
import { linodeEvaluator } from "./evaluators/linode";
import { openstackEvaluator } from "./evaluators/openstack";
import { specOracle } from "./evaluators/oracle";
import { matcher, type Evaluator, type Packet } from "./evaluators/packet";
import { addressesToProbe, familyOfAddress, portsToProbe, type Generated } from "./generators";

export function evaluatorFor(cloud: string, resources: RecordedResource[]): Evaluator {
    if (cloud === "aws") return awsEvaluator(resources);
    if (cloud === "gcp") return gcpEvaluator(resources, ["media"]);
    if (cloud === "digitalocean") return digitaloceanEvaluator(resources);
    if (cloud === "hetzner") return hetznerEvaluator(resources);
    if (cloud === "oci") return ociEvaluator(resources);
    if (cloud === "linode") return linodeEvaluator(resources);
    if (cloud === "openstack") return openstackEvaluator(resources);
    return azureEvaluator(resources);
}

/** Azure's default AllowVNetInBound / AllowAzureLoadBalancerInBound stay in force below our rules. */
const azureDefaultInbound = matcher([...VNET, "168.63.129.16/32"]);

/** `actual` judges what landed: the cloud's evaluator by default, or one with the world a test gives it. */
export function checkConformance(
    cloud: string,
    g: Generated,
    resources: RecordedResource[],
    actual: Evaluator = evaluatorFor(cloud, resources),
): void {
    const oracle = specOracle(g.spec);
    const ports = portsToProbe(g);
    for (const address of addressesToProbe(g)) {
        for (const protocol of ["tcp", "udp"] as const) {
            for (const port of ports) {
                const packet: Packet = { direction: "in", protocol, port, address };
                const expected = oracle(packet) || (cloud === "azure" && azureDefaultInbound(address));
                if (actual(packet) !== expected) {
                    assert.fail(
                        `${cloud}: inbound ${protocol}/${port} from ${address} is ${actual(packet) ? "allowed" : "denied"}, the spec says ${expected ? "allow" : "deny"}`,
                    );
                }
            }
        }
        // Egress to the internet must work: IPv4 always, IPv6 when the config uses it.
        if (familyOfAddress(address) === "ipv4" || g.spec.ipv6) {
            for (const protocol of ["tcp", "udp"] as const) {
                assert.ok(
                    actual({ direction: "out", protocol, port: 50000, address }),
                    `${cloud}: egress ${protocol} to ${address} is blocked`,
                );
            }
        }
    }
}
