import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { InfraComponent, type Transform, idsWith } from "../component";
import { type Problem, throwIfProblems, under } from "../problems";
import {
  type BlueGreenDeploymentArgs,
  DEPLOYMENT_DEFAULTS,
  type DeploymentController,
  deploymentProblems,
  type EcsStrategy,
  trafficShiftMinutes,
} from "../deploy/deployment";
import { createBlueGreenDeployment } from "../deploy/codedeploy-group";
import { createEcsBlueGreen } from "../deploy/ecs-deployment";
import { HEALTH_CHECK_DEFAULTS, healthCheckProblems, type TargetHealthCheckArgs } from "../loadbalancing/health-check";
import { type ExistingLoadBalancer, existingLoadBalancerProblems, LoadBalancer, listenerSettingsOf } from "../loadbalancing/load-balancer";
import { ServiceAutoscaling, serviceScalingArgs } from "./autoscaling";
import { capacityStrategies } from "./capacity";
import {
  type Colour,
  colourVariantProblems,
  COLOURS,
  createTaskSecurityGroup,
  type OneOffTaskSpec,
  type ServiceBaseArgs,
  serviceBaseProblems,
  serviceInputs,
  serviceTaskArgs,
  type ServiceTransform,
} from "./service-base";
import { FargateTaskDefinition, TASK_DEFAULTS } from "./task-definition";

/** Target tracking bounds of a web service. */
export interface WebAutoscalingArgs {
  readonly minCount: number;
  readonly maxCount: number;
  /** @default 60 */
  readonly cpuTargetPercent?: number;
  /** Requests per task per minute to hold, measured over both target groups. @default none */
  readonly requestsPerTarget?: number;
}

/** Alarms CodeDeploy watches during a release (and after: they page too). */
export interface ReleaseAlarmArgs {
  /** Target 5xx responses per minute that stop a release. @default 10 */
  readonly target5xxPerMinute?: number;
}

/** Arguments of a {@link BlueGreenService}. */
export interface BlueGreenServiceArgs extends ServiceBaseArgs {
  /**
   * The service's own load balancer, whose HTTPS listeners the service creates and owns: a
   * {@link LoadBalancer}, or an existing ALB (a team's own, another stack's) by its ids.
   */
  readonly loadBalancer: LoadBalancer | ExistingLoadBalancer;
  /** Tasks to run when not autoscaled, or the first count when autoscaled. @default 2 */
  readonly desiredCount?: number;
  /** @default no autoscaling */
  readonly autoscaling?: WebAutoscalingArgs;
  /** The target groups' health check. @default HEALTH_CHECK_DEFAULTS: "/healthz" every 10 s, healthy after 2 checks */
  readonly healthCheck?: TargetHealthCheckArgs;
  /** Seconds an old target keeps its connections while draining. @default 30 (AWS: 300) */
  readonly deregistrationDelaySeconds?: number;
  /** Seconds ECS ignores failing load balancer checks of a new task. @default 30 */
  readonly healthCheckGracePeriodSeconds?: number;
  /** Who releases the service (CodeDeploy or ECS), how traffic moves, how long the old tasks are kept, the gate. @default CodeDeploy, all at once, old tasks kept 2 minutes, no gate */
  readonly deployment?: BlueGreenDeploymentArgs;
  /**
   * With `deployment.controller: ecs`: what the ECS service and its listener rules wait for before
   * they change (the release's checks and migration, the workers), since under ECS the update of
   * the service is the release. Under CodeDeploy the release tool deploys, after its own steps.
   * @default nothing
   */
  readonly rolloutAfter?: pulumi.Input<pulumi.Input<pulumi.Resource>[]>;
  /** The alarms that stop and roll back a release. @default 10 target 5xx per minute */
  readonly alarms?: ReleaseAlarmArgs;
  /**
   * More security groups of the tasks, e.g. a Redis client group. Like the subnets, a change
   * takes effect through a release (CodeDeploy owns the network configuration).
   * @default []
   */
  readonly extraSecurityGroupIds?: pulumi.Input<pulumi.Input<string>[]>;
  /** Changes to the args of its children before they are created (see {@link Transform}; the task definition's: `task.transform`). @default none */
  readonly transform?: BlueGreenServiceTransform;
}

