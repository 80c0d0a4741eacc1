// typescript-eslint's recommended type-checked rules over src/, tests/ and bench/.
// Off for now, with their counts when the linter arrived (issue 30): the unsafe-any family reads
// provider inputs and policy props typed `any` on purpose (404 in src/policy, cli/table and the
// evaluators); no-require-imports flags the deliberate lazy SDK loads (32); no-unnecessary-type-
// assertion (312) waits for an `eslint --fix` pass of its own, reviewed, not folded into a move.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["dist/", "node_modules/", "reports/", ".stryker-tmp/", ".scratch/", "**/*.js", "**/*.cjs", "**/*.mjs", "policy-pack/"] },
    js.configs.recommended,
    ...tseslint.configs.recommendedTypeChecked,
    {
        languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
        rules: {
            "@typescript-eslint/no-unsafe-member-access": "off",
            "@typescript-eslint/no-unsafe-assignment": "off",
            "@typescript-eslint/no-unsafe-call": "off",
            "@typescript-eslint/no-unsafe-argument": "off",
            "@typescript-eslint/no-unsafe-return": "off",
            "@typescript-eslint/no-explicit-any": "off",
            "@typescript-eslint/no-require-imports": "off",
            "@typescript-eslint/no-unnecessary-type-assertion": "off",
            // The rest are findings, kept visible until each is fixed.
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true }],
            "@typescript-eslint/no-base-to-string": "warn",
            "no-regex-spaces": "warn",
            "@typescript-eslint/restrict-template-expressions": "warn",
            "@typescript-eslint/unbound-method": "warn",
            "@typescript-eslint/no-unused-expressions": "warn",
            "@typescript-eslint/no-floating-promises": "warn",
            "prefer-const": "warn",
            "@typescript-eslint/no-redundant-type-constituents": "warn",
            "@typescript-eslint/restrict-plus-operands": "warn",
            "no-control-regex": "warn",
        },
    },
    {
        // contract/lists.ts says why: a list that grows with the input spread into a call overflows the stack.
        files: ["src/**/*.ts"],
        rules: {
            // Prettier keeps code at 140 columns but never splits a string; this keeps the strings there too.
            "max-len": ["error", { code: 140, ignoreUrls: true }],
            "no-restricted-syntax": [
                "error",
                {
                    selector: "CallExpression > SpreadElement",
                    message: "spread into a call overflows at large inputs; use append() or maxOf() from contract/lists.ts",
                },
                {
                    selector: "NewExpression > SpreadElement",
                    message: "spread into a call overflows at large inputs; build the list first",
                },
            ],
        },
    },
);
