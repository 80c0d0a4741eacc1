/**
 * Ids that Pulumi's unit-test mocks made up. Pulumi's guide returns ids like `${name}_id` from
 * `newResource` (pulumi.com/docs/iac/concepts/testing/unit), so a consumer's test hands the component
 * ids no cloud would: under mocks, an id a mock returned for a resource is taken as that resource's id,
 * whatever its spelling. Nothing else is relaxed: addresses, ports and every guard are checked as in an
 * update. The runtime says it is mocking: its monitor is the SDK's MockMonitor, which keeps every resource
 * it registered with the id the mocks returned (@pulumi/pulumi runtime/mocks.js `resources`).
 */
import * as pulumi from "@pulumi/pulumi";

/** Set on a `Mocks` object whose ids must pass every check, as this package's own offline plan does (cli/mockRun.ts). */
export const STRICT_IDS = Symbol.for("webrtc-firewall.strictIds");

interface MockMonitorShape {
    mocks?: { newResource?: unknown; [STRICT_IDS]?: boolean };
    resources?: Map<string, { urn?: string; id?: string | null }>;
}

/** The runtime's monitor when it is the SDK's MockMonitor (unit tests, and this package's offline plan). */
function mockMonitor(): MockMonitorShape | undefined {
    const monitor = pulumi.runtime.getMonitor() as MockMonitorShape | undefined;
    return monitor?.resources instanceof Map && typeof monitor.mocks?.newResource === "function" ? monitor : undefined;
}

/** True when the program runs under Pulumi's mocks: there is no engine whose update could fail. */
export const isMocking = (): boolean => mockMonitor() !== undefined;

/** The type token of a URN (`urn:pulumi:stack::project::parent$type::name`). */
const typeOfUrn = (urn: string) => (urn.split("::")[2] ?? "").split("$").pop();

/**
 * True when the program runs under a consumer's mocks and one of them returned `value` as the id of a
 * resource (of `type`, when given: a security group for a group source, say).
 */
export function isMockIssuedId(value: string, type?: string): boolean {
    const monitor = mockMonitor();
    if (!monitor?.resources || monitor.mocks?.[STRICT_IDS]) return false;
    for (const resource of monitor.resources.values())
        if (resource.id === value && (type === undefined || typeOfUrn(resource.urn ?? "") === type)) return true;
    return false;
}
