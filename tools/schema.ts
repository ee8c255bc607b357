// npm run schema: writes plugin/schema.json, the Pulumi schema inferred from plugin/ (what
// `pulumi package add` generates the C#, Python and Go SDKs from). It is committed so that a pull
// request shows how the multi-language API changes; a test fails when it is not current.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pluginProvider, schemaText } from "../plugin/provider";
import { runCli } from "./cli";

runCli("npm run schema", async (argv) => {
  if (argv.length > 0) return "usage";
  const file = join(__dirname, "..", "plugin", "schema.json");
  writeFileSync(file, await schemaText(pluginProvider()));
  process.stdout.write(`wrote ${file}\n`);
  return "ok";
});
