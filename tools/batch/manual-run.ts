import { randomBytes } from "node:crypto";
import { DescribeExecutionCommand, type SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { aws } from "../../release-tool/errors";
import type { StackConfig } from "../../infra/config/schema";

/** A manual run that cannot start; its message is meant for the terminal. */
export class ManualRunError extends Error {
  override readonly name = "ManualRunError";
}

/** What an operator asked for. */
export interface ManualRunRequest {
  readonly batch: string;
  /** `NAME=VALUE` pairs overriding the batch's parameters. */
  readonly inputs: readonly string[];
  /** When the run is started (its key and execution name derive from it). */
  readonly now: Date;
}

/** The execution a manual run starts. */
export interface ManualRun {
  readonly stateMachineArn: string;
  readonly executionName: string;
  readonly input: { readonly batch: string; readonly scheduledTime: string; readonly manual: true; readonly input: Readonly<Record<string, string>> };
}

/**
 * Plans a manual run of a batch: the state machine of `infra:batches.<batch>`, and an input whose
 * key is marked manual (`manual-<time>-<random>`), so that a re-run on purpose is never taken for
 * a duplicate delivery of a scheduled time, and never blocks one.
 */
export function planManualRun(config: StackConfig, request: ManualRunRequest, random = randomBytes(3).toString("hex")): ManualRun {
  const batch = config.batches[request.batch];
  if (!batch) {
    const known = Object.keys(config.batches);
    throw new ManualRunError(`no batch "${request.batch}" in this stack; batches: ${known.length > 0 ? known.join(", ") : "none"}`);
  }
  const input: Record<string, string> = { ...batch.parameters };
  for (const pair of request.inputs) {
    const eq = pair.indexOf("=");
    const name = eq > 0 ? pair.slice(0, eq) : "";
    if (!name) throw new ManualRunError(`--input ${JSON.stringify(pair)} is not NAME=VALUE`);
    if (!(name in batch.parameters)) {
      const declared = Object.keys(batch.parameters);
      throw new ManualRunError(`--input ${name}: batch "${request.batch}" takes ${declared.length > 0 ? declared.join(", ") : "no parameters"}`);
    }
    input[name] = pair.slice(eq + 1);
  }
  const stamp = request.now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  const batchName = `${config.name}-${request.batch}`;
  return {
    stateMachineArn: `arn:aws:states:${config.region}:${config.accountId}:stateMachine:${batchName}`,
    executionName: `manual-${stamp}-${random}`,
    input: { batch: batchName, scheduledTime: `manual-${request.now.toISOString()}-${random}`, manual: true, input },
  };
}

/** Terminal states of an execution. */
const DONE = new Set(["SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"]);

/** Starts the run; with `wait`, polls until it ends and returns its final status. */
export async function startManualRun(
  client: SFNClient,
  run: ManualRun,
  options: { wait: boolean; pollMs?: number; log: (line: string) => void },
): Promise<{ executionArn: string; status: string }> {
  const region = run.stateMachineArn.split(":")[3] ?? "";
  const started = await aws("Step Functions StartExecution", region, () =>
    client.send(new StartExecutionCommand({ stateMachineArn: run.stateMachineArn, name: run.executionName, input: JSON.stringify(run.input) })),
  );
  const executionArn = started.executionArn;
  if (!executionArn) throw new ManualRunError("Step Functions returned no execution ARN");
  options.log(`started ${executionArn}`);
  options.log(`console: https://${region}.console.aws.amazon.com/states/home?region=${region}#/v2/executions/details/${executionArn}`);
  if (!options.wait) return { executionArn, status: "RUNNING" };
  for (;;) {
    const {
      status = "UNKNOWN",
      error,
      cause,
    } = await aws("Step Functions DescribeExecution", region, () => client.send(new DescribeExecutionCommand({ executionArn })));
    if (DONE.has(status)) {
      options.log(status === "SUCCEEDED" ? "SUCCEEDED" : `${status}${error ? `: ${error}` : ""}${cause ? ` (${cause})` : ""}`);
      return { executionArn, status };
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 10_000));
  }
}
