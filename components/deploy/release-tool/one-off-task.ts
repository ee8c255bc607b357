import { DescribeTaskDefinitionCommand, DescribeTasksCommand, RunTaskCommand, StopTaskCommand, type Task } from "@aws-sdk/client-ecs";
import type { ReleaseContext } from "./context";
import { aws, ReleaseError } from "./errors";

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
  readonly capacityProviderStrategy: readonly { capacityProvider: string; weight: number; base: number }[];
  /** Shows in the console and in ListTasks: who ran it and why (at most 128 characters). */
  readonly startedBy: string;
  readonly timeoutMinutes: number;
  readonly pollSeconds: number;
}

/** How a one-off task ended. */
export interface TaskOutcome {
  readonly taskArn: string;
  /** The container's exit code; undefined when it never ran. */
  readonly exitCode: number | undefined;
  readonly stopReason: string | undefined;
  /** Where its output went: `log group logs-x, stream app/app/<task id>`. */
  readonly logs: string;
}

/** Where the container's awslogs output goes, from its task definition. */
async function logLocation(ctx: ReleaseContext, t: OneOffTask, taskArn: string): Promise<string> {
  const { taskDefinition } = await aws("ECS DescribeTaskDefinition", t.region, () =>
    ctx.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: t.taskDefinitionArn })),
  );
  const options = taskDefinition?.containerDefinitions?.find((c) => c.name === t.containerName)?.logConfiguration?.options ?? {};
  const group = options["awslogs-group"];
  if (!group) return "no awslogs log group in the task definition";
  const id = taskArn.split("/").pop() ?? taskArn;
  return `log group ${group}, stream ${options["awslogs-stream-prefix"] ?? "ecs"}/${t.containerName}/${id}`;
}

/** Starts the task; a task that ECS cannot place is a failure with ECS's reason. */
async function start(ctx: ReleaseContext, t: OneOffTask): Promise<string> {
  const { tasks, failures } = await aws("ECS RunTask", t.region, () =>
    ctx.clients.ecs.send(
      new RunTaskCommand({
        cluster: t.cluster,
        taskDefinition: t.taskDefinitionArn,
        count: 1,
        startedBy: t.startedBy.slice(0, 128),
        enableExecuteCommand: true,
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

/**
 * Runs a one-off task to its end: starts it, polls until it stops (bounded by its timeout, after
 * which it is stopped) and reports the container's exit code and where its logs are.
 */
export async function runOneOffTask(ctx: ReleaseContext, t: OneOffTask): Promise<TaskOutcome> {
  const taskArn = await start(ctx, t);
  ctx.log(`${t.label}: started ${taskArn} (${t.command.join(" ")})`);
  const deadline = ctx.now().getTime() + t.timeoutMinutes * 60_000;
  let status: string | undefined;
  let task: Task | undefined;
  for (;;) {
    const { tasks } = await aws("ECS DescribeTasks", t.region, () => ctx.clients.ecs.send(new DescribeTasksCommand({ cluster: t.cluster, tasks: [taskArn] })));
    task = tasks?.[0];
    if (task?.lastStatus !== status) {
      status = task?.lastStatus;
      ctx.log(`${t.label}: ${status ?? "unknown"}`);
    }
    if (status === "STOPPED") break;
    if (ctx.now().getTime() >= deadline) {
      await aws("ECS StopTask", t.region, () =>
        ctx.clients.ecs.send(new StopTaskCommand({ cluster: t.cluster, task: taskArn, reason: `${t.label} timed out after ${t.timeoutMinutes} min` })),
      );
      const logs = await logLocation(ctx, t, taskArn);
      throw new ReleaseError(`${t.label} timed out after ${t.timeoutMinutes} min and was stopped (${taskArn}); ${logs}`);
    }
    await ctx.sleep(t.pollSeconds * 1000);
  }
  const container = task?.containers?.find((c) => c.name === t.containerName);
  return { taskArn, exitCode: container?.exitCode, stopReason: container?.reason ?? task?.stoppedReason, logs: await logLocation(ctx, t, taskArn) };
}

/** Runs a one-off task that must succeed: exit code 0, or a ReleaseError saying how it ended and where its logs are. */
export async function runToSuccess(ctx: ReleaseContext, t: OneOffTask): Promise<TaskOutcome> {
  const outcome = await runOneOffTask(ctx, t);
  if (outcome.exitCode === 0) {
    ctx.log(`${t.label}: exited 0`);
    return outcome;
  }
  const how = outcome.exitCode === undefined ? `never ran: ${outcome.stopReason ?? "no reason given"}` : `exited ${outcome.exitCode}`;
  throw new ReleaseError(`${t.label} ${how} (${outcome.taskArn}); ${outcome.logs}`);
}
