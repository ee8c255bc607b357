import * as pulumi from "@pulumi/pulumi";
import { Release, type ReleaseArgs, releaseProblems } from "../components/deploy";
import { throwIfProblems } from "../components/problems";
import { laterResources } from "../components/component";
import { BlueGreenService as LibraryBlueGreenService, type BlueGreenServiceArgs as LibraryBlueGreenServiceArgs } from "../components/ecs";
import { type CapacityProviderStrategy, type ClusterRef, libraryStrategy } from "./shared";
import { libraryTaskArgs, type TaskSettings } from "./task-definition";
import { absentArgs, checkedByComponent, LIBRARY_ROOT, publish, TRANSFORM_ABSENT } from "./values";

/** The ids of the ALB a BlueGreenService serves behind: a LoadBalancer's outputs, or an existing ALB's. */
export interface LoadBalancerRef {
  /** The ALB's ARN. */
  loadBalancerArn: pulumi.Input<string>;
  /** `app/<name>/<id>`, the ALB's ARN suffix (its CloudWatch dimension). */
  arnSuffix: pulumi.Input<string>;
  /** The ALB's security group: the tasks accept traffic from it only. */
  securityGroupId: pulumi.Input<string>;
  /** The certificate of the HTTPS listeners the service creates. */
  certificateArn: pulumi.Input<string>;
  /** TLS policy of those listeners, TLS 1.2 and above only (a LoadBalancer's `sslPolicy`). Default: ELBSecurityPolicy-TLS13-1-2-2021-06. */
  sslPolicy?: string;
  /** The test listener's port, other than 80 and 443 (a LoadBalancer's `testListener.port`). Default: 8443. */
  testPort?: number;
}

/** Target tracking bounds of a web service. */
export interface WebAutoscaling {
  /** Fewest tasks. */
  minCount: number;
  /** Most tasks. */
  maxCount: number;
  /** Average CPU to hold, in percent. Default: 60. */
  cpuTargetPercent?: number;
  /** Requests per task per minute to hold, measured over both target groups. Default: none. */
  requestsPerTarget?: number;
}

/** The target groups' health check. */
export interface TargetHealthCheck {
  /** Path of the health endpoint; starts with `/`. Default: /healthz. */
  path?: string;
  /** Seconds between checks (5-300). Default: 10. */
  intervalSeconds?: number;
  /** Seconds before a check fails (2-120, less than the interval). Default: 5. */
  timeoutSeconds?: number;
  /** Consecutive successes to become healthy (2-10). Default: 2. */
  healthyThreshold?: number;
  /** Consecutive failures to become unhealthy (2-10). Default: 2. */
  unhealthyThreshold?: number;
  /** HTTP codes that count as healthy (`200`, `200-299`, `200,204`). Default: 200-399. */
  matcher?: string;
}

/** A canary release under the ECS controller. */
export interface CanaryDeployment {
  /** Percent of production traffic on the new tasks first (0.1-100). Default: 10. */
  percent?: number;
  /** Minutes before the rest moves (0-1440). Default: 5. */
  bakeMinutes?: number;
}

/** A linear release under the ECS controller. */
export interface LinearDeployment {
  /** Percent of production traffic moved at each step (3-100). Default: 10. */
  stepPercent?: number;
  /** Minutes between two steps (0-1440). Default: 1. */
  stepMinutes?: number;
}

/** How a blue/green release behaves. */
export interface BlueGreenDeployment {
  /** Who releases the service: codeDeploy or ecs (ECS's own blue/green; the service's update is the release). Default: codeDeploy. */
  controller?: string;
  /** With codeDeploy: how traffic moves, a CodeDeployDefault.ECS* config. Default: CodeDeployDefault.ECSAllAtOnce (old and new code never serve together). */
  config?: string;
  /** With ecs: allAtOnce, canary or linear. Default: allAtOnce (old and new code never serve together). */
  strategy?: string;
  /** With ecs and the canary strategy. Default: 10 percent, the rest after 5 minutes. */
  canary?: CanaryDeployment;
  /** With ecs and the linear strategy. Default: 10 percent every minute. */
  linear?: LinearDeployment;
  /** Minutes the old tasks are kept after the switch, for an instant rollback (CodeDeploy 0-2880, ECS 0-1440). Default: 2. */
  terminationWaitMinutes?: number;
  /** Minutes to wait, once the new tasks are healthy behind the test listener, for someone to continue (0-2880); 0 switches at once. Default: 0. */
  readyWaitMinutes?: number;
  /** What a gate nobody answers does: rollback, or (ecs only) continue. Default: rollback. */
  readyTimeoutAction?: string;
}

/** The alarms that stop and roll back a release. */
export interface ReleaseAlarms {
  /** Target 5xx responses per minute that stop a release. Default: 10. */
  target5xxPerMinute?: number;
}

