import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { InfraComponent, type Transform } from "../component";
import { badNumber, notOneOf, type Problem, throwIfProblems } from "../problems";

/** Who owns a release-owned target's capacity after creation: the live colour's or the idle one's. */
export const RELEASE_OWNED = ["live", "idle"] as const;

/** Requests per target measured across both target groups of a blue/green service. */
export interface RequestScalingArgs {
  /** Requests per task per minute to hold. */
  readonly requestsPerTarget: number;
  /** `arnSuffix` of the load balancer. */
  readonly loadBalancerArnSuffix: pulumi.Input<string>;
  /** `arnSuffix` of each target group the service may be registered in (blue and green). */
  readonly targetGroupArnSuffixes: readonly pulumi.Input<string>[];
}

/** Arguments of a {@link ServiceAutoscaling}. */
export interface ServiceAutoscalingArgs {
  /** The cluster of the scaled service. */
  readonly clusterName: pulumi.Input<string>;
  /** The scaled ECS service. */
  readonly serviceName: pulumi.Input<string>;
  /** Fewest tasks. */
  readonly minCount: number;
  /** Most tasks. */
  readonly maxCount: number;
  /** Average CPU (%) to hold. @default 60 */
  readonly cpuTargetPercent?: number;
  /** Also scale on requests per task. @default none */
  readonly requests?: RequestScalingArgs;
  /** Seconds after a scale-out before another. @default 60 */
  readonly scaleOutCooldownSeconds?: number;
  /** Seconds after a scale-in before another (slow: capacity is cheap, an outage is not). @default 300 */
  readonly scaleInCooldownSeconds?: number;
  /**
   * The capacity (min and max) belongs to a release tool after creation: each release of a
   * blue/green worker group sets its colours' (the live one's to minCount-maxCount, the idle
   * one's to 0-0), so Pulumi ignores later changes. `live` creates it at minCount-maxCount,
   * `idle` at 0-0 (no task until a release starts the colour).
   * @default none: Pulumi owns the capacity
   */
  readonly releaseOwned?: (typeof RELEASE_OWNED)[number];
  /** Changes to the args of its children before they are created (see {@link Transform}; `policy` applies to each). @default none */
  readonly transform?: {
    readonly target?: Transform<aws.appautoscaling.TargetArgs>;
    readonly policy?: Transform<aws.appautoscaling.PolicyArgs>;
  };
}

/** Problems of scaling bounds, each naming the argument; shared with the stack config. */
export function scalingProblems(args: { minCount: number; maxCount: number; cpuTargetPercent?: number }): Problem[] {
  const problems: Problem[] = [];
  if (!Number.isInteger(args.minCount) || args.minCount < 0)
    problems.push({ field: "minCount", message: badNumber(args.minCount, "must be a whole number, at least 0") });
  if (!Number.isInteger(args.maxCount) || args.maxCount < 1)
    problems.push({ field: "maxCount", message: badNumber(args.maxCount, "must be a whole number, at least 1") });
  if (args.minCount > args.maxCount) problems.push({ field: "minCount", message: `${args.minCount} is greater than maxCount ${args.maxCount}` });
  const cpu = args.cpuTargetPercent;
  if (cpu !== undefined && (cpu < 10 || cpu > 90)) problems.push({ field: "cpuTargetPercent", message: `${cpu} is out of range (10-90)` });
  return problems;
}

/**
 * The autoscaling of a service from its `autoscaling` bounds: the one mapping every kind of
 * service (web, worker, worker colour) uses, with what is its own in `extra`.
 */
export function serviceScalingArgs(
  clusterName: pulumi.Input<string>,
  serviceName: pulumi.Input<string>,
  bounds: { readonly minCount: number; readonly maxCount: number; readonly cpuTargetPercent?: number },
  extra: Pick<ServiceAutoscalingArgs, "requests" | "releaseOwned"> = {},
): ServiceAutoscalingArgs {
  return {
    clusterName,
    serviceName,
    minCount: bounds.minCount,
    maxCount: bounds.maxCount,
    ...(bounds.cpuTargetPercent !== undefined ? { cpuTargetPercent: bounds.cpuTargetPercent } : {}),
    ...extra,
  };
}

/** A first desired count outside the autoscaling bounds would be corrected at once: say so instead. */
export function desiredWithinBoundsProblems(desiredCount: number | undefined, bounds: { minCount: number; maxCount: number } | undefined): Problem[] {
  if (desiredCount === undefined || !bounds || (desiredCount >= bounds.minCount && desiredCount <= bounds.maxCount)) return [];
  return [{ field: "desiredCount", message: `${desiredCount} is outside the autoscaling bounds ${bounds.minCount}-${bounds.maxCount}` }];
}

