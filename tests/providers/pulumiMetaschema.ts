/**
 * The rules of Pulumi's package metaschema that a component package's schema meets, written as a JSON
 * Schema (draft 2020-12, checked with ajv) from pulumi/pulumi `pkg/codegen/schema/pulumi.json`: the
 * package `name` and `version` patterns, the `token` pattern of every type and resource key, `typeSpec`
 * (exactly one of primitive, array with `items`, map, `$ref`, or `oneOf` union), `complexTypeSpec`
 * (an object type with `properties`, or an enum of `{name, value, description}` with a primitive
 * `type`), `resourceSpec` (`isComponent`, `inputProperties`, `requiredInputs`, `properties`,
 * `required`), and no keys the metaschema does not define where it says `additionalProperties: false`.
 * Then what the metaschema cannot say (pkg/codegen/schema/bind.go does): every `$ref` resolves, and
 * every required name is a property. Not copied: the metaschema itself stays in pulumi/pulumi.
 */
import Ajv2020 from "ajv/dist/2020";

const SEMVER = "^v?(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?$";
const TOKEN = "^[a-zA-Z][-a-zA-Z0-9_]*:([^0-9][a-zA-Z0-9._/-]*)?:[^0-9][a-zA-Z0-9._/-]*$";

const RULES = {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    type: "object",
    required: ["name"],
    additionalProperties: false,
    properties: {
        name: { type: "string", pattern: "^[a-zA-Z][-a-zA-Z0-9_]*$" },
        displayName: { type: "string" },
        version: { type: "string", pattern: SEMVER },
        description: { type: "string" },
        keywords: { type: "array", items: { type: "string" } },
        homepage: { type: "string" },
        license: { type: "string" },
        repository: { type: "string" },
        publisher: { type: "string" },
        types: { type: "object", propertyNames: { pattern: TOKEN }, additionalProperties: { $ref: "#/$defs/complexType" } },
        resources: { type: "object", propertyNames: { pattern: TOKEN }, additionalProperties: { $ref: "#/$defs/resource" } },
        language: { type: "object" },
    },
    $defs: {
        typeSpec: {
            type: "object",
            oneOf: [
                {
                    required: ["type"],
                    properties: {
                        type: { enum: ["boolean", "integer", "number", "string"] },
                        items: false,
                        additionalProperties: false,
                        oneOf: false,
                        $ref: false,
                    },
                },
                {
                    required: ["type", "items"],
                    properties: {
                        type: { const: "array" },
                        items: { $ref: "#/$defs/typeSpec" },
                        additionalProperties: false,
                        oneOf: false,
                        $ref: false,
                    },
                },
                {
                    required: ["type"],
                    properties: {
                        type: { const: "object" },
                        additionalProperties: { $ref: "#/$defs/typeSpec" },
                        items: false,
                        oneOf: false,
                        $ref: false,
                    },
                },
                {
                    required: ["$ref"],
                    properties: {
                        type: { type: "string" },
                        $ref: { type: "string" },
                        items: false,
                        additionalProperties: false,
                        oneOf: false,
                    },
                },
                {
                    required: ["oneOf"],
                    properties: {
                        type: { type: "string" },
                        oneOf: { type: "array", minItems: 2, items: { $ref: "#/$defs/typeSpec" } },
                        items: false,
                        additionalProperties: false,
                        $ref: false,
                    },
                },
            ],
        },
        property: {
            allOf: [{ $ref: "#/$defs/typeSpec" }],
            properties: {
                description: { type: "string" },
                plain: { type: "boolean" },
                secret: { type: "boolean" },
                willReplaceOnChanges: { type: "boolean" },
                deprecationMessage: { type: "string" },
            },
        },
        properties: { type: "object", additionalProperties: { $ref: "#/$defs/property" } },
        complexType: {
            type: "object",
            required: ["type"],
            properties: {
                type: { enum: ["object", "boolean", "integer", "number", "string"] },
                description: { type: "string" },
                properties: { $ref: "#/$defs/properties" },
                required: { type: "array", items: { type: "string" } },
                enum: {
                    type: "array",
                    items: {
                        type: "object",
                        required: ["value"],
                        additionalProperties: false,
                        properties: {
                            name: { type: "string" },
                            value: {},
                            description: { type: "string" },
                            deprecationMessage: { type: "string" },
                        },
                    },
                },
            },
            additionalProperties: false,
        },
        resource: {
            type: "object",
            additionalProperties: false,
            properties: {
                description: { type: "string" },
                isComponent: { type: "boolean" },
                inputProperties: { $ref: "#/$defs/properties" },
                requiredInputs: { type: "array", items: { type: "string" } },
                properties: { $ref: "#/$defs/properties" },
                required: { type: "array", items: { type: "string" } },
            },
        },
    },
};

const validate = new Ajv2020({ allErrors: true, strict: false }).compile(RULES);

/** Every problem with `schema` as a line; none when it meets the rules above. */
export function metaschemaProblems(schema: Record<string, any>): string[] {
    const problems = validate(schema) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "/"}: ${e.message}`);
    const refs: string[] = [];
    const walk = (v: unknown, at: string) => {
        if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${at}/${i}`));
        else if (v && typeof v === "object")
            for (const [k, x] of Object.entries(v)) k === "$ref" ? refs.push(`${at}: ${String(x)}`) : walk(x, `${at}/${k}`);
    };
    walk(schema, "");
    for (const r of refs) {
        const target = r.slice(r.indexOf(": ") + 2);
        if (!target.startsWith("#/types/") || !(target.slice("#/types/".length) in (schema.types ?? {})))
            problems.push(`${r.split(": ")[0]}: $ref ${target} does not resolve`);
    }
    const requiredOf = (where: string, props: Record<string, unknown> | undefined, required: string[] | undefined) => {
        for (const name of required ?? []) if (!props || !(name in props)) problems.push(`${where}: required "${name}" is not a property`);
    };
    for (const [token, type] of Object.entries(schema.types ?? {}) as [string, any][])
        requiredOf(`/types/${token}`, type.properties, type.required);
    for (const [token, res] of Object.entries(schema.resources ?? {}) as [string, any][]) {
        requiredOf(`/resources/${token} inputs`, res.inputProperties, res.requiredInputs);
        requiredOf(`/resources/${token} outputs`, res.properties, res.required);
    }
    return problems;
}
