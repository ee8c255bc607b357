import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { ensureModuleBundle } from "../../tools/launch.mjs";
import { ROOT } from "../helpers/plan";

const run = promisify(execFile);
const root = mkdtempSync(join(tmpdir(), "bundle-stacks-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// A program of two modules, bundled as infra/main.cjs bundles the real one.
mkdirSync(join(root, "infra"));
writeFileSync(
  join(root, "infra", "fail.ts"),
  ["interface Planted { readonly why: string }", "export function fail(planted: Planted): never {", "  throw new Error(planted.why);", "}", ""].join("\n"),
);
writeFileSync(
  join(root, "infra", "index.ts"),
  ['import { fail } from "./fail";', "", 'export const run = (): never => fail({ why: "planted" });', ""].join("\n"),
);

/** Runs `script` in a fresh Node (no test runner's stack handling) with the bundle's stacks mapped; its stdout. */
async function inNode(bundle: string, script: string): Promise<string> {
  const preamble = `const { mapBundleStacks } = require(${JSON.stringify(join(ROOT, "infra", "bundle-stacks.cjs"))}); mapBundleStacks(${JSON.stringify(bundle)}); const bundle = require(${JSON.stringify(bundle)});`;
  const { stdout } = await run(join(ROOT, "node_modules/.bin/node"), ["-e", `${preamble}\n${script}`], { cwd: ROOT });
  return stdout;
}

describe("infra/bundle-stacks.cjs: the program's stack traces name its TypeScript sources", () => {
  it("maps a frame of the bundle to the .ts file, line and column, in the shape Pulumi reads source positions from", async () => {
    const bundle = await ensureModuleBundle("program", "infra/index.ts", root, join(root, ".bundles"));
    const stdout = await inNode(
      bundle,
      `try { bundle.run(); } catch (error) {
        const frames = error.stack.split("\\n");
        const { Resource } = require("@pulumi/pulumi");
        console.log(JSON.stringify({ head: frames[0], frames: frames.slice(1, 3), position: Resource.framePositionRegExp.exec(frames[1]).groups }));
      }`,
    );
    const { head, frames, position } = JSON.parse(stdout) as { head: string; frames: string[]; position: Record<string, string> };
    expect(head).toBe("Error: planted");
    expect(frames).toEqual([`    at fail (${join(root, "infra", "fail.ts")}:3:9)`, `    at Object.run (${join(root, "infra", "index.ts")}:3:33)`]);
    expect(position).toEqual({ file: join(root, "infra", "fail.ts"), line: "3", column: "9" });
  });

  it("leaves every frame outside the bundle as V8 writes it", async () => {
    const bundle = await ensureModuleBundle("program", "infra/index.ts", root, join(root, ".bundles"));
    const stdout = await inNode(
      bundle,
      `function outside() { return new Error("outside"); }
      // Both taken at one call site: mapped first, then with V8's own formatting.
      const [mapped, v8] = [true, false].map((mapping) => { if (!mapping) delete Error.prepareStackTrace; return outside().stack; });
      console.log(JSON.stringify({ mapped, v8 }));`,
    );
    const { mapped, v8 } = JSON.parse(stdout) as { mapped: string; v8: string };
    expect(mapped).toBe(v8);
    expect(mapped.split("\n").slice(0, 2)).toEqual(["Error: outside", "    at outside ([eval]:2:29)"]);
  });
});
