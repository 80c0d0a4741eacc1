/**
 * The `%YAML` directive as Go's yaml.v3 takes it (Pulumi's stack files, LiveKit's and compose's
 * configs): `%YAML 1.1` is accepted and changes nothing (its resolver is the same under it), any other
 * version is refused ("found incompatible YAML document", parserc.go). Readers here parse with the
 * core schema so the directive cannot change a value either, and refuse what yaml.v3 refuses.
 */
import type { Document } from "yaml";

/** Why yaml.v3 would refuse this document's directive, or undefined. */
export function directiveProblem(doc: Document): string | undefined {
    const unsupported = doc.warnings.find((w) => /Unsupported YAML version/.test(w.message));
    const version = doc.directives?.yaml;
    const written = unsupported ? /version (\S+)/.exec(unsupported.message)?.[1] : version?.explicit ? version.version : undefined;
    if (written === undefined || (!unsupported && written === "1.1")) return undefined;
    return (
        `starts with %YAML ${written}, which Go's YAML reader (yaml.v3, as Pulumi and the media servers ` +
        `use it) refuses as "found incompatible YAML document"; remove the directive or write %YAML 1.1`
    );
}
