/**
 * Oracle Cloud (OCI): a network security group in `oci.vcnId` with one stateful INGRESS
 * `NetworkSecurityGroupSecurityRule` per (protocol, port range, CIDR), since a rule takes one source;
 * stateful EGRESS to the world for each family (an NSG starts with none); or the rules alone, added
 * to an NSG the user already has. Facts and sources: README "What each cloud gets" (OCI docs
 * "Security Rules", "Network Security Groups", Networking service limits; @pulumi/oci `core`).
 * Cloud rules are not enough on OCI: its Ubuntu and Oracle Linux images reject everything but SSH in
 * the host's own firewall, so the plan says to apply the host part (hosts/).
 */
import * as pulumi from "@pulumi/pulumi";
import type { OciSpec } from "./settings";
import { familyOf } from "../../contract/cidr";
import { formatRange, type PortRange } from "../../contract/ports";
import type { Protocol, FirewallSpec } from "../../contract/types";
import type { Problem } from "../../contract/problems";
import { lateSource } from "../../plan/lateValues";
import { lateOpenings, publicCidrs, type RulePlan } from "../../plan/plan";
import { describeRules, ingressName, numbered } from "../../plan/naming";
import {
    inputsOf,
    type CloudMapping,
    type CloudOutputs,
    type CloudTarget,
    type RegisterOptions,
    type ResourceClass,
    type ResourceDecl,
} from "../cloud";

/** Networking service limits: security rules per NSG (ingress and egress together), NSGs per VNIC. */
export const OCI_RULES_PER_NSG = 120;
/** Rules kept free in each NSG we create, as on AWS: an update creates before it deletes (src/update/). */
export const OCI_UPDATE_ROOM = 10;
export const OCI_RULES_FILLED = OCI_RULES_PER_NSG - OCI_UPDATE_ROOM;
export const OCI_NSGS_PER_VNIC = 5;
/** A rule's description: at most 255 characters (API `AddSecurityRuleDetails.description`). */
export const OCI_DESCRIPTION_MAX = 255;
/** Said in every OCI plan: the trap the cloud rules cannot close. */
export const OCI_HOST_WARNING =
    "oci: cloud rules alone are not enough: OCI's Ubuntu and Oracle Linux images reject every inbound port but 22 in " +
    'the host firewall; apply the host part (cloudInit as user data, or the iptables output, see README "Oracle Cloud")';
/** IANA protocol numbers, as OCI takes them. */
const PROTOCOL_NUMBER: Record<Protocol, string> = { tcp: "6", udp: "17" };

interface PortOptions {
    destinationPortRange: { min: number; max: number };
}

export interface OciRuleArgs {
    direction: "INGRESS" | "EGRESS";
    protocol: string;
    stateless: false;
    source?: pulumi.Input<string>;
    sourceType?: "CIDR_BLOCK";
    destination?: string;
    destinationType?: "CIDR_BLOCK";
    tcpOptions?: PortOptions;
    udpOptions?: PortOptions;
    description: string;
}

export interface OciNsgArgs {
    compartmentId: pulumi.Input<string>;
    vcnId: pulumi.Input<string>;
    displayName: string;
    freeformTags: Record<string, string>;
}

export interface OciResources {
    groups: ResourceDecl<OciNsgArgs>[];
    /** `oci.networkSecurityGroupId`: the rules go into this NSG, and none is created. */
    existingGroupId?: pulumi.Input<string>;
    /** `group` is the index into `groups` (or 0 for the existing NSG). */
    rules: (ResourceDecl<OciRuleArgs> & { group: number })[];
}

/** One stateful ingress rule: the port range as the protocol's options, one source. */
function ingress(protocol: Protocol, ports: PortRange, source: pulumi.Input<string>, description: string): OciRuleArgs {
    const range = { destinationPortRange: { min: ports.from, max: ports.to } };
    return {
        direction: "INGRESS",
        protocol: PROTOCOL_NUMBER[protocol],
        stateless: false,
        source,
        sourceType: "CIDR_BLOCK",
        ...(protocol === "tcp" ? { tcpOptions: range } : { udpOptions: range }),
        description,
    };
}

