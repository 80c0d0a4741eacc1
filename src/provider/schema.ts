/**
 * The Pulumi package schema of the multi-language face, written once here (pulumi/pulumi
 * `pkg/codegen/schema/pulumi.json` is its metaschema). Inputs carry the stack config's names and
 * meaning, so one page of docs serves every language; which inputs are `plain` comes from the same
 * table the component checks Outputs against (the catalogue's input paths), and each cloud's settings
 * and outputs from its own folder, so the two cannot drift.
 */
import { CATALOGUE, CLOUD_LIST, CLOUD_OUTPUT_NAMES, CLOUDS, cloudOf } from "../clouds/registry";
import { PRESETS } from "../contract/presets";
import { orList } from "../contract/text";
import { PRESET_NAMES, SERVER_KINDS } from "../contract/types";
import { WEBRTC_FIREWALL_TYPE } from "../component/component";

export const PACKAGE_NAME = "webrtc-firewall";
const T = (name: string) => `${PACKAGE_NAME}:index:${name}`;
const ref = (name: string) => ({ $ref: `#/types/${T(name)}` });

type Spec = Record<string, unknown>;

/** `plain: true` unless the key path may hold an Output (README "Use it in your program"). */
const plainUnless = (path: string, spec: Spec): Spec => (CATALOGUE.inputPaths.includes(path) ? spec : { ...spec, plain: true });
const str = (description: string): Spec => ({ type: "string", description });
const strings = (description: string): Spec => ({ type: "array", items: { type: "string" }, description });

const enumType = (description: string, values: readonly string[], describe: (v: string) => string): Spec => ({
    type: "string",
    description,
    enum: values.map((value) => ({
        name: value.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase()),
        value,
        description: describe(value),
    })),
});

const objectType = (description: string, properties: Record<string, Spec>, required: string[] = []): Spec => ({
    type: "object",
    description,
    properties,
    ...(required.length ? { required } : {}),
});

/** Each cloud's settings type, from the one definition its folder validates with. */
function cloudTypes(): Record<string, Spec> {
    return Object.fromEntries(
        CLOUD_LIST.map(({ settings: block }) => [
            T(block.typeName),
            objectType(
                block.description,
                Object.fromEntries(Object.entries(block.settings).map(([key, s]) => [key, plainUnless(`${block.key}.${key}`, s.schema)])),
            ),
        ]),
    );
}

