// npm run docs: writes the API section (inputs, outputs) of every module's README from the source.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "./cli";
import { currentReadmes } from "./docs/api";

runCli("npm run docs", (argv) => {
  if (argv.length > 0) return "usage";
  for (const [module, { file, now, wanted }] of currentReadmes(join(__dirname, ".."))) {
    if (now === wanted) continue;
    writeFileSync(file, wanted);
    process.stdout.write(`components/${module}/README.md: API section written\n`);
  }
  return "ok";
});