export function mapOci(plan: RulePlan, spec: Pick<FirewallSpec<OciSpec>, "settings">, name: string): CloudMapping<OciResources> {
    const problems: Problem[] = [];
    const warnings: string[] = [];
    const existing = spec.settings.networkSecurityGroupId;
    const inbound: { name: string; args: OciRuleArgs }[] = plan.flows.map((flow) => ({
        name: ingressName(name, flow),
        args: ingress(flow.protocol, flow.ports, flow.cidr, describeRules(flow.rules, plan, OCI_DESCRIPTION_MAX)),
    }));
    for (const set of plan.late) {
        const description = describeRules(set.rules, plan, OCI_DESCRIPTION_MAX);
        set.entries.forEach((entry, slot) => {
            if (entry.many) {
                problems.push({
                    path: entry.path,
                    message:
                        "is a whole list from another resource; an OCI rule takes one source and their number must be known before " +
                        "the update: give the entries one by one (each may come from another resource), or the CIDRs themselves",
                });
                return;
            }
            const source = lateSource(entry).apply((s) => s.text);
            for (const { protocol, ports } of lateOpenings(set)) {
                inbound.push({
                    name: `${name}-${set.slug}-late${slot + 1}-${protocol}-${formatRange(ports)}`,
                    args: ingress(protocol, ports, source, description),
                });
            }
        });
    }
    // An NSG starts with no egress: the media server must send to every client. An existing NSG keeps its own.
    const outbound =
        existing !== undefined
            ? []
            : publicCidrs(plan.ipv6).map((cidr) => ({
                  name: `${name}-egress-${familyOf(cidr)}`,
                  args: {
                      direction: "EGRESS" as const,
                      protocol: "all",
                      stateless: false as const,
                      destination: cidr,
                      destinationType: "CIDR_BLOCK" as const,
                      description: "webrtc-firewall: all outbound (media to clients, updates)",
                  },
              }));
    const total = inbound.length + outbound.length;
    const groupCount = existing !== undefined ? 1 : Math.max(1, Math.ceil(total / OCI_RULES_FILLED));
    if (groupCount > OCI_NSGS_PER_VNIC || (existing !== undefined && total > OCI_RULES_PER_NSG)) {
        const room =
            existing !== undefined
                ? `the ${OCI_RULES_PER_NSG} rules of the one existing NSG (oci.networkSecurityGroupId), whose own rules count too`
                : `${OCI_NSGS_PER_VNIC} NSGs per VNIC × ${OCI_RULES_FILLED} rules ` +
                  `(${OCI_RULES_PER_NSG} each, ${OCI_UPDATE_ROOM} kept free for updates)`;
        problems.push({
            path: "ports",
            message:
                `OCI needs ${inbound.length} inbound rules (one per protocol, port range and source) and ${outbound.length} outbound: ` +
                `more than ${room} (OCI Networking limits); use fewer or wider adminCidrs/source CIDRs, or fewer separate ports`,
        });
    }
    if (existing !== undefined && total > OCI_RULES_PER_NSG - OCI_UPDATE_ROOM)
        warnings.push(
            `oci: oci.networkSecurityGroupId holds ${total} of our rules besides its own: an update creates a changed rule before ` +
                `it deletes the old one, so a change of more than ${OCI_RULES_PER_NSG - total} there may pass its ${OCI_RULES_PER_NSG} ` +
                "rules half-way (what was made stays, nothing closes); `webrtc-firewall plan --diff OLD` shows it before you run it.",
        );
    if (existing !== undefined)
        warnings.push(
            "oci: rules are added to oci.networkSecurityGroupId; its egress is its own (and the " +
                "subnet's security lists'): make sure it lets the server send to 0.0.0.0/0 and ::/0",
        );
    warnings.push(OCI_HOST_WARNING);
    const groups: OciResources["groups"] =
        existing !== undefined
            ? []
            : Array.from({ length: groupCount }, (_, i) => ({
                  name: numbered(`${name}-nsg`, i),
                  args: {
                      compartmentId: spec.settings.compartmentId!,
                      vcnId: spec.settings.vcnId!,
                      displayName: numbered(name, i),
                      freeformTags: { "managed-by": "webrtc-firewall" },
                  },
              }));
    // Egress first in the first NSG, then the sorted inbound rules in order: a split moves only rules past a boundary.
    const rules = [...outbound, ...inbound].map((rule, i) => ({
        ...rule,
        group: Math.min(groupCount - 1, Math.floor(i / OCI_RULES_FILLED)),
    }));
    const newNsgs =
        `${OCI_RULES_FILLED} per NSG (${OCI_UPDATE_ROOM} of ${OCI_RULES_PER_NSG} kept free for updates), ingress and egress, ` +
        `${groupCount} NSG${groupCount > 1 ? "s" : ""}`;
    return {
        problems,
        warnings,
        quota: [
            {
                what: `security rules (${existing !== undefined ? "in the existing NSG, with its own rules" : newNsgs})`,
                used: total,
                limit: (existing !== undefined ? OCI_RULES_PER_NSG : OCI_RULES_FILLED) * groupCount,
            },
            {
                what: existing !== undefined ? "NSGs created (rules added to oci.networkSecurityGroupId)" : "NSGs per VNIC",
                used: groups.length,
                limit: OCI_NSGS_PER_VNIC,
            },
        ],
        resources: { groups, existingGroupId: existing, rules },
    };
}

/** The slice of @pulumi/oci this target uses (see `ResourceClass`). */
export interface OciSdk {
    core: {
        NetworkSecurityGroup: ResourceClass<OciNsgArgs, { id: pulumi.Output<string> }>;
        NetworkSecurityGroupSecurityRule: ResourceClass<OciRuleArgs & { networkSecurityGroupId: pulumi.Input<string> }>;
    };
}

function registerOci(resources: OciResources, { parent, secret }: RegisterOptions): CloudOutputs {
    const oci: OciSdk = require("@pulumi/oci");
    const groups = resources.groups.map((g) => new oci.core.NetworkSecurityGroup(g.name, inputsOf(g.args, secret), { parent }));
    const groupIds = resources.existingGroupId !== undefined ? [pulumi.output(resources.existingGroupId)] : groups.map((g) => g.id);
    for (const rule of resources.rules) {
        new oci.core.NetworkSecurityGroupSecurityRule(
            rule.name,
            { ...inputsOf(rule.args, secret), networkSecurityGroupId: groupIds[rule.group]! },
            { parent },
        );
    }
    return { networkSecurityGroupIds: pulumi.all(groupIds) };
}

export const ociTarget: CloudTarget<OciResources, OciSpec> = {
    sdkPackage: "@pulumi/oci",
    map: mapOci,
    register: registerOci,
};
