/**
 * The plugin entry Pulumi starts for `pulumi package add` (PulumiPlugin.yaml, `runtime: nodejs`). The
 * nodejs host runs `@pulumi/pulumi/cmd/run-plugin <plugin folder> <engine address>`, which `require`s the
 * folder, so Node takes package.json `main` (this file; `exports` serves `import "webrtc-firewall"`).
 * A module exporting a ComponentResource class would be hosted by the experimental type analyzer,
 * which type-checks the package at every launch; a function is called instead
 * (`cmd/run-plugin/run.js`), so this exports one and serves the schema written in schema.ts.
 */
import { main } from "@pulumi/pulumi/provider";
import { WebRtcFirewallProvider } from "./provider";

// run-plugin sets process.argv to [node, run-plugin, ...args after the folder]: the engine address first.
export = (): Promise<void> => main(new WebRtcFirewallProvider(), process.argv.slice(2));
