import aslValidator from "asl-validator";
import { expect, it } from "vitest";
import { BATCH_TIMEZONE } from "../../../components/batch/cron-batch";
import { byType, jsonInput } from "../../helpers/plan";
import type { StackUnderTest } from "./context";

/** Every batch of the config: a valid state machine, its schedule in its time zone, the run table. */
export function batchInvariants(s: StackUnderTest): void {
  const batches = Object.entries(s.config.batches);

  it("has one state machine per batch, named after it, with a definition asl-validator accepts", () => {
    const machines = byType(s.plan(), "aws:sfn/stateMachine:StateMachine");
    expect(machines.map((m) => m.inputs.name).sort()).toEqual(batches.map(([key]) => `${s.config.name}-${key}`).sort());
    for (const machine of machines) {
      const result = aslValidator(jsonInput(machine, "definition"));
      expect(result.errors, String(machine.inputs.name)).toEqual([]);
      expect(result.isValid).toBe(true);
    }
  });

  it("schedules every batch as its config says: expression, time zone, on or off", () => {
    const schedules = new Map(byType(s.plan(), "aws:scheduler/schedule:Schedule").map((r) => [r.inputs.name, r.inputs]));
    expect(schedules.size).toBe(batches.length);
    for (const [key, batch] of batches) {
      expect(schedules.get(`${s.config.name}-${key}`), key).toMatchObject({
        scheduleExpression: batch.schedule,
        scheduleExpressionTimezone: batch.timezone ?? BATCH_TIMEZONE,
        state: batch.enabled === false ? "DISABLED" : "ENABLED",
        flexibleTimeWindow: { mode: "OFF" },
      });
    }
  });

  it("keeps one run table, protected exactly when the stack protects its data", () => {
    const tables = byType(s.plan(), "aws:dynamodb/table:Table").filter((t) => t.name === "batch-runs");
    expect(tables).toHaveLength(batches.length > 0 ? 1 : 0);
    for (const table of tables) {
      expect(table.options.protect).toBe(s.config.protectData === true);
      expect(table.options.retainOnDelete).toBe(s.config.protectData === true);
    }
  });
}
