// The suite as Stryker runs it for each mutant (npm run test:mutation): everything but the two
// config-mutation files, which plan hundreds of configs (30 s) and would be rerun for every
// mutant of every module they reach. What they prove is also asserted by the loader's and the
// components' own tests, which do run. Nor the package test: it packs a copy of the git tree,
// which Stryker's sandbox (an ignored folder of the repository) is not; nor the API docs test: it
// reads the source's text, which Stryker instruments.
//
// MUTATION_TESTS=config (npm run test:mutation:config): the config schema's own tests only
// (test/infra, but the entry test that starts the program). The schemas are built when their
// module loads, so Stryker runs every test covering the loader for each of their mutants: the
// whole suite, about 17 s a mutant, where these take 5. A mutant only a stack test would kill
// counts as surviving there: the score is a floor.
//
// MUTATION_TESTS=release (npm run test:mutation:release): the release tool's in-process tests
// (test/components/deploy). Its command-line tests run the bundled tool in a child process,
// which Stryker's active mutant does not reach, and its schemas (target.ts, workload.ts) are built
// at load, which would run the whole suite per mutant. A floor too: survivors are planted again by
// hand against every test.
import { defineConfig } from "vitest/config";
import base from "./vitest.config.mts";

const scopes: Record<string, string[]> = {
  config: ["test/infra/*.test.ts"],
  release: ["test/components/deploy/*.test.ts"],
};
const scope = process.env.MUTATION_TESTS;
if (scope !== undefined && !(scope in scopes)) {
  throw new Error(`MUTATION_TESTS=${scope}: not a scope of the mutation run (one of ${Object.keys(scopes).join(", ")}, or unset for the whole suite)`);
}
const configOnly = scope === "config";

// Spread rather than merged: Vitest's mergeConfig would append to the base's include, not replace it.
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: scope === undefined ? base.test?.include : scopes[scope],
    exclude: [
      "test/stacks/config-mutations-*.test.ts",
      "test/package/**",
      "test/docs/api.test.ts",
      "node_modules/**",
      ...(configOnly ? ["test/infra/entry.test.ts"] : []),
    ],
  },
});
