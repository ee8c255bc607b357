import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { InfraComponent } from "../component";
import { type Problem, throwIfProblems, under } from "../problems";
import { scalingProblems, ServiceAutoscaling } from "./autoscaling";
import type { ServiceClusterRef } from "./blue-green-service";
import type { CapacityProviderStrategyItem } from "./cluster";
import { FARGATE_MAX_STOP_TIMEOUT } from "./fargate";
import { FargateTaskDefinition, type FargateTaskDefinitionArgs, taskDefinitionProblems } from "./task-definition";

/** CPU target tracking of a worker. */
export interface WorkerAutoscalingArgs {
  readonly minCount: number;
  readonly maxCount: number;
  /** @default 60 */
  readonly cpuTargetPercent?: number;
}

/** Arguments of a {@link WorkerService}. */
export interface WorkerServiceArgs {
  /** ECS service name (1-255 letters, digits, `-`, `_`). */
  readonly serviceName: string;
  readonly cluster: ServiceClusterRef;
  readonly vpcId: pulumi.Input<string>;
  /** Private subnets (no public IP). */
  readonly subnetIds: pulumi.Input<string>[];
  /** The task; a worker listens on no port. */
  readonly task: Omit<FargateTaskDefinitionArgs, "tags" | "executeCommandLogGroupArn">;
  /** Tasks when not autoscaled, or the first count when autoscaled. @default 1 */
  readonly desiredCount?: number;
  /** @default no autoscaling */
  readonly autoscaling?: WorkerAutoscalingArgs;
  /** Rolling update: tasks kept running, in % of the desired count. @default 100 */
  readonly minimumHealthyPercent?: number;
  /** Rolling update: tasks allowed at once, in % of the desired count. @default 200 */
  readonly maximumPercent?: number;
  /**
   * Seconds a task has to finish its job after SIGTERM before SIGKILL (at most Fargate's 120).
   * @default 60
   */
  readonly stopTimeoutSeconds?: number;
  /** FARGATE_SPOT is allowed here. @default [{ capacityProvider: "FARGATE", weight: 1 }] */
  readonly capacityProviderStrategy?: readonly CapacityProviderStrategyItem[];
  /** More security groups of the tasks, e.g. a Redis client group. @default [] */
  readonly extraSecurityGroupIds?: pulumi.Input<string>[];
  /** @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

const SERVICE_NAME = /^[A-Za-z0-9_-]{1,255}$/;

/** Every problem of a worker's args, each naming the argument. */
export function workerServiceProblems(args: WorkerServiceArgs): Problem[] {
  const problems: Problem[] = [];
  if (!SERVICE_NAME.test(args.serviceName)) problems.push({ field: "serviceName", message: `${JSON.stringify(args.serviceName)} must be 1-255 letters, digits, - or _` });
  problems.push(...under("task", taskDefinitionProblems(args.task)));
  if (args.task.container.port !== undefined) problems.push({ field: "task.container.port", message: `${args.task.container.port}: a worker takes no traffic; use a BlueGreenService` });
  const desired = args.desiredCount;
  if (desired !== undefined && (!Number.isInteger(desired) || desired < 0)) problems.push({ field: "desiredCount", message: `${desired} must be a whole number, at least 0` });
  if (args.autoscaling) problems.push(...under("autoscaling", scalingProblems(args.autoscaling)));
  const min = args.minimumHealthyPercent ?? 100;
  const max = args.maximumPercent ?? 200;
  if (!Number.isInteger(min) || min < 0 || min > 100) problems.push({ field: "minimumHealthyPercent", message: `${min} is out of range (0-100)` });
  if (!Number.isInteger(max) || max < 100 || max > 200) problems.push({ field: "maximumPercent", message: `${max} is out of range (100-200)` });
  // With min 100 % the rollout can only add tasks; without room above 100 % it cannot start.
  if (min === 100 && max === 100) problems.push({ field: "maximumPercent", message: "100 with minimumHealthyPercent 100 leaves a rolling update no room to start a task" });
  const stop = args.stopTimeoutSeconds;
  if (stop !== undefined && (!Number.isInteger(stop) || stop < 2 || stop > FARGATE_MAX_STOP_TIMEOUT)) {
    problems.push({ field: "stopTimeoutSeconds", message: `${stop} is out of range (2-${FARGATE_MAX_STOP_TIMEOUT}, Fargate's maximum)` });
  }
  const strategy = args.capacityProviderStrategy;
  if (strategy && (strategy.length === 0 || strategy.every((s) => s.weight <= 0))) {
    problems.push({ field: "capacityProviderStrategy", message: "needs at least one provider with a weight above 0" });
  }
  return problems;
}

/**
 * A service with no load balancer (queue workers, schedulers): rolling updates with the
 * deployment circuit breaker rolling a failed update back, a graceful stop timeout, Spot where
 * the strategy allows it, CPU autoscaling, ECS Exec, and a security group with no ingress.
 */
export class WorkerService extends InfraComponent {
  public readonly serviceName: pulumi.Output<string>;
  public readonly securityGroupId: pulumi.Output<string>;
  public readonly taskDefinitionArn: pulumi.Output<string>;
  public readonly taskRoleArn: pulumi.Output<string>;

