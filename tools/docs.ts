// npm run docs: writes the API section (inputs, outputs) of every module's README from the source.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { currentReadmes } from "./docs/api";

const root = join(__dirname, "..");
for (const [module, { file, now, wanted }] of currentReadmes(root)) {
  if (now === wanted) continue;
  writeFileSync(file, wanted);
  process.stdout.write(`components/${module}/README.md: API section written\n`);
}
