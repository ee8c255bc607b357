// npm run verify -- <stack> [--outputs FILE] [--markdown FILE]
// Checks, read-only, that every workload of the stack can start: its images exist (ECR), its
// secrets exist in the stack's account and region, its execution role may read them and pull the
// images, its log group exists. One line per check; exit 1 when anything is MISSING or DENIED.
// Your AWS credentials (AWS_PROFILE, SSO, ...); AWS_ENDPOINT_URL for an AWS-compatible endpoint.
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { createPreflightClients, credentialsProblem, formatChecks, preflight, preflightFailed } from "../release-tool/preflight";
import { loadStackConfig } from "../infra/config/load";
import { ConfigError } from "../infra/config/errors";
import { readStackFile, StackFileError } from "../offline-plan/stack-file";
import { readOutputs, TargetError } from "./release/outputs";
import { runCli } from "./cli";
import { needsFromConfig } from "./verify/needs";
import { verifyMarkdown } from "./verify/report";

const USAGE = "usage: npm run verify -- <stack> [--outputs FILE] [--markdown FILE]";

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { outputs: { type: "string" }, markdown: { type: "string" } } });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const [stack] = parsed.positionals;
  if (!stack || parsed.positionals.length > 1) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  let config;
  let outputs;
  try {
    config = loadStackConfig(readStackFile(stack, process.cwd()));
    outputs = await readOutputs(stack, parsed.values.outputs).catch((error: unknown) => {
      // A stack file whose stack was never created (its first pull request): nothing is applied yet.
      if (!(error instanceof TargetError) || !/no stack named/.test(error.message)) throw error;
      process.stderr.write(`note: stack ${stack} does not exist in the backend yet: its roles and log groups are not checked\n`);
      return {};
    });
  } catch (error) {
    if (!(error instanceof ConfigError || error instanceof StackFileError || error instanceof TargetError)) throw error;
    process.stderr.write(`error: ${error.message}\n`);
    return 1;
  }
  const lines = await preflight(
    { clients: createPreflightClients(config.region), account: config.accountId, region: config.region, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) },
    needsFromConfig(config, outputs),
  );
  const noCredentials = credentialsProblem(lines);
  if (noCredentials) {
    process.stderr.write(`error: ${noCredentials}\n`);
    return 1;
  }
  const text = formatChecks(lines);
  process.stdout.write(`${text.join("\n")}\n`);
  if (parsed.values.markdown) writeFileSync(parsed.values.markdown, verifyMarkdown(stack, lines));
  return preflightFailed(lines) ? 1 : 0;
}

runCli(USAGE.replace(/^usage: /, ""), main);
