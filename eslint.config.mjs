// Lint rules: the recommended sets, typed, plus the two that matter most in Pulumi code:
// no `any` (inputs must stay typed) and no floating promises (an un-awaited promise in a
// program silently drops an error).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "dist/",
      "coverage/",
      ".bundles/",
      "reports/",
      ".stryker-tmp/",
      "**/*.mjs",
      "**/*.cjs",
      "**/*.mts",
      "test/offline-plan/projects/**/*.js",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: ["./tsconfig.check.json"], tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
);
