import * as pulumi from "@pulumi/pulumi";
import { composeStack, type StackOutputs } from "../stacks";
import { loadStackConfig } from "./config/load";
import { readNeighbourCidrs } from "./config/neighbours";
import { readPulumiConfig } from "./config/pulumi-source";

/**
 * The Pulumi program: read and validate the stack config (nothing is registered if it is
 * wrong), then compose the stack. The CLI runs it through `infra/index.ts`; the offline plan
 * runs the same function under Pulumi's mocks.
 */
export function program(): StackOutputs {
  // The other stack files beside this one (the Pulumi CLI runs the program in the project's folder).
  const config = loadStackConfig(readPulumiConfig(), readNeighbourCidrs(process.cwd(), pulumi.getStack()));
  return composeStack(config, pulumi.getStack());
}
