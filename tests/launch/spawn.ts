/** What the language host does for every process it starts: find the SDK's entry, clean the env, read the port. */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { CHILD_OUTPUT_MAX } from "../childOutput";

/** `locateModule` (pulumi-language-nodejs main.go): node resolves the module from the program's directory. */
export function locateModule(module: string, programDirectory: string): string {
    const located = spawnSync(process.execPath, ["-e", `console.log(require.resolve(${JSON.stringify(module)}))`], {
        maxBuffer: CHILD_OUTPUT_MAX,
        cwd: programDirectory,
        encoding: "utf8",
    });
    if (located.status !== 0) throw new Error(`locateModule(${module}) failed: ${located.stderr}`);
    return located.stdout.trim();
}

/** The test runner's own hooks (tsx, mocha) and Pulumi settings must not leak into the launched process. */
export function cleanEnv(): Record<string, string> {
    const env = { ...process.env } as Record<string, string>;
    delete env.NODE_OPTIONS;
    for (const key of Object.keys(env)) if (key.startsWith("PULUMI_") || key.startsWith("TSX_")) delete env[key];
    return env;
}

/**
 * Starts a plugin (provider or analyzer) and resolves with its port, the handshake `pkg/resource/plugin/plugin.go`
 * reads: the first line of its stdout.
 */
export async function spawnForPort(
    what: string,
    args: string[],
    cwd: string,
    env: Record<string, string>,
): Promise<{ child: ChildProcess; port: number; stderr: () => string }> {
    const child = spawn(process.execPath, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stderr!.on("data", (d) => (stderr += d));
    const port = await new Promise<number>((resolve, reject) => {
        child.stdout!.on("data", (d) => {
            stdout += d;
            const line = stdout.split("\n")[0]!;
            if (stdout.includes("\n"))
                /^\d+$/.test(line.trim())
                    ? resolve(Number(line))
                    : reject(new Error(`first stdout line is not a port: ${line}\n${stderr}`));
        });
        child.on("exit", (code) => reject(new Error(`${what} exited ${code} before printing its port:\n${stderr}`)));
    });
    return { child, port, stderr: () => stderr };
}
