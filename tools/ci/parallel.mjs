// @ts-check
// node tools/ci/parallel.mjs "COMMAND" "COMMAND"...: runs the commands at once (the type check
// and the linters are single-threaded: side by side they use both cores), prints each one's output
// when it ends, and exits non-zero when any failed. Portable where `a & b; wait` is not (Windows).
import { spawn } from "node:child_process";

const commands = process.argv.slice(2);
const results = await Promise.all(
  commands.map(
    (command) =>
      new Promise((resolve) => {
        const child = spawn(command, { shell: true, stdio: ["ignore", "pipe", "pipe"] });
        let output = "";
        child.stdout.on("data", (d) => (output += d));
        child.stderr.on("data", (d) => (output += d));
        child.on("close", (code) => {
          process.stdout.write(`> ${command} (exit ${code})\n${output}`);
          resolve(code);
        });
      }),
  ),
);
process.exitCode = results.every((code) => code === 0) ? 0 : 1;
