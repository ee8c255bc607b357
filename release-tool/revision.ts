import { DescribeTaskDefinitionCommand, type TaskDefinition } from "@aws-sdk/client-ecs";
import type { EcsContext } from "./context";
import { aws, ReleaseError } from "./errors";

/**
 * A task definition revision ECS can start tasks from. ECS runs no new task, creates no service
 * and deploys no service from an INACTIVE revision (deregistered: the stacks keep theirs with
 * `skipDestroy`, so this is one deregistered by hand or before that); tasks already running on
 * it go on. The refusal is one line: the revision, its status, and `instead`, what to do, which
 * is told the revision's image (ECS still describes an INACTIVE revision).
 */
export async function usableRevision(ctx: EcsContext, region: string, arn: string, instead: (image: string | undefined) => string): Promise<TaskDefinition> {
  const taskDefinition = await describeRevision(ctx, region, arn);
  const reason = unusable(arn, taskDefinition);
  if (reason) throw new ReleaseError(`${reason}; ${instead(taskDefinition.containerDefinitions?.[0]?.image)}`);
  return taskDefinition;
}

export async function describeRevision(ctx: EcsContext, region: string, arn: string): Promise<TaskDefinition> {
  const { taskDefinition } = await aws("ECS DescribeTaskDefinition", region, () =>
    ctx.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn })),
  );
  return taskDefinition ?? {};
}

/** Why ECS starts no task from this revision; undefined when it does. */
export function unusable(arn: string, taskDefinition: TaskDefinition): string | undefined {
  if (taskDefinition.status === "INACTIVE") return `${arn} is INACTIVE (deregistered): ECS starts no task from it`;
  if (taskDefinition.status === "DELETE_IN_PROGRESS") return `${arn} is being deleted: ECS starts no task from it`;
  return undefined;
}

/** What to do instead when a revision the stack registered is not usable: refresh the stack, which registers it again. */
export const registerAgain = (stack: string) => () => `pulumi up --refresh -s ${stack} registers the stack's revision again`;
