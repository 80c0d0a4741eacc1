/**
 * The multi-language face: a Pulumi provider whose `construct` builds the same `WebRtcFirewall` the
 * TypeScript component is, from the inputs another language's SDK sent (pulumi/pulumi
 * `sdk/nodejs/provider/server.ts` deserializes them: secrets and unknowns arrive as Outputs, which the
 * component checks like any value from another resource). No second pipeline: the component is it.
 */
import * as pulumi from "@pulumi/pulumi";
import * as provider from "@pulumi/pulumi/provider";
import { definedOutputs, WebRtcFirewall, WEBRTC_FIREWALL_TYPE, type WebRtcFirewallArgs } from "../component/component";
import { ConfigError } from "../contract/problems";
import { packageSchema } from "./schema";

/** The version GetPluginInfo and the schema report: the package's own. */
function packageVersion(): string {
    return (require("../../package.json") as { version: string }).version;
}

/**
 * A top-level input that arrived as one Output although its key must be plain (an SDK without output
 * values sends a property with dependencies or a secret that way): its value, when known, becomes the
 * plain input again, and a secret makes the whole firewall secret, as a secret stack setting does.
 */
async function plainInputs(inputs: pulumi.Inputs): Promise<{ args: Record<string, unknown>; secret: boolean }> {
    const args: Record<string, unknown> = {};
    let secret = false;
    for (const [key, value] of Object.entries(inputs)) {
        if (pulumi.Output.isInstance(value) && key !== "adminCidrs") {
            const output = value as unknown as { isKnown: Promise<boolean>; isSecret: Promise<boolean>; promise(): Promise<unknown> };
            if (await output.isKnown) {
                secret ||= await output.isSecret;
                args[key] = await output.promise();
                continue;
            }
        }
        args[key] = value;
    }
    return { args, secret };
}

export class WebRtcFirewallProvider implements provider.Provider {
    readonly version = packageVersion();
    readonly schema = JSON.stringify(packageSchema(this.version));

    async construct(
        name: string,
        type: string,
        inputs: pulumi.Inputs,
        options: pulumi.ComponentResourceOptions,
    ): Promise<provider.ConstructResult> {
        if (type !== WEBRTC_FIREWALL_TYPE) throw new Error(`unknown resource type ${type}; this package has ${WEBRTC_FIREWALL_TYPE}`);
        const { args, secret } = await plainInputs(inputs);
        let firewall: WebRtcFirewall;
        try {
            firewall = new WebRtcFirewall(name, (secret ? { ...args, secret } : args) as unknown as WebRtcFirewallArgs, options);
        } catch (err) {
            // The engine prints an InputPropertiesError with each property path and reason, as every
            // language's user sees a provider's refusal.
            if (ConfigError.isInstance(err))
                throw new pulumi.InputPropertiesError({
                    message: err.message,
                    errors: err.problems.map((p) => ({ propertyPath: p.path, reason: p.message })),
                });
            throw err;
        }
        // The schema's outputs: the stack's, and the host rulesets.
        const state = {
            ...definedOutputs(firewall),
            nftablesRuleset: firewall.nftablesRuleset,
            ufwCommands: firewall.ufwCommands,
            iptablesScript: firewall.iptablesScript,
            cloudInit: firewall.cloudInit,
        };
        return { urn: firewall.urn, state };
    }
}
