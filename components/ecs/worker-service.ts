import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { InfraComponent, idsWith } from "../component";
import { type Problem, throwIfProblems } from "../problems";
import { ServiceAutoscaling, serviceScalingArgs } from "./autoscaling";
import { stopTimeoutProblem } from "./fargate";
import { capacityStrategies, type CapacityProviderStrategyItem } from "./capacity";
import {
  createTaskSecurityGroup,
  type OneOffTaskSpec,
  type ServiceBaseArgs,
  serviceInputs,
  serviceNameProblems,
  type ServiceSettings,
  serviceSettingsProblems,
  serviceTaskArgs,
} from "./service-base";
import { FargateTaskDefinition, type FargateTaskDefinitionArgs, TASK_DEFAULTS } from "./task-definition";

/** CPU target tracking of a worker. */
export interface WorkerAutoscalingArgs {
  readonly minCount: number;
  readonly maxCount: number;
  /** @default 60 */
  readonly cpuTargetPercent?: number;
}

/** Arguments of a {@link WorkerService}. */
export interface WorkerServiceArgs extends ServiceBaseArgs {
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
  /**
   * `pulumi up` waits until a rollout is steady: a new revision that the circuit breaker rolls
   * back fails the up, and what depends on this service (the web switch) does not go ahead.
   * @default true
   */
  readonly waitForSteadyState?: boolean;
}

/** Every problem of a worker's args, each naming the argument. */
export function workerServiceProblems(args: WorkerServiceArgs): Problem[] {
  return [...serviceNameProblems(args.serviceName), ...workerSettingsProblems(args)];
}

/** A worker's own settings: a service's, and how it rolls and stops. */
export type WorkerSettings = ServiceSettings & Pick<WorkerServiceArgs, "minimumHealthyPercent" | "maximumPercent" | "stopTimeoutSeconds">;

/** Problems of a worker's settings, each naming the argument (the job platform checks its groups with it). */
export function workerSettingsProblems(args: WorkerSettings): Problem[] {
  const problems = serviceSettingsProblems(args);
  if (args.task.container.port !== undefined)
    problems.push({ field: "task.container.port", message: `${args.task.container.port}: a worker takes no traffic; use a BlueGreenService` });
  const min = args.minimumHealthyPercent ?? 100;
  const max = args.maximumPercent ?? 200;
  if (!Number.isInteger(min) || min < 0 || min > 100) problems.push({ field: "minimumHealthyPercent", message: `${min} is out of range (0-100)` });
  if (!Number.isInteger(max) || max < 100 || max > 200) problems.push({ field: "maximumPercent", message: `${max} is out of range (100-200)` });
  // With min 100 % the rollout can only add tasks; without room above 100 % it cannot start.
  if (min === 100 && max === 100)
    problems.push({ field: "maximumPercent", message: "100 with minimumHealthyPercent 100 leaves a rolling update no room to start a task" });
  const stop = args.stopTimeoutSeconds === undefined ? undefined : stopTimeoutProblem(args.stopTimeoutSeconds);
  if (stop) problems.push({ field: "stopTimeoutSeconds", message: stop });
  return problems;
}

/** The task of a worker: a service's, its container given the stop timeout. */
export function workerTaskArgs(args: WorkerServiceArgs, tags: Readonly<Record<string, string>>): FargateTaskDefinitionArgs {
  const task = serviceTaskArgs(args, tags);
  return { ...task, container: { ...task.container, stopTimeoutSeconds: args.stopTimeoutSeconds ?? 60 } };
}

/** A worker's ECS service inputs: ECS rolling updates, rolled back by the circuit breaker when the new tasks cannot start. */
export function workerServiceInputs(args: WorkerServiceArgs, taskDefinitionArn: pulumi.Input<string>, securityGroupId: pulumi.Input<string>) {
  return {
    ...serviceInputs(args, taskDefinitionArn, securityGroupId),
    desiredCount: args.desiredCount ?? args.autoscaling?.minCount ?? 1,
    deploymentController: { type: "ECS" },
    deploymentMinimumHealthyPercent: args.minimumHealthyPercent ?? 100,
    deploymentMaximumPercent: args.maximumPercent ?? 200,
    deploymentCircuitBreaker: { enable: true, rollback: true },
    waitForSteadyState: args.waitForSteadyState ?? true,
  } satisfies aws.ecs.ServiceArgs;
}

/**
 * A service with no load balancer (queue workers, schedulers): rolling updates with the
 * deployment circuit breaker rolling a failed update back, a graceful stop timeout, Spot where
 * the strategy allows it, CPU autoscaling, ECS Exec, and a security group with no ingress.
 */
export class WorkerService extends InfraComponent {
  /** The ECS service's name. */
  public readonly serviceName: pulumi.Output<string>;
  /** The tasks' own security group. */
  public readonly securityGroupId: pulumi.Output<string>;
  /** The task definition revision the service runs. */
  public readonly taskDefinitionArn: pulumi.Output<string>;
  /** The task role: what the workers may do. */
  public readonly taskRoleArn: pulumi.Output<string>;
  /** How to run a one-off task or a shell like this service's tasks. */
  public readonly oneOffTask: OneOffTaskSpec;

  constructor(name: string, args: WorkerServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    throwIfProblems("WorkerService", name, workerServiceProblems(args));
    super("infra:ecs:WorkerService", name, opts);
    const tags = args.tags ?? {};
    const task = this.child(FargateTaskDefinition, "task", workerTaskArgs(args, tags), undefined);
    // Workers call out (Redis, databases, APIs); nothing calls in.
    const group = createTaskSecurityGroup(
      this.child,
      { group: "sg", egress: "egress" },
      { vpcId: args.vpcId, description: `Workers of ${args.serviceName}: no ingress`, tags },
      args.transform,
    );

    const autoscaled = args.autoscaling !== undefined;
    const service = this.child(
      aws.ecs.Service,
      "service",
      workerServiceInputs(args, task.taskDefinitionArn, group.id),
      args.transform?.service,
      // What the component waits for, its service waits for too (a release's migration, say):
      // a component's dependencies do not hold back its children by themselves.
      { ...(autoscaled ? { ignoreChanges: ["desiredCount"] } : {}), ...(opts?.dependsOn ? { dependsOn: opts.dependsOn } : {}) },
    );
    if (args.autoscaling) {
      this.child(ServiceAutoscaling, "scaling", serviceScalingArgs(args.cluster.clusterName, service.name, args.autoscaling), undefined);
    }
    this.serviceName = service.name;
    this.securityGroupId = group.id;
    this.taskDefinitionArn = task.taskDefinitionArn;
    this.taskRoleArn = task.taskRoleArn;
    this.oneOffTask = {
      family: task.family,
      containerName: task.containerName,
      logGroupName: task.logGroupName,
      subnetIds: pulumi.output(args.subnetIds),
      securityGroupIds: idsWith(group.id, args.extraSecurityGroupIds),
      capacityProviderStrategy: capacityStrategies(args.capacityProviderStrategy),
      executeCommand: args.task.enableExecuteCommand ?? TASK_DEFAULTS.enableExecuteCommand,
      taskRoleArn: task.taskRoleArn,
      executionRoleArn: task.executionRoleArn,
    };
    this.registerOutputs({ serviceName: this.serviceName, securityGroupId: this.securityGroupId });
  }
}
