import { cpSync, mkdirSync, mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureBundle, SOURCES as TS_SOURCES } from "../../tools/launch.mjs";
import { ROOT } from "./plan";

const SOURCES = [...TS_SOURCES, "policy", "package.json", "package-lock.json", "Pulumi.yaml", "tsconfig.json"];

/**
 * A copy of the project in a temporary folder, for a test that edits it or runs git in it: the
 * sources, the given stack files, this checkout's node_modules, and the given tools' bundles (built
 * here first if needed: the copy's sources are the same, so its launcher finds them current).
 * Only those bundles: each is some 17 MB, and a copy of every one made each copy 110 MB.
 */
export async function copyProject(stackFiles: readonly string[], tools: readonly string[] = ["plan"]): Promise<string> {
  for (const tool of tools) await ensureBundle(tool);
  const dir = mkdtempSync(join(tmpdir(), "project-"));
  for (const entry of [...SOURCES, ...stackFiles]) cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  mkdirSync(join(dir, ".bundles"));
  for (const tool of tools) {
    for (const file of [`${tool}.cjs`, `${tool}.sha256`]) cpSync(join(ROOT, ".bundles", file), join(dir, ".bundles", file));
  }
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  return dir;
}
