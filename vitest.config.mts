import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // The library as a product team imports it, resolved to its source in this repository.
    alias: [
      { find: /^@shop-sre\/infra$/, replacement: fileURLToPath(new URL("./components/index.ts", import.meta.url)) },
      { find: /^@shop-sre\/infra\/offline-plan$/, replacement: fileURLToPath(new URL("./offline-plan/index.ts", import.meta.url)) },
      { find: /^@shop-sre\/infra\/(.+)$/, replacement: fileURLToPath(new URL("./components/$1/index.ts", import.meta.url)) },
    ],
  },
  test: {
    include: ["test/**/*.test.ts"],
    // Every temporary folder of a run under one scratch folder, removed at its end.
    globalSetup: ["test/global-scratch.ts", "test/global-bot-bundle.ts"],
    // Worker processes, reused across files: loading Pulumi and the AWS provider once per worker
    // instead of once per file saves a third of the suite. Plans stay apart because every plan
    // resets Pulumi's global state (config, mocks, the root stack) before it runs
    // (offline-plan/record.ts), and tests run one at a time within a worker.
    pool: "forks",
    isolate: false,
    // Every core: Vitest's default leaves one free (one worker on a 2-core CI machine, which
    // doubled the suite's time). The tests are CPU-bound, and the few that start a command wait
    // on it rather than compete with it.
    maxWorkers: "100%",
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
