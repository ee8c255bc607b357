// @ts-check
// node tools/launch.mjs <tool> [args...]   (npm run plan = node --max-semi-space-size=4 tools/launch.mjs plan)
//
// The plan runs with 4 MB semi-spaces (V8's young generation; Node 24 sizes them up to 32 MB):
// a plan allocates many short-lived objects, and the bigger nursery only raised its peak memory
// (prd: 274 MB → 194 MB measured, no slower).
//
// Runs tools/<tool>.ts as one JavaScript bundle instead of transpiling TypeScript on every run: a
// cold `npm run plan` spends its time in the plan, not in loading a compiler. The bundle is
// rebuilt whenever what it is made of changes (every .ts file the project compiles, the lock
// file, this file), compared by content, so a stale bundle never runs. Modules that Pulumi's
// SDK loads eagerly but a plan never calls (TypeScript for closure serialization, npm's package
// tree reader, the Automation API's YAML reader) are left out; calling one throws.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import module, { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const OUT = join(ROOT, ".bundles");
/** The folders of TypeScript the bundles are built from (a copy of the project needs them all). */
export const SOURCES = ["infra", "stacks", "components", "release-tool", "release-bot", "offline-plan", "tools"];
const LEFT_OUT = /^(typescript|@npmcli\/arborist|js-yaml)$/;

/** @param {string} dir @returns {string[]} every .ts file under dir, sorted */
function tsFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []))
    .sort();
}

/** What the bundle is made of, as one hash of paths and contents. */
export function fingerprint(root = ROOT) {
  const hash = createHash("sha256");
  const files = [...SOURCES.flatMap((d) => tsFiles(join(root, d))), join(root, "package-lock.json"), fileURLToPath(import.meta.url)];
  for (const file of files) {
    hash.update(relative(root, file)).update("\0");
    if (existsSync(file)) hash.update(readFileSync(file));
    hash.update("\0");
  }
  return hash.digest("hex");
}

/** Builds tools/<tool>.ts into .bundles/<tool>.cjs unless the bundle there was built from the same sources; returns its path. */
export async function ensureBundle(tool, root = ROOT, out = OUT) {
  return bundleOnce({ name: tool, entry: join(root, "tools", `${tool}.ts`), root, out, packages: "bundle" });
}

/**
 * A module of the project built into .bundles/<name>.cjs as ensureBundle does, but with node_modules
 * left to Node and an inline source map without the sources (stack traces name the .ts files).
 * The program Pulumi runs is one ("program", infra/index.ts: Pulumi's cmd/run has loaded
 * @pulumi/pulumi already, and the program must share that copy, whose settings hold the engine's
 * address).
 * @param {string} name @param {string} entry the module's path, from root
 */
export async function ensureModuleBundle(name, entry, root = ROOT, out = OUT) {
  return bundleOnce({ name, entry: join(root, entry), root, out, packages: "external" });
}

/**
 * @param {{ name: string, entry: string, root: string, out: string, packages: "bundle" | "external" }} what
 * @returns {Promise<string>} the bundle's path
 */
async function bundleOnce({ name, entry, root, out, packages }) {
  const bundle = join(out, `${name}.cjs`);
  const stamp = join(out, `${name}.sha256`);
  const current = fingerprint(root);
  if (existsSync(bundle) && existsSync(stamp) && readFileSync(stamp, "utf8") === current) return bundle;
  const esbuild = await import("esbuild");
  mkdirSync(out, { recursive: true });
  const temporary = `${bundle}.${process.pid}.tmp`;
  await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    outfile: temporary,
    logLevel: "error",
    ...(packages === "external" ? { packages: "external", sourcemap: "inline", sourcesContent: false } : {}),
    plugins: [
      {
        // A module that finds files beside itself (the release tool, say) keeps its own
        // __dirname and __filename in the bundle, not the bundle's.
        name: "own-dirname",
        setup(build) {
          build.onLoad({ filter: /\.ts$/ }, (args) => {
            const source = readFileSync(args.path, "utf8");
            if (args.path.includes("node_modules") || !/__dirname|__filename/.test(source)) return undefined;
            const names = `var __filename = ${JSON.stringify(args.path)}, __dirname = ${JSON.stringify(dirname(args.path))};\n`;
            return { contents: names + source, loader: "ts" };
          });
        },
      },
      ...(packages === "external" ? [] : [leftOut]),
    ],
  });
  // Renamed into place only when complete: a concurrent run sees the old bundle or the new one.
  renameSync(temporary, bundle);
  writeFileSync(stamp, current);
  return bundle;
}

