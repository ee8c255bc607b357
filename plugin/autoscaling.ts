import * as pulumi from "@pulumi/pulumi";
import { ServiceAutoscaling as LibraryServiceAutoscaling, type ServiceAutoscalingArgs as LibraryServiceAutoscalingArgs } from "../components/ecs";
import { absentArgs, checkedByComponent, publish, TRANSFORM_ABSENT } from "./values";

/** Scaling on requests per task, measured over a blue/green service's two target groups. */
export interface RequestScaling {
  /** Requests per task per minute to hold. */
  requestsPerTarget: number;
  /** `arnSuffix` of the load balancer. */
  loadBalancerArnSuffix: pulumi.Input<string>;
  /** `arnSuffix` of each target group the service may be registered in (blue and green). */
  targetGroupArnSuffixes: pulumi.Input<string>[];
}

/** Arguments of a ServiceAutoscaling. */
export interface ServiceAutoscalingArgs {
  /** The cluster of the scaled service. */
  clusterName: pulumi.Input<string>;
  /** The scaled ECS service. */
  serviceName: pulumi.Input<string>;
  /** Fewest tasks. */
  minCount: number;
  /** Most tasks. */
  maxCount: number;
  /** Average CPU (%) to hold. Default: 60. */
  cpuTargetPercent?: number;
  /** Also scale on requests per task. Default: none. */
  requests?: RequestScaling;
  /** Seconds after a scale-out before another. Default: 60. */
  scaleOutCooldownSeconds?: number;
  /** Seconds after a scale-in before another. Default: 300. */
  scaleInCooldownSeconds?: number;
  /** The capacity belongs to a release tool after creation: live creates it at minCount-maxCount, idle at 0-0. Default: Pulumi owns the capacity. */
  releaseOwned?: string;
}

/** The library's args of a ServiceAutoscaling that the plugin does not take, and why. */
export const SERVICE_AUTOSCALING_ABSENT_ARGS = absentArgs<LibraryServiceAutoscalingArgs, ServiceAutoscalingArgs>({
  transform: TRANSFORM_ABSENT,
});

/** The library's args of a ServiceAutoscaling, from the multi-language ones. */
export function libraryServiceAutoscalingArgs(args: ServiceAutoscalingArgs): LibraryServiceAutoscalingArgs {
  return { ...args, releaseOwned: checkedByComponent(args.releaseOwned) };
}

/**
 * Target tracking of an ECS service's task count on CPU, and on requests per task when asked: the
 * library's ServiceAutoscaling, for every Pulumi language (a BlueGreenService or a WorkerService
 * with `autoscaling` already has one).
 */
export class ServiceAutoscaling extends pulumi.ComponentResource {
  /** The scalable target's resource id, `service/<cluster>/<service>`. */
  resourceId!: pulumi.Output<string>;
  /** The ARN of the CPU target tracking policy. */
  cpuPolicyArn!: pulumi.Output<string>;

  constructor(name: string, args: ServiceAutoscalingArgs, opts?: pulumi.ComponentResourceOptions) {
    super("infra:index:ServiceAutoscaling", name, {}, opts);
    const scaling = new LibraryServiceAutoscaling(name, libraryServiceAutoscalingArgs(args), { parent: this });
    this.registerOutputs(publish(this, { resourceId: scaling.resourceId, cpuPolicyArn: scaling.cpuPolicyArn }));
  }
}
