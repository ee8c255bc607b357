// @ts-check
// node tools/ci/parallel.mjs [--live "COMMAND"] "COMMAND"...: runs the commands at once, prints
// each one's output when it ends (the `--live` one's as it comes), and exits non-zero when any
// failed. `npm test` runs the type check, the linters and the test suite side by side: the first
// two are single-threaded and the suite leaves a core idle for part of its run (workers waiting on
// the processes their tests start), so together they finish sooner than one after the other.
// Portable where `a & b; wait` is not (Windows).
import { spawn } from "node:child_process";

const args = process.argv.slice(2);
const liveAt = args.indexOf("--live");
const live = liveAt >= 0 ? args.splice(liveAt, 2)[1] : undefined;

/** Runs one command; resolves with its exit code. */
function run(command, streamed) {
  return new Promise((resolve) => {
    const child = spawn(command, { shell: true, stdio: ["ignore", streamed ? "inherit" : "pipe", streamed ? "inherit" : "pipe"] });
    let output = "";
    child.stdout?.on("data", (d) => (output += d));
    child.stderr?.on("data", (d) => (output += d));
    child.on("close", (code) => {
      process.stdout.write(`> ${command} (exit ${code})\n${output}`);
      resolve(code);
    });
  });
}

const results = await Promise.all([...(live ? [run(live, true)] : []), ...args.map((command) => run(command, false))]);
process.exitCode = results.every((code) => code === 0) ? 0 : 1;
