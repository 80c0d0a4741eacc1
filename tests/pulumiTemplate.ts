/**
 * Pulumi's TypeScript template's tsconfig.json (pulumi/templates `aws-typescript/tsconfig.json`): strict, CommonJS,
 * and no `skipLibCheck`, so a consumer's compile reads every declaration a package publishes. The bench's minimal
 * program and the consumer tests compile with it.
 */
export const PULUMI_TEMPLATE_COMPILER_OPTIONS = {
    strict: true,
    outDir: "bin",
    target: "es2020",
    module: "commonjs",
    moduleResolution: "node",
    sourceMap: true,
    experimentalDecorators: true,
    pretty: true,
    noFallthroughCasesInSwitch: true,
    noImplicitReturns: true,
    forceConsistentCasingInFileNames: true,
} as const;
