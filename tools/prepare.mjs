// @ts-check
// npm's `prepare`: builds dist/ (the package's only code) with the project's own TypeScript.
//
// npm runs `prepare` after `npm ci` / `npm install` here, before `npm pack` and `npm publish`, when
// the package is installed from a git URL (after installing its dependencies), and also in a
// folder linked by `npm install <folder>`, where nothing may be installed yet. There, building is
// impossible: say what to do instead of failing on a missing `tsc`.
import { execFileSync } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
let tsc;
try {
  tsc = createRequire(join(root, "package.json")).resolve("typescript/bin/tsc");
} catch {
  const built = existsSync(join(root, "dist", "components", "index.js"));
  process.stderr.write(
    `${root}: the dependencies are not installed here, so dist/ cannot be built${built ? " (the dist/ already there is used as it is)" : ""}.\n` +
      `Run \`npm ci\` in ${root} first, or install the package from a tarball (\`npm pack\` there) or a git URL.\n`,
  );
  process.exit(built ? 0 : 1);
}
// A file removed from the sources must not linger in dist/ and ship.
for (const built of ["components", "release-tool", "release-bot", "offline-plan"]) rmSync(join(root, "dist", built), { recursive: true, force: true });
execFileSync(process.execPath, [tsc, "-p", join(root, "tsconfig.build.json")], { stdio: "inherit" });
// The release bot's function as one ES module: what ReleaseBot uploads (tools/launch.mjs).
const { ensureBotBundle } = await import("./launch.mjs");
await ensureBotBundle(root);
