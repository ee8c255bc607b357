import { DescribeServicesCommand, type Service, type TaskSet } from "@aws-sdk/client-ecs";
import type { EcsContext, ReleaseContext } from "./context";
import { aws, ReleaseError } from "./errors";
import { usableRevision } from "./revision";
import type { ReleaseTarget } from "./contract";

/** What production runs: the primary task set's task definition and target group. */
export interface LiveState {
  readonly taskDefinitionArn: string | undefined;
  readonly targetGroupArn: string | undefined;
  readonly runningCount: number;
  readonly desiredCount: number;
}

/**
 * Reads an active service and what production runs of it: under CodeDeploy, the PRIMARY task set
 * (the one production traffic is on); under ECS's own deployments, the service itself.
 */
export async function describeLiveService(
  ctx: EcsContext,
  where: { readonly region: string; readonly cluster: string; readonly serviceName: string; readonly stack: string },
): Promise<{ service: Service; primary: TaskSet | undefined }> {
  const { services, failures } = await aws("ECS DescribeServices", where.region, () =>
    ctx.clients.ecs.send(new DescribeServicesCommand({ cluster: where.cluster, services: [where.serviceName] })),
  );
  const service = services?.[0];
  if (!service || service.status === "INACTIVE") {
    const reason = failures?.[0]?.reason ?? service?.status ?? "MISSING";
    throw new ReleaseError(
      `service ${where.serviceName} of cluster ${where.cluster} is ${reason} in ${where.region}: apply the stack first (pulumi up -s ${where.stack})`,
    );
  }
  return { service, primary: service.taskSets?.find((s) => s.status === "PRIMARY") };
}

/** Reads the service: under CodeDeploy, the PRIMARY task set is the one production traffic is on. */
export async function liveState(ctx: ReleaseContext, t: ReleaseTarget): Promise<LiveState> {
  const { service, primary } = await describeLiveService(ctx, t);
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
  // The code a rollback wants is the image: a new revision of it is as good as the old one.
  await usableRevision(
    ctx,
    t.region,
    previous,
    (image) => `to roll back to its code, set infra:image to ${image ?? "the tag it ran"} and pulumi up -s ${t.stack}`,
  );
  return previous;
}