/** The children of a {@link BlueGreenService} a caller may transform. */
export interface BlueGreenServiceTransform extends ServiceTransform {
  /** Each of the two target groups (blue and green). */
  readonly targetGroup?: Transform<aws.lb.TargetGroupArgs>;
  /** Each of the two HTTPS listeners (production and test). */
  readonly listener?: Transform<aws.lb.ListenerArgs>;
  /** The tasks' ingress rule from the load balancer's group. */
  readonly securityGroupRule?: Transform<aws.vpc.SecurityGroupIngressRuleArgs>;
  /** The load balancer group's egress rule to the tasks. */
  readonly loadBalancerEgressRule?: Transform<aws.vpc.SecurityGroupEgressRuleArgs>;
  /** Each of the four alarms that roll a release back (target 5xx and unhealthy targets, per colour). */
  readonly alarm?: Transform<aws.cloudwatch.MetricAlarmArgs>;
  /** CodeDeploy's service role. */
  readonly codeDeployRole?: Transform<aws.iam.RoleArgs>;
  readonly codeDeployPolicy?: Transform<aws.iam.RolePolicyArgs>;
  readonly application?: Transform<aws.codedeploy.ApplicationArgs>;
  readonly deploymentGroup?: Transform<aws.codedeploy.DeploymentGroupArgs>;
  /** With the ECS controller: each of the two listener rules ECS moves (production, test). */
  readonly listenerRule?: Transform<aws.lb.ListenerRuleArgs>;
  /** With the ECS controller: the role ECS moves the rules with, and its policy. */
  readonly ecsRole?: Transform<aws.iam.RoleArgs>;
  readonly ecsPolicy?: Transform<aws.iam.RolePolicyArgs>;
}

/** Every problem of a web service's args, each naming the argument. */
export function blueGreenServiceProblems(args: BlueGreenServiceArgs): Problem[] {
  const problems = serviceBaseProblems(args);
  if (args.task.container.port === undefined) problems.push({ field: "task.container.port", message: "is required: the load balancer sends traffic to it" });
  problems.push(...colourVariantProblems(args.task.variants, false));
  if (args.loadBalancer && !(args.loadBalancer instanceof LoadBalancer))
    problems.push(...under("loadBalancer", existingLoadBalancerProblems(args.loadBalancer)));
  problems.push(...under("healthCheck", healthCheckProblems(args.healthCheck ?? {})));
  problems.push(...under("deployment", deploymentProblems(args.deployment ?? {})));
  if (args.rolloutAfter !== undefined && (args.deployment?.controller ?? DEPLOYMENT_DEFAULTS.controller) !== "ecs")
    problems.push({ field: "rolloutAfter", message: "needs deployment.controller ecs: under CodeDeploy the release tool deploys, after its own steps" });
  const delay = args.deregistrationDelaySeconds;
  if (delay !== undefined && (!Number.isInteger(delay) || delay < 0 || delay > 3600))
    problems.push({ field: "deregistrationDelaySeconds", message: `${delay} is out of range (0-3600)` });
  const grace = args.healthCheckGracePeriodSeconds;
  if (grace !== undefined && (!Number.isInteger(grace) || grace < 0 || grace > 2147483647))
    problems.push({ field: "healthCheckGracePeriodSeconds", message: `${grace} must be a whole number, at least 0` });
  return problems;
}

/**
 * A web service on ECS Fargate, released blue/green by CodeDeploy (the default) or by ECS itself.
 *
 * Creates the task definition, a task security group (ingress from the load balancer's group on
 * the container port only), two target groups (blue, green), the production (443) and test
 * listeners forwarding to blue, the ECS service, the alarms that roll a release back, and
 * autoscaling; then, by `deployment.controller`:
 *
 * - `codeDeploy`: a `CODE_DEPLOY` service, the CodeDeploy application and deployment group.
 *   After a release, CodeDeploy has changed what Pulumi wrote: the service's task definition,
 *   load balancer (target group), network configuration, platform version and capacity strategy,
 *   and the listeners' forward action. ECS refuses UpdateService on those fields for a
 *   `CODE_DEPLOY` service, so the component ignores changes to exactly them (and to the desired
 *   count when autoscaled). Changing them is a release (a new task definition revision deployed
 *   through CodeDeploy), not an update.
 * - `ecs`: an `ECS` service whose task definition Pulumi owns (an update is the release: ECS
 *   starts the new tasks beside the old ones, moves the traffic by the strategy, bakes, rolls back
 *   on the alarms), a rule on each listener that ECS moves, and the role it moves them with. With
 *   `task.variants` (blue/green back workers) the release tool sets the revision instead, the
 *   idle colour's, and Pulumi ignores it as under CodeDeploy.
 */
