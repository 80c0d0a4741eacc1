/**
 * `plan --diff OLD`: what `pulumi up` does going from the settings in OLD to the ones planned, step by step, and
 * whether any moment of it closes a port both open, opens one neither opens, or is refused by the cloud. The
 * user's view of the update simulator (src/update/); exit 1 when the update is not clean.
 */
import * as path from "node:path";
import { cloudOf } from "../clouds/registry";
import { WEBRTC_FIREWALL_TYPE } from "../component/component";
import { findProject } from "../sources/project";
import { admitsOf } from "../update/judge";
import { describeFinding, simulate, twoSteps, type Finding, type SimulateOptions } from "../update/simulate";
import { witnessesOf } from "../update/witnesses";
import { isComponent, type MockRun } from "./mockRun";

export interface DiffSide {
    run: MockRun;
    cloud: string;
    file: string;
}

/** A resource's URN as the Pulumi CLI writes it, under the component (for `pulumi destroy --target`). */
function urnOf(type: string, name: string, stack: string, project: string): string {
    return `urn:pulumi:${stack}::${project}::${WEBRTC_FIREWALL_TYPE}$${type}::${name}`;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

const stackOf = (file: string): string =>
    path
        .basename(file)
        .replace(/^Pulumi\./, "")
        .replace(/\.yaml$/, "");

export function renderDiff(old: DiffSide, next: DiffSide, shown: { old: string; next: string }): { stdout: string; code: number } {
    if (old.cloud !== next.cloud)
        return {
            stdout:
                `${shown.old} deploys to ${old.cloud} and ${shown.next} to ${next.cloud}: an update between them replaces every ` +
                "resource of the one cloud by the other's; there is nothing to compare step by step.\n",
            code: 1,
        };
    const options: SimulateOptions = {
        old: old.run.resources.filter((r) => !isComponent(r)),
        next: next.run.resources.filter((r) => !isComponent(r)),
        model: cloudOf(next.cloud).updates,
        admits: admitsOf(next.cloud),
        witnesses: witnessesOf(old.run.firewall.plan.rules, next.run.firewall.plan.rules),
    };
    const simulation = simulate(options);
    const lines = [`update from ${shown.old} to ${shown.next} (${next.cloud}): ${plural(simulation.actions.length, "step")}`];
    for (const a of simulation.actions)
        lines.push(`  ${a.id + 1}. ${a.kind.padEnd(7)} ${a.name}  (${a.why}${a.phase === "delete" ? "; once the rest is done" : ""})`);
    const orders = simulation.exhaustive ? "every order the engine may run the steps in" : "sampled orders";
    const judged = `judged ${plural(simulation.states, "state")} (${orders})`;
    if (!simulation.findings.length) {
        lines.push(`${judged}: no gap, nothing opened that neither side opens, nothing the cloud refuses.`);
        return { stdout: lines.join("\n") + "\n", code: 0 };
    }
    const label: Record<Finding["kind"], string> = { gap: "GAP", extra: "EXTRA", refused: "REFUSED" };
    lines.push(`${judged}:`);
    for (const f of simulation.findings.slice(0, 10)) lines.push(`${label[f.kind]}: ${describeFinding(f)}`);
    if (simulation.findings.length > 10) lines.push(`… and ${simulation.findings.length - 10} more`);
    const refusals = simulation.findings.flatMap((f) => (f.refusal ? [f.refusal] : []));
    const remedy = refusals.length ? options.model.remedy?.(refusals, options.old) : undefined;
    if (remedy) return { stdout: [...lines, remedy].join("\n") + "\n", code: 1 };
    const two = twoSteps(options, simulation);
    if (two?.clean) {
        const project = findProject(path.dirname(next.file))?.name ?? "<project>";
        const stack = stackOf(next.file);
        lines.push(
            "It goes through in two steps, which close nothing both sides open:",
            `  1. pulumi destroy --stack ${stack} ${two.first.map((r) => `--target '${urnOf(r.type, r.name, stack, project)}'`).join(" ")}`,
            `  2. pulumi up --stack ${stack}`,
        );
    } else if (two)
        lines.push(
            "No resource the update deletes can go first without closing what both sides open: make room in the group " +
                "(fewer rules of your own there), or make the change in smaller updates.",
        );
    return { stdout: lines.join("\n") + "\n", code: 1 };
}
