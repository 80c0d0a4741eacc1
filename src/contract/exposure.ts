/**
 * Least privilege that cannot be talked around: who a rule really opens to (the union of its sources
 * after expansion), and what must never be open to the world. Admin ports (22/tcp and every port of a
 * rule `from: admin`) never reach a source set that covers all of IPv4, all of IPv6, or an IPv6 prefix
 * standing for every IPv4 host; dangerous services need an explicit per-rule opt-in.
 */
import type { Problem } from "./problems";
import { ANY_IPV4, ANY_IPV6, cidrOf, type Cidr } from "./cidr";
import { worldCovered } from "./coverage";
import { dangersIn, formatDangerous } from "./dangerousPorts";
import { formatRange, includesPort, rangesOverlap, subtractRanges, type PortRange } from "./ports";
import { presetOf } from "./presets";
import { type PresetName, type Protocol, type PrivatePort, type Publication, type RuleSpec } from "./types";
import { append } from "./lists";
export const SSH_PORT = 22;
/** Wider than these, an admin source gets a warning: an office or VPN is rarely bigger. */
const ADMIN_WIDEST = { ipv4: 16, ipv6: 32 };

export interface ExposureContext {
    preset?: PresetName;
    ipv6: boolean;
    /** undefined when adminCidrs was given but invalid (its problems are reported already). */
    adminCidrs?: Cidr[];
    /** adminCidrs has entries known only when they resolve (checked again then). */
    adminLate?: boolean;
}

interface AdminPort {
    protocol: Protocol;
    ports: PortRange[];
    what: string;
}

/** The rule's sources after expansion of `public` and `admin`. */
function sourcesOf(rule: RuleSpec, ctx: ExposureContext, adminUsable: boolean): Cidr[] {
    const sources = [...rule.from.cidrs];
    // Parsed here rather than at import: code that runs while modules load is static to Stryker (a worker restart per mutant).
    if (rule.from.public) sources.push(cidrOf(ANY_IPV4));
    if (rule.from.public && ctx.ipv6) sources.push(cidrOf(ANY_IPV6));
    if (rule.from.admin && adminUsable && ctx.adminCidrs) append(sources, ctx.adminCidrs);
    return sources;
}

function pathsOf(rule: RuleSpec): { from: string; ports: string } {
    const own = rule.origin.startsWith("ports[");
    return { from: own ? `${rule.origin}.from` : rule.origin, ports: own ? `${rule.origin}.ports` : rule.origin };
}

/** Checks adminCidrs themselves; returns whether they may be used as a source (not the world). */
export function checkAdminCidrs(ctx: ExposureContext, problems: Problem[], warnings: string[]): boolean {
    // Stryker disable next-line ArrayDeclaration: without adminCidrs nothing covers the world; a stand-in entry is no CIDR either
    const admin = ctx.adminCidrs ?? [];
    const covered = worldCovered(admin);
    if (covered.length) {
        problems.push({
            path: "adminCidrs",
            message:
                `${JSON.stringify(admin.map((c) => c.text))} together cover ${covered.join(" and ")}; ` +
                `adminCidrs name who may administer the server: list your office, VPN or bastion networks`,
        });
        return false;
    }
    for (const cidr of admin) {
        if (cidr.prefix < ADMIN_WIDEST[cidr.family]) {
            warnings.push(`adminCidrs: ${cidr.text} is wider than /${ADMIN_WIDEST[cidr.family]}; admin ports are open to all of it`);
        }
    }
    return true;
}

/** Every problem and warning about what the rules expose. */
export function checkExposure(
    rules: RuleSpec[],
    ctx: ExposureContext,
    adminUsable: boolean,
    problems: Problem[],
    warnings: string[],
): void {
    const adminPorts: AdminPort[] = [{ protocol: "tcp", ports: [{ from: SSH_PORT, to: SSH_PORT }], what: "22/tcp (SSH)" }];
    for (const rule of rules.filter((r) => r.from.admin)) {
        for (const protocol of rule.protocols)
            adminPorts.push({
                protocol,
                ports: rule.ports,
                what: `${rule.ports.map(formatRange).join(", ")}/${protocol} (admin rule "${rule.name}")`,
            });
    }
    for (const rule of rules) {
        const paths = pathsOf(rule);
        if (rule.from.admin && ctx.adminCidrs?.length === 0 && !ctx.adminLate) {
            problems.push({
                path: paths.from,
                message: `rule "${rule.name}" is from admin, but adminCidrs is empty; add adminCidrs: ["<your office CIDR>"]`,
            });
        }
        const covered = worldCovered(sourcesOf(rule, ctx, adminUsable));
        if (covered.length) checkWorldRule(rule, covered, adminPorts, paths, problems, warnings);
        if (ctx.preset) checkPresetPorts(rule, ctx.preset, paths.ports, problems, warnings);
    }
}

