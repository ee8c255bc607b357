import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { type CreateChild, idsWith, type Transform } from "../component";
import type { Problem } from "../problems";
import { under } from "../problems";
import { desiredWithinBoundsProblems, scalingProblems } from "./autoscaling";
import { capacityStrategies, type CapacityProviderStrategyItem, strategyProblems } from "./capacity";
import { COLOURS } from "../../release-tool/colours";
import { immutableImageProblem } from "./image";
import { type FargateTaskDefinitionArgs, TASK_DEFAULTS, taskDefinitionProblems } from "./task-definition";

/**
 * What every ECS service of the library (web service, worker) shares: its args, their checks and
 * the service inputs that do not depend on how it is deployed.
 */

/** The cluster a service or batch runs in: a {@link Cluster} or an existing one. */
export interface ServiceClusterRef {
  readonly clusterArn: pulumi.Input<string>;
  readonly clusterName: pulumi.Input<string>;
  /** ECS Exec audit log group of the cluster. @default none */
  readonly execLogGroupArn?: pulumi.Input<string>;
}

/** Arguments every ECS service takes. */
export interface ServiceBaseArgs {
  /** ECS service name (1-255 letters, digits, `-`, `_`). */
  readonly serviceName: string;
  /** The cluster the service runs in: a `Cluster`, or an existing one by ARN and name. */
  readonly cluster: ServiceClusterRef;
  /** The VPC of the tasks' security group. */
  readonly vpcId: pulumi.Input<string>;
  /** Private subnets the tasks run in (no public IP). */
  readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** The task: image, size, container, sidecars, permissions. */
  readonly task: Omit<FargateTaskDefinitionArgs, "tags" | "executeCommandLogGroupArn">;
  /** Tasks to run when not autoscaled, or the first count when autoscaled. */
  readonly desiredCount?: number;
  /** Target tracking bounds. @default no autoscaling */
  readonly autoscaling?: { readonly minCount: number; readonly maxCount: number; readonly cpuTargetPercent?: number };
  /** Where the tasks run: on-demand Fargate, Spot, or both by weight. @default [{ capacityProvider: "FARGATE", weight: 1 }] */
  readonly capacityProviderStrategy?: readonly CapacityProviderStrategyItem[];
  /** More security groups of the tasks, e.g. a Redis client group. @default [] */
  readonly extraSecurityGroupIds?: pulumi.Input<pulumi.Input<string>[]>;
  /** Tags of every child. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  /** Changes to the args of its children before they are created (see {@link Transform}; the task definition's: `task.transform`). @default none */
  readonly transform?: ServiceTransform;
}

/** The children of every kind of service a caller may transform. */
export interface ServiceTransform {
  /** The ECS service (each colour's, for blue/green workers). */
  readonly service?: Transform<aws.ecs.ServiceArgs>;
  /** The tasks' own security group. */
  readonly securityGroup?: Transform<aws.ec2.SecurityGroupArgs>;
  /** The group's open egress rule. */
  readonly egressRule?: Transform<aws.vpc.SecurityGroupEgressRuleArgs>;
}

/**
 * How to start a one-off task like a workload's own (`npm run task`, `npm run shell`): every ECS
 * workload component exposes one, and the stack outputs it per workload so that the tools guess
 * no physical name. The live revision of the family is read from ECS when the task starts.
 */
export interface OneOffTaskSpec {
  /** Task definition family (with colours: the blue one). */
  readonly family: string;
  /** Every family the workload's tasks run (both colours'). @default [family] */
  readonly families?: readonly string[];
  /** The app container: the one a command or a shell runs in. */
  readonly containerName: string;
  /** The app container's log group; absent when the task definition is not the component's own. */
  readonly logGroupName?: pulumi.Output<string>;
  /** Where the workload's tasks run (a service's live network is read from ECS). */
  readonly subnetIds: pulumi.Output<string[]>;
  readonly securityGroupIds: pulumi.Output<string[]>;
  readonly capacityProviderStrategy: readonly { capacityProvider: string; weight: number; base: number }[];
  /** ECS Exec is on: the task role may open the SSM agent's channels, so a shell can attach. */
  readonly executeCommand: boolean;
  /** The roles RunTask passes to ECS: whoever starts a one-off task needs `iam:PassRole` on them. */
  readonly taskRoleArn: pulumi.Input<string>;
  readonly executionRoleArn: pulumi.Input<string>;
}

const SERVICE_NAME = /^[A-Za-z0-9_-]{1,255}$/;

export { type Colour, COLOURS } from "../../release-tool/colours";

