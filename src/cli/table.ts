/** The plan's human-readable output: resources, rules, quota, warnings. */
import { printable } from "../contract/text";
import { CLOUD_LIST, cloudOf } from "../clouds/registry";
import type { RecordedResource } from "../clouds/cloud";
import type { MockRun } from "./mockRun";
import { append, maxOf } from "../contract/lists";

function pad(rawRows: string[][]): string[] {
    const rows = rawRows.map((r) => r.map(printable)); // values the user wrote never reach the terminal raw
    const widths = rows[0]!.map((_, col) => maxOf(rows.map((r) => (r[col] ?? "").length)));
    return rows.map((r) =>
        r
            .map((cell, col) => (col === r.length - 1 ? cell : cell.padEnd(widths[col]!)))
            .join("  ")
            .trimEnd(),
    );
}

function resourceRows(resources: RecordedResource[]): string[][] {
    const summaryOf = (r: RecordedResource) => CLOUD_LIST.find((c) => c.plan.summaries[r.type])?.plan.summaries[r.type]!(r.inputs) ?? "";
    return [["TYPE", "NAME", "WHAT"], ...resources.map((r) => [r.type, r.name, summaryOf(r)])];
}

/** Rules held inside one resource, read only from the resource types that hold them (the component's own `rules` input is not one). */
function inlineRuleRows(resources: RecordedResource[]): string[] {
    return resources.flatMap((r) => CLOUD_LIST.flatMap((c) => c.plan.inlineRules?.(r) ?? []));
}

/** What to do once the firewall exists: the step the cloud needs before a packet is filtered. */
function nextSteps(cloud: string, run: MockRun, stack: string | undefined): string[] {
    return [`  1. ${stack ? `pulumi up --stack ${stack}` : "pulumi up"}`, `  2. ${cloudOf(cloud).plan.nextStep(run.resources)}`];
}

export function renderTable(cloud: string, source: string, run: MockRun, stack?: string): string {
    const { firewall, resources } = run;
    const out: string[] = [`webrtc-firewall plan: cloud ${cloud}, settings ${source}`, "", `Resources (${resources.length}):`];
    append(
        out,
        pad(resourceRows(resources)).map((l) => `  ${l}`),
    );
    const inline = inlineRuleRows(resources);
    if (inline.length) append(out, ["", "Inline rules:", ...inline.map(printable)]);
    out.push("", "Rules (what the spec opens):");
    const ruleRows = [
        ["NAME", "PROTOCOL", "PORTS", "SOURCES"],
        ...firewall.plan.rules.map((r) => [r.name, r.protocol, r.ports.join(", "), r.sources.join(", ")]),
    ];
    append(
        out,
        pad(ruleRows).map((l) => `  ${l}`),
    );
    // No quota line where the component writes no rule itself (AKS writes them from the pool's allowedHostPorts).
    out.push("", firewall.quota.length ? `Quota (${cloud}):` : `Quota (${cloud}): none of the cloud's rule quotas is ours here`);
    if (firewall.quota.length)
        append(
            out,
            pad(firewall.quota.map((q) => [q.what, `${q.used} / ${q.limit}`])).map((l) => `  ${l}`),
        );
    out.push("", firewall.warnings.length ? "Warnings:" : "Warnings: none");
    append(
        out,
        firewall.warnings.map((w) => `  - ${printable(w)}`),
    );
    append(out, ["", "Next:", ...nextSteps(cloud, run, stack)]);
    return out.join("\n") + "\n";
}