export class BlueGreenService extends InfraComponent {
  /** The ECS service's name. */
  public readonly serviceName: pulumi.Output<string>;
  /** The cluster it runs in. */
  public readonly clusterName: pulumi.Output<string>;
  /** Who releases the service. */
  public readonly controller: DeploymentController;
  /** With the ECS controller: how it moves production traffic. */
  public readonly strategy: EcsStrategy | undefined;
  /** With the ECS controller: minutes its traffic shift takes (a canary's bake, the waits between linear steps); 0 otherwise. */
  public readonly trafficShiftMinutes: number;
  /** With CodeDeploy: the application. */
  public readonly applicationName: pulumi.Output<string> | undefined;
  /** With CodeDeploy: the deployment group (the service's name). */
  public readonly deploymentGroupName: pulumi.Output<string> | undefined;
  /**
   * What a release's first step (lock, checks, migration) waits for. Under CodeDeploy: the whole
   * service, as the release deploys after it. Under ECS: the task definition and the tasks'
   * network, not the ECS service and its rules, whose update is the release (or, with colours,
   * may move traffic) and comes after the release's checks and migration.
   */
  public readonly prepareAfter: readonly pulumi.Resource[];
  /** The task definition the service starts with (with colours: blue's). */
  public readonly taskDefinitionArn: pulumi.Output<string>;
  /**
   * With `task.variants` (blue, green): each colour's task definition. A release deploys the
   * idle colour's, so that the web enqueues into the namespace of the workers of its colour.
   */
  public readonly colourTaskDefinitionArns?: Readonly<Record<Colour, pulumi.Output<string>>>;
  /** The task definition family. */
  public readonly family: string;
  /** The app container's name. */
  public readonly containerName: string;
  /** The port the app container listens on. */
  public readonly containerPort: number;
  /** The tasks' subnets. */
  public readonly subnetIds: pulumi.Output<string[]>;
  /** The tasks' own security group. */
  public readonly securityGroupId: pulumi.Output<string>;
  /** Every group the tasks are in (their own and the extra ones): a release's AppSpec and one-off tasks use them. */
  public readonly securityGroupIds: pulumi.Output<string[]>;
  /** Where the tasks run, as the service was created: a release's AppSpec repeats it. */
  public readonly capacityProviderStrategy: readonly { capacityProvider: string; weight: number; base: number }[];
  /** Minutes the old tasks are kept after a switch (CodeDeploy's termination wait, ECS's bake time). */
  public readonly terminationWaitMinutes: number;
  /**
   * Minutes a deployment waits with the new tasks on the test listener and production traffic on
   * the old ones, until someone continues it (`npm run release:continue`); then
   * `readyTimeoutAction`. 0: no gate.
   */
  public readonly readyWaitMinutes: number;
  /** What a gate nobody answers does. */
  public readonly readyTimeoutAction: "rollback" | "continue";
  /** With the ECS controller: the target group its production rule starts on (a release checks production is there before ECS takes over). */
  public readonly productionTargetGroupArn: pulumi.Output<string> | undefined;
  /** Where the test listener answers (the load balancer's name and the test port), when the service made its listeners on a `LoadBalancer`. */
  public readonly testUrl: pulumi.Output<string> | undefined;
  /** How to run a one-off task or a shell like this service's tasks. */
  public readonly oneOffTask: OneOffTaskSpec;
  /** The HTTPS production listener (443), which the release switches. */
  public readonly productionListenerArn: pulumi.Output<string>;
  /** The HTTPS test listener, serving the new tasks before the switch. */
  public readonly testListenerArn: pulumi.Output<string>;
  /** The blue and green target groups' names. */
  public readonly targetGroupNames: pulumi.Output<string>[];
  /** The alarms the deployment watches. */
  public readonly alarmNames: pulumi.Output<string>[];

  /**
   * The fields ECS refuses to update on a CODE_DEPLOY service (UpdateService takes only the count,
   * the deployment configuration, the health check grace period, placement, managed tags and tag
   * propagation). The first five reach AWS in the next release's AppSpec. ECS Exec stays as the
   * service was created: `shell` acts through the task role (which loses its channels when off)
   * and on the one-off tasks `npm run shell` starts, so toggling it never fails an up.
   */
  static readonly SERVICE_IGNORED_FIELDS = [
    "taskDefinition",
    "loadBalancers",
    "networkConfiguration",
    "platformVersion",
    "capacityProviderStrategies",
    "enableExecuteCommand",
  ] as const;

