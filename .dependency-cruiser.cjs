/**
 * The layers of src/, lowest first; a folder may import only from its own layer and the ones below.
 * `npm run lint` runs this (dependency-cruiser), so a circle or an import back up fails the tests.
 */
const LAYERS = [
    ["contract"],
    ["sources"],
    ["plan"],
    ["hosts"],
    ["clouds"],
    ["pipeline", "update"],
    ["component", "verify"],
    ["stack", "provider", "policy", "cli"],
];

const layerOf = (folder) => LAYERS.findIndex((layer) => layer.includes(folder));
const above = (folder) => LAYERS.slice(layerOf(folder) + 1).flat();

module.exports = {
    forbidden: [
        { name: "no-circular", severity: "error", comment: "an import circle", from: { path: "^src" }, to: { circular: true } },
        ...LAYERS.flat().map((folder) => ({
            name: `no-upward-from-${folder}`,
            severity: "error",
            comment: `src/${folder} may not import a higher layer (${above(folder).join(", ") || "none"})`,
            from: { path: `^src/${folder}/` },
            to: { path: `^src/(${above(folder).join("|") || "$^"})/` },
        })),
        {
            name: "one-cloud-per-folder",
            severity: "error",
            comment: "a cloud's folder imports no other cloud's folder (shared pieces go below clouds/)",
            from: { path: "^src/clouds/([^/]+)/" },
            to: { path: "^src/clouds/([^/]+)/", pathNot: "^src/clouds/$1/" },
        },
    ],
    options: {
        doNotFollow: { path: "node_modules" },
        tsPreCompilationDeps: true,
        tsConfig: { fileName: "tsconfig.json" },
    },
};
