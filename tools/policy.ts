// npm run policy -- <stack> [--plan FILE]
// Plans the stack offline (or reads a plan JSON of the same shape, a product team's for instance)
// and runs every rule of the policy pack over it: violations grouped by rule, exit 1 on any
// mandatory one. The same rules run in `pulumi preview --policy-pack policy`.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { program } from "../infra/program";
import { loadStackConfig } from "../infra/config/load";
import { checkResources, formatViolations, fromPlan } from "../policy/check";
import { runCli } from "./cli";
import { parsePlanFile, PlanFileError } from "./plan/plan-file";
import { runPlan } from "./plan/run";
import { readStackFile } from "../offline-plan/stack-file";

runCli("npm run policy -- <stack> [--plan FILE]", async (argv) => {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { plan: { type: "string" } } });
  const [stack] = positionals;
  if (!stack || positionals.length > 1) return "usage";
  let plan;
  // The stack's wish to keep its data, from its stack file when there is one.
  let protectData = false;
  try {
    protectData = loadStackConfig(readStackFile(stack, process.cwd())).protectData === true;
  } catch (error) {
    if (!values.plan) throw error;
  }
  if (values.plan) {
    let text: string;
    try {
      text = readFileSync(values.plan, "utf8");
    } catch {
      throw new PlanFileError(`cannot read plan file ${values.plan}`);
    }
    plan = parsePlanFile(values.plan, text);
  } else {
    plan = await runPlan(stack, readStackFile(stack, process.cwd()), program);
  }
  const violations = checkResources(plan.resources.map(fromPlan), { protectData });
  process.stdout.write(formatViolations(violations));
  if (violations.some((v) => v.level === "mandatory")) process.exitCode = 1;
  return "ok";
});
