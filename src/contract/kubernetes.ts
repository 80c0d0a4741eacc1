/**
 * How the media pods of a managed Kubernetes node pool are reached (docs/kubernetes.md): `hostNetwork` (the
 * default: the pod's ports are the node's, as LiveKit's Helm chart runs it); `nodePort`, where a NodePort
 * service exposes each rule on a node port of the cluster's range, and only those node ports are opened, never
 * the whole 30000-32767; or `loadBalancer`, a passthrough LoadBalancer Service in front, where the load
 * balancer's packets arrive as each cloud delivers them and its health checks need their own rule. Which cloud
 * setting names the pool, and what its load balancers do, is each cloud's (`CloudContract.nodePool`).
 */
import { parseCidr, type Cidr } from "./cidr";
import { isLate, type Late } from "./late";
import { worldCovered } from "./coverage";
import type { Problem } from "./problems";
import type { PortRange } from "./ports";
import { NODE_PORT_RANGE, type KubernetesInput } from "./schema";
import type { LoadBalancerFacts, RuleSpec } from "./types";

/**
 * The rules as the pool's nodes must open them. With `nodePort`, each rule becomes its node port (one port: a
 * NodePort service maps one service port to one node port), inside the cluster's range, each once per protocol.
 * With `loadBalancer`, the rules as the cloud's load balancer delivers them, plus one for its health checks.
 */
export function exposeRules(
    kubernetes: KubernetesInput | undefined,
    rules: RuleSpec[],
    problems: Problem[],
    loadBalancer: LoadBalancerFacts | undefined,
): RuleSpec[] {
    if (kubernetes?.exposure === "nodePort") return onNodePorts(kubernetes, rules, problems);
    if (kubernetes?.exposure === "loadBalancer" && loadBalancer !== undefined)
        return behindLoadBalancer(kubernetes, rules, problems, loadBalancer);
    for (const key of ["healthCheckNodePort", "healthCheckSources"] as const)
        if (kubernetes?.[key] !== undefined)
            problems.push({
                path: `kubernetes.${key}`,
                message: "is set, but only a load balancer has health checks: remove it, or set exposure: loadBalancer",
            });
    return rules;
}

function spanOf(kubernetes: KubernetesInput): { span: PortRange; text: string } {
    const span = kubernetes.nodePortRange ?? NODE_PORT_RANGE;
    return { span, text: `${span.from}-${span.to}` };
}

function onNodePorts(kubernetes: KubernetesInput, rules: RuleSpec[], problems: Problem[]): RuleSpec[] {
    const nodePorts = kubernetes.nodePorts ?? {};
    const { span, text: spanText } = spanOf(kubernetes);
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

/** The health-check rule's name: a rule of its own, so a reviewer sees what it is for. */
export const HEALTH_CHECK_RULE = "lb-health-check";

/**
 * Behind a passthrough load balancer the client's address is kept (AWS NLB instance targets, GCP's passthrough
 * NLB, DigitalOcean's REGIONAL_NETWORK), so each rule keeps its sources; its port is the node port or the
 * Service's own port as the cloud delivers it. The health checks come to `healthCheckNodePort`, over TCP.
 */
function behindLoadBalancer(kubernetes: KubernetesInput, rules: RuleSpec[], problems: Problem[], facts: LoadBalancerFacts): RuleSpec[] {
    if (typeof facts === "string") {
        problems.push({ path: "kubernetes.exposure", message: `is loadBalancer: ${facts}` });
        return rules;
    }
    if (facts.worldOnly)
        for (const rule of rules)
            if (!rule.from.public && worldCovered(rule.from.cidrs).length === 0)
                problems.push({ path: rule.origin, message: `rule "${rule.name}" is kept to some sources: ${facts.worldOnly}` });
    const exposed = facts.delivers === "nodePort" ? onNodePorts(kubernetes, rules, problems) : rules;
    const checks = facts.healthChecks;
    if (checks === "controller") {
        if (kubernetes.healthCheckNodePort !== undefined || kubernetes.healthCheckSources !== undefined)
            problems.push({
                path: `kubernetes.${kubernetes.healthCheckNodePort !== undefined ? "healthCheckNodePort" : "healthCheckSources"}`,
                message: "is set, but this service's controller opens the load balancer's health checks itself: remove it",
            });
        return exposed;
    }
    const port = kubernetes.healthCheckNodePort;
    const { span, text } = spanOf(kubernetes);
    if (port === undefined) {
        problems.push({
            path: "kubernetes.healthCheckNodePort",
            message:
                "is required with exposure: loadBalancer: give the Service's spec.healthCheckNodePort (set it, in " +
                `${text}, with externalTrafficPolicy: Local, which keeps the client's address and answers only where a media pod runs)`,
        });
    } else if (port < span.from || port > span.to) {
        problems.push({
            path: "kubernetes.healthCheckNodePort",
            message: `${port} is outside the cluster's NodePort range ${text}; pick a port in it`,
        });
    } else if (exposed.some((r) => r.protocols.includes("tcp") && r.ports.some((p) => p.from <= port && port <= p.to))) {
        problems.push({
            path: "kubernetes.healthCheckNodePort",
            message: `${port}/tcp is a rule's port already; the health checks need a port of their own`,
        });
    }
    let sources: Cidr[];
    let late: Late[] = [];
    if ("sources" in checks) {
        if (kubernetes.healthCheckSources !== undefined)
            problems.push({ path: "kubernetes.healthCheckSources", message: `is set, but ${checks.from}: remove it` });
        sources = checks.sources.map((s) => (parseCidr(s) as { ok: true; cidr: Cidr }).cidr);
    } else {
        if (kubernetes.healthCheckSources === undefined)
            problems.push({
                path: "kubernetes.healthCheckSources",
                message: `is required with exposure: loadBalancer: give ${checks.user}`,
            });
        const given = kubernetes.healthCheckSources ?? [];
        // Entries, or the whole list, may come from other resources (the VPC's cidrBlock): late sources of the rule.
        const entries = isLate(given) ? [given] : given;
        sources = entries.filter((s): s is Cidr => !isLate(s));
        late = entries.filter(isLate);
    }
    if (port === undefined) return exposed;
    const healthChecks: RuleSpec = {
        name: HEALTH_CHECK_RULE,
        protocols: ["tcp"],
        ports: [{ from: port, to: port }],
        from: { public: false, admin: false, cidrs: sources, groups: [], late },
        description: "the load balancer's health checks",
        origin: "kubernetes.healthCheckNodePort",
    };
    return [...exposed, healthChecks];
}
