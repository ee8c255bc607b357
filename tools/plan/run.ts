import { loadStackConfig, type RawConfig } from "../../infra/config/load";
import type { Plan } from "../../offline-plan/plan";
import { recordProgram } from "../../offline-plan/record";
import { toPulumiConfig } from "../../offline-plan/stack-file";

/**
 * Runs one of this project's stacks offline: the config is validated first (a bad config throws
 * the loader's `ConfigError` and nothing runs), then handed to the program exactly as the CLI would.
 */
export async function runPlan(stack: string, raw: RawConfig, program: () => unknown): Promise<Plan> {
  const config = loadStackConfig(raw);
  const location = { accountId: config.accountId, region: config.region, availabilityZones: config.network.azs };
  return recordProgram({ stack, location, config: toPulumiConfig(raw) }, program);
}
