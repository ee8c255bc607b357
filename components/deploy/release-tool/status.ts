import { activeDeployment } from "./codedeploy";
import type { ReleaseContext } from "./context";
import { type LockHolder, readLock } from "./lock";
import { liveState } from "./service";
import type { ReleaseTarget } from "./target";

/** What an SRE wants to know before a release: what is live, what is moving, who holds the lock. */
export interface ReleaseStatus {
  readonly stack: string;
  readonly service: string;
  readonly liveTaskDefinition: string | undefined;
  readonly liveTargetGroup: string | undefined;
  readonly runningCount: number;
  readonly desiredCount: number;
  /** The revision the stack's outputs name: a release is pending when it differs from the live one. */
  readonly latestTaskDefinition: string;
  readonly activeDeployment: { readonly id: string; readonly status: string; readonly creator: string } | undefined;
  readonly lock: LockHolder | undefined;
}

export async function releaseStatus(ctx: ReleaseContext, t: ReleaseTarget): Promise<ReleaseStatus> {
  const [live, active, lock] = await Promise.all([liveState(ctx, t), activeDeployment(ctx, t), readLock(ctx, t)]);
  return {
    stack: t.stack,
    service: t.service,
    liveTaskDefinition: live.taskDefinitionArn,
    liveTargetGroup: live.targetGroupArn,
    runningCount: live.runningCount,
    desiredCount: live.desiredCount,
    latestTaskDefinition: t.taskDefinitionArn,
    activeDeployment: active,
    lock,
  };
}

/** The status as lines for a person. */
export function formatStatus(s: ReleaseStatus): string[] {
  return [
    `${s.stack}/${s.service}`,
    `  live task definition: ${s.liveTaskDefinition ?? "none"} (${s.runningCount}/${s.desiredCount} tasks running)`,
    `  live target group:    ${s.liveTargetGroup ?? "none"}`,
    `  latest revision:      ${s.latestTaskDefinition}${s.latestTaskDefinition === s.liveTaskDefinition ? " (live)" : " (not live: a release is pending)"}`,
    `  deployment:           ${s.activeDeployment ? `${s.activeDeployment.id} ${s.activeDeployment.status} (by ${s.activeDeployment.creator})` : "none in progress"}`,
    `  lock:                 ${s.lock ? `${s.lock.state} by ${s.lock.owner} until ${s.lock.until.toISOString()}` : "free"}`,
  ];
}
