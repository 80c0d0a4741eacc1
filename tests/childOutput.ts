/**
 * The most output a test reads from one child process. Node's default (1 MiB) is passed by output that
 * grows with the checkout's path (`tsc --listFiles` over an SDK's declarations lists every absolute path),
 * and a child past it ends with status null: every child whose output is read gets this bound instead.
 */
export const CHILD_OUTPUT_MAX = 512 * 1024 * 1024;
