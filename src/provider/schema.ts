/**
 * The Pulumi package schema of the multi-language face, written once here (pulumi/pulumi
 * `pkg/codegen/schema/pulumi.json` is its metaschema). Inputs carry the stack config's names and
 * meaning, so one page of docs serves every language; which inputs are `plain` comes from the same
 * table the component checks Outputs against (contract/late.ts `INPUT_PATHS`), so the two cannot drift.
 */
import { INPUT_PATHS } from "../contract/late";
import { PRESETS, PRESET_NAMES } from "../contract/presets";
import { CLOUDS } from "../contract/schema";
import { SERVER_KINDS } from "../sources/servers/types";
import { WEBRTC_FIREWALL_TYPE } from "../component/component";

export const PACKAGE_NAME = "webrtc-firewall";
const T = (name: string) => `${PACKAGE_NAME}:index:${name}`;
const ref = (name: string) => ({ $ref: `#/types/${T(name)}` });

type Spec = Record<string, unknown>;

/** `plain: true` unless the key path may hold an Output (README "Use it in your program"). */
const plainUnless = (path: string, spec: Spec): Spec => (INPUT_PATHS.includes(path) ? spec : { ...spec, plain: true });
const str = (description: string): Spec => ({ type: "string", description });
const strings = (description: string): Spec => ({ type: "array", items: { type: "string" }, description });

const enumType = (description: string, values: readonly string[], describe: (v: string) => string): Spec => ({
    type: "string",
    description,
    enum: values.map((value) => ({ name: value.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()), value, description: describe(value) })),
});

const objectType = (description: string, properties: Record<string, Spec>, required: string[] = []): Spec => ({
    type: "object",
    description,
    properties,
    ...(required.length ? { required } : {}),
});

const CLOUD_DESCRIPTIONS: Record<string, string> = {
    aws: "AWS security groups (@pulumi/aws).",
    gcp: "GCP VPC firewall rules (@pulumi/gcp).",
    digitalocean: "DigitalOcean Cloud Firewalls (@pulumi/digitalocean).",
    azure: "Azure network security groups (@pulumi/azure-native).",
    hetzner: "Hetzner Cloud firewalls (@pulumi/hcloud).",
    oci: "Oracle Cloud network security groups (@pulumi/oci).",
};

