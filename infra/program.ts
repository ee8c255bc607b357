import * as pulumi from "@pulumi/pulumi";
import { composeStack, type StackOutputs } from "../stacks";
import { loadStackConfig } from "./config/load";
import { readPulumiConfig } from "./config/pulumi-source";

/**
 * The Pulumi program: read and validate the stack config (nothing is registered if it is
 * wrong), then compose the stack. The CLI runs it through `infra/index.ts`; the offline plan
 * runs the same function under Pulumi's mocks.
 */
export function program(): StackOutputs {
  const config = loadStackConfig(readPulumiConfig());
  return composeStack(config, pulumi.getStack());
}