/** The Lambda runtime the release bot's bundle is built for (components/chat/release-bot.ts declares the same). */
export const BOT_NODE_MAJOR = 24;

/**
 * The release bot's function as one ES module with everything it imports (the AWS SDK clients
 * too: the runtime's own copy is whatever version Lambda has that day), at
 * dist/release-bot/index.mjs: what the package ships and what `ReleaseBot` uploads. Rebuilt when
 * its sources change (compared by content, as the tools' bundles are); paths in it are relative
 * to the project, so the same sources make the same bytes on every machine.
 * @returns {Promise<string>} the bundle's path
 */
export async function ensureBotBundle(root = ROOT) {
  const bundle = join(root, "dist", "release-bot", "index.mjs");
  const stamp = join(root, ".bundles", "release-bot.sha256");
  const hash = createHash("sha256");
  for (const file of [...tsFiles(join(root, "release-bot")), join(root, "package-lock.json"), fileURLToPath(import.meta.url)]) {
    hash
      .update(relative(root, file))
      .update("\0")
      .update(existsSync(file) ? readFileSync(file) : "")
      .update("\0");
  }
  const current = hash.digest("hex");
  if (existsSync(bundle) && existsSync(stamp) && readFileSync(stamp, "utf8") === current) return bundle;
  const esbuild = await import("esbuild");
  mkdirSync(dirname(bundle), { recursive: true });
  mkdirSync(dirname(stamp), { recursive: true });
  const temporary = `${bundle}.${process.pid}.tmp`;
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: [join(root, "release-bot", "handler.ts")],
    bundle: true,
    platform: "node",
    format: "esm",
    target: `node${BOT_NODE_MAJOR}`,
    outfile: temporary,
    logLevel: "error",
    legalComments: "none",
    // The SDK's CommonJS modules require Node's own: an ES module has no require of its own.
    banner: { js: 'import { createRequire as __botRequire } from "node:module"; const require = __botRequire(import.meta.url);' },
  });
  renameSync(temporary, bundle);
  writeFileSync(stamp, current);
  return bundle;
}

/** Modules of Pulumi's SDK a tool never calls, replaced by a module that throws when used. @type {import("esbuild").Plugin} */
const leftOut = {
  name: "left-out",
  setup(build) {
    build.onResolve({ filter: LEFT_OUT }, (args) => ({ path: args.path, namespace: "left-out" }));
    build.onLoad({ filter: /.*/, namespace: "left-out" }, (args) => ({
      loader: "js",
      contents: `module.exports = new Proxy({}, { get(_, key) { if (key === "__esModule") return false; throw new Error(${JSON.stringify(`${args.path} is left out of the bundled tools (tools/launch.mjs); run the tool with tsx`)}); } });`,
    }));
  },
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [tool, ...args] = process.argv.slice(2);
  if (!tool || !/^[a-z-]+$/.test(tool) || !existsSync(join(ROOT, "tools", `${tool}.ts`))) {
    process.stderr.write("usage: node tools/launch.mjs <tool> [args...] (a tools/<tool>.ts)\n");
    process.exit(2);
  }
  const bundle = await ensureBundle(tool);
  // A plan (or a tool reading one) may meet a ReleaseBot, which uploads the bot's bundle: current with its sources.
  await ensureBotBundle();
  // Node 22.1+ keeps the bundle's compiled code between runs.
  module.enableCompileCache?.(join(OUT, "compile-cache"));
  process.argv = [process.argv[0] ?? "node", bundle, ...args];
  createRequire(import.meta.url)(bundle);
}
