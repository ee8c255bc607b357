import {
  ContinueServiceDeploymentCommand,
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  ListServiceDeploymentsCommand,
  type ServiceDeployment,
  type ServiceDeploymentStatus,
  StopServiceDeploymentCommand,
  UpdateServiceCommand,
} from "@aws-sdk/client-ecs";
import type { ReleaseContext } from "./context";
import { aws } from "./errors";
import type { ReleaseTarget } from "./contract";

/**
 * ECS's own blue/green deployments of a service (`deploymentController: ECS`), as the release
 * tool reads and steers them: the service's update starts one (`pulumi up`, or UpdateService
 * here), ECS moves the traffic through its lifecycle stages, a pause hook holds it at the gate
 * until ContinueServiceDeployment, StopServiceDeployment rolls it back.
 */

/** The statuses of a service deployment that has not ended. */
export const ACTIVE_SERVICE_DEPLOYMENT_STATUSES: ServiceDeploymentStatus[] = [
  "PENDING",
  "IN_PROGRESS",
  "STOP_REQUESTED",
  "ROLLBACK_REQUESTED",
  "ROLLBACK_IN_PROGRESS",
];

/** The statuses that end a deployment that did not succeed (STOPPED: stopped without a rollback). */
const FAILED_STATUSES: readonly string[] = ["ROLLBACK_SUCCESSFUL", "ROLLBACK_FAILED", "STOPPED"];

/** The stages after production traffic has moved in full (the bake keeps the old tasks for a rollback). */
const AFTER_PRODUCTION_SHIFT: readonly string[] = ["POST_PRODUCTION_TRAFFIC_SHIFT", "BAKE_TIME", "CLEAN_UP"];

/** The short id of a service deployment (the last part of its ARN), for the messages and the console's link. */
export const deploymentIdOf = (arn: string) => arn.split("/").at(-1) ?? arn;

/** The newest deployments of the service, newest first (only those with one of `statuses`, when given). */
async function deploymentsOf(ctx: ReleaseContext, t: ReleaseTarget, statuses?: ServiceDeploymentStatus[]) {
  const { serviceDeployments } = await aws("ECS ListServiceDeployments", t.region, () =>
    ctx.clients.ecs.send(new ListServiceDeploymentsCommand({ cluster: t.cluster, service: t.serviceName, ...(statuses ? { status: statuses } : {}) })),
  );
  return [...(serviceDeployments ?? [])].sort((a, b) => (b.createdAt?.getTime() ?? 0) - (a.createdAt?.getTime() ?? 0));
}

/** One deployment in full. */
export async function describeDeployment(ctx: ReleaseContext, t: ReleaseTarget, arn: string): Promise<ServiceDeployment> {
  const { serviceDeployments, failures } = await aws("ECS DescribeServiceDeployments", t.region, () =>
    ctx.clients.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] })),
  );
  const found = serviceDeployments?.[0];
  if (!found) throw new Error(`ECS DescribeServiceDeployments found no ${arn}: ${failures?.[0]?.reason ?? "no reason given"}`);
  return found;
}

/** The task definition a service revision runs. */
async function revisionTaskDefinition(ctx: ReleaseContext, t: ReleaseTarget, revisionArn: string | undefined): Promise<string | undefined> {
  if (!revisionArn) return undefined;
  const { serviceRevisions } = await aws("ECS DescribeServiceRevisions", t.region, () =>
    ctx.clients.ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [revisionArn] })),
  );
  return serviceRevisions?.[0]?.taskDefinition;
}

/** A deployment of the service that has not ended: its id, status and where it is (`creator` in the shape CodeDeploy's has). */
export async function activeServiceDeployment(
  ctx: ReleaseContext,
  t: ReleaseTarget,
): Promise<{ id: string; arn: string; status: string; creator: string } | undefined> {
  const [active] = await deploymentsOf(ctx, t, ACTIVE_SERVICE_DEPLOYMENT_STATUSES);
  if (!active?.serviceDeploymentArn) return undefined;
  const d = await describeDeployment(ctx, t, active.serviceDeploymentArn);
  return {
    id: deploymentIdOf(active.serviceDeploymentArn),
    arn: active.serviceDeploymentArn,
    status: `${d.status ?? active.status ?? "unknown"}${d.lifecycleStage ? ` at ${d.lifecycleStage}` : ""}`,
    creator: "ECS (an update of the service)",
  };
}

/** The service as ECS has it: the revision it is asked to run, or none when the stack has not created it yet. */
export async function serviceRevision(ctx: ReleaseContext, t: ReleaseTarget): Promise<{ taskDefinitionArn: string | undefined } | undefined> {
  const { services } = await aws("ECS DescribeServices", t.region, () =>
    ctx.clients.ecs.send(new DescribeServicesCommand({ cluster: t.cluster, services: [t.serviceName] })),
  );
  const service = services?.[0];
  return service && service.status !== "INACTIVE" ? { taskDefinitionArn: service.taskDefinition } : undefined;
}

