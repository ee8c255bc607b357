import type * as pulumi from "@pulumi/pulumi";
import { Vpc } from "../components/network/vpc";
import type { StackConfig } from "../infra/config/schema";

/** The stack's VPC, from `infra:network`. */
export function createNetwork(config: StackConfig, opts: pulumi.ComponentResourceOptions): Vpc {
  const n = config.network;
  return new Vpc(
    "network",
    {
      cidrBlock: n.cidr,
      availabilityZones: n.azs,
      natStrategy: n.natStrategy,
      gatewayEndpoints: n.gatewayEndpoints,
      interfaceEndpoints: n.interfaceEndpoints,
      flowLogs: n.flowLogs.enabled === false ? false : { retentionInDays: n.flowLogs.retentionInDays, trafficType: n.flowLogs.trafficType },
    },
    opts,
  );
}
