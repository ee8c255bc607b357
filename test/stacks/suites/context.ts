import { beforeAll } from "vitest";
import { loadStackConfig, type RawConfig } from "../../../infra/config/load";
import type { StackConfig } from "../../../infra/config/schema";
import { program } from "../../../infra/program";
import type { Plan } from "../../../offline-plan/plan";
import { runPlan } from "../../../tools/plan/run";

/** One stack under test: its name, its config (raw and loaded) and its plan, made once per suite. */
export interface StackUnderTest {
  readonly stack: string;
  readonly raw: RawConfig;
  readonly config: StackConfig;
  /** The plan, available inside tests (made in `beforeAll`). */
  plan(): Plan;
}

/**
 * Loads the config now (a bad stack file fails the collection with the loader's message) and
 * plans it once before the suite's tests: every test of a stack reads the same plan.
 */
export function stackUnderTest(stack: string, raw: RawConfig): StackUnderTest {
  const config = loadStackConfig(raw);
  let plan: Plan | undefined;
  beforeAll(async () => {
    plan = await runPlan(stack, raw, program);
  });
  return {
    stack,
    raw,
    config,
    plan: () => {
      if (!plan) throw new Error(`stack ${stack} was not planned`);
      return plan;
    },
  };
}
