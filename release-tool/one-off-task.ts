import { DescribeTaskDefinitionCommand, DescribeTasksCommand, RunTaskCommand, StopTaskCommand, type Task } from "@aws-sdk/client-ecs";
import type { EcsContext } from "./context";
import { aws, ReleaseError } from "./errors";

/**
 * One-off Fargate tasks, shared by every tool that runs one: a release's migration and
 * post-release command, `npm run task`, `npm run shell`.
 */

/** A command run once as a Fargate task of a task definition, in a service's network. */
export interface OneOffTask {
  /** What it is, for the progress lines and errors: `migration`, `post-release command`. */
  readonly label: string;
  readonly region: string;
  readonly cluster: string;
  readonly taskDefinitionArn: string;
  readonly containerName: string;
  readonly command: readonly string[];
  readonly environment?: Readonly<Record<string, string>>;
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  /** Empty: Fargate on demand (`launchType`). */
  readonly capacityProviderStrategy: readonly { capacityProvider: string; weight: number; base: number }[];
  /** Shows in the console and in ListTasks: who ran it and why ({@link startedByTag}). */
  readonly startedBy: string;
  /** ECS Exec on the task (its task role must allow the SSM channels). @default true */
  readonly enableExecuteCommand?: boolean;
  readonly timeoutMinutes: number;
  readonly pollSeconds: number;
}

/** What a caller watches while a task runs. */
export interface TaskWatch {
  /** Called after each poll with the task as ECS described it (to stream its logs, say). */
  readonly onPoll?: (task: Task | undefined) => Promise<void>;
  /** When aborted (Ctrl-C), the task is stopped and the outcome says it was interrupted. */
  readonly signal?: AbortSignal;
}

/** How a one-off task ended. */
export interface TaskOutcome {
  readonly taskArn: string;
  /** The container's exit code; undefined when it never ran. */
  readonly exitCode: number | undefined;
  readonly stopReason: string | undefined;
  /** Where its output went: `log group logs-x, stream app/app/<task id>`. */
  readonly logs: string;
  /** Stopped because the watcher's signal was aborted. */
  readonly interrupted: boolean;
}

/** Where a container's awslogs output goes. */
export interface LogLocation {
  readonly group: string;
  readonly stream: string;
}

// ECS accepts up to 128 letters, digits, `-`, `/` and `_` in startedBy and refuses anything else;
// `/` separates the words, so within a word it becomes `-` like the rest.
const STARTED_BY_REFUSED = /[^A-Za-z0-9_-]+/g;

/** A `startedBy` ECS accepts, from words such as `release`, `migration`, `alice@laptop`: `release/migration/alice-laptop`. */
export function startedByTag(...parts: readonly string[]): string {
  return parts
    .map((p) => p.replace(STARTED_BY_REFUSED, "-").replace(/^-+|-+$/g, ""))
    .filter((p) => p.length > 0)
    .join("/")
    .slice(0, 128);
}

/** The task's id: the last part of its ARN. */
export function taskId(taskArn: string): string {
  return taskArn.split("/").pop() ?? taskArn;
}

/** Where the container's awslogs output of this task goes, from its task definition; undefined when it logs elsewhere. */
export async function logLocation(
  ctx: EcsContext,
  t: Pick<OneOffTask, "region" | "taskDefinitionArn" | "containerName">,
  taskArn: string,
): Promise<LogLocation | undefined> {
  const { taskDefinition } = await aws("ECS DescribeTaskDefinition", t.region, () =>
    ctx.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: t.taskDefinitionArn })),
  );
  const logging = taskDefinition?.containerDefinitions?.find((c) => c.name === t.containerName)?.logConfiguration;
  const group = logging?.logDriver === "awslogs" ? logging.options?.["awslogs-group"] : undefined;
  if (!group) return undefined;
  // The awslogs driver names a task's stream <prefix>/<container>/<task id>.
  return { group, stream: `${logging?.options?.["awslogs-stream-prefix"] ?? "ecs"}/${t.containerName}/${taskId(taskArn)}` };
}

function describeLogs(location: LogLocation | undefined): string {
  return location ? `log group ${location.group}, stream ${location.stream}` : "no awslogs log group in the task definition";
}

