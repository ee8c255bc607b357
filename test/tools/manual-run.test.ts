import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from "@aws-sdk/client-sfn";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { loadStackConfig } from "../../infra/config/load";
import { ManualRunError, planManualRun, startManualRun } from "../../tools/batch/manual-run";
import { minimalConfig } from "../helpers/config";

const batch = (command: string, parameters = {}) => ({
  schedule: "cron(5 0 * * ? *)",
  image: "222222222222.dkr.ecr.ap-northeast-1.amazonaws.com/shop-web:2026.11.20-1",
  cpu: 256,
  memory: 512,
  command: ["./batch-cli", command],
  parameters,
  timeoutSeconds: 600,
});
// A stack of the test's own: what a manual run reads of the config is the batch's name and parameters.
const config = loadStackConfig(
  minimalConfig({
    "infra:name": "shop-stg",
    "infra:accountId": "222222222222",
    "infra:batches": { clearing: batch("clearing", { TARGET_DATE: "" }), "billing-close": batch("billing-close"), "search-reindex": batch("search-reindex") },
  }),
);
const NOW = new Date("2026-11-22T06:30:00.123Z");
const sfn = mockClient(SFNClient);
const ARN = "arn:aws:states:ap-northeast-1:222222222222:execution:shop-stg-clearing:manual-20261122T063000Z-abc123";

beforeEach(() => sfn.reset());

describe("planManualRun", () => {
  it("starts the batch's state machine with a key marked manual and the parameters' defaults", () => {
    expect(planManualRun(config, { batch: "clearing", inputs: [], now: NOW }, "abc123")).toEqual({
      stateMachineArn: "arn:aws:states:ap-northeast-1:222222222222:stateMachine:shop-stg-clearing",
      executionName: "manual-20261122T063000Z-abc123",
      input: { batch: "shop-stg-clearing", scheduledTime: "manual-2026-11-22T06:30:00.123Z-abc123", manual: true, input: { TARGET_DATE: "" } },
    });
  });

  it("overrides declared parameters with --input", () => {
    const run = planManualRun(config, { batch: "clearing", inputs: ["TARGET_DATE=2026-11-20"], now: NOW }, "abc123");
    expect(run.input.input).toEqual({ TARGET_DATE: "2026-11-20" });
  });

  it("gives two manual runs of the same second different keys", () => {
    const a = planManualRun(config, { batch: "clearing", inputs: [], now: NOW });
    const b = planManualRun(config, { batch: "clearing", inputs: [], now: NOW });
    expect(a.input.scheduledTime).not.toBe(b.input.scheduledTime);
    expect(a.executionName).toMatch(/^manual-20261122T063000Z-[0-9a-f]{6}$/);
  });

  it.each([
    [{ batch: "nightly", inputs: [] }, 'no batch "nightly" in this stack; batches: clearing, billing-close, search-reindex'],
    [{ batch: "clearing", inputs: ["DATE=1"] }, '--input DATE: batch "clearing" takes TARGET_DATE'],
    [{ batch: "search-reindex", inputs: ["X=1"] }, '--input X: batch "search-reindex" takes no parameters'],
    [{ batch: "clearing", inputs: ["=1"] }, '--input "=1" is not NAME=VALUE'],
  ])("refuses %j", (request, message) => {
    expect(() => planManualRun(config, { ...request, now: NOW })).toThrow(new ManualRunError(message));
  });
});

describe("startManualRun", () => {
  const run = planManualRun(config, { batch: "clearing", inputs: [], now: NOW }, "abc123");

  it("calls StartExecution with the planned name and input, and prints where to watch it", async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: ARN, startDate: NOW });
    const lines: string[] = [];
    const result = await startManualRun(sfn as unknown as SFNClient, run, { wait: false, log: (l) => lines.push(l) });
    expect(result).toEqual({ executionArn: ARN, status: "RUNNING" });
    const calls = sfn.commandCalls(StartExecutionCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({ stateMachineArn: run.stateMachineArn, name: "manual-20261122T063000Z-abc123", input: JSON.stringify(run.input) });
    expect(lines).toEqual([
      `started ${ARN}`,
      `console: https://ap-northeast-1.console.aws.amazon.com/states/home?region=ap-northeast-1#/v2/executions/details/${ARN}`,
    ]);
  });

  it("with --wait, polls until the run ends and reports how", async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: ARN, startDate: NOW });
    sfn
      .on(DescribeExecutionCommand)
      .resolvesOnce({ status: "RUNNING" })
      .resolvesOnce({ status: "RUNNING" })
      .resolves({ status: "FAILED", error: "Batch.Failed", cause: "exit 1" });
    const lines: string[] = [];
    const result = await startManualRun(sfn as unknown as SFNClient, run, { wait: true, pollMs: 1, log: (l) => lines.push(l) });
    expect(result.status).toBe("FAILED");
    expect(sfn.commandCalls(DescribeExecutionCommand)).toHaveLength(3);
    expect(lines.at(-1)).toBe("FAILED: Batch.Failed (exit 1)");
  });
});
