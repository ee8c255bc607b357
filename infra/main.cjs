// @ts-check
// Pulumi.yaml's `main`: what `pulumi preview` and `pulumi up` run (Pulumi's Node host, through
// @pulumi/pulumi's cmd/run, with the runtime option `typescript: false`). The program is
// infra/index.ts; it is loaded as one JavaScript bundle of the project's own sources
// (tools/launch.mjs ensureModuleBundle: rebuilt whenever a source changes, compared by content,
// so a stale bundle never runs), not through ts-node: TypeScript is neither loaded nor run here.
// Type checking belongs to `npm test` and CI (`npm run typecheck` before an `up` from a laptop).
"use strict";
const nodeModule = require("node:module");
const { join } = require("node:path");
const { mapBundleStacks } = require("./bundle-stacks.cjs");

const root = join(__dirname, "..");

module.exports = async () => {
  /** @type {{ ensureModuleBundle: (name: string, entry: string, root?: string) => Promise<string>, ensureBotBundle: (root?: string) => Promise<string> }} */
  const launcher = await import("../tools/launch.mjs");
  const bundle = await launcher.ensureModuleBundle("program", "infra/index.ts", root);
  // The release bot's function, which a stack's ReleaseBot uploads: current with its sources.
  await launcher.ensureBotBundle(root);
  // Stack traces, and the source positions Pulumi reads from them, name the .ts files.
  mapBundleStacks(bundle);
  // Node 22.1+ keeps compiled code between runs (the providers' modules and the bundle).
  nodeModule.enableCompileCache?.(join(root, ".bundles", "compile-cache"));
  /** @type {() => unknown} */
  const program = require(bundle);
  return program();
};