function checkWorldRule(
    rule: RuleSpec,
    covered: string[],
    adminPorts: AdminPort[],
    paths: { ports: string },
    problems: Problem[],
    warnings: string[],
): void {
    const to = covered.join(" and ");
    // 22/tcp is the ssh rule's port and maybe another admin rule's: say each exposed port once, first by its best name.
    // Stryker disable next-line ArrayDeclaration: a stand-in entry is no range, and subtractRanges cuts nothing with it
    const said: Record<Protocol, PortRange[]> = { tcp: [], udp: [] };
    for (const admin of adminPorts) {
        if (!rule.protocols.includes(admin.protocol)) continue;
        // A pair that does not overlap gives an empty (reversed) range, which subtractRanges drops.
        // Stryker disable MethodExpression: equivalent, see above
        const exposed = admin.ports.flatMap((a) =>
            rule.ports.filter((r) => rangesOverlap(a, r)).map((r) => ({ from: Math.max(a.from, r.from), to: Math.min(a.to, r.to) })),
        );
        // Stryker restore MethodExpression
        if (!subtractRanges(exposed, said[admin.protocol]).length) continue;
        append(said[admin.protocol], exposed);
        const fix = admin.what.startsWith("22/")
            ? "remove 22 and list your addresses in adminCidrs, which adds an ssh rule from those only"
            : "admin ports are for adminCidrs only: limit this rule's from to your networks";
        problems.push({ path: paths.ports, message: `rule "${rule.name}" opens ${admin.what} to ${to}; ${fix}` });
    }
    const dangers = dangersIn(rule.protocols, rule.ports).map(formatDangerous);
    if (!dangers.length) return;
    const opens = `rule "${rule.name}" opens ${dangers.join(", ")} to ${to}`;
    // A preset's range is the vendor's documented one (LiveKit SIP RTP 10000-20000 covers 11211/udp): a warning.
    const keepOff = `keep ${dangers.length > 1 ? "those services" : "that service"} off this host`;
    if (rule.origin === "preset") warnings.push(`${paths.ports}: ${opens} (the preset's documented range: ${keepOff})`);
    else if (rule.fromServerConfig)
        warnings.push(`${paths.ports}: ${opens} (the media server listens there by its own config: ${keepOff})`);
    else if (rule.allowDangerous) warnings.push(`${paths.ports}: ${opens} (allowDangerous: true)`);
    else {
        const them = dangers.length > 1 ? "them" : "it";
        problems.push({
            path: paths.ports,
            message:
                `${opens}; a media server never needs ${them} public: remove the port${dangers.length > 1 ? "s" : ""}, ` +
                `limit from to your networks, or set allowDangerous: true on this rule to open ${them} deliberately`,
        });
    }
}

/** Ports a server config says must not be public (LiveKit's API, metrics, debug handlers). */
export function checkPrivatePorts(
    rules: RuleSpec[],
    ports: PrivatePort[],
    ctx: ExposureContext,
    adminUsable: boolean,
    problems: Problem[],
    warnings: string[],
): void {
    for (const rule of rules) {
        const covered = worldCovered(sourcesOf(rule, ctx, adminUsable));
        if (!covered.length) continue;
        for (const p of ports) {
            if (!rule.protocols.includes(p.protocol) || !includesPort(rule.ports, p.port)) continue;
            const text = `rule "${rule.name}" opens ${p.port}/${p.protocol} (${p.origin}) to ${covered.join(" and ")}: ${p.why}`;
            if (p.error) problems.push({ path: pathsOf(rule).ports, message: `${text}; remove it from the rule` });
            else warnings.push(`${pathsOf(rule).ports}: ${text}`);
        }
    }
}

/** A preset's own never-expose ports (errors, no opt-in) and discouraged ports (warnings). */
function checkPresetPorts(rule: RuleSpec, preset: PresetName, portsPath: string, problems: Problem[], warnings: string[]): void {
    const { forbiddenPorts = {}, discouragedPorts = {} } = presetOf(preset);
    for (const [port, why] of Object.entries(forbiddenPorts)) {
        if (includesPort(rule.ports, Number(port))) {
            problems.push({
                path: portsPath,
                message: `rule "${rule.name}" opens port ${port}: ${why} (preset ${preset}); remove it from the rule`,
            });
        }
    }
    for (const [port, why] of Object.entries(discouragedPorts)) {
        if (includesPort(rule.ports, Number(port))) warnings.push(`${portsPath}: rule "${rule.name}" opens port ${port}: ${why}`);
    }
}

/** The preset's never-expose ports inside `ports`, each with why (presets.ts forbiddenPorts). */
export function neverExposedIn(preset: PresetName | undefined, ports: PortRange): [number, string][] {
    if (!preset) return [];
    return Object.entries(presetOf(preset).forbiddenPorts ?? {})
        .filter(([port]) => includesPort([ports], Number(port)))
        .map(([port, why]) => [Number(port), why]);
}

/**
 * A preset's never-expose ports that a container publishes on every address (a compose file in
 * serverConfigs): Docker forwards them past every input rule, so they are errors like a rule opening them.
 */
export function checkPublications(preset: PresetName | undefined, published: Publication[], problems: Problem[]): void {
    for (const p of published) {
        for (const [port, why] of neverExposedIn(preset, p.ports)) {
            problems.push({
                path: p.origin,
                message:
                    `publishes ${port}/${p.protocol} on every address: ${why} (preset ${preset}), and Docker forwards ` +
                    `a publication past the host firewall's input rules; publish it as ${p.loopback}, or not at all`,
            });
        }
    }
}
