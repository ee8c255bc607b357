import aslValidator from "asl-validator";
import { describe, expect, it } from "vitest";
import { byType, jsonInput, planStack } from "../helpers/plan";

describe.each(["prd", "stg"] as const)("stack %s batches", (stack) => {
  it("has a state machine definition asl-validator accepts for every batch", async () => {
    const machines = byType(await planStack(stack), "aws:sfn/stateMachine:StateMachine");
    expect(machines.map((m) => m.inputs.name).sort()).toEqual([`shop-${stack}-billing-close`, `shop-${stack}-clearing`, `shop-${stack}-search-reindex`]);
    for (const machine of machines) {
      const result = aslValidator(jsonInput(machine, "definition"));
      expect(result.errors, String(machine.inputs.name)).toEqual([]);
      expect(result.isValid).toBe(true);
    }
  });

  it("schedules clearing daily at 00:05, billing-close on the 1st at 03:00, search-reindex hourly, in Japan time", async () => {
    const schedules = byType(await planStack(stack), "aws:scheduler/schedule:Schedule");
    const byName: Record<string, unknown> = Object.fromEntries(schedules.map((s) => [s.inputs.name as string, s.inputs]));
    expect(byName[`shop-${stack}-clearing`]).toMatchObject({
      scheduleExpression: "cron(5 0 * * ? *)",
      scheduleExpressionTimezone: "Asia/Tokyo",
      state: "ENABLED",
    });
    expect(byName[`shop-${stack}-billing-close`]).toMatchObject({
      scheduleExpression: "cron(0 3 1 * ? *)",
      scheduleExpressionTimezone: "Asia/Tokyo",
      state: stack === "prd" ? "ENABLED" : "DISABLED",
    });
    expect(byName[`shop-${stack}-search-reindex`]).toMatchObject({
      scheduleExpression: "cron(0 * * * ? *)",
      scheduleExpressionTimezone: "Asia/Tokyo",
      state: "ENABLED",
    });
  });

  it("protects the run table in prd only", async () => {
    const [table] = byType(await planStack(stack), "aws:dynamodb/table:Table");
    expect(table!.options.protect).toBe(stack === "prd");
  });
});
