/**
 * mocha's spec reporter, plus each test file's time once at the end (slowest first) and the plain
 * closing line `N passed, N failed` that CI reads whatever the runner.
 */
const Mocha = require("mocha");
const path = require("node:path");

const { EVENT_SUITE_BEGIN, EVENT_SUITE_END, EVENT_RUN_END } = Mocha.Runner.constants;

class TimedSpec extends Mocha.reporters.Spec {
    constructor(runner, options) {
        super(runner, options);
        const started = new Map();
        const times = new Map();
        runner.on(EVENT_SUITE_BEGIN, (suite) => {
            if (suite.file && suite.parent?.root) started.set(suite, Date.now());
        });
        runner.on(EVENT_SUITE_END, (suite) => {
            if (started.has(suite)) times.set(suite.file, (times.get(suite.file) ?? 0) + Date.now() - started.get(suite));
        });
        runner.once(EVENT_RUN_END, () => {
            const rows = [...times].sort((a, b) => b[1] - a[1]);
            console.log("\nTime per test file, slowest first:");
            for (const [file, ms] of rows) console.log(`  ${(ms / 1000).toFixed(1).padStart(7)} s  ${path.relative(process.cwd(), file)}`);
            const { passes, failures, pending } = this.stats;
            console.log(`\n${passes} passed, ${failures} failed${pending ? `, ${pending} skipped` : ""}`);
        });
    }
}

module.exports = TimedSpec;
