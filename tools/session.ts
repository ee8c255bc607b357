// node tools/launch.mjs session <stack>   (the up and release workflows, before they assume a role)
// How long the CI's AWS session must last for the longest release the stack's config allows
// (tools/release/session.ts). Prints `seconds=<n>` and `minutes=<n>` (GitHub step outputs); a
// stack whose releases could outlast a hosted runner's job is refused, exit 1.
import { program } from "../infra/program";
import { readStackFile } from "../offline-plan/stack-file";
import { runCli } from "./cli";
import { runPlan } from "./plan/run";
import { sessionMinutes } from "./release/session";

runCli("node tools/launch.mjs session <stack>", async (argv) => {
  const [stack, ...rest] = argv;
  if (!stack || rest.length > 0) return "usage";
  const minutes = sessionMinutes(await runPlan(stack, readStackFile(stack, process.cwd()), program), stack);
  process.stdout.write(`seconds=${minutes * 60}\nminutes=${minutes}\n`);
  return "ok";
});
