#!/usr/bin/env node
// infra plan <stack> [--dir DIR] [--json FILE] [--account ID] [--azs A,B,C] [--stack-outputs NAME=FILE]...
// The offline plan of a team's own Pulumi program (the package's `infra` command: `npx infra plan dev`).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { DEFAULT_ACCOUNT_ID, planProject, ProjectError } from "./project";
import { StackFileError } from "./stack-file";
import { formatCounts, formatTree, serializePlan } from "./text";

const USAGE = "usage: infra plan <stack> [--dir DIR] [--json FILE] [--account ID] [--azs AZ,AZ,...] [--stack-outputs NAME=FILE]...";

/** What `infra --help` prints: the usage, then what each option does. */
export const HELP = [
  USAGE,
  "",
  "Plans a Pulumi program offline: the program of DIR, run under Pulumi's mocks with the config of",
  "its Pulumi.<stack>.yaml (no cloud, no Pulumi CLI, no provider plugin), prints the resource tree",
  "and the count by type. TypeScript is transpiled, not type-checked: a program with type errors",
  "still plans; run tsc --noEmit (or your test command) for that.",
  "",
  "  --dir DIR      the program's folder (its Pulumi.yaml)            default: the current folder",
  "  --json FILE    also write the plan as JSON (a plan diff, the policy rules over it)",
  `  --account ID   the AWS account the mocks answer                  default: ${DEFAULT_ACCOUNT_ID}`,
  "  --azs A,B,...  the availability zones the mocks answer            default: the region's a, b, c",
  "  --stack-outputs NAME=FILE",
  "                 what a StackReference to NAME (org/project/stack, as the program names it)",
  "                 reads: FILE is written by pulumi stack output --json --show-secrets -s NAME;",
  "                 once per stack the program references",
  "  -h, --help     this text",
].join("\n");

/** Runs the command; answers the exit code. What a person did wrong is one line, without a stack trace. */
export async function main(argv: readonly string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  if (argv.some((a) => a === "--help" || a === "-h") || argv[0] === "help") {
    out.write(`${HELP}\n`);
    return 0;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        dir: { type: "string" },
        json: { type: "string" },
        account: { type: "string" },
        azs: { type: "string" },
        "stack-outputs": { type: "string", multiple: true },
      },
    });
  } catch (error) {
    err.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const [command, stack, ...rest] = parsed.positionals;
  if (command !== "plan" || !stack || rest.length > 0) {
    err.write(`${USAGE}\n`);
    return 2;
  }
  const { dir = process.cwd(), json, account, azs } = parsed.values;
  if (account !== undefined && !/^\d{12}$/.test(account)) {
    err.write(`--account ${account}: an AWS account id is 12 digits\n`);
    return 2;
  }
  const stackOutputs = readStackOutputs(parsed.values["stack-outputs"] ?? []);
  if (typeof stackOutputs === "string") {
    err.write(`${stackOutputs}\n`);
    return 2;
  }
  try {
    const plan = await planProject({
      dir,
      stack,
      stackOutputs,
      ...(account ? { accountId: account } : {}),
      ...(azs ? { availabilityZones: azs.split(",") } : {}),
    });
    out.write(`${formatTree(plan)}\n\n${formatCounts(plan)}\n`);
    if (json) {
      writeFileSync(json, serializePlan(plan));
      out.write(`plan written to ${json}\n`);
    }
    return 0;
  } catch (error) {
    const known = error instanceof ProjectError || error instanceof StackFileError;
    err.write(known ? `${(error as Error).message}\n` : `the program failed: ${(error as Error).message ?? String(error)}\n`);
    return 1;
  }
}

/** Each `--stack-outputs NAME=FILE`: the stack's outputs by its name, or what is wrong with one (its flag, the file, the JSON). */
function readStackOutputs(flags: readonly string[]): Record<string, Record<string, unknown>> | string {
  const outputs: Record<string, Record<string, unknown>> = {};
  for (const flag of flags) {
    const at = flag.indexOf("=");
    const [name, file] = at > 0 ? [flag.slice(0, at), flag.slice(at + 1)] : [flag, ""];
    if (!file) return `--stack-outputs ${flag}: give the stack and its outputs file as NAME=FILE (org/infra/prd=prd-outputs.json)`;
    if (name in outputs) return `--stack-outputs ${name}: given twice`;
    if (!existsSync(file)) return `--stack-outputs ${flag}: no file ${file} (write it with: pulumi stack output --json --show-secrets -s ${name} > ${file})`;
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, "utf8"));
    } catch (error) {
      return `--stack-outputs ${flag}: ${file} is not JSON (${(error as Error).message})`;
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
      return `--stack-outputs ${flag}: ${file} is not a stack's outputs (pulumi stack output --json prints an object)`;
    outputs[name] = parsed as Record<string, unknown>;
  }
  return outputs;
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
