import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    // The library as a product team imports it, resolved to its source in this repository.
    alias: { "infra/components": fileURLToPath(new URL("./components/index.ts", import.meta.url)) },
  },
  test: {
    include: ["test/**/*.test.ts"],
    // Pulumi's runtime keeps global state (mocks, config, the root stack): one file per worker
    // process keeps plans of different tests from seeing each other's resources.
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
