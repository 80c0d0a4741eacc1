/**
 * The contract's checks over every registered cloud: what the component, the stack program and the CLI
 * call. The contract itself (contract/validate.ts, contract/late.ts) takes the catalogue as an argument,
 * so it never imports a cloud.
 */
import { CATALOGUE } from "../clouds/registry";
import { scanLate as scanLateWith, type LateScan } from "../contract/late";
import type { ServerConfig } from "../contract/types";
import { validateConfig as validateWith, type Validation } from "../contract/validate";

/** config → validated spec, or every problem at once; `servers` are the media servers' own configs, already read. */
export function validateConfig(raw: unknown, servers: ServerConfig[] = []): Validation {
    return validateWith(raw, servers, CATALOGUE);
}

/** Replaces every Output and Promise in `args` by a marker; one where a plain value must be is a problem. */
export function scanLate(args: unknown): LateScan {
    return scanLateWith(args, CATALOGUE.inputPaths);
}
