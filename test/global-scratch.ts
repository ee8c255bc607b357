// One scratch folder per test run, removed at the end whatever the outcome: every temporary
// folder the tests make (a project copy, a stand-in AWS, a package install) goes under it, and so
// do those of the commands they start, because TMPDIR is inherited by the test workers and by
// their child processes. A failed or interrupted test can no longer leave a project copy behind
// to fill the disk (a CI run once failed with ENOSPC after earlier runs had done just that).
// A run that never reached its teardown (interrupted, or a Stryker runner, which skips it) is
// cleaned by the next: the folder's name carries its run's process id.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const PREFIX = "infra-tests-";

/** Whether a process of this id still runs. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Removes the scratch folders of runs whose process is gone. */
export function removeAbandoned(dir: string): void {
  for (const name of readdirSync(dir)) {
    const pid = Number(/^infra-tests-(\d+)-/.exec(name)?.[1]);
    if (pid && pid !== process.pid && !alive(pid)) rmSync(join(dir, name), { recursive: true, force: true });
  }
}

export default function setup(): () => void {
  removeAbandoned(tmpdir());
  const scratch = mkdtempSync(join(tmpdir(), `${PREFIX}${process.pid}-`));
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
