import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { InfraComponent, idsWith } from "../component";
import { type Problem, throwIfProblems } from "../problems";
import { ServiceAutoscaling, serviceScalingArgs } from "./autoscaling";
import { capacityStrategies } from "./capacity";
import { type Colour, colourVariantProblems, COLOURS, createTaskSecurityGroup, type OneOffTaskSpec } from "./service-base";
import { FargateTaskDefinition, TASK_DEFAULTS } from "./task-definition";
import { type WorkerServiceArgs, workerServiceInputs, workerServiceProblems, workerTaskArgs } from "./worker-service";

/** Arguments of {@link BlueGreenWorkers}: a worker's, plus what differs between the colours. */
export interface BlueGreenWorkersArgs extends Omit<WorkerServiceArgs, "waitForSteadyState"> {
  /**
   * Each colour's own variables, exactly `blue` and `green`: the job namespace the colour
   * processes (`{ blue: { REDIS_NAMESPACE: "back-blue" }, green: { ... } }`).
   */
  readonly colours: Readonly<Record<Colour, Readonly<Record<string, pulumi.Input<string>>>>>;
}

/** One colour: its service and task definition. */
export interface WorkerColour {
  readonly serviceName: pulumi.Output<string>;
  readonly taskDefinitionArn: pulumi.Output<string>;
  readonly family: string;
  /** How to run a one-off task like this colour's (the drain check, `npm run task`). */
  readonly oneOffTask: OneOffTaskSpec;
}

/** Every problem of the args, each naming the argument. */
export function blueGreenWorkersProblems(args: BlueGreenWorkersArgs): Problem[] {
  const problems = workerServiceProblems(args);
  problems.push(...colourVariantProblems(args.colours, true).map((p) => ({ ...p, field: "colours" })));
  if (args.task.variants !== undefined) problems.push({ field: "task.variants", message: "is set from colours; leave it out" });
  if (args.serviceName.length + "-green".length > 255)
    problems.push({ field: "serviceName", message: `makes ${args.serviceName}-green longer than 255 characters` });
  return problems;
}

/**
 * A worker group released blue/green with the web service that enqueues into it: two ECS
 * services (`<serviceName>-blue`, `<serviceName>-green`) on one task with two variants (family
 * `<family>-blue` / `-green`) that differ only in the colour's variables (its job namespace).
 * Blue starts live with the configured count; green starts idle at 0 tasks and costs nothing.
 *
 * After creation a release owns which revision each colour runs, its desired count and its
 * autoscaling capacity: it starts the idle colour on the new revision, switches the web, drains
 * the old colour and scales it to 0. So Pulumi ignores exactly those fields
 * ({@link BlueGreenWorkers.SERVICE_IGNORED_FIELDS}, and the scalable target's min and max):
 * a `pulumi up` registers new revisions without rolling a colour, and never undoes a release.
 */
export class BlueGreenWorkers extends InfraComponent {
  /** Each colour's service, task definition and autoscaling. */
  public readonly colours: Readonly<Record<Colour, WorkerColour>>;
  /** The app container's name. */
  public readonly containerName: string;
  /** The tasks' own security group (both colours). */
  public readonly securityGroupId: pulumi.Output<string>;
  /** Both colours' service names as a Datadog tag pattern (`<serviceName>-*`): monitors watch the group, whichever colour is live. */
  public readonly serviceNamePattern: string;
  /** What the live colour runs: the release starts the idle colour with it. */
  public readonly scaling: { readonly desiredCount: number; readonly minCount?: number; readonly maxCount?: number };

  /** What a release changes on each colour's service after creation. */
  static readonly SERVICE_IGNORED_FIELDS = ["taskDefinition", "desiredCount"] as const;

  constructor(name: string, args: BlueGreenWorkersArgs, opts?: pulumi.ComponentResourceOptions) {
    throwIfProblems("BlueGreenWorkers", name, blueGreenWorkersProblems(args));
    super("infra:ecs:BlueGreenWorkers", name, opts);
    const tags = args.tags ?? {};
    const task = this.child(FargateTaskDefinition, "task", { ...workerTaskArgs(args, tags), variants: args.colours }, undefined);
    const group = createTaskSecurityGroup(
      this.child,
      { group: "sg", egress: "egress" },
      { vpcId: args.vpcId, description: `Workers of ${args.serviceName} (both colours): no ingress`, tags },
      args.transform,
    );
    const desiredCount = args.desiredCount ?? args.autoscaling?.minCount ?? 1;
    const securityGroupIds = idsWith(group.id, args.extraSecurityGroupIds);
    const colour = (c: Colour): WorkerColour => {
      const live = c === COLOURS[0];
      const variant = task.variants[c]!;
      const service = this.child(
        aws.ecs.Service,
        `service-${c}`,
        {
          ...workerServiceInputs({ ...args, serviceName: `${args.serviceName}-${c}` }, variant.taskDefinitionArn, group.id),
          desiredCount: live ? desiredCount : 0,
        },
        args.transform?.service,
        { ignoreChanges: [...BlueGreenWorkers.SERVICE_IGNORED_FIELDS], ...(opts?.dependsOn ? { dependsOn: opts.dependsOn } : {}) },
      );
      if (args.autoscaling) {
        this.child(
          ServiceAutoscaling,
          `scaling-${c}`,
          serviceScalingArgs(args.cluster.clusterName, service.name, args.autoscaling, { releaseOwned: live ? "live" : "idle" }),
          undefined,
        );
      }
      return {
        serviceName: service.name,
        taskDefinitionArn: variant.taskDefinitionArn,
        family: variant.family,
        oneOffTask: {
          family: variant.family,
          containerName: task.containerName,
          logGroupName: task.logGroupName,
          subnetIds: pulumi.output(args.subnetIds),
          securityGroupIds,
          capacityProviderStrategy: capacityStrategies(args.capacityProviderStrategy),
          executeCommand: args.task.enableExecuteCommand ?? TASK_DEFAULTS.enableExecuteCommand,
          taskRoleArn: task.taskRoleArn,
          executionRoleArn: task.executionRoleArn,
        },
      };
    };
    this.colours = { blue: colour("blue"), green: colour("green") };
    this.containerName = task.containerName;
    this.securityGroupId = group.id;
    this.serviceNamePattern = `${args.serviceName}-*`;
    this.scaling = { desiredCount, ...(args.autoscaling ? { minCount: args.autoscaling.minCount, maxCount: args.autoscaling.maxCount } : {}) };
    this.registerOutputs({ blueServiceName: this.colours.blue.serviceName, greenServiceName: this.colours.green.serviceName });
  }
}
