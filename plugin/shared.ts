// Arg types several components of the plugin share.
import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { CapacityProviderStrategyItem } from "../components/ecs";
import { checkedByComponent } from "./values";

/** One entry of an ECS capacity provider strategy. */
export interface CapacityProviderStrategy {
  /** FARGATE or FARGATE_SPOT. */
  capacityProvider: string;
  /** Relative share of tasks beyond the base; at least one entry needs a weight above 0. */
  weight: number;
  /** Tasks placed on this provider first. Default: 0. */
  base?: number;
}

/** An IAM policy statement. */
export interface PolicyStatement {
  /** Allow or Deny. Default: Allow. */
  effect?: string;
  /** The actions, `service:Action`, wildcards allowed. */
  actions: string[];
  /** The resources' ARNs. */
  resources: pulumi.Input<string>[];
}

/** The ids of an existing ECS cluster a service runs in. */
export interface ClusterRef {
  /** The cluster's ARN. */
  clusterArn: pulumi.Input<string>;
  /** The cluster's name. */
  clusterName: pulumi.Input<string>;
  /** The ARN of the cluster's ECS Exec audit log group, when the service allows a shell. Default: none. */
  execLogGroupArn?: pulumi.Input<string>;
}

/** An IAM statement as the library's components take it. */
export function libraryStatement(statement: PolicyStatement): aws.iam.PolicyStatement {
  return { Effect: statement.effect === "Deny" ? "Deny" : "Allow", Action: statement.actions, Resource: statement.resources };
}

/** A capacity provider strategy as the library's components take it (they check each provider). */
export function libraryStrategy(strategy: CapacityProviderStrategy[] | undefined): CapacityProviderStrategyItem[] | undefined {
  return strategy?.map((s) => ({ ...s, capacityProvider: checkedByComponent(s.capacityProvider) }));
}
