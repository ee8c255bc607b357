// One scratch folder per test run, removed at the end whatever the outcome: every temporary
// folder the tests make (a project copy, a stand-in AWS, a package install) goes under it, and so
// do those of the commands they start, because TMPDIR is inherited by the test workers and by
// their child processes. A failed or interrupted test can no longer leave a project copy behind
// to fill the disk (a CI run once failed with ENOSPC after earlier runs had done just that).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export default function setup(): () => void {
  const scratch = mkdtempSync(join(tmpdir(), "infra-tests-"));
  const previous = { TMPDIR: process.env.TMPDIR, TMP: process.env.TMP, TEMP: process.env.TEMP };
  process.env.TMPDIR = process.env.TMP = process.env.TEMP = scratch;
  return () => {
    rmSync(scratch, { recursive: true, force: true });
    for (const [key, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}
