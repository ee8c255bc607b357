// npm run batch -- <stack> <batch> [--input NAME=VALUE]... [--wait]
// Starts a run of a cron batch by hand, with a key marked manual: a re-run on purpose is never
// taken for a duplicate of a scheduled time. Uses your AWS credentials (AWS_PROFILE, SSO, ...).
import { SFNClient } from "@aws-sdk/client-sfn";
import { parseArgs } from "node:util";
import { loadStackConfig } from "../infra/config/load";
import { createPreflightClients, credentialsProblem, formatChecks, preflight, preflightFailed } from "../release-tool/preflight";
import { ManualRunError, planManualRun, startManualRun } from "./batch/manual-run";
import { needsFromConfig } from "./verify/needs";
import { runCli } from "./cli";
import { readStackFile } from "../offline-plan/stack-file";

runCli("npm run batch -- <stack> <batch> [--input NAME=VALUE]... [--wait]", async (argv) => {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { input: { type: "string", multiple: true, default: [] }, wait: { type: "boolean", default: false } },
  });
  const [stack, batch] = positionals;
  if (!stack || !batch || positionals.length > 2) return "usage";
  const config = loadStackConfig(readStackFile(stack, process.cwd()));
  const run = planManualRun(config, { batch, inputs: values.input, now: new Date() });
  if (!config.batches[batch]?.enabled) process.stdout.write(`note: ${batch} is disabled in ${stack}; running it by hand anyway\n`);
  // Its image and secrets first: a run that cannot start should fail here, not in the night.
  const checks = await preflight(
    { clients: createPreflightClients(config.region), account: config.accountId, region: config.region, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
    needsFromConfig(config, undefined, `batch-${batch}`),
  );
  const noCredentials = credentialsProblem(checks);
  if (noCredentials) throw new ManualRunError(noCredentials);
  if (preflightFailed(checks)) throw new ManualRunError(`preflight of ${batch} failed; the run was not started:\n${formatChecks(checks).join("\n")}`);
  const result = await startManualRun(new SFNClient({ region: config.region }), run, { wait: values.wait, log: (line) => process.stdout.write(`${line}\n`) });
  if (values.wait && result.status !== "SUCCEEDED") throw new ManualRunError(`the run ended ${result.status}`);
  return "ok";
});
