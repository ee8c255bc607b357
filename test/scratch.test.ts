import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { basename, dirname } from "node:path";
import { describe, expect, it } from "vitest";

// The guard against a full disk (test/global-scratch.ts): if the global setup is dropped, the
// tests' temporary folders go back to the machine's /tmp and stay there.
describe("the tests' temporary folders", () => {
  it("are made in this run's scratch folder, which the commands the tests start share", () => {
    expect(basename(tmpdir())).toMatch(/^infra-tests-[A-Za-z0-9]{6}$/);
    const child = execFileSync(process.execPath, ["-e", "process.stdout.write(require('node:os').tmpdir())"], { encoding: "utf8" });
    expect(child).toBe(tmpdir());
    expect(dirname(tmpdir())).not.toContain("infra-tests-");
  });
});