/**
 * The deployment that releases `taskDefinitionArn` (undefined: any revision): the newest of the
 * service, when it runs that revision and was created at or after `since` (by the `pulumi up`
 * whose prepare ran then, or by this release's UpdateService). Undefined when there is none (yet).
 */
export async function deploymentOf(ctx: ReleaseContext, t: ReleaseTarget, taskDefinitionArn: string | undefined, since: Date): Promise<string | undefined> {
  const [newest] = await deploymentsOf(ctx, t);
  if (!newest?.serviceDeploymentArn || (newest.createdAt?.getTime() ?? 0) < since.getTime()) return undefined;
  if (taskDefinitionArn === undefined) return newest.serviceDeploymentArn;
  return (await revisionTaskDefinition(ctx, t, newest.targetServiceRevisionArn)) === taskDefinitionArn ? newest.serviceDeploymentArn : undefined;
}

/** Starts a deployment of a revision the way `pulumi up` does: an update of the service's task definition. */
export async function updateServiceRevision(ctx: ReleaseContext, t: ReleaseTarget, taskDefinitionArn: string): Promise<void> {
  await aws("ECS UpdateService", t.region, () =>
    ctx.clients.ecs.send(new UpdateServiceCommand({ cluster: t.cluster, service: t.serviceName, taskDefinition: taskDefinitionArn })),
  );
}

/** Stops a deployment with rollback: production traffic returns to the tasks it came from, which ECS kept. */
export async function stopWithRollback(ctx: ReleaseContext, t: ReleaseTarget, arn: string): Promise<void> {
  await aws("ECS StopServiceDeployment", t.region, () =>
    ctx.clients.ecs.send(new StopServiceDeploymentCommand({ serviceDeploymentArn: arn, stopType: "ROLLBACK" })),
  );
}

/** Answers the pause hook a deployment waits at: go on to production traffic, or roll back. */
export async function answerGate(ctx: ReleaseContext, t: ReleaseTarget, arn: string, hookId: string, action: "CONTINUE" | "ROLLBACK"): Promise<void> {
  await aws("ECS ContinueServiceDeployment", t.region, () =>
    ctx.clients.ecs.send(new ContinueServiceDeploymentCommand({ serviceDeploymentArn: arn, hookId, action })),
  );
}

/** What one look saw of a service deployment. */
export interface EcsDeploymentSnapshot {
  readonly status: string;
  readonly stage: string | undefined;
  /** Percent of production traffic ECS has asked to send to the new revision. */
  readonly productionTraffic: number | undefined;
  /** Production traffic is on the new tasks in full (a canary's or linear's last step too). */
  readonly switched: boolean;
  readonly succeeded: boolean;
  /** Ended without success: rolled back (`rolledBack`) or stopped. */
  readonly failed: boolean;
  readonly rolledBack: boolean;
  readonly reason: string | undefined;
  /** The pause hook waiting for someone, if any. */
  readonly gate?: { readonly hookId: string; readonly expiresAt: Date | undefined };
  /** The gate's time ran out (its timeout action then applies). */
  readonly gateTimedOut: boolean;
}

/** One look at a deployment: its status, stage, traffic, gate and why it ended. */
export async function ecsSnapshot(ctx: ReleaseContext, t: ReleaseTarget, arn: string): Promise<EcsDeploymentSnapshot> {
  const d = await describeDeployment(ctx, t, arn);
  const status = d.status ?? "unknown";
  const stage = d.lifecycleStage;
  const hooks = d.lifecycleHookDetails ?? [];
  const waiting = hooks.find((h) => h.targetType === "PAUSE" && h.status === "AWAITING_ACTION" && h.hookId);
  const succeeded = status === "SUCCESSFUL";
  const failed = FAILED_STATUSES.includes(status);
  const triggered = d.alarms?.triggeredAlarmNames ?? [];
  const reason =
    triggered.length > 0
      ? `alarm ${triggered.join(", ")} went off`
      : d.deploymentCircuitBreaker?.status === "TRIGGERED"
        ? `${d.deploymentCircuitBreaker.failureCount ?? "some"} task(s) failed to start (the circuit breaker)`
        : (d.rollback?.reason ?? d.statusReason);
  return {
    status,
    stage,
    productionTraffic: d.targetServiceRevision?.requestedProductionTrafficWeight,
    switched: succeeded || (!failed && stage !== undefined && AFTER_PRODUCTION_SHIFT.includes(stage)),
    succeeded,
    failed,
    rolledBack: status.startsWith("ROLLBACK"),
    reason,
    ...(waiting ? { gate: { hookId: waiting.hookId!, expiresAt: waiting.expiresAt } } : {}),
    gateTimedOut: hooks.some((h) => h.targetType === "PAUSE" && h.status === "TIMED_OUT"),
  };
}
