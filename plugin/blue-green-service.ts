import * as pulumi from "@pulumi/pulumi";
import { Release, type ReleaseArgs, releaseProblems } from "../components/deploy";
import { throwIfProblems } from "../components/problems";
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

/** How a blue/green release behaves. */
export interface BlueGreenDeployment {
  /** How traffic moves: a CodeDeployDefault.ECS* config. Default: CodeDeployDefault.ECSAllAtOnce (old and new code never serve together). */
  config?: string;
  /** Minutes the old task set is kept after the switch, for an instant rollback (0-2880). Default: 2. */
  terminationWaitMinutes?: number;
  /** Minutes to wait, once the new tasks are healthy behind the test listener, for someone to continue (0-2880); 0 switches at once. Default: 0. */
  readyWaitMinutes?: number;
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
  /** How CodeDeploy moves traffic and how long it keeps the old tasks. Default: all at once, old tasks kept 2 minutes. */
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
    deployment: args.deployment && { ...args.deployment, config: checkedByComponent(args.deployment.config) },
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
  /** The CodeDeploy application. */
  applicationName!: pulumi.Output<string>;
  /** The CodeDeploy deployment group. */
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
    const service = new LibraryBlueGreenService(name, libraryBlueGreenServiceArgs(args), { parent: this });
    const release = args.release && new Release(`${name}-release`, libraryReleaseArgs(service, args.serviceName, args.release), { parent: this });
    this.registerOutputs(
      publish(this, {
        serviceName: service.serviceName,
        clusterName: service.clusterName,
        applicationName: service.applicationName,
        deploymentGroupName: service.deploymentGroupName,
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