function types(): Record<string, Spec> {
    return {
        [T("Cloud")]: enumType(
            "The cloud whose firewall the rules are mapped onto.",
            CLOUDS,
            (c) => `${cloudOf(c).firewall} (${cloudOf(c).target.sdkPackage}).`,
        ),
        [T("Preset")]: enumType(
            'A media server\'s documented ports (README "Presets").',
            PRESET_NAMES,
            (p) => PRESETS[p as keyof typeof PRESETS].description,
        ),
        [T("Protocol")]: enumType("A transport protocol.", ["udp", "tcp"], (p) => p.toUpperCase()),
        [T("HostPortRange")]: objectType(
            "A port range as an AKS AgentPool's networkProfile.allowedHostPorts takes it.",
            {
                portStart: { type: "integer", description: "The first port, 1..65535." },
                portEnd: { type: "integer", description: "The last port, at least portStart." },
                protocol: { type: "string", description: "TCP or UDP." },
            },
            ["portStart", "portEnd", "protocol"],
        ),
        [T("ServerConfigKind")]: enumType("The kind of a media server config file.", SERVER_KINDS, (k) => `a ${k} config file`),
        [T("PortRule")]: objectType(
            "One rule under `ports`: added to the preset's rules; a rule with a " +
                "preset rule's name replaces it; `{name, enabled: false}` removes it.",
            {
                name: { ...str("Unique, lowercase `[a-z][a-z0-9-]*`, at most 40 characters."), plain: true },
                protocol: {
                    oneOf: [ref("Protocol"), { type: "array", items: ref("Protocol") }],
                    description: "udp, tcp, or both as a list.",
                    plain: true,
                },
                ports: {
                    oneOf: [
                        { type: "integer" },
                        { type: "string" },
                        { type: "array", items: { oneOf: [{ type: "integer" }, { type: "string" }] } },
                    ],
                    description: 'A port (443), a range ("50000-60000"), or a list of those; 1..65535.',
                    plain: true,
                },
                from: plainUnless("ports[].from", {
                    type: "array",
                    items: { type: "string" },
                    description:
                        "Sources: `public` (the default), `admin` (adminCidrs), IPv4/IPv6 CIDRs or addresses" +
                        CATALOGUE.groupSources.map((g) => `, or on ${g.cloud} ${g.write}`).join("") +
                        ". Entries may come from other resources; public and admin are written as plain text.",
                }),
                description: { ...str("Shown in the cloud rule's description."), plain: true },
                enabled: {
                    type: "boolean",
                    description: "`false` removes the preset rule of this name (give nothing else then).",
                    plain: true,
                },
                allowDangerous: {
                    type: "boolean",
                    description: 'Open a dangerous service (README "Least privilege") to the world on purpose; the plan warns.',
                    plain: true,
                },
            },
            ["name"],
        ),
        [T("ServerConfig")]: objectType(
            "A media server config file and its kind.",
            {
                path: { ...str("Relative to the project folder."), plain: true },
                kind: { ...ref("ServerConfigKind"), description: "Recognised from the file when omitted.", plain: true },
            },
            ["path"],
        ),
        ...cloudTypes(),
        [T("KubernetesArgs")]: objectType("How the media pods of a managed Kubernetes node pool are reached.", {
            exposure: {
                type: "string",
                enum: [{ value: "hostNetwork" }, { value: "nodePort" }, { value: "loadBalancer" }],
                description:
                    "hostNetwork (default: the pod's ports are the node's), nodePort (each rule on its NodePort service's node port) " +
                    "or loadBalancer (a passthrough LoadBalancer Service in front, and its health checks).",
                plain: true,
            },
            nodePorts: {
                type: "object",
                additionalProperties: { type: "integer" },
                description: "With nodePort: each rule's node port, by rule name; only these are opened.",
                plain: true,
            },
            nodePortRange: { type: "string", description: 'The cluster\'s NodePort range, "30000-32767" by default.', plain: true },
            healthCheckNodePort: {
                type: "integer",
                description: "With loadBalancer: the Service's spec.healthCheckNodePort (externalTrafficPolicy: Local).",
                plain: true,
            },
            healthCheckSources: plainUnless(
                "kubernetes.healthCheckSources",
                strings("With loadBalancer, where the cloud does not say: the CIDRs its health checks come from (the VPC's on AWS)."),
            ),
        }),
        [T("TurnRelayArgs")]: objectType("The TURN relay's peer lockdown, on by default wherever the config opens a relay.", {
            allowPeers: plainUnless(
                "turnRelay.allowPeers",
                strings(
                    "Peers the relay must reach despite the lockdown, e.g. the SFU's " +
                        "private address; never a metadata address, loopback or the world.",
                ),
            ),
            denyPeers: plainUnless("turnRelay.denyPeers", strings("More peers to deny, e.g. the VPC's own range when it is not private.")),
            tcpRelay: {
                type: "boolean",
                description: "Allow RFC 6062 TCP relays (off by default: WebRTC media needs UDP only).",
                plain: true,
            },
        }),
        [T("Rule")]: objectType(
            "One normalized rule as deployed.",
            {
                name: str("The rule's name."),
                description: str("Its description."),
                protocol: str("udp or tcp."),
                ports: strings("Port ranges."),
                sources: strings("Sources after expansion and normalization."),
            },
            ["name", "protocol", "ports", "sources"],
        ),
    };
}

