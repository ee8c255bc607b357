import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { mkdirSync, mkdtempSync, readdirSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { removeAbandoned } from "./global-scratch";

// The guard against a full disk (test/global-scratch.ts): if the global setup is dropped, the
// tests' temporary folders go back to the machine's /tmp and stay there.
describe("the tests' temporary folders", () => {
  it("are made in this run's scratch folder, which the commands the tests start share", () => {
    expect(basename(tmpdir())).toMatch(/^infra-tests-\d+-[A-Za-z0-9]{6}$/);
    const child = execFileSync(process.execPath, ["-e", "process.stdout.write(require('node:os').tmpdir())"], { encoding: "utf8" });
    expect(child).toBe(tmpdir());
    expect(dirname(tmpdir())).not.toContain("infra-tests-");
  });

  it("are cleaned at the next run when a run never reached its teardown (its process is gone)", () => {
    const dir = mkdtempSync(join(tmpdir(), "scratch-"));
    for (const name of ["infra-tests-999999-abcdef", `infra-tests-${process.pid}-abcdef`, "infra-tests-other"]) mkdirSync(join(dir, name));
    removeAbandoned(dir);
    expect(readdirSync(dir).sort()).toEqual([`infra-tests-${process.pid}-abcdef`, "infra-tests-other"]);
  });
});