/** The lock table and event topic of a stack's releases: a ReleasePlatform's outputs. */
export interface ReleasePlatformRef {
  /** The lock table's name. */
  lockTableName: pulumi.Input<string>;
  /** The topic of release events. */
  topicArn: pulumi.Input<string>;
}

/** A command run as a one-off task of the new revision during a release. */
export interface OneOffCommand {
  /** The command, as words (`["bin/rails", "db:migrate"]`). */
  command: string[];
  /** Minutes it may run before the release fails. Default: 30. */
  timeoutMinutes?: number;
}

/** How a BlueGreenService is released inside `pulumi up` when its task definition changes. */
export interface ServiceRelease {
  /** The environment's name in the lock's key, the messages and the commands an operator is told to run (`prd`). */
  stack: string;
  /** The service's name in the same places. Default: the service's serviceName. */
  serviceKey?: string;
  /** What is released (the image), for the notifications. */
  image: pulumi.Input<string>;
  /** The AWS region of the service. */
  region: pulumi.Input<string>;
  /** The stack's lock table and event topic. */
  platform: ReleasePlatformRef;
  /** Minutes the lock stays after a successful release (0-1440). Default: 0. */
  holdMinutes?: number;
  /** Minutes a release waits for CodeDeploy before it gives up (1-1440). Default: 60. */
  timeoutMinutes?: number;
  /** completed (CodeDeploy succeeded, after the termination wait) or switched (production traffic moved). Default: completed. */
  waitFor?: string;
  /** Seconds between two polls (1-300). Default: 15. */
  pollSeconds?: number;
  /** Run before any traffic moves; a failure stops the release. Default: none. */
  migration?: OneOffCommand;
  /** Run once production traffic is on the new tasks. Default: none. */
  postRelease?: OneOffCommand;
}

/** Arguments of a BlueGreenService. */
export interface BlueGreenServiceArgs {
  /** ECS service name (1-255 letters, digits, `-`, `_`). */
  serviceName: string;
  /** The cluster the service runs in. */
  cluster: ClusterRef;
  /** The ALB the service serves behind; the service creates and owns its HTTPS production and test listeners, so one ALB serves one service. */
  loadBalancer: LoadBalancerRef;
  /** The VPC of the tasks' security group. */
  vpcId: pulumi.Input<string>;
  /** Private subnets the tasks run in (no public IP). */
  subnetIds: pulumi.Input<string>[];
  /** The task: image, size, container, sidecars, permissions. */
  task: TaskSettings;
  /** Tasks to run when not autoscaled, or the first count when autoscaled. Default: 2. */
  desiredCount?: number;
  /** Target tracking bounds. Default: no autoscaling. */
  autoscaling?: WebAutoscaling;
  /** Where the tasks run: on-demand Fargate, Spot, or both by weight. Default: FARGATE, weight 1. */
  capacityProviderStrategy?: CapacityProviderStrategy[];
  /** The target groups' health check. Default: /healthz every 10 s, healthy after 2 checks. */
  healthCheck?: TargetHealthCheck;
  /** Seconds an old target keeps its connections while draining. Default: 30. */
  deregistrationDelaySeconds?: number;
  /** Seconds ECS ignores failing load balancer checks of a new task. Default: 30. */
  healthCheckGracePeriodSeconds?: number;
  /** Who releases the service, how traffic moves, how long the old tasks are kept, the gate. Default: CodeDeploy, all at once, old tasks kept 2 minutes, no gate. */
  deployment?: BlueGreenDeployment;
  /** The alarms that stop and roll back a release. Default: 10 target 5xx per minute. */
  alarms?: ReleaseAlarms;
  /** More security groups of the tasks, e.g. a Redis client group. Default: none. */
  extraSecurityGroupIds?: pulumi.Input<string>[];
  /**
   * Release the service inside `pulumi up` when its task definition changes: lock, migration,
   * CodeDeploy, progress, rollback on failure (the library's Release). Default: no release
   * (a new revision is registered; CodeDeploy is left to the team).
   */
  release?: ServiceRelease;
  /** Tags of every child. Default: none. */
  tags?: Record<string, string>;
}

/** The library's args of a BlueGreenService that the plugin does not take, and why. */
export const BLUE_GREEN_SERVICE_ABSENT_ARGS = absentArgs<LibraryBlueGreenServiceArgs, BlueGreenServiceArgs>({
  transform: TRANSFORM_ABSENT,
  rolloutAfter: "wired by the component: with controller ecs and a release, the service rolls after the release's migration",
});