function types(): Record<string, Spec> {
    return {
        [T("Cloud")]: enumType("The cloud whose firewall the rules are mapped onto.", CLOUDS, (c) => CLOUD_DESCRIPTIONS[c]!),
        [T("Preset")]: enumType("A media server's documented ports (README \"Presets\").", PRESET_NAMES, (p) => PRESETS[p as keyof typeof PRESETS].description),
        [T("Protocol")]: enumType("A transport protocol.", ["udp", "tcp"], (p) => p.toUpperCase()),
        [T("ServerConfigKind")]: enumType("The kind of a media server config file.", SERVER_KINDS, (k) => `a ${k} config file`),
        [T("PortRule")]: objectType(
            "One rule under `ports`: added to the preset's rules; a rule with a preset rule's name replaces it; `{name, enabled: false}` removes it.",
            {
                name: { ...str("Unique, lowercase `[a-z][a-z0-9-]*`, at most 40 characters."), plain: true },
                protocol: { oneOf: [ref("Protocol"), { type: "array", items: ref("Protocol") }], description: "udp, tcp, or both as a list.", plain: true },
                ports: {
                    oneOf: [{ type: "integer" }, { type: "string" }, { type: "array", items: { oneOf: [{ type: "integer" }, { type: "string" }] } }],
                    description: 'A port (443), a range ("50000-60000"), or a list of those; 1..65535.',
                    plain: true,
                },
                from: plainUnless("ports[].from", {
                    type: "array",
                    items: { type: "string" },
                    description: "Sources: `public` (the default), `admin` (adminCidrs), IPv4/IPv6 CIDRs or addresses, or on AWS security group ids (`sg-…`). Entries may come from other resources; public and admin are written as plain text.",
                }),
                description: { ...str("Shown in the cloud rule's description."), plain: true },
                enabled: { type: "boolean", description: "`false` removes the preset rule of this name (give nothing else then).", plain: true },
                allowDangerous: { type: "boolean", description: "Open a dangerous service (README \"Least privilege\") to the world on purpose; the plan warns.", plain: true },
            },
            ["name"],
        ),
        [T("ServerConfig")]: objectType("A media server config file and its kind.", { path: { ...str("Relative to the project folder."), plain: true }, kind: { ...ref("ServerConfigKind"), description: "Recognised from the file when omitted.", plain: true } }, ["path"]),
        [T("AwsArgs")]: objectType("AWS settings.", {
            vpcId: plainUnless("aws.vpcId", str("The VPC of the security group; omitted, the default VPC.")),
            securityGroupId: plainUnless("aws.securityGroupId", str("A group you already have: the rules are added to it, and no group or egress rule is created.")),
        }),
        [T("GcpArgs")]: objectType("GCP settings.", {
            network: plainUnless("gcp.network", str("The VPC network name or self link; default `default`.")),
            targetTags: plainUnless("gcp.targetTags", strings("The media server instances' network tags; without them the rules reach every instance in the network.")),
        }),
        [T("DigitaloceanArgs")]: objectType("DigitalOcean settings.", {
            dropletIds: plainUnless("digitalocean.dropletIds", { type: "array", items: { type: "integer" }, description: "At most 10 Droplet ids." }),
            tags: plainUnless("digitalocean.tags", strings("At most 5 Droplet tags; use tags for larger fleets.")),
        }),
        [T("AzureArgs")]: objectType("Azure settings.", {
            resourceGroupName: plainUnless("azure.resourceGroupName", str("The resource group of the network security group; required on Azure.")),
            location: plainUnless("azure.location", str("The NSG's region; the resource group's when omitted.")),
            networkSecurityGroupName: plainUnless("azure.networkSecurityGroupName", str("An NSG you already have: standalone rules are added to it, within priorityRange.")),
            priorityRange: { ...str('Priorities our rules may take in that NSG, e.g. "2000-2099" (inside 100-4096); required with networkSecurityGroupName.'), plain: true },
        }),
        [T("HetznerArgs")]: objectType("Hetzner Cloud settings.", {
            serverIds: plainUnless("hetzner.serverIds", { type: "array", items: { type: "integer" }, description: "Servers the firewalls apply to, by id." }),
            labelSelectors: plainUnless("hetzner.labelSelectors", strings('Label selectors of the servers the firewalls apply to, e.g. "role=media".')),
        }),
        [T("OciArgs")]: objectType("Oracle Cloud settings.", {
            compartmentId: plainUnless("oci.compartmentId", str("The compartment OCID of the network security group; required on OCI unless networkSecurityGroupId is given.")),
            vcnId: plainUnless("oci.vcnId", str("The VCN OCID where the media server's VNIC is; required on OCI unless networkSecurityGroupId is given.")),
            networkSecurityGroupId: plainUnless("oci.networkSecurityGroupId", str("An NSG you already have: the rules are added to it, and no NSG or egress rule is created.")),
        }),
        [T("TurnRelayArgs")]: objectType("The TURN relay's peer lockdown, on by default wherever the config opens a relay.", {
            allowPeers: plainUnless("turnRelay.allowPeers", strings("Peers the relay must reach despite the lockdown, e.g. the SFU's private address; never a metadata address, loopback or the world.")),
            denyPeers: plainUnless("turnRelay.denyPeers", strings("More peers to deny, e.g. the VPC's own range when it is not private.")),
            tcpRelay: { type: "boolean", description: "Allow RFC 6062 TCP relays (off by default: WebRTC media needs UDP only).", plain: true },
        }),
        [T("Rule")]: objectType(
            "One normalized rule as deployed.",
            { name: str("The rule's name."), description: str("Its description."), protocol: str("udp or tcp."), ports: strings("Port ranges."), sources: strings("Sources after expansion and normalization.") },
            ["name", "protocol", "ports", "sources"],
        ),
    };
}

