/**
 * The stack program (Pulumi.yaml `main`), at the project root as Pulumi's TypeScript templates keep it,
 * so that the program runs from this folder and ts-node finds tsconfig.json here. Its exports are the
 * stack outputs: only those the chosen cloud has.
 */
import { main, stackOutputs } from "./src/program";

export = stackOutputs(main());
