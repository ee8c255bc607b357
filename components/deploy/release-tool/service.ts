import { DescribeServicesCommand, DescribeTaskDefinitionCommand } from "@aws-sdk/client-ecs";
import type { ReleaseContext } from "./context";
import { aws, ReleaseError } from "./errors";
import type { ReleaseTarget } from "./target";

/** What production runs: the primary task set's task definition and target group. */
export interface LiveState {
  readonly taskDefinitionArn: string | undefined;
  readonly targetGroupArn: string | undefined;
  readonly runningCount: number;
  readonly desiredCount: number;
}

/** Reads the service: under CodeDeploy, the PRIMARY task set is the one production traffic is on. */
export async function liveState(ctx: ReleaseContext, t: ReleaseTarget): Promise<LiveState> {
  const { services, failures } = await aws("ECS DescribeServices", t.region, () =>
    ctx.clients.ecs.send(new DescribeServicesCommand({ cluster: t.cluster, services: [t.serviceName] })),
  );
  const service = services?.[0];
  if (!service || service.status === "INACTIVE") {
    const reason = failures?.[0]?.reason ?? service?.status ?? "MISSING";
    throw new ReleaseError(`service ${t.serviceName} of cluster ${t.cluster} is ${reason} in ${t.region}: apply the stack first (pulumi up -s ${t.stack})`);
  }
  const primary = service.taskSets?.find((s) => s.status === "PRIMARY");
  return {
    taskDefinitionArn: primary?.taskDefinition ?? service.taskDefinition,
    targetGroupArn: (primary?.loadBalancers ?? service.loadBalancers)?.[0]?.targetGroupArn,
    runningCount: service.runningCount ?? 0,
    desiredCount: service.desiredCount ?? 0,
  };
}

/** The revision before a task definition revision (`family:42` → `family:41`), checked to exist and be usable. */
export async function previousRevision(ctx: ReleaseContext, t: ReleaseTarget, live: string): Promise<string> {
  const match = /^(.*):(\d+)$/.exec(live);
  const revision = Number(match?.[2]);
  if (!match || revision <= 1) throw new ReleaseError(`${live} has no previous revision to roll back to`);
  const previous = `${match[1]}:${revision - 1}`;
  const { taskDefinition } = await aws("ECS DescribeTaskDefinition", t.region, () =>
    ctx.clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: previous })),
  );
  if (taskDefinition?.status === "DELETE_IN_PROGRESS") throw new ReleaseError(`${previous} is being deleted; it cannot be released again`);
  return previous;
}
