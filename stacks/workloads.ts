import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { STAR_ONLY } from "../components/iam";
import type { WorkloadTargetInput } from "../release-tool/contract";
import type { Cluster } from "../components/ecs/cluster";
import type { OneOffTaskSpec } from "../components/ecs/service-base";
import type { JobPlatform } from "../components/jobs/job-platform";
import type { StackConfig } from "../infra/config/schema";
import { configuredWorkloads } from "../infra/config/workloads";
import type { Batches } from "./batches";

/** One ECS workload of the stack, as the operating tools name it, with its component's one-off task. */
interface Workload {
  readonly name: string;
  readonly kind: WorkloadTargetInput["kind"];
  readonly configKey: string;
  readonly serviceName?: pulumi.Output<string>;
  readonly task: OneOffTaskSpec;
}

type Watched = {
  readonly web: Readonly<Record<string, { serviceName: pulumi.Output<string>; oneOffTask: OneOffTaskSpec }>>;
  readonly jobs: JobPlatform | undefined;
  readonly batches: Batches | undefined;
};

/** Every ECS workload of the config (named as `configuredWorkloads` names them), with the component that runs it. */
function ecsWorkloads(config: StackConfig, { web, jobs, batches }: Watched): Workload[] {
  return configuredWorkloads(config).map((w): Workload => {
    const service =
      w.kind === "web"
        ? web[w.key]
        : w.kind === "scheduler"
          ? jobs?.scheduler
          : w.kind === "worker"
            ? w.colour
              ? jobs?.blueGreenBackWorkers[w.key]?.colours[w.colour]
              : (w.name.startsWith("back-") ? jobs?.backWorkers : jobs?.periodicWorkers)?.[w.key]
            : undefined;
    const task = service?.oneOffTask ?? batches?.batches[w.key]?.oneOffTask;
    if (!task) throw new Error(`no component runs workload ${w.name} (${w.configKey})`);
    return { name: w.name, kind: w.kind, configKey: w.configKey, ...(service ? { serviceName: service.serviceName } : {}), task };
  });
}

/**
 * The stack's `workloads` output: per workload, what `npm run task` and `npm run shell` need
 * (cluster, service, family, container, log group, network, whether a shell may attach).
 */
export function workloadOutputs(config: StackConfig, stack: string, cluster: Cluster, watched: Watched): Record<string, pulumi.Output<WorkloadTargetInput>> {
  return Object.fromEntries(
    ecsWorkloads(config, watched).map((w) => [
      w.name,
      pulumi
        .all([cluster.clusterName, w.serviceName, w.task.logGroupName, w.task.subnetIds, w.task.securityGroupIds, w.task.executionRoleArn])
        .apply(([clusterName, serviceName, logGroupName, subnetIds, securityGroupIds, executionRoleArn]): WorkloadTargetInput => ({
          stack,
          workload: w.name,
          kind: w.kind,
          configKey: w.configKey,
          region: config.region,
          cluster: clusterName,
          ...(serviceName ? { serviceName } : {}),
          family: w.task.family,
          containerName: w.task.containerName,
          ...(logGroupName ? { logGroupName } : {}),
          executionRoleArn,
          subnetIds,
          securityGroupIds,
          capacityProviderStrategy: [...w.task.capacityProviderStrategy],
          shell: w.task.executeCommand,
          shellMaxMinutes: config.shell.maxMinutes,
        })),
    ]),
  );
}

/**
 * What a person needs to run `npm run task` and `npm run shell` on this stack, and no more: an
 * IAM policy document (the stack's `operatorPolicy` output) to attach to the SREs' role.
 */
export function operatorPolicy(config: StackConfig, cluster: Cluster, watched: Watched): pulumi.Output<string> {
  const workloads = ecsWorkloads(config, watched);
  const arn = (service: string, resource: string) => `arn:aws:${service}:${config.region}:${config.accountId}:${resource}`;
  return pulumi
    .all([
      cluster.clusterName,
      pulumi.all(workloads.map((w) => w.serviceName ?? "")),
      pulumi.all(workloads.flatMap((w) => [w.task.taskRoleArn, w.task.executionRoleArn])),
      pulumi.all(workloads.map((w) => w.task.logGroupName ?? "")),
    ])
    .apply(([clusterName, services, roles, logGroups]) => {
      const tasks = arn("ecs", `task/${clusterName}/*`);
      const statements: aws.iam.PolicyStatement[] = [
        {
          Sid: "ReadServices",
          Effect: "Allow",
          Action: "ecs:DescribeServices",
          Resource: services.filter(Boolean).map((s) => arn("ecs", `service/${clusterName}/${s}`)),
        },
        // DescribeTaskDefinition takes no resource: AWS requires "*".
        { Sid: "ReadTaskDefinitions", Effect: "Allow", Action: [...STAR_ONLY.taskDefinitionReads], Resource: "*" },
        {
          Sid: "RunTheWorkloadsTasks",
          Effect: "Allow",
          Action: "ecs:RunTask",
          Resource: [...new Set(workloads.flatMap((w) => (w.task.families ?? [w.task.family]).map((f) => arn("ecs", `task-definition/${f}:*`))))],
          Condition: { ArnEquals: { "ecs:cluster": arn("ecs", `cluster/${clusterName}`) } },
        },
        { Sid: "FollowAndStopTasks", Effect: "Allow", Action: ["ecs:DescribeTasks", "ecs:StopTask"], Resource: tasks },
        {
          Sid: "PassTheTaskRoles",
          Effect: "Allow",
          Action: "iam:PassRole",
          Resource: [...new Set(roles)].sort(),
          Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
        },
        {
          Sid: "ReadTaskLogs",
          Effect: "Allow",
          Action: "logs:GetLogEvents",
          Resource: [...new Set(logGroups.filter(Boolean))].map((g) => arn("logs", `log-group:${g}:log-stream:*`)),
        },
      ];
      if (workloads.some((w) => w.task.executeCommand)) {
        statements.push({ Sid: "OpenShells", Effect: "Allow", Action: "ecs:ExecuteCommand", Resource: [arn("ecs", `cluster/${clusterName}`), tasks] });
      }
      return JSON.stringify({ Version: "2012-10-17", Statement: statements.filter((s) => !Array.isArray(s.Resource) || s.Resource.length > 0) });
    });
}