function inputProperties(): Record<string, Spec> {
    return {
        cloud: { ...ref("Cloud"), description: "Target cloud: aws, gcp, digitalocean, azure, hetzner or oci.", plain: true },
        preset: { ...ref("Preset"), description: "A media server's documented ports: livekit, mediasoup, plugnmeet, reflector, reflector-direct, jitsi or coturn.", plain: true },
        presetOptions: { type: "object", additionalProperties: { type: "boolean" }, description: "The preset's switches, e.g. { turn: true }.", plain: true },
        ports: { type: "array", items: ref("PortRule"), description: "Extra rules, overrides and removals of preset rules.", plain: true },
        adminCidrs: plainUnless("adminCidrs", strings("Who may reach admin ports; when non-empty an ssh rule (22/tcp from these) is added. Entries may come from other resources.")),
        ipv6: { type: "boolean", description: "Whether public means 0.0.0.0/0 and ::/0 (default) or 0.0.0.0/0 only.", plain: true },
        aws: { ...ref("AwsArgs"), description: "AWS settings.", plain: true },
        gcp: { ...ref("GcpArgs"), description: "GCP settings.", plain: true },
        digitalocean: { ...ref("DigitaloceanArgs"), description: "DigitalOcean settings.", plain: true },
        azure: { ...ref("AzureArgs"), description: "Azure settings.", plain: true },
        hetzner: { ...ref("HetznerArgs"), description: "Hetzner Cloud settings.", plain: true },
        oci: { ...ref("OciArgs"), description: "Oracle Cloud settings.", plain: true },
        turnRelay: { ...ref("TurnRelayArgs"), description: "Exemptions from and additions to the TURN relay's peer lockdown.", plain: true },
        serverConfigs: {
            type: "array",
            items: { oneOf: [{ type: "string" }, ref("ServerConfig")] },
            description: "The media server's own config files (livekit.yaml, LiveKit SIP config.yml, turnserver.conf, compose), relative to the project folder; their ports become the rules.",
            plain: true,
        },
        secret: { type: "boolean", description: "Store every rule input and the rules output as secrets.", plain: true },
    };
}

const OUTPUTS: Record<string, Spec> = {
    rules: { type: "array", items: ref("Rule"), description: "The normalized plan as deployed: name, protocol, port ranges, sources." },
    securityGroupIds: strings("AWS: the security group ids to attach to the media server's instances."),
    firewallNames: strings("GCP: the firewall rule names."),
    firewallIds: strings("DigitalOcean: the Cloud Firewall ids; Hetzner: the firewall ids, for firewallIds on hcloud.Server."),
    networkSecurityGroupId: str("Azure: the NSG id to associate with a subnet or NIC."),
    networkSecurityGroupIds: strings("OCI: the NSG ids for the media server's VNIC (createVnicDetails.nsgIds)."),
    nftablesRuleset: str("The same rules as an nftables ruleset for the host."),
    ufwCommands: str("The same rules as ufw commands."),
    iptablesScript: str("A shell script opening the same ports in an image's own iptables or firewalld, ahead of its REJECT (Oracle Cloud's images); cloudInit runs it."),
    cloudInit: str("Cloud-init user data that installs the nftables ruleset at boot."),
    warnings: strings("Warnings found while planning."),
};

/** The schema `GetSchema` answers with. */
export function packageSchema(version: string): Spec {
    return {
        name: PACKAGE_NAME,
        displayName: "WebRTC firewall",
        version,
        description: "Opens exactly the ports a WebRTC media server needs (LiveKit, mediasoup, Plug-N-Meet, Reflector, Jitsi, coturn) on AWS, GCP, DigitalOcean, Azure or Hetzner Cloud.",
        keywords: ["pulumi", "category/network", "kind/component", "webrtc", "firewall"],
        license: "Apache-2.0",
        types: types(),
        resources: {
            [WEBRTC_FIREWALL_TYPE]: {
                isComponent: true,
                description: "Opens exactly the ports a WebRTC media server needs on one cloud. Bad input is refused before anything is registered, with every problem, its key path, the value and the fix.",
                inputProperties: inputProperties(),
                requiredInputs: ["cloud"],
                properties: OUTPUTS,
                required: ["rules", "nftablesRuleset", "ufwCommands", "iptablesScript", "cloudInit", "warnings"],
            },
        },
        language: {
            nodejs: { packageName: "@webrtc-firewall/sdk", respectSchemaVersion: true },
            python: { packageName: "pulumi_webrtc_firewall", respectSchemaVersion: true },
            go: { importBasePath: "github.com/webrtc-firewall/sdk/go/webrtcfirewall", respectSchemaVersion: true },
            csharp: { rootNamespace: "Pulumi", namespaces: { [PACKAGE_NAME]: "WebRtcFirewall" }, respectSchemaVersion: true },
            java: { basePackage: "com.pulumi", packages: { [PACKAGE_NAME]: "webrtcfirewall" } },
        },
    };
}
