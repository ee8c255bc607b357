import * as pulumi from "@pulumi/pulumi";
import { WorkerService as LibraryWorkerService, type WorkerServiceArgs as LibraryWorkerServiceArgs } from "../components/ecs";
import { type CapacityProviderStrategy, type ClusterRef, libraryStrategy } from "./shared";
import { libraryTaskArgs, type TaskSettings } from "./task-definition";
import { absentArgs, publish, TRANSFORM_ABSENT } from "./values";

/** Target tracking bounds of a worker service. */
export interface WorkerAutoscaling {
  /** Fewest tasks. */
  minCount: number;
  /** Most tasks. */
  maxCount: number;
  /** Average CPU to hold, in percent. Default: 60. */
  cpuTargetPercent?: number;
}

/** Arguments of a WorkerService. */
export interface WorkerServiceArgs {
  /** ECS service name (1-255 letters, digits, `-`, `_`). */
  serviceName: string;
  /** The cluster the service runs in. */
  cluster: ClusterRef;
  /** The VPC of the tasks' security group. */
  vpcId: pulumi.Input<string>;
  /** Private subnets the tasks run in (no public IP). */
  subnetIds: pulumi.Input<string>[];
  /** The task: image, size, container, sidecars, permissions. */
  task: TaskSettings;
  /** Tasks when not autoscaled, or the first count when autoscaled. Default: 1. */
  desiredCount?: number;
  /** Target tracking bounds. Default: no autoscaling. */
  autoscaling?: WorkerAutoscaling;
  /** Rolling update: tasks kept running, in % of the desired count. Default: 100. */
  minimumHealthyPercent?: number;
  /** Rolling update: tasks allowed at once, in % of the desired count. Default: 200. */
  maximumPercent?: number;
  /** Seconds a task has to finish its job after SIGTERM before SIGKILL (at most Fargate's 120). Default: 60. */
  stopTimeoutSeconds?: number;
  /** Where the tasks run: FARGATE, FARGATE_SPOT, or both by weight. Default: FARGATE, weight 1. */
  capacityProviderStrategy?: CapacityProviderStrategy[];
  /** `pulumi up` waits until a rollout is steady, and fails when the circuit breaker rolls it back. Default: true. */
  waitForSteadyState?: boolean;
  /** More security groups of the tasks, e.g. a Redis client group. Default: none. */
  extraSecurityGroupIds?: pulumi.Input<string>[];
  /** Tags of every child. Default: none. */
  tags?: Record<string, string>;
}

/** The library's args of a WorkerService that the plugin does not take, and why. */
export const WORKER_SERVICE_ABSENT_ARGS = absentArgs<LibraryWorkerServiceArgs, WorkerServiceArgs>({
  transform: TRANSFORM_ABSENT,
});

/** The library's args of a WorkerService, from the multi-language ones. */
export function libraryWorkerServiceArgs(args: WorkerServiceArgs): LibraryWorkerServiceArgs {
  return {
    ...args,
    task: libraryTaskArgs(args.task),
    capacityProviderStrategy: libraryStrategy(args.capacityProviderStrategy),
  };
}

/**
 * A queue worker on Fargate with no load balancer: rolling updates behind the deployment circuit
 * breaker, a stop timeout for the job in hand, optional CPU autoscaling. The library's
 * WorkerService, for every Pulumi language.
 */
export class WorkerService extends pulumi.ComponentResource {
  /** The ECS service's name. */
  serviceName!: pulumi.Output<string>;
  /** The tasks' security group. */
  securityGroupId!: pulumi.Output<string>;
  /** The task definition the service runs. */
  taskDefinitionArn!: pulumi.Output<string>;
  /** The role the app runs with. */
  taskRoleArn!: pulumi.Output<string>;

  constructor(name: string, args: WorkerServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("infra:index:WorkerService", name, {}, opts);
    const service = new LibraryWorkerService(name, libraryWorkerServiceArgs(args), { parent: this });
    this.registerOutputs(
      publish(this, {
        serviceName: service.serviceName,
        securityGroupId: service.securityGroupId,
        taskDefinitionArn: service.taskDefinitionArn,
        taskRoleArn: service.taskRoleArn,
      }),
    );
  }
}