/**
 * Target-tracking autoscaling of an ECS service's desired count: on average CPU, and optionally
 * on requests per task. The service must ignore changes to its desired count.
 */
export class ServiceAutoscaling extends InfraComponent {
  /** What a release tool owns of the scalable target when `releaseOwned` is set. */
  static readonly RELEASE_OWNED_FIELDS = ["minCapacity", "maxCapacity"] as const;
  /** The scalable target's resource id, `service/<cluster>/<service>`. */
  public readonly resourceId: pulumi.Output<string>;
  /** The ARN of the CPU target tracking policy. */
  public readonly cpuPolicyArn: pulumi.Output<string>;

  constructor(name: string, args: ServiceAutoscalingArgs, opts?: pulumi.ComponentResourceOptions) {
    const problems = scalingProblems(args);
    if (args.requests && args.requests.requestsPerTarget <= 0) {
      problems.push({ field: "requests.requestsPerTarget", message: `${args.requests.requestsPerTarget} must be above 0` });
    }
    // Typed in TypeScript, but a JavaScript caller or another language (plugin/) passes any string.
    if (args.releaseOwned !== undefined && !RELEASE_OWNED.includes(args.releaseOwned)) {
      problems.push({ field: "releaseOwned", message: notOneOf(args.releaseOwned, RELEASE_OWNED) });
    }
    throwIfProblems("ServiceAutoscaling", name, problems);
    super("infra:ecs:ServiceAutoscaling", name, opts);
    const target = this.child(
      aws.appautoscaling.Target,
      "target",
      {
        serviceNamespace: "ecs",
        scalableDimension: "ecs:service:DesiredCount",
        resourceId: pulumi.interpolate`service/${args.clusterName}/${args.serviceName}`,
        minCapacity: args.releaseOwned === "idle" ? 0 : args.minCount,
        maxCapacity: args.releaseOwned === "idle" ? 0 : args.maxCount,
      },
      args.transform?.target,
      args.releaseOwned ? { ignoreChanges: [...ServiceAutoscaling.RELEASE_OWNED_FIELDS] } : {},
    );
    const cooldowns = { scaleOutCooldown: args.scaleOutCooldownSeconds ?? 60, scaleInCooldown: args.scaleInCooldownSeconds ?? 300 };
    const cpu = this.child(
      aws.appautoscaling.Policy,
      "cpu",
      {
        policyType: "TargetTrackingScaling",
        serviceNamespace: target.serviceNamespace,
        scalableDimension: target.scalableDimension,
        resourceId: target.resourceId,
        targetTrackingScalingPolicyConfiguration: {
          targetValue: args.cpuTargetPercent ?? 60,
          predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
          ...cooldowns,
        },
      },
      args.transform?.policy,
    );
    if (args.requests) {
      const r = args.requests;
      // ALBRequestCountPerTarget names one target group, but CodeDeploy moves the service from
      // blue to green and back: the metric is summed over every group so scaling follows the
      // live one (the idle group reports nothing, filled with 0).
      const metrics = r.targetGroupArnSuffixes.map((tg, i) => ({
        id: `m${i}`,
        returnData: false,
        metricStat: {
          stat: "Sum",
          metric: {
            namespace: "AWS/ApplicationELB",
            metricName: "RequestCountPerTarget",
            dimensions: [
              { name: "TargetGroup", value: tg },
              { name: "LoadBalancer", value: r.loadBalancerArnSuffix },
            ],
          },
        },
      }));
      this.child(
        aws.appautoscaling.Policy,
        "requests",
        {
          policyType: "TargetTrackingScaling",
          serviceNamespace: target.serviceNamespace,
          scalableDimension: target.scalableDimension,
          resourceId: target.resourceId,
          targetTrackingScalingPolicyConfiguration: {
            targetValue: r.requestsPerTarget,
            customizedMetricSpecification: {
              metrics: [
                ...metrics,
                {
                  id: "requests",
                  label: "Requests per task, all target groups",
                  expression: metrics.map((m) => `FILL(${m.id}, 0)`).join(" + "),
                  returnData: true,
                },
              ],
            },
            ...cooldowns,
          },
        },
        args.transform?.policy,
      );
    }
    this.resourceId = target.resourceId;
    this.cpuPolicyArn = cpu.arn;
    this.registerOutputs({ resourceId: this.resourceId, cpuPolicyArn: this.cpuPolicyArn });
  }
}