  constructor(name: string, args: WorkerServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    throwIfProblems("WorkerService", name, workerServiceProblems(args));
    super("infra:ecs:WorkerService", name, opts);
    const tags = args.tags ?? {};
    const task = new FargateTaskDefinition(
      this.childName("task"),
      {
        ...args.task,
        container: { ...args.task.container, stopTimeoutSeconds: args.stopTimeoutSeconds ?? 60 },
        tags,
        ...(args.cluster.execLogGroupArn ? { executeCommandLogGroupArn: args.cluster.execLogGroupArn } : {}),
      },
      { parent: this },
    );
    const group = new aws.ec2.SecurityGroup(this.childName("sg"), { vpcId: args.vpcId, description: `Workers of ${args.serviceName}: no ingress`, tags }, this.childOpts());
    // Workers call out (Redis, databases, APIs); nothing calls in.
    new aws.vpc.SecurityGroupEgressRule(this.childName("egress"), { securityGroupId: group.id, ipProtocol: "-1", cidrIpv4: "0.0.0.0/0", description: "Outbound", tags }, this.childOpts());

    const autoscaled = args.autoscaling !== undefined;
    const service = new aws.ecs.Service(
      this.childName("service"),
      {
        name: args.serviceName,
        cluster: args.cluster.clusterArn,
        taskDefinition: task.taskDefinitionArn,
        desiredCount: args.desiredCount ?? args.autoscaling?.minCount ?? 1,
        deploymentController: { type: "ECS" },
        deploymentMinimumHealthyPercent: args.minimumHealthyPercent ?? 100,
        deploymentMaximumPercent: args.maximumPercent ?? 200,
        deploymentCircuitBreaker: { enable: true, rollback: true },
        capacityProviderStrategies: (args.capacityProviderStrategy ?? [{ capacityProvider: "FARGATE", weight: 1 }]).map((s) => ({
          capacityProvider: s.capacityProvider,
          weight: s.weight,
          base: s.base ?? 0,
        })),
        platformVersion: "LATEST",
        networkConfiguration: { subnets: args.subnetIds, securityGroups: [group.id, ...(args.extraSecurityGroupIds ?? [])], assignPublicIp: false },
        enableExecuteCommand: args.task.enableExecuteCommand ?? true,
        enableEcsManagedTags: true,
        propagateTags: "SERVICE",
        tags,
      },
      this.childOpts(autoscaled ? { ignoreChanges: ["desiredCount"] } : {}),
    );
    if (args.autoscaling) {
      new ServiceAutoscaling(
        this.childName("scaling"),
        {
          clusterName: args.cluster.clusterName,
          serviceName: service.name,
          minCount: args.autoscaling.minCount,
          maxCount: args.autoscaling.maxCount,
          ...(args.autoscaling.cpuTargetPercent !== undefined ? { cpuTargetPercent: args.autoscaling.cpuTargetPercent } : {}),
        },
        { parent: this },
      );
    }
    this.serviceName = service.name;
    this.securityGroupId = group.id;
    this.taskDefinitionArn = task.taskDefinitionArn;
    this.taskRoleArn = task.taskRoleArn;
    this.registerOutputs({ serviceName: this.serviceName, securityGroupId: this.securityGroupId });
  }
}