function inputProperties(): Record<string, Spec> {
    return {
        cloud: { ...ref("Cloud"), description: `Target cloud: ${orList(CLOUD_LIST.map((c) => c.name))}.`, plain: true },
        preset: {
            ...ref("Preset"),
            description: "A media server's documented ports: livekit, mediasoup, plugnmeet, reflector, reflector-direct, jitsi or coturn.",
            plain: true,
        },
        presetOptions: {
            type: "object",
            additionalProperties: { type: "boolean" },
            description: "The preset's switches, e.g. { turn: true }.",
            plain: true,
        },
        ports: { type: "array", items: ref("PortRule"), description: "Extra rules, overrides and removals of preset rules.", plain: true },
        adminCidrs: plainUnless(
            "adminCidrs",
            strings(
                "Who may reach admin ports; when non-empty an ssh rule (22/tcp " +
                    "from these) is added. Entries may come from other resources.",
            ),
        ),
        ipv6: { type: "boolean", description: "Whether public means 0.0.0.0/0 and ::/0 (default) or 0.0.0.0/0 only.", plain: true },
        ...Object.fromEntries(
            CLOUD_LIST.map(({ settings: block }) => [block.key, { ...ref(block.typeName), description: block.description, plain: true }]),
        ),
        kubernetes: {
            ...ref("KubernetesArgs"),
            description: "Managed Kubernetes node pools: how the media pods are reached (docs/kubernetes.md).",
            plain: true,
        },
        turnRelay: {
            ...ref("TurnRelayArgs"),
            description: "Exemptions from and additions to the TURN relay's peer lockdown.",
            plain: true,
        },
        serverConfigs: {
            type: "array",
            items: { oneOf: [{ type: "string" }, ref("ServerConfig")] },
            description:
                "The media server's own config files (livekit.yaml, LiveKit SIP config.yml, " +
                "turnserver.conf, compose), relative to the project folder; their ports become the rules.",
            plain: true,
        },
        secret: { type: "boolean", description: "Store every rule input and the rules output as secrets.", plain: true },
    };
}

/** Each output some cloud fills, described by every cloud that fills it ("DigitalOcean: …; Hetzner: …"). */
function cloudOutputs(): Record<string, Spec> {
    return Object.fromEntries(
        CLOUD_OUTPUT_NAMES.map((name) => {
            const docs = CLOUD_LIST.flatMap((c) => (c.outputs[name] ? [c.outputs[name]] : []));
            const description = `${docs.map((d) => d.description).join("; ")}.`;
            const type = docs[0]!.type;
            if (type === "hostPortRanges") return [name, { type: "array", items: ref("HostPortRange"), description }];
            return [name, type === "strings" ? strings(description) : str(description)];
        }),
    );
}

const OUTPUTS = (): Record<string, Spec> => ({
    rules: { type: "array", items: ref("Rule"), description: "The normalized plan as deployed: name, protocol, port ranges, sources." },
    ...cloudOutputs(),
    nftablesRuleset: str("The same rules as an nftables ruleset for the host."),
    ufwCommands: str("The same rules as ufw commands."),
    iptablesScript: str(
        "A shell script opening the same ports in an image's own iptables or " +
            "firewalld, ahead of its REJECT (Oracle Cloud's images); cloudInit runs it.",
    ),
    cloudInit: str("Cloud-init user data that installs the nftables ruleset at boot."),
    warnings: strings("Warnings found while planning."),
});

/** The schema `GetSchema` answers with. */
export function packageSchema(version: string): Spec {
    return {
        name: PACKAGE_NAME,
        displayName: "WebRTC firewall",
        version,
        description:
            `Opens exactly the ports a WebRTC media server needs (LiveKit, mediasoup, ` +
            `Plug-N-Meet, Reflector, Jitsi, coturn) on ${orList(CLOUD_LIST.map((c) => c.title))}.`,
        keywords: ["pulumi", "category/network", "kind/component", "webrtc", "firewall"],
        license: "Apache-2.0",
        types: types(),
        resources: {
            [WEBRTC_FIREWALL_TYPE]: {
                isComponent: true,
                description:
                    "Opens exactly the ports a WebRTC media server needs on one cloud. Bad input is refused " +
                    "before anything is registered, with every problem, its key path, the value and the fix.",
                inputProperties: inputProperties(),
                requiredInputs: ["cloud"],
                properties: OUTPUTS(),
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
