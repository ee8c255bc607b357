import { expect } from "vitest";
import { ConfigError } from "../../infra/config/errors";
import { loadStackConfig, type RawConfig } from "../../infra/config/load";

/** The smallest valid stack config, plus the keys a test adds (`{"infra:batches": ...}`). */
export function minimalConfig(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    "aws:region": "ap-northeast-1",
    "infra:name": "shop-test",
    "infra:accountId": "123456789012",
    "infra:network": { cidr: "10.50.0.0/16", azs: ["ap-northeast-1a"] },
    ...extra,
  };
}

/** The problems a config is rejected with; fails the test if it is accepted. */
export function configProblems(config: RawConfig, neighbours: Readonly<Record<string, string>> = {}): readonly string[] {
  try {
    loadStackConfig(config, neighbours);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error("expected the config to be rejected");
}
