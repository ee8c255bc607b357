import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeTaskDefinitionCommand, ECSClient } from "@aws-sdk/client-ecs";
import type { EcsContext } from "./context";
import { aws, ReleaseError } from "./errors";
import { LogTail } from "./log-tail";
import { followTask, logLocation, type OneOffTask, outcomeOf, startedByTag, startOneOffTask, type TaskOutcome, taskId } from "./one-off-task";
import { registerAgain, usableRevision } from "./revision";
import { describeLiveService } from "./service";
import type { WorkloadTarget } from "./contract";

/** What `npm run task` and `npm run shell` run with: ECS and CloudWatch Logs, a clock, a log, who runs it. */
export interface TaskContext extends EcsContext {
  readonly clients: { readonly ecs: ECSClient; readonly logs: CloudWatchLogsClient };
}

/** Clients for the stack's region, with the SDK's standard configuration (credentials, AWS_ENDPOINT_URL, retries). */
export function createTaskClients(region: string): TaskContext["clients"] {
  return { ecs: new ECSClient({ region }), logs: new CloudWatchLogsClient({ region }) };
}

/** What a one-off task of a workload runs on: its live revision and network. */
export interface LiveTask {
  readonly taskDefinitionArn: string;
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  readonly capacityProviderStrategy: readonly { capacityProvider: string; weight: number; base: number }[];
}

/**
 * The workload's live task definition and network, from ECS: for a service, what production
 * runs (a CodeDeploy service's primary task set); for a batch, the family's latest active
 * revision, in the batch's own network.
 */
export async function liveTaskOf(ctx: EcsContext, w: WorkloadTarget): Promise<LiveTask> {
  if (!w.serviceName) {
    const { taskDefinition } = await aws("ECS DescribeTaskDefinition", w.region, () =>
      ctx.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: w.family })),
    );
    if (!taskDefinition?.taskDefinitionArn)
      throw new ReleaseError(`task definition family ${w.family} has no active revision in ${w.region}: apply the stack first (pulumi up -s ${w.stack})`);
    return {
      taskDefinitionArn: taskDefinition.taskDefinitionArn,
      subnetIds: w.subnetIds,
      securityGroupIds: w.securityGroupIds,
      capacityProviderStrategy: w.capacityProviderStrategy,
    };
  }
  const { service, primary } = await describeLiveService(ctx, { region: w.region, cluster: w.cluster, serviceName: w.serviceName, stack: w.stack });
  const taskDefinitionArn = primary?.taskDefinition ?? service.taskDefinition;
  const network = (primary?.networkConfiguration ?? service.networkConfiguration)?.awsvpcConfiguration;
  if (!taskDefinitionArn || !network?.subnets?.length)
    throw new ReleaseError(`service ${w.serviceName} runs no task definition yet in ${w.region}: wait for its first deployment`);
  // Its tasks run on, but ECS starts no new one from a deregistered revision.
  await usableRevision(ctx, w.region, taskDefinitionArn, registerAgain(w.stack));
  const strategy = primary?.capacityProviderStrategy ?? service.capacityProviderStrategy ?? [];
  return {
    taskDefinitionArn,
    subnetIds: network.subnets,
    securityGroupIds: network.securityGroups ?? [],
    capacityProviderStrategy: strategy.map((s) => ({ capacityProvider: s.capacityProvider ?? "FARGATE", weight: s.weight ?? 0, base: s.base ?? 0 })),
  };
}

/** The task's page in the ECS console. */
export function taskConsoleLink(region: string, cluster: string, taskArn: string): string {
  return `https://${region}.console.aws.amazon.com/ecs/v2/clusters/${cluster}/tasks/${taskId(taskArn)}/configuration?region=${region}`;
}

/** The one-off task of a workload for a command. */
export function oneOffTaskOf(
  ctx: EcsContext,
  w: WorkloadTarget,
  live: LiveTask,
  run: { label: string; command: readonly string[]; environment?: Readonly<Record<string, string>>; timeoutMinutes: number; pollSeconds: number },
): OneOffTask {
  return {
    label: run.label,
    region: w.region,
    cluster: w.cluster,
    taskDefinitionArn: live.taskDefinitionArn,
    containerName: w.containerName,
    command: run.command,
    ...(run.environment && Object.keys(run.environment).length > 0 ? { environment: run.environment } : {}),
    subnetIds: live.subnetIds,
    securityGroupIds: live.securityGroupIds,
    capacityProviderStrategy: live.capacityProviderStrategy,
    startedBy: startedByTag(run.label, w.workload, ctx.who),
    enableExecuteCommand: w.shell,
    timeoutMinutes: run.timeoutMinutes,
    pollSeconds: run.pollSeconds,
  };
}

/** What `npm run task` was asked. */
export interface TaskRequest {
  readonly command: readonly string[];
  /** Extra variables (`--env KEY=VALUE`), over the task definition's. */
  readonly environment: Readonly<Record<string, string>>;
  /** false (`--no-wait`): start it and return its ARN. */
  readonly wait: boolean;
  /** The task is stopped after this long. */
  readonly timeoutMinutes: number;
  readonly pollSeconds: number;
  /** Aborted on Ctrl-C: the task is stopped. */
  readonly signal?: AbortSignal;
}

/** How `npm run task` ended: started only (`--no-wait`), or run to its end. */
export type TaskResult = { readonly started: string } | { readonly outcome: TaskOutcome };

/**
 * Runs a command as a one-off task of the workload's live task definition; while it runs, the
 * container's log lines go to `output` as they arrive, in order and once each.
 */
export async function runWorkloadTask(ctx: TaskContext, w: WorkloadTarget, request: TaskRequest, output: (line: string) => void): Promise<TaskResult> {
  const live = await liveTaskOf(ctx, w);
  const t = oneOffTaskOf(ctx, w, live, { label: "task", ...request });
  const taskArn = await startOneOffTask(ctx, t);
  ctx.log(`started ${taskArn} of ${live.taskDefinitionArn}: ${request.command.join(" ")}`);
  ctx.log(`console: ${taskConsoleLink(w.region, w.cluster, taskArn)}`);
  if (!request.wait) return { started: taskArn };
  const location = await logLocation(ctx, t, taskArn);
  if (!location) ctx.log("the container does not log to CloudWatch Logs (awslogs): its output is not shown here");
  const tail = location ? new LogTail(ctx.clients.logs, w.region, location, output) : undefined;
  const followed = await followTask(ctx, t, taskArn, () => false, { onPoll: async () => tail?.poll(), ...(request.signal ? { signal: request.signal } : {}) });
  // The last lines reach CloudWatch Logs shortly after the container exits.
  if (tail && !followed.interrupted) {
    await ctx.sleep(Math.min(request.pollSeconds, 2) * 1000);
    await tail.poll();
  }
  return { outcome: await outcomeOf(ctx, t, taskArn, followed) };
}

/** The exit code `npm run task` ends with, and its last line: the container's code, 130 when interrupted, 1 when it never ran. */
export function taskExit(outcome: TaskOutcome): { code: number; line: string } {
  if (outcome.interrupted) return { code: 130, line: `interrupted: stopped ${outcome.taskArn}` };
  if (outcome.exitCode === undefined)
    return { code: 1, line: `the task never ran its command: ${outcome.stopReason ?? "no reason given"} (${outcome.taskArn}); ${outcome.logs}` };
  return { code: outcome.exitCode, line: `exited ${outcome.exitCode} (${outcome.taskArn})` };
}
