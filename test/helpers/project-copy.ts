import { cpSync, mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureBundle } from "../../tools/launch.mjs";
import { ROOT } from "./plan";

const SOURCES = ["infra", "stacks", "components", "tools", "package.json", "package-lock.json", "Pulumi.yaml"];

/**
 * A copy of the project in a temporary folder, for a test that edits it or runs git in it: the
 * sources, the given stack files, this checkout's node_modules, and the tools' bundles (built
 * here first if needed: the copy's sources are the same, so its launcher finds them current).
 */
export async function copyProject(stackFiles: readonly string[], tools: readonly string[] = ["plan"]): Promise<string> {
  for (const tool of tools) await ensureBundle(tool);
  const dir = mkdtempSync(join(tmpdir(), "project-"));
  for (const entry of [...SOURCES, ...stackFiles]) cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  cpSync(join(ROOT, ".plan"), join(dir, ".plan"), { recursive: true, filter: (source) => !source.includes("compile-cache") });
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  return dir;
}
