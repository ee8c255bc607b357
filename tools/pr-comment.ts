// npm run pr-comment -- --plans DIR [--artifact-url URL] [--commit SHA]
// The pull request's comment from the plans `npm run plan:diff -- <stack> --base <ref> --out DIR`
// wrote for every stack (DIR/<stack>.base.json and DIR/<stack>.head.json), on stdout.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { buildComment } from "./ci/comment";
import { runCli } from "./cli";
import { diffPlans } from "./plan/diff";
import { parsePlanFile, PlanFileError } from "./plan/plan-file";

runCli("npm run pr-comment -- --plans DIR [--artifact-url URL] [--commit SHA]", (argv) => {
  const { values } = parseArgs({ args: argv, options: { plans: { type: "string" }, "artifact-url": { type: "string" }, commit: { type: "string" } } });
  if (!values.plans) return Promise.resolve("usage");
  const dir = values.plans;
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch {
    throw new PlanFileError(`cannot read the plans directory ${dir}`);
  }
  const stacks = files.flatMap((f) => /^(.+)\.head\.json$/.exec(f)?.[1] ?? []).sort();
  if (stacks.length === 0) throw new PlanFileError(`no <stack>.head.json in ${dir}: run npm run plan:diff -- <stack> --base <ref> --out ${dir} first`);
  const read = (file: string) => parsePlanFile(file, readFileSync(file, "utf8"));
  const diffs = stacks.map((stack) => {
    const base = read(join(dir, `${stack}.base.json`));
    const head = read(join(dir, `${stack}.head.json`));
    return { stack, base, head, diff: diffPlans(base, head) };
  });
  const options = { ...(values["artifact-url"] ? { artifactUrl: values["artifact-url"] } : {}), ...(values.commit ? { commit: values.commit } : {}) };
  process.stdout.write(buildComment(diffs, options));
  return Promise.resolve("ok");
});
