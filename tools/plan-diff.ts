// npm run plan:diff -- BASE.json HEAD.json
// Prints what changed between two offline plans as Markdown (for a pull-request comment).
import { readFileSync } from "node:fs";
import { runCli } from "./cli";
import { diffPlans, formatDiffMarkdown } from "./plan/diff";
import { PlanFileError, parsePlanFile } from "./plan/plan-file";

runCli("npm run plan:diff -- BASE.json HEAD.json", (argv) => {
  if (argv.length !== 2) return Promise.resolve("usage");
  const [base, head] = argv.map((file) => {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch {
      throw new PlanFileError(`cannot read plan file ${file}`);
    }
    return parsePlanFile(file, text);
  }) as [ReturnType<typeof parsePlanFile>, ReturnType<typeof parsePlanFile>];
  process.stdout.write(formatDiffMarkdown(diffPlans(base, head)));
  return Promise.resolve("ok");
});
