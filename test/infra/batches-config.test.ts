import { describe, expect, it } from "vitest";
import { loadStackConfig } from "../../infra/config/load";
import { configProblems, minimalConfig } from "../helpers/config";

type Batch = Record<string, unknown>;
const batch = (): Batch => ({
  schedule: "cron(5 0 * * ? *)",
  image: "shop-web:1",
  cpu: 512,
  memory: 1024,
  command: ["./batch-cli", "clearing"],
  timeoutSeconds: 3600,
});
const config = (batches: Record<string, Batch>) => minimalConfig({ "infra:batches": batches });

const problemsOf = (batches: Record<string, Batch>) => configProblems(config(batches));

describe("infra:batches", () => {
  it("leaves CronBatch's defaults to it (Japan time, skip overlaps, enabled, no description): the config sets none", () => {
    const clearing = loadStackConfig(config({ clearing: batch() })).batches.clearing!;
    expect(clearing.parameters).toEqual({});
    for (const key of ["timezone", "overlap", "enabled", "description", "logRetentionInDays"]) expect(clearing, key).not.toHaveProperty(key);
  });

  it.each<[string, Batch, string]>([
    [
      "a five-field cron",
      { schedule: "cron(5 0 * * *)" },
      'infra:batches.clearing.schedule: "cron(5 0 * * *)": has 5 fields; EventBridge Scheduler cron takes 6: minutes hours day-of-month month day-of-week year',
    ],
    ["a misspelt time zone", { timezone: "Asia/Tokio" }, 'infra:batches.clearing.timezone: "Asia/Tokio" is not an IANA time zone (like Asia/Tokyo)'],
    ["no timeout", { timeoutSeconds: undefined }, "infra:batches.clearing.timeoutSeconds: is required"],
    ["an empty command", { command: [] }, "infra:batches.clearing.command: must not be empty"],
    ["an unknown overlap policy", { overlap: "queue" }, 'infra:batches.clearing.overlap: "queue" is not one of "skip", "allow"'],
    [
      "a parameter name no shell reads",
      { parameters: { "target-date": "" } },
      'infra:batches.clearing.parameters.target-date: "target-date" is not a variable name (letters, digits and _, not starting with a digit)',
    ],
    ["a size Fargate lacks", { memory: 100 }, "infra:batches.clearing.memory: 100 is not allowed with cpu 512 (0.5 vCPU); allowed: 1024, 2048, 3072, 4096"],
  ])("rejects %s", (_case, change, expected) => {
    expect(problemsOf({ clearing: { ...batch(), ...change } })).toEqual([expected]);
  });

  it("takes a description as given", () => {
    expect(loadStackConfig(config({ nightly: { ...batch(), description: "the nightly clearing" } })).batches.nightly?.description).toBe("the nightly clearing");
  });
});
