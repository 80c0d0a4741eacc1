/**
 * How the media pods of a managed Kubernetes node pool are reached (docs/kubernetes.md): `hostNetwork` (the
 * default: the pod's ports are the node's, as LiveKit's Helm chart runs it) or `nodePort`, where a NodePort
 * service exposes each rule on a node port of the cluster's range, and only those node ports are opened, never
 * the whole 30000-32767. Which cloud setting names the pool is each cloud's (`CloudContract.nodePool`).
 */
import { z } from "zod";
import { quote, type Problem } from "./problems";
import { parsePorts, type PortRange } from "./ports";
import type { RuleSpec } from "./types";

/** kube-apiserver's default `--service-node-port-range` (Kubernetes docs, Service type NodePort). */
export const NODE_PORT_RANGE: PortRange = { from: 30000, to: 32767 };

/** The cluster's NodePort range, written as ports are elsewhere ("30000-32767"), read by the same parser. */
const range = z.unknown().transform((raw, ctx): PortRange => {
    const parsed = typeof raw === "string" && raw.includes("-") ? parsePorts(raw) : undefined;
    if (parsed?.ok === true && parsed.ranges.length === 1) return parsed.ranges[0]!;
    ctx.addIssue({
        code: "custom",
        input: raw,
        message: `${quote(raw)} is not a port range; write the cluster's NodePort range, e.g. "30000-32767"`,
    });
    return z.NEVER;
});

export const kubernetesSchema = z
    .strictObject({
        exposure: z.enum(["hostNetwork", "nodePort"], {
            error: (iss) => `${quote(iss.input)} is not an exposure; use hostNetwork (the pod's ports are the node's) or nodePort`,
        }),
        /** Rule name → the node port its NodePort service uses. */
        nodePorts: z.record(z.string(), z.number().int({ error: (iss) => `${quote(iss.input)} is not a node port; write a whole number` })),
        nodePortRange: range,
    })
    .partial();

export type KubernetesInput = z.output<typeof kubernetesSchema>;

/**
 * The rules as the pool's nodes must open them. With `nodePort`, each rule becomes its node port (one port: a
 * NodePort service maps one service port to one node port), inside the cluster's range, each once per protocol.
 */
export function exposeRules(kubernetes: KubernetesInput | undefined, rules: RuleSpec[], problems: Problem[]): RuleSpec[] {
    if (kubernetes?.exposure !== "nodePort") return rules;
    const nodePorts = kubernetes.nodePorts ?? {};
    const span = kubernetes.nodePortRange ?? NODE_PORT_RANGE;
    const spanText = `${span.from}-${span.to}`;
    const names = new Set(rules.map((r) => r.name));
    for (const name of Object.keys(nodePorts))
        if (!names.has(name))
            problems.push({
                path: `kubernetes.nodePorts.${name}`,
                message: `names no rule of the config; rules: ${[...names].join(", ")}`,
            });
    const used = new Map<string, string>();
    const exposed: RuleSpec[] = [];
    for (const rule of rules) {
        const port = nodePorts[rule.name];
        const single = rule.ports.length === 1 && rule.ports[0]!.from === rule.ports[0]!.to;
        if (!single) {
            const opens = rule.ports.map((p) => (p.from === p.to ? `${p.from}` : `${p.from}-${p.to}`)).join(", ");
            problems.push({
                path: rule.origin,
                message:
                    `rule "${rule.name}" opens ${opens}: a NodePort service exposes one port per service port, so a range cannot ` +
                    `be a node port; use exposure: hostNetwork for it (or one port, e.g. LiveKit's udpMux)`,
            });
            continue;
        }
        if (port === undefined) {
            problems.push({
                path: "kubernetes.nodePorts",
                message:
                    `has no node port for rule "${rule.name}" (${rule.ports[0]!.from}/${rule.protocols.join("+")}); map it ` +
                    `(${rule.name}: a port in ${spanText}), disable the rule (ports: [{name: ${rule.name}, enabled: false}]), ` +
                    "or use exposure: hostNetwork",
            });
            continue;
        }
        if (port < span.from || port > span.to) {
            problems.push({
                path: `kubernetes.nodePorts.${rule.name}`,
                message:
                    `${port} is outside the cluster's NodePort range ${spanText} (kube-apiserver --service-node-port-range); ` +
                    `pick a port in it${kubernetes.nodePortRange ? "" : ", or give the cluster's own range as kubernetes.nodePortRange"}`,
            });
            continue;
        }
        for (const protocol of rule.protocols) {
            const first = used.get(`${protocol} ${port}`);
            if (first)
                problems.push({
                    path: `kubernetes.nodePorts.${rule.name}`,
                    message: `${port}/${protocol} is rule "${first}"'s node port already; each service port needs its own`,
                });
            else used.set(`${protocol} ${port}`, rule.name);
        }
        exposed.push({ ...rule, ports: [{ from: port, to: port }] });
    }
    return exposed;
}
