import type { RawConfig } from "../../infra/config/load";
import { readStackFile } from "../../offline-plan/stack-file";

/** One thing the benchmark plans. */
export interface BenchCase {
  readonly label: string;
  readonly stack: string;
  readonly config: RawConfig;
}

/** Service counts of the synthetic stacks: the cost per service shows as the count grows. */
export const SYNTHETIC_SERVICE_COUNTS = [1, 5, 50] as const;

/**
 * The real stacks, then stg's config with 1, 5 and 50 copies of its web service. The first copy
 * keeps its key (`web`): what names it (the back workers that follow its colour) still finds it.
 */
export function benchCases(dir: string): BenchCase[] {
  const real = ["prd", "stg"].map((stack) => ({ label: `stack ${stack}`, stack, config: readStackFile(stack, dir) }));
  const stg = readStackFile("stg", dir);
  const web = (stg["infra:services"] as Record<string, unknown>).web;
  const synthetic = SYNTHETIC_SERVICE_COUNTS.map((count, i) => ({
    label: `synthetic, ${count} blue/green service${count > 1 ? "s" : ""}`,
    stack: `bench-${count}`,
    config: {
      ...stg,
      // A VPC of its own: stacks of one project must not overlap (the loader checks the stack files beside it).
      "infra:network": { ...(stg["infra:network"] as object), cidr: `10.${200 + i}.0.0/16` },
      "infra:services": Object.fromEntries(Array.from({ length: count }, (_, i) => [i === 0 ? "web" : `svc-${String(i + 1).padStart(2, "0")}`, web])),
    },
  }));
  return [...real, ...synthetic];
}
