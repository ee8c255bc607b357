import * as pulumi from "@pulumi/pulumi";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { composeStack, type StackOutputs } from "../stacks";
import { loadStackConfig } from "./config/load";
import { readNeighbourCidrs, readNeighbourReleases } from "./config/neighbours";
import { readPulumiConfig } from "./config/pulumi-source";

/**
 * The Pulumi program: read and validate the stack config (nothing is registered if it is
 * wrong), then compose the stack. The CLI runs it through `infra/index.ts`; the offline plan
 * runs the same function under Pulumi's mocks.
 */
export function program(): StackOutputs {
  // The other stack files beside this one, in the project's folder.
  const dir = projectDir(process.cwd());
  const config = loadStackConfig(readPulumiConfig(), readNeighbourCidrs(dir, pulumi.getStack()));
  return composeStack(config, pulumi.getStack(), readNeighbourReleases(dir, pulumi.getStack()));
}

/**
 * The folder of Pulumi.yaml, at or above `from`. Pulumi's Node host runs the program in the
 * folder of `main` (infra/, for infra/main.cjs), not the project's: read there, the other stack
 * files were never found, and the CIDR overlap check found no neighbour under the real CLI.
 */
export function projectDir(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) if (existsSync(join(dir, "Pulumi.yaml"))) return dir;
  return from;
}
