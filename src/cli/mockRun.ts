/**
 * Runs the stack program under Pulumi's mocks and records every registered resource with its
 * inputs as the engine receives them. No credentials, no CLI, no network.
 */
import * as pulumi from "@pulumi/pulumi";
import type { RecordedResource } from "../clouds/cloud";
import type { WebRtcFirewall } from "../component/component";
import { CONFIG_NAMESPACE } from "../sources/project";
import { STRICT_IDS } from "../contract/mockIds";

export type { RecordedResource };

/** Parent URN of each registered resource, by logical name (not part of the JSON plan). */
export const parentOf = new Map<string, string>();

/** Provider reference of each registered resource, by logical name ("" for the default provider). */
export const providerOf = new Map<string, string>();

/** The mocks don't pass the parent to newResource; read it (and the provider) off the registration request. */
function recordParents(): void {
    parentOf.clear();
    providerOf.clear();
    const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource: (req: any, cb: any) => void } | undefined;
    if (!monitor) return;
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, cb) => {
        parentOf.set(req.getName(), req.getParent());
        providerOf.set(req.getName(), req.getProvider());
        register(req, cb);
    };
}

export interface MockRun {
    resources: RecordedResource[];
    firewall: WebRtcFirewall;
}

/** Starts a fresh mock engine that records registrations; returns the list it fills. */
export function installRecordingMocks(config: Record<string, string>, stack = "plan", preview = false): RecordedResource[] {
    const resources: RecordedResource[] = [];
    pulumi.runtime.setAllConfig(config);
    void pulumi.runtime.setMocks(
        {
            newResource: (args) => {
                resources.push({ type: args.type, name: args.name, inputs: args.inputs });
                // Stand in for the provider: an id, and an auto-name like Pulumi's `<logical>-<random>`.
                const state =
                    args.custom && args.inputs.name === undefined ? { ...args.inputs, name: `${args.name}-0000000` } : args.inputs;
                return { id: args.custom ? `${args.name}-id` : undefined, state };
            },
            // A lookup (an existing group by name) stands in as found, with an id made like a resource's.
            call: (args) => ({ id: `${String(args.inputs.name ?? args.token)}-id` }),
            // The offline plan is what deploys: its made-up ids get no leniency (contract/mockIds.ts).
            [STRICT_IDS]: true,
        } as pulumi.runtime.Mocks,
        CONFIG_NAMESPACE,
        stack,
        preview,
    );
    recordParents();
    return resources;
}

/** Waits until every registration the program started has reached the mock engine. */
export async function settle(firewall: pulumi.Resource): Promise<void> {
    await new Promise<void>((resolve) => firewall.urn.apply(() => resolve()));
    const runtime = pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> };
    await runtime.waitForRPCs?.();
}

/** True for this package's own component resources, as opposed to cloud resources. */
export function isComponent(resource: RecordedResource): boolean {
    return resource.type.startsWith("webrtc-firewall:");
}

/** Registration order is asynchronous; the plan lists components first, then by type and name. */
export function sortResources(resources: RecordedResource[]): RecordedResource[] {
    const rank = (r: RecordedResource) => (isComponent(r) ? 0 : 1);
    return resources.sort(
        (a, b) => rank(a) - rank(b) || (a.type < b.type ? -1 : a.type > b.type ? 1 : a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    );
}

/** Runs `program` (the stack program's main) with `config` and returns what it registered. */
export async function runWithMocks(config: Record<string, string>, program: () => WebRtcFirewall, stack?: string): Promise<MockRun> {
    const resources = installRecordingMocks(config, stack);
    const firewall = program();
    await settle(firewall);
    return { resources: sortResources(resources), firewall };
}