  constructor(name: string, args: BlueGreenServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    throwIfProblems("BlueGreenService", name, blueGreenServiceProblems(args));
    // Claimed before anything is created: a shared load balancer fails with nothing registered.
    const listenerSettings = listenerSettingsOf(args.loadBalancer, name);
    super("infra:ecs:BlueGreenService", name, opts);
    const tags = args.tags ?? {};
    const port = args.task.container.port as number;
    const health = { ...HEALTH_CHECK_DEFAULTS, ...args.healthCheck };

    const task = this.child(FargateTaskDefinition, "task", serviceTaskArgs(args, tags), undefined);
    const taskGroup = this.createTaskSecurityGroup(args, listenerSettings.securityGroupId, port, tags);
    const [blue, green] = COLOURS.map((colour) =>
      this.child(
        aws.lb.TargetGroup,
        colour,
        {
          vpcId: args.vpcId,
          targetType: "ip",
          protocol: "HTTP",
          port,
          deregistrationDelay: args.deregistrationDelaySeconds ?? 30,
          healthCheck: {
            enabled: true,
            path: health.path,
            protocol: "HTTP",
            port: "traffic-port",
            interval: health.intervalSeconds,
            timeout: health.timeoutSeconds,
            healthyThreshold: health.healthyThreshold,
            unhealthyThreshold: health.unhealthyThreshold,
            matcher: health.matcher,
          },
          // The tag keeps its name (`color`): running target groups carry it, and a new key would update them all.
          tags: { ...tags, "infra:color": colour },
        },
        args.transform?.targetGroup,
      ),
    ) as [aws.lb.TargetGroup, aws.lb.TargetGroup];

    const listener = (role: string, listenerPort: number) =>
      this.child(
        aws.lb.Listener,
        role,
        {
          loadBalancerArn: listenerSettings.loadBalancerArn,
          port: listenerPort,
          protocol: "HTTPS",
          certificateArn: listenerSettings.certificateArn,
          sslPolicy: listenerSettings.sslPolicy,
          defaultActions: [{ type: "forward", targetGroupArn: blue.arn }],
          tags,
        },
        args.transform?.listener,
        // CodeDeploy points the default action at green and back on each release.
        { ignoreChanges: ["defaultActions"] },
      );
    const production = listener("https", listenerSettings.productionPort);
    const test = listener("test", listenerSettings.testPort);

    const autoscaled = args.autoscaling !== undefined;
    const desiredCount = args.desiredCount ?? args.autoscaling?.minCount ?? 2;
    const controller = args.deployment?.controller ?? DEPLOYMENT_DEFAULTS.controller;
    const account = () => aws.getCallerIdentityOutput({}, { parent: this }).accountId;
    const createAlarms = () => this.createAlarms(args, listenerSettings.loadBalancerArnSuffix, { blue, green }, tags);
    const common = {
      ...serviceInputs(args, task.taskDefinitionArn, taskGroup.id),
      desiredCount,
      healthCheckGracePeriodSeconds: args.healthCheckGracePeriodSeconds ?? 30,
    };
    const appLoadBalancer = { targetGroupArn: blue.arn, containerName: task.containerName, containerPort: port };
    let service: aws.ecs.Service;
    let deployment: ReturnType<typeof createBlueGreenDeployment> | undefined;
    let alarms: aws.cloudwatch.MetricAlarm[];
    let productionTargetGroupArn: pulumi.Output<string> | undefined;
    if (controller === "ecs") {
      // The service names the alarms that roll it back: they come first.
      alarms = createAlarms();
      const ecs = createEcsBlueGreen(this.child, {
        listeners: { production, test },
        targetGroups: { blue, green },
        alarms,
        ...(args.deployment ? { deployment: args.deployment } : {}),
        ...(args.transform ? { transform: args.transform } : {}),
        account: account(),
        ...(args.rolloutAfter ? { rolloutAfter: args.rolloutAfter } : {}),
        tags,
      });
      productionTargetGroupArn = ecs.primaryTargetGroup.arn;
      const dependsOn = args.rolloutAfter ? pulumi.output(args.rolloutAfter).apply((after) => [...ecs.dependsOn, ...after]) : ecs.dependsOn;
      service = this.child(
        aws.ecs.Service,
        "service",
        {
          ...common,
          deploymentController: ecs.deploymentController,
          deploymentConfiguration: ecs.deploymentConfiguration,
          deploymentCircuitBreaker: ecs.deploymentCircuitBreaker,
          alarms: ecs.alarms,
          loadBalancers: [{ ...appLoadBalancer, targetGroupArn: ecs.primaryTargetGroup.arn, advancedConfiguration: ecs.advancedConfiguration }],
          // The release tool follows the deployment (its stages, the gate, the post-release
          // command once production traffic has moved): the provider's wait would hold every
          // step after it until the bake time is over.
          waitForSteadyState: false,
        },
        args.transform?.service,
        // With colours the colour going live is chosen at release time: the release tool sets the
        // service's revision (the idle colour's), as CodeDeploy's release does.
        { ignoreChanges: [...(args.task.variants ? ["taskDefinition"] : []), ...(autoscaled ? ["desiredCount"] : [])], dependsOn },
      );
    } else {
      service = this.child(
        aws.ecs.Service,
        "service",
        { ...common, deploymentController: { type: "CODE_DEPLOY" }, loadBalancers: [appLoadBalancer] },
        args.transform?.service,
        {
          ignoreChanges: [...BlueGreenService.SERVICE_IGNORED_FIELDS, ...(autoscaled ? ["desiredCount"] : [])],
          // ECS refuses a target group that no listener uses yet.
          dependsOn: [production, test],
        },
      );
      alarms = createAlarms();
      deployment = createBlueGreenDeployment(this.child, {
        serviceName: args.serviceName,
        clusterName: args.cluster.clusterName,
        service,
        taskRoleArn: task.taskRoleArn,
        executionRoleArn: task.executionRoleArn,
        listeners: { production, test },
        targetGroups: { blue, green },
        alarms,
        ...(args.deployment ? { deployment: args.deployment } : {}),
        ...(args.transform ? { transform: args.transform } : {}),
        account: account(),
        tags,
      });
    }
    if (args.autoscaling) {
      const requests = args.autoscaling.requestsPerTarget;
      this.child(
        ServiceAutoscaling,
        "scaling",
        serviceScalingArgs(args.cluster.clusterName, service.name, args.autoscaling, {
          ...(requests !== undefined
            ? {
                requests: {
                  requestsPerTarget: requests,
                  loadBalancerArnSuffix: listenerSettings.loadBalancerArnSuffix,
                  targetGroupArnSuffixes: [blue.arnSuffix, green.arnSuffix],
                },
              }
            : {}),
        }),
        undefined,
      );
    }

    // Under ECS a release's first step runs before the service's update and names the service:
    // by its name, known now, not by the resource's output (which would make it wait for the update).
    this.serviceName = controller === "ecs" ? pulumi.output(args.serviceName) : service.name;
    this.clusterName = pulumi.output(args.cluster.clusterName);
    this.controller = controller;
    this.strategy = controller === "ecs" ? (args.deployment?.strategy ?? DEPLOYMENT_DEFAULTS.strategy) : undefined;
    this.trafficShiftMinutes = controller === "ecs" ? trafficShiftMinutes(args.deployment ?? {}) : 0;
    this.applicationName = deployment?.application.name;
    this.deploymentGroupName = deployment?.group.deploymentGroupName;
    this.prepareAfter = controller === "ecs" ? [task, taskGroup] : [this];
    this.taskDefinitionArn = task.taskDefinitionArn;
    if (args.task.variants) {
      this.colourTaskDefinitionArns = { blue: task.variants.blue!.taskDefinitionArn, green: task.variants.green!.taskDefinitionArn };
    }
    this.family = task.family;
    this.containerName = task.containerName;
    this.containerPort = port;
    this.subnetIds = pulumi.output(args.subnetIds);
    this.securityGroupId = taskGroup.id;
    this.securityGroupIds = idsWith(taskGroup.id, args.extraSecurityGroupIds);
    this.capacityProviderStrategy = capacityStrategies(args.capacityProviderStrategy);
    this.terminationWaitMinutes = args.deployment?.terminationWaitMinutes ?? DEPLOYMENT_DEFAULTS.terminationWaitMinutes;
    this.readyWaitMinutes = args.deployment?.readyWaitMinutes ?? DEPLOYMENT_DEFAULTS.readyWaitMinutes;
    this.readyTimeoutAction = args.deployment?.readyTimeoutAction ?? DEPLOYMENT_DEFAULTS.readyTimeoutAction;
    this.productionTargetGroupArn = productionTargetGroupArn;
    this.testUrl =
      args.loadBalancer instanceof LoadBalancer ? pulumi.interpolate`https://${args.loadBalancer.dnsName}:${listenerSettings.testPort}/` : undefined;
    this.oneOffTask = {
      family: task.family,
      families: args.task.variants ? Object.values(task.variants).map((v) => v.family) : [task.family],
      containerName: task.containerName,
      logGroupName: task.logGroupName,
      subnetIds: this.subnetIds,
      securityGroupIds: this.securityGroupIds,
      capacityProviderStrategy: this.capacityProviderStrategy,
      executeCommand: args.task.enableExecuteCommand ?? TASK_DEFAULTS.enableExecuteCommand,
      taskRoleArn: task.taskRoleArn,
      executionRoleArn: task.executionRoleArn,
    };
    this.productionListenerArn = production.arn;
    this.testListenerArn = test.arn;
    this.targetGroupNames = [blue.name, green.name];
    this.alarmNames = alarms.map((a) => a.name);
    this.registerOutputs({
      serviceName: this.serviceName,
      ...(deployment ? { applicationName: this.applicationName, deploymentGroupName: this.deploymentGroupName } : {}),
      taskDefinitionArn: this.taskDefinitionArn,
    });
  }

