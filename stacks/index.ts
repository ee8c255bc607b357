import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { Vpc } from "../components/network/vpc";
import type { StackConfig } from "../infra/config/schema";

/** What a stack exports (`pulumi stack output`). */
export interface StackOutputs {
  readonly vpcId: pulumi.Output<string>;
  readonly publicSubnetIds: pulumi.Output<string>[];
  readonly privateSubnetIds: pulumi.Output<string>[];
  readonly isolatedSubnetIds: pulumi.Output<string>[];
}

/**
 * This product's composition: one environment made of the library's components, every value
 * taken from the typed stack config. Nothing here knows which stack it is; prd and stg differ
 * only by their YAML.
 */
export function composeStack(config: StackConfig): StackOutputs {
  // One explicit provider: it refuses to touch any account but the stack's own, and it tags
  // every resource with the stack's tags.
  const provider = new aws.Provider("aws", {
    region: config.region as aws.Region,
    allowedAccountIds: [config.accountId],
    defaultTags: { tags: config.tags },
  });
  const network = new Vpc(
    "network",
    {
      cidrBlock: config.network.cidr,
      availabilityZones: config.network.azs,
      natStrategy: config.network.natStrategy,
      gatewayEndpoints: config.network.gatewayEndpoints,
      interfaceEndpoints: config.network.interfaceEndpoints,
      flowLogs: config.network.flowLogs.enabled
        ? { retentionInDays: config.network.flowLogs.retentionDays, trafficType: config.network.flowLogs.trafficType }
        : false,
    },
    { providers: { aws: provider } },
  );
  return {
    vpcId: network.vpcId,
    publicSubnetIds: network.publicSubnetIds,
    privateSubnetIds: network.privateSubnetIds,
    isolatedSubnetIds: network.isolatedSubnetIds,
  };
}
