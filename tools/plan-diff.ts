// npm run plan:diff -- BASE.json HEAD.json [--force]
// npm run plan:diff -- <stack> --base <git ref> [--out DIR]
// Prints what changed between two offline plans as Markdown, the text of the pull-request
// comment. With --base, plans the stack at that ref (in a temporary worktree) and as it is now.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { program } from "../infra/program";
import { emptyPlan, plansAtRef } from "./ci/base-plans";
import { runCli } from "./cli";
import { diffPlans, formatDiffMarkdown } from "./plan/diff";
import type { Plan } from "../offline-plan/plan";
import { checkSameStack, PlanFileError, parsePlanFile } from "./plan/plan-file";
import { runPlan } from "./plan/run";
import { readStackFile } from "../offline-plan/stack-file";
import { serializePlan } from "../offline-plan/text";

function readPlan(file: string): Plan {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new PlanFileError(`cannot read plan file ${file}`);
  }
  return parsePlanFile(file, text);
}

runCli("npm run plan:diff -- BASE.json HEAD.json [--force] | <stack> --base <git ref> [--out DIR]", async (argv) => {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { base: { type: "string" }, out: { type: "string" }, force: { type: "boolean", default: false } },
  });
  if (values.base !== undefined) {
    const [stack] = positionals;
    if (!stack || positionals.length !== 1) return "usage";
    const head = await runPlan(stack, readStackFile(stack, process.cwd()), program);
    const base = plansAtRef(values.base, [stack], process.cwd()).get(stack) ?? emptyPlan(head.project, stack);
    if (values.out) {
      mkdirSync(values.out, { recursive: true });
      writeFileSync(join(values.out, `${stack}.base.json`), serializePlan(base));
      writeFileSync(join(values.out, `${stack}.head.json`), serializePlan(head));
    }
    process.stdout.write(formatDiffMarkdown(diffPlans(base, head)));
    return "ok";
  }
  if (positionals.length !== 2) return "usage";
  const [base, head] = positionals.map(readPlan) as [Plan, Plan];
  checkSameStack(base, head, values.force);
  process.stdout.write(formatDiffMarkdown(diffPlans(base, head)));
  return "ok";
});
