// npm run plan -- <stack> [--json FILE]
// Runs the real program offline under Pulumi's mocks with Pulumi.<stack>.yaml and prints the
// resource tree and a count by type; --json writes the plan (docs/architecture.md).
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { program } from "../infra/program";
import { runCli } from "./cli";
import { runPlan } from "./plan/run";
import { readStackFile } from "../offline-plan/stack-file";
import { formatCounts, formatTree, serializePlan } from "../offline-plan/text";

runCli("npm run plan -- <stack> [--json FILE]", async (argv) => {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { json: { type: "string" } } });
  const [stack] = positionals;
  if (!stack || positionals.length > 1) return "usage";
  const plan = await runPlan(stack, readStackFile(stack, process.cwd()), program);
  process.stdout.write(`${formatTree(plan)}\n\n${formatCounts(plan)}\n`);
  if (values.json) {
    writeFileSync(values.json, serializePlan(plan));
    process.stdout.write(`plan written to ${values.json}\n`);
  }
  return "ok";
});
