/**
 * Host firewalls and golden files: what each platform would get, per preset, under tests/regression/<platform>/
 * (WRF_UPDATE_GOLDEN=1 rewrites them, so a change to what deploys shows as a diff). The nftables rulesets
 * pass `nft -c` and the ufw commands pass `ufw --dry-run`: the real tools' own parsers.
 */
import { PRESET_NAMES } from "../../src/contract/types";
import { CLOUDS } from "../../src/clouds/registry";
import { validateConfig } from "../../src/pipeline/validate";
import { renderHostFirewalls } from "../../src/hosts";
import { planRules } from "../../src/plan/plan";
import { golden, plan, presetArgs } from "../helpers";

describe("golden files: what each platform gets, per preset", function () {
    this.timeout(60_000);
    for (const preset of PRESET_NAMES) {
        it(preset, async () => {
            for (const cloud of CLOUDS) {
                const { resources } = await plan(presetArgs(preset, cloud), "media");
                golden(cloud, `${preset}.json`, JSON.stringify(resources, null, 2) + "\n");
            }
            const hosts = renderHostFirewalls(planRules(validateConfig(presetArgs(preset)).spec!));
            golden("nftables", `${preset}.nft`, hosts.nftables);
            golden("ufw", `${preset}.sh`, hosts.ufw);
            golden("iptables", `${preset}.sh`, hosts.iptables);
            golden("cloud-init", `${preset}.yaml`, hosts.cloudInit);
        });
    }
});