/** Starts the task; a task that ECS cannot place is a failure with ECS's reason. */
export async function startOneOffTask(ctx: EcsContext, t: OneOffTask): Promise<string> {
  const { tasks, failures } = await aws("ECS RunTask", t.region, () =>
    ctx.clients.ecs.send(
      new RunTaskCommand({
        cluster: t.cluster,
        taskDefinition: t.taskDefinitionArn,
        count: 1,
        startedBy: t.startedBy.slice(0, 128),
        enableExecuteCommand: t.enableExecuteCommand ?? true,
        ...(t.capacityProviderStrategy.length > 0 ? { capacityProviderStrategy: [...t.capacityProviderStrategy] } : { launchType: "FARGATE" }),
        networkConfiguration: { awsvpcConfiguration: { subnets: [...t.subnetIds], securityGroups: [...t.securityGroupIds], assignPublicIp: "DISABLED" } },
        overrides: {
          containerOverrides: [
            {
              name: t.containerName,
              command: [...t.command],
              ...(t.environment ? { environment: Object.entries(t.environment).map(([name, value]) => ({ name, value })) } : {}),
            },
          ],
        },
      }),
    ),
  );
  const arn = tasks?.[0]?.taskArn;
  if (!arn) {
    const reasons = (failures ?? []).map((f) => `${f.reason ?? "unknown"}${f.detail ? ` (${f.detail})` : ""}`).join("; ");
    throw new ReleaseError(`${t.label} could not start: ${reasons || "ECS returned no task"}`);
  }
  return arn;
}

/** Stops a task; ECS keeps the reason with it (the console shows it). */
export async function stopOneOffTask(ctx: EcsContext, t: Pick<OneOffTask, "region" | "cluster">, taskArn: string, reason: string): Promise<void> {
  await aws("ECS StopTask", t.region, () => ctx.clients.ecs.send(new StopTaskCommand({ cluster: t.cluster, task: taskArn, reason: reason.slice(0, 255) })));
}

/**
 * Polls a started task until `done` says so or it stops, bounded by the task's timeout (then it
 * is stopped and the caller gets an error) and by the watcher's signal (then it is stopped and
 * `interrupted` is the answer). Each change of status is a progress line.
 */
export async function followTask(
  ctx: EcsContext,
  t: OneOffTask,
  taskArn: string,
  done: (task: Task | undefined) => boolean,
  watch: TaskWatch = {},
): Promise<{ task: Task | undefined; interrupted: boolean }> {
  const deadline = ctx.now().getTime() + t.timeoutMinutes * 60_000;
  let status: string | undefined;
  for (;;) {
    const { tasks } = await aws("ECS DescribeTasks", t.region, () => ctx.clients.ecs.send(new DescribeTasksCommand({ cluster: t.cluster, tasks: [taskArn] })));
    const task = tasks?.[0];
    if (task?.lastStatus !== status) {
      status = task?.lastStatus;
      ctx.log(`${t.label}: ${status ?? "unknown"}`);
    }
    await watch.onPoll?.(task);
    if (status === "STOPPED" || done(task)) return { task, interrupted: false };
    if (watch.signal?.aborted) {
      await stopOneOffTask(ctx, t, taskArn, `${t.label} interrupted by ${ctx.who}`);
      ctx.log(`${t.label}: interrupted; stopped ${taskArn}`);
      return { task, interrupted: true };
    }
    if (ctx.now().getTime() >= deadline) {
      await stopOneOffTask(ctx, t, taskArn, `${t.label} timed out after ${t.timeoutMinutes} min`);
      throw new ReleaseError(
        `${t.label} timed out after ${t.timeoutMinutes} min and was stopped (${taskArn}); ${describeLogs(await logLocation(ctx, t, taskArn))}`,
      );
    }
    await ctx.sleep(t.pollSeconds * 1000);
  }
}

/** How a followed task ended, from ECS's description of it. */
export async function outcomeOf(
  ctx: EcsContext,
  t: OneOffTask,
  taskArn: string,
  followed: { task: Task | undefined; interrupted: boolean },
): Promise<TaskOutcome> {
  const container = followed.task?.containers?.find((c) => c.name === t.containerName);
  return {
    taskArn,
    exitCode: container?.exitCode,
    stopReason: container?.reason ?? followed.task?.stoppedReason,
    logs: describeLogs(await logLocation(ctx, t, taskArn)),
    interrupted: followed.interrupted,
  };
}

/**
 * Runs a one-off task to its end: starts it, polls until it stops (bounded by its timeout, after
 * which it is stopped) and reports the container's exit code and where its logs are.
 */
export async function runOneOffTask(ctx: EcsContext, t: OneOffTask, watch: TaskWatch = {}): Promise<TaskOutcome> {
  const taskArn = await startOneOffTask(ctx, t);
  ctx.log(`${t.label}: started ${taskArn} (${t.command.join(" ")})`);
  return outcomeOf(ctx, t, taskArn, await followTask(ctx, t, taskArn, () => false, watch));
}

/** Runs a one-off task that must succeed: exit code 0, or a ReleaseError saying how it ended and where its logs are. */
export async function runToSuccess(ctx: EcsContext, t: OneOffTask): Promise<TaskOutcome> {
  const outcome = await runOneOffTask(ctx, t);
  if (outcome.exitCode === 0) {
    ctx.log(`${t.label}: exited 0`);
    return outcome;
  }
  const how = outcome.exitCode === undefined ? `never ran: ${outcome.stopReason ?? "no reason given"}` : `exited ${outcome.exitCode}`;
  throw new ReleaseError(`${t.label} ${how} (${outcome.taskArn}); ${outcome.logs}`);
}