/** The library's args of a BlueGreenService, from the multi-language ones. */
export function libraryBlueGreenServiceArgs(args: BlueGreenServiceArgs): LibraryBlueGreenServiceArgs {
  const lb = args.loadBalancer;
  return {
    serviceName: args.serviceName,
    cluster: args.cluster,
    loadBalancer: { ...lb, sslPolicy: checkedByComponent(lb.sslPolicy) },
    vpcId: args.vpcId,
    subnetIds: args.subnetIds,
    task: libraryTaskArgs(args.task),
    desiredCount: args.desiredCount,
    autoscaling: args.autoscaling,
    capacityProviderStrategy: libraryStrategy(args.capacityProviderStrategy),
    healthCheck: args.healthCheck,
    deregistrationDelaySeconds: args.deregistrationDelaySeconds,
    healthCheckGracePeriodSeconds: args.healthCheckGracePeriodSeconds,
    deployment: args.deployment && {
      ...args.deployment,
      controller: checkedByComponent(args.deployment.controller),
      config: checkedByComponent(args.deployment.config),
      strategy: checkedByComponent(args.deployment.strategy),
      readyTimeoutAction: checkedByComponent(args.deployment.readyTimeoutAction),
    },
    alarms: args.alarms,
    extraSecurityGroupIds: args.extraSecurityGroupIds,
    tags: args.tags,
  };
}

/**
 * The library's args of a service's Release. Its two commands run from this repository's root,
 * where the plugin's copy of the release tool is: the program's directory is elsewhere.
 */
export function libraryReleaseArgs(service: LibraryBlueGreenService, serviceName: string, release: ServiceRelease): ReleaseArgs {
  const { platform } = release;
  return {
    stack: release.stack,
    serviceKey: release.serviceKey ?? serviceName,
    service,
    image: release.image,
    region: release.region,
    platform: { lockTableName: pulumi.output(platform.lockTableName), topicArn: pulumi.output(platform.topicArn) },
    ...releaseSettings(release),
    commandDirectory: LIBRARY_ROOT,
  };
}

/** What the library's release checks of its settings and commands. */
function releaseSettings(release: ServiceRelease): Pick<ReleaseArgs, "settings" | "migration" | "postRelease"> {
  const { migration, postRelease } = release;
  return {
    settings: {
      holdMinutes: release.holdMinutes,
      timeoutMinutes: release.timeoutMinutes,
      waitFor: checkedByComponent(release.waitFor),
      pollSeconds: release.pollSeconds,
    },
    ...(migration ? { migration } : {}),
    ...(postRelease ? { postRelease } : {}),
  };
}

/**
 * A web service released blue/green by CodeDeploy behind an ALB with two target groups: 100 % of
 * traffic at once by default, old tasks kept 2 minutes for an instant rollback, automatic rollback
 * on failure and on its 5xx alarm. The library's BlueGreenService, for every Pulumi language.
 */
export class BlueGreenService extends pulumi.ComponentResource {
  /** The ECS service's name. */
  serviceName!: pulumi.Output<string>;
  /** The cluster's name. */
  clusterName!: pulumi.Output<string>;
  /** The CodeDeploy application; empty under the ECS controller. */
  applicationName!: pulumi.Output<string>;
  /** The CodeDeploy deployment group; empty under the ECS controller. */
  deploymentGroupName!: pulumi.Output<string>;
  /** The task definition the stack declares (a release makes it the running one). */
  taskDefinitionArn!: pulumi.Output<string>;
  /** The task definition family. */
  family!: pulumi.Output<string>;
  /** The app container's name. */
  containerName!: pulumi.Output<string>;
  /** The port the app container listens on. */
  containerPort!: pulumi.Output<number>;
  /** The tasks' security group. */
  securityGroupId!: pulumi.Output<string>;
  /** With `release`: what the release tool is given, as JSON (export it for the operating commands); empty without. */
  releaseTarget!: pulumi.Output<string>;

  constructor(name: string, args: BlueGreenServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("infra:index:BlueGreenService", name, {}, opts);
    // The release's own checks first: a bad setting must not leave a service without its release.
    if (args.release) throwIfProblems("Release", `${name}-release`, releaseProblems(releaseSettings(args.release)));
    // Under ECS the service's update is the release: it rolls after the release's migration.
    const migration = args.release && args.deployment?.controller === "ecs" ? laterResources() : undefined;
    const service = new LibraryBlueGreenService(
      name,
      { ...libraryBlueGreenServiceArgs(args), ...(migration ? { rolloutAfter: migration.resources } : {}) },
      { parent: this },
    );
    const release = args.release && new Release(`${name}-release`, libraryReleaseArgs(service, args.serviceName, args.release), { parent: this });
    if (migration && release) migration.resolve([release.prepared]);
    this.registerOutputs(
      publish(this, {
        serviceName: service.serviceName,
        clusterName: service.clusterName,
        applicationName: service.applicationName ?? pulumi.output(""),
        deploymentGroupName: service.deploymentGroupName ?? pulumi.output(""),
        taskDefinitionArn: service.taskDefinitionArn,
        family: pulumi.output(service.family),
        containerName: pulumi.output(service.containerName),
        containerPort: pulumi.output(service.containerPort),
        securityGroupId: service.securityGroupId,
        releaseTarget: release ? pulumi.jsonStringify(release.target) : pulumi.output(""),
      }),
    );
  }
}
