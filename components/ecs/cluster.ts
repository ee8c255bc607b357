import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type LogRetentionDays, retentionProblems } from "../aws-limits";
import { InfraComponent, type Transform } from "../component";
import { type Problem, throwIfProblems, notOneOf } from "../problems";
import { capacityStrategies, type CapacityProviderStrategyItem, strategyProblems } from "./capacity";

/** Container Insights: off, on, or with enhanced observability (per-task and per-container metrics). */
export const CONTAINER_INSIGHTS = ["disabled", "enabled", "enhanced"] as const;
export type ContainerInsights = (typeof CONTAINER_INSIGHTS)[number];

/** Arguments of a {@link Cluster}. */
export interface ClusterArgs {
  /** The cluster's name (1-255 letters, digits, `-`, `_`). */
  readonly clusterName: string;
  /** Container Insights: off, on, or with per-task and per-container metrics. @default "enhanced" */
  readonly containerInsights?: ContainerInsights;
  /** Days the ECS Exec audit log keeps each session's commands and output. @default 365 */
  readonly execLogRetentionInDays?: LogRetentionDays;
  /** Strategy of services that set none. @default [{ capacityProvider: "FARGATE", weight: 1, base: 1 }] */
  readonly defaultCapacityProviderStrategy?: readonly CapacityProviderStrategyItem[];
  /** Tags of every child. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  /** Changes to the args of its children before they are created (see {@link Transform}). @default none */
  readonly transform?: {
    readonly cluster?: Transform<aws.ecs.ClusterArgs>;
    readonly execLogGroup?: Transform<aws.cloudwatch.LogGroupArgs>;
    readonly capacityProviders?: Transform<aws.ecs.ClusterCapacityProvidersArgs>;
  };
}

const CLUSTER_NAME = /^[A-Za-z0-9_-]{1,255}$/;

/** Validates a cluster's args; throws naming the argument. */
function validateClusterArgs(name: string, args: ClusterArgs): void {
  const problems: Problem[] = [];
  if (!CLUSTER_NAME.test(args.clusterName))
    problems.push({ field: "clusterName", message: `${JSON.stringify(args.clusterName)} must be 1-255 letters, digits, - or _` });
  if (args.containerInsights !== undefined && !CONTAINER_INSIGHTS.includes(args.containerInsights)) {
    problems.push({ field: "containerInsights", message: notOneOf(args.containerInsights, CONTAINER_INSIGHTS) });
  }
  problems.push(...retentionProblems("execLogRetentionInDays", args.execLogRetentionInDays));
  problems.push(...strategyProblems("defaultCapacityProviderStrategy", args.defaultCapacityProviderStrategy));
  throwIfProblems("Cluster", name, problems);
}

/**
 * An ECS cluster for Fargate: Container Insights, FARGATE and FARGATE_SPOT capacity providers
 * with a default strategy, and ECS Exec whose sessions are audited to CloudWatch Logs.
 */
export class Cluster extends InfraComponent {
  /** The cluster's ARN: where services and tasks are placed. */
  public readonly clusterArn: pulumi.Output<string>;
  /** The cluster's name. */
  public readonly clusterName: pulumi.Output<string>;
  /** Log group of ECS Exec sessions; give it to task definitions (`executeCommandLogGroupArn`). */
  public readonly execLogGroupArn: pulumi.Output<string>;

  constructor(name: string, args: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    validateClusterArgs(name, args);
    super("infra:ecs:Cluster", name, opts);
    const tags = args.tags ?? {};
    const execLogs = this.child(
      aws.cloudwatch.LogGroup,
      "exec-audit",
      { retentionInDays: args.execLogRetentionInDays ?? 365, tags },
      args.transform?.execLogGroup,
    );
    const cluster = this.child(
      aws.ecs.Cluster,
      "cluster",
      {
        name: args.clusterName,
        settings: [{ name: "containerInsights", value: args.containerInsights ?? "enhanced" }],
        configuration: {
          executeCommandConfiguration: {
            // OVERRIDE: every session is logged to our group, not left to the task's defaults.
            logging: "OVERRIDE",
            logConfiguration: { cloudWatchLogGroupName: execLogs.name },
          },
        },
        tags,
      },
      args.transform?.cluster,
    );
    const capacity = this.child(
      aws.ecs.ClusterCapacityProviders,
      "capacity",
      {
        clusterName: cluster.name,
        capacityProviders: ["FARGATE", "FARGATE_SPOT"],
        defaultCapacityProviderStrategies: capacityStrategies(args.defaultCapacityProviderStrategy ?? [{ capacityProvider: "FARGATE", weight: 1, base: 1 }]),
      },
      args.transform?.capacityProviders,
    );
    // A service or task of the cluster names a capacity provider ECS accepts only once it is
    // associated ("capacity provider ... not associated with the cluster" otherwise): the ARN and
    // name a caller reads are known only after the association, so whatever takes them waits.
    this.clusterArn = pulumi.all([cluster.arn, capacity.clusterName]).apply(([arn]) => arn);
    this.clusterName = capacity.clusterName;
    this.execLogGroupArn = execLogs.arn;
    this.registerOutputs({ clusterArn: this.clusterArn, clusterName: this.clusterName });
  }
}
