import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/plan";

const exec = promisify(execFile);
const SCRIPT = join(ROOT, "tools", "ci", "parallel.mjs");

/** Runs parallel.mjs as `npm test` does; its exit code and output whether it failed or not. */
function parallel(args: string[]): Promise<{ code: number; stdout: string }> {
  // A deadlock (the commands run one after the other) is killed rather than left behind.
  return exec(process.execPath, [SCRIPT, ...args], { timeout: 15_000 }).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
  );
}

describe("tools/ci/parallel.mjs (npm test's runner)", () => {
  it("runs the commands at once, prints each one's output whole under its name, and exits 0 when all pass", async () => {
    // Each waits for the other's file: run one after the other, they would never end.
    const a = "touch a.flag; while [ ! -e b.flag ]; do sleep 0.05; done; echo from a";
    const b = "touch b.flag; while [ ! -e a.flag ]; do sleep 0.05; done; echo from b";
    const dir = mkdtempSync(join(tmpdir(), "parallel-"));
    const { code, stdout } = await parallel([`cd ${dir} && ${a}`, `cd ${dir} && ${b}`]);
    expect(code).toBe(0);
    expect(stdout).toContain("from a\n");
    expect(stdout).toContain("from b\n");
    expect(stdout).toMatch(/> cd .* \(exit 0\)\n/);
  }, 20_000);

  it("exits 1 when any command fails, after every one has finished, and says which", async () => {
    const { code, stdout } = await parallel(["sh -c 'echo broken; exit 3'", "sleep 0.3; echo done"]);
    expect(code).toBe(1);
    expect(stdout).toContain("> sh -c 'echo broken; exit 3' (exit 3)\nbroken\n");
    expect(stdout).toContain("> sleep 0.3; echo done (exit 0)\ndone\n");
  });
});
