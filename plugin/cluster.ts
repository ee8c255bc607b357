import * as pulumi from "@pulumi/pulumi";
import type { LogRetentionDays } from "../components/aws-limits";
import { Cluster as LibraryCluster, type ClusterArgs as LibraryClusterArgs } from "../components/ecs";
import { type CapacityProviderStrategy, libraryStrategy } from "./shared";
import { absentArgs, checkedByComponent, publish, TRANSFORM_ABSENT } from "./values";

/** Arguments of a Cluster. */
export interface ClusterArgs {
  /** The cluster's name (1-255 letters, digits, `-`, `_`). */
  clusterName: string;
  /** Container Insights: disabled, enabled or enhanced (per-task and per-container metrics). Default: enhanced. */
  containerInsights?: string;
  /** Days the ECS Exec audit log keeps each session's commands and output. Default: 365. */
  execLogRetentionInDays?: number;
  /** Strategy of the services that set none. Default: FARGATE, weight 1, base 1. */
  defaultCapacityProviderStrategy?: CapacityProviderStrategy[];
  /** Tags of every child. Default: none. */
  tags?: Record<string, string>;
}

/** The library's args of a Cluster that the plugin does not take, and why. */
export const CLUSTER_ABSENT_ARGS = absentArgs<LibraryClusterArgs, ClusterArgs>({
  transform: TRANSFORM_ABSENT,
});

/** The library's args of a Cluster, from the multi-language ones. */
export function libraryClusterArgs(args: ClusterArgs): LibraryClusterArgs {
  return {
    clusterName: args.clusterName,
    containerInsights: checkedByComponent(args.containerInsights),
    execLogRetentionInDays: args.execLogRetentionInDays as LogRetentionDays | undefined,
    defaultCapacityProviderStrategy: libraryStrategy(args.defaultCapacityProviderStrategy),
    tags: args.tags,
  };
}

/** An ECS cluster with Container Insights, Fargate capacity providers and an ECS Exec audit log: the library's Cluster, for every Pulumi language. */
export class Cluster extends pulumi.ComponentResource {
  /** The cluster's ARN. */
  clusterArn!: pulumi.Output<string>;
  /** The cluster's name. */
  clusterName!: pulumi.Output<string>;
  /** The ARN of the ECS Exec audit log group. */
  execLogGroupArn!: pulumi.Output<string>;

  constructor(name: string, args: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("infra:index:Cluster", name, {}, opts);
    const cluster = new LibraryCluster(name, libraryClusterArgs(args), { parent: this });
    this.registerOutputs(
      publish(this, {
        clusterArn: cluster.clusterArn,
        clusterName: cluster.clusterName,
        execLogGroupArn: cluster.execLogGroupArn,
      }),
    );
  }
}
