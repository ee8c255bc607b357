// npm run test:mutation: mutation testing of the modules that carry the invariants (not in CI:
// it runs the related tests once per mutant). Reports per file in reports/mutation/.
/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  vitest: { configFile: "vitest.mutation.config.mts" },
  checkers: ["typescript"],
  tsconfigFile: "tsconfig.json",
  coverageAnalysis: "perTest",
  concurrency: 2,
  mutate: [
    "components/batch/definition.ts",
    "components/jobs/job-platform.ts",
    "components/ecs/blue-green-service.ts",
    "components/ecs/task-definition.ts",
    "release-tool/*.ts",
    "!release-tool/cli.ts",
    "infra/config/*.ts",
  ],
  reporters: ["clear-text", "progress", "json"],
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  tempDirName: ".stryker-tmp",
  timeoutMS: 30000,
};
