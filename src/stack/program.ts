/** The stack program: one WebRtcFirewall from the stack config. `pulumi up` and `npm run plan` both run it. */
import * as pulumi from "@pulumi/pulumi";
import { definedOutputs, WebRtcFirewall, type WebRtcFirewallArgs } from "../component/component";
import { ConfigError } from "../contract/problems";
import { validateConfig } from "../pipeline/validate";
import * as fs from "node:fs";
import * as path from "node:path";
import { CONFIG_NAMESPACE, findProject } from "../sources/project";
import { locateInStackFile } from "../sources/stackFile";
import { misspelledNamespaces, readStackConfig } from "./settings";

export const STACK_COMPONENT_NAME = "webrtc-firewall";

/** Keys of this namespace set with `pulumi config set --secret` (PULUMI_CONFIG_SECRET_KEYS). */
function secretKeys(): string[] {
    const runtime = pulumi.runtime as unknown as { isConfigSecret?: (key: string) => boolean };
    return Object.keys(pulumi.runtime.allConfig()).filter((key) => key.startsWith(`${CONFIG_NAMESPACE}:`) && runtime.isConfigSecret?.(key));
}

/** The running stack's settings file, as the Pulumi CLI finds it from the project folder it runs the program in. */
function stackFile(): { file: string; display: string } | undefined {
    const project = findProject(process.cwd());
    const file = project && path.join(project.stacksDir, `Pulumi.${pulumi.getStack()}.yaml`);
    return file && fs.existsSync(file) ? { file, display: path.relative(project.dir, file) } : undefined;
}

/** `settingsFile`: the file the settings came from (the offline plan's); else the running stack's, found as the CLI finds it. */
export function main(settingsFile?: { file: string; display: string }): WebRtcFirewall {
    try {
        return firewallFromSettings();
    } catch (err) {
        const found = ConfigError.isInstance(err) ? (settingsFile ?? stackFile()) : undefined;
        throw found ? new ConfigError(locateInStackFile((err as ConfigError).problems, found.file, found.display)) : err;
    }
}

function firewallFromSettings(): WebRtcFirewall {
    const args = readStackConfig() as unknown as WebRtcFirewallArgs;
    const misspelled = misspelledNamespaces();
    // Every problem at once: the misspelled keys with whatever else the settings have.
    if (misspelled.length) throw new ConfigError([...misspelled, ...validateConfig(args).problems]);
    // A secret setting makes everything derived from it secret, as Pulumi does for Output values.
    const secret = secretKeys().length > 0;
    return new WebRtcFirewall(STACK_COMPONENT_NAME, secret ? { ...args, secret } : args);
}

/** The stack outputs: the rules, the warnings, and the ids the chosen cloud has (never an undefined one). */
export const stackOutputs = definedOutputs;
