import type { RawConfig } from "../../infra/config/load";
import { readStackFile } from "../plan/stack-file";

/** One thing the benchmark plans. */
export interface BenchCase {
  readonly label: string;
  readonly stack: string;
  readonly config: RawConfig;
  /** The program to plan. @default the real program (infra/program.ts) */
  readonly program?: () => unknown;
}

/** The real stacks of the project. */
export function benchCases(dir: string): BenchCase[] {
  return ["prd", "stg"].map((stack) => ({ label: `stack ${stack}`, stack, config: readStackFile(stack, dir) }));
}
