// The suite as Stryker runs it for each mutant (npm run test:mutation): everything but the two
// config-mutation files, which plan hundreds of configs (30 s) and would be rerun for every
// mutant of every module they reach. What they prove is also asserted by the loader's and the
// components' own tests, which do run. Nor the package test: it packs a copy of the git tree,
// which Stryker's sandbox (an ignored folder of the repository) is not; nor the API docs test: it
// reads the source's text, which Stryker instruments.
import { defineConfig, mergeConfig } from "vitest/config";
import base from "./vitest.config.mts";

export default mergeConfig(
  base,
  defineConfig({ test: { exclude: ["test/stacks/config-mutations-*.test.ts", "test/package/**", "test/docs/api.test.ts", "node_modules/**"] } }),
);