/** Task variants, when given, must be exactly the two colours (a release switches between them). */
export function colourVariantProblems(variants: Readonly<Record<string, unknown>> | undefined, required: boolean): Problem[] {
  const names = Object.keys(variants ?? {});
  if (variants === undefined && !required) return [];
  if (names.length === COLOURS.length && COLOURS.every((c) => names.includes(c))) return [];
  return [
    { field: "task.variants", message: `${JSON.stringify(names)} must be exactly ${JSON.stringify(COLOURS)}: a release switches between the two colours` },
  ];
}

/** Problems of the args every service shares, each naming the argument. */
export function serviceBaseProblems(args: ServiceBaseArgs): Problem[] {
  return [...serviceNameProblems(args.serviceName), ...serviceSettingsProblems(args)];
}

/** An ECS service name: 1-255 letters, digits, `-` or `_`. */
export function serviceNameProblems(serviceName: string): Problem[] {
  return SERVICE_NAME.test(serviceName) ? [] : [{ field: "serviceName", message: `${JSON.stringify(serviceName)} must be 1-255 letters, digits, - or _` }];
}

/** What a service's own settings must be (its task, count, bounds, capacity), whatever it is named and wherever it runs. */
export type ServiceSettings = Pick<ServiceBaseArgs, "task" | "desiredCount" | "autoscaling" | "capacityProviderStrategy">;

/** Problems of a service's settings, each naming the argument: what a group of services (the job platform's) checks before it names them. */
export function serviceSettingsProblems(args: ServiceSettings): Problem[] {
  const problems: Problem[] = [];
  problems.push(...under("task", taskDefinitionProblems(args.task)));
  // A service is released by a new revision: an image tag that moves (`latest`, or none) would
  // never make one, and a push would never reach it (a batch pulls its tag at each run).
  const image = args.task.container.image;
  const moving = typeof image === "string" ? immutableImageProblem(image) : undefined;
  if (moving) problems.push({ field: "task.container.image", message: moving });
  const desired = args.desiredCount;
  if (desired !== undefined && (!Number.isInteger(desired) || desired < 0))
    problems.push({ field: "desiredCount", message: `${desired} must be a whole number, at least 0` });
  if (args.autoscaling) problems.push(...under("autoscaling", scalingProblems(args.autoscaling)));
  problems.push(...desiredWithinBoundsProblems(args.desiredCount, args.autoscaling));
  problems.push(...strategyProblems("capacityProviderStrategy", args.capacityProviderStrategy));
  return problems;
}

/** A service's task: its own args, the tags, and the cluster's ECS Exec audit log (every kind of service wires it so). */
export function serviceTaskArgs(args: ServiceBaseArgs, tags: Readonly<Record<string, string>>): FargateTaskDefinitionArgs {
  return { ...args.task, tags, ...(args.cluster.execLogGroupArn ? { executeCommandLogGroupArn: args.cluster.execLogGroupArn } : {}) };
}

/** The inputs of an ECS service that every kind of service sets the same way. */
export function serviceInputs(args: ServiceBaseArgs, taskDefinitionArn: pulumi.Input<string>, securityGroupId: pulumi.Input<string>) {
  return {
    name: args.serviceName,
    cluster: args.cluster.clusterArn,
    taskDefinition: taskDefinitionArn,
    capacityProviderStrategies: capacityStrategies(args.capacityProviderStrategy),
    platformVersion: "LATEST",
    networkConfiguration: { subnets: args.subnetIds, securityGroups: idsWith(securityGroupId, args.extraSecurityGroupIds), assignPublicIp: false },
    enableExecuteCommand: args.task.enableExecuteCommand ?? TASK_DEFAULTS.enableExecuteCommand,
    enableEcsManagedTags: true,
    propagateTags: "SERVICE",
    tags: args.tags ?? {},
  } satisfies Partial<aws.ecs.ServiceArgs>;
}

/**
 * A tasks' security group with no inline rule and an open egress rule: tasks call out (image
 * pulls, AWS APIs, databases, third parties) through the NAT or the endpoints. Ingress, if any,
 * is added by the caller as separate rules.
 */
export function createTaskSecurityGroup(
  child: CreateChild,
  roles: { readonly group: string; readonly egress: string },
  args: { vpcId: pulumi.Input<string>; description: string; tags: Readonly<Record<string, string>> },
  transform: Pick<ServiceTransform, "securityGroup" | "egressRule"> | undefined,
): aws.ec2.SecurityGroup {
  const group = child(aws.ec2.SecurityGroup, roles.group, { vpcId: args.vpcId, description: args.description, tags: args.tags }, transform?.securityGroup);
  child(
    aws.vpc.SecurityGroupEgressRule,
    roles.egress,
    { securityGroupId: group.id, ipProtocol: "-1", cidrIpv4: "0.0.0.0/0", description: "Outbound", tags: args.tags },
    transform?.egressRule,
  );
  return group;
}
