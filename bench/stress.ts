/** One stress plan in a fresh process, so its peak memory is its own. Prints JSON. */
import { stressArgs, timedPlan } from "./common";

console.warn = () => undefined;
const cloud = process.argv[2]!;
timedPlan(stressArgs(cloud)).then(({ resources, rules, ms }) => {
    const adminCidrs = (stressArgs(cloud).adminCidrs as string[]).length;
    process.stdout.write(
        JSON.stringify({
            cloud,
            adminCidrs,
            resources: resources.length,
            rules,
            ms: Math.round(ms),
            peakMB: Math.round(process.resourceUsage().maxRSS / 1024),
        }) + "\n",
    );
    process.exit(0);
});