  /** Ingress only from the load balancer's group, on the container port; the ALB may reach it there. */
  private createTaskSecurityGroup(
    args: BlueGreenServiceArgs,
    albGroupId: pulumi.Input<string>,
    port: number,
    tags: Readonly<Record<string, string>>,
  ): aws.ec2.SecurityGroup {
    const group = createTaskSecurityGroup(
      this.child,
      { group: "task-sg", egress: "egress" },
      { vpcId: args.vpcId, description: `Tasks of ${args.serviceName}: from its load balancer only`, tags },
      args.transform,
    );
    this.child(
      aws.vpc.SecurityGroupIngressRule,
      "from-alb",
      {
        securityGroupId: group.id,
        referencedSecurityGroupId: albGroupId,
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        description: "From the load balancer",
        tags,
      },
      args.transform?.securityGroupRule,
    );
    this.child(
      aws.vpc.SecurityGroupEgressRule,
      "alb-to-tasks",
      {
        securityGroupId: albGroupId,
        referencedSecurityGroupId: group.id,
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        description: `To the tasks of ${args.serviceName}`,
        tags,
      },
      args.transform?.loadBalancerEgressRule,
    );
    return group;
  }

  /** Target 5xx and unhealthy targets, per target group: what stops (and rolls back) a release. */
  private createAlarms(
    args: BlueGreenServiceArgs,
    lbSuffix: pulumi.Input<string>,
    groups: { blue: aws.lb.TargetGroup; green: aws.lb.TargetGroup },
    tags: Readonly<Record<string, string>>,
  ): aws.cloudwatch.MetricAlarm[] {
    return Object.entries(groups).flatMap(([colour, group]) => [
      this.child(
        aws.cloudwatch.MetricAlarm,
        `5xx-${colour}`,
        {
          alarmDescription: `${args.serviceName}: target 5xx responses (${colour})`,
          namespace: "AWS/ApplicationELB",
          metricName: "HTTPCode_Target_5XX_Count",
          dimensions: { LoadBalancer: lbSuffix, TargetGroup: group.arnSuffix },
          statistic: "Sum",
          period: 60,
          evaluationPeriods: 1,
          threshold: args.alarms?.target5xxPerMinute ?? 10,
          comparisonOperator: "GreaterThanThreshold",
          treatMissingData: "notBreaching",
          tags,
        },
        args.transform?.alarm,
      ),
      this.child(
        aws.cloudwatch.MetricAlarm,
        `unhealthy-${colour}`,
        {
          alarmDescription: `${args.serviceName}: unhealthy targets (${colour})`,
          namespace: "AWS/ApplicationELB",
          metricName: "UnHealthyHostCount",
          dimensions: { LoadBalancer: lbSuffix, TargetGroup: group.arnSuffix },
          statistic: "Maximum",
          period: 60,
          evaluationPeriods: 2,
          threshold: 0,
          comparisonOperator: "GreaterThanThreshold",
          treatMissingData: "notBreaching",
          tags,
        },
        args.transform?.alarm,
      ),
    ]);
  }
}
