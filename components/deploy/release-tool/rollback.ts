import { activeDeployment, snapshot, stopWithRollback } from "./codedeploy";
import type { ReleaseContext } from "./context";
import { ReleaseError } from "./errors";
import { notify } from "./notify";
import { release, type ReleaseResult } from "./release";
import { liveState, previousRevision } from "./service";
import type { ReleaseTarget } from "./target";

/** How a rollback went. */
export type RollbackResult =
  { readonly outcome: "stopped"; readonly deploymentId: string; readonly status: string } | (ReleaseResult & { readonly rolledBackFrom: string | undefined });

/**
 * Rolls a service back. During a deployment or its termination wait: stop it with rollback
 * (traffic returns to the original tasks at once, they are still running). After it has
 * finished: a release of the previous task definition revision, through the same lock and
 * checks, without the migration (a rollback never migrates forward).
 */
export async function rollback(ctx: ReleaseContext, t: ReleaseTarget): Promise<RollbackResult> {
  const active = await activeDeployment(ctx, t);
  if (active) {
    ctx.log(`deployment ${active.id} is ${active.status}: stopping it with rollback`);
    const status = await stopWithRollback(ctx, t, active.id);
    ctx.log(`deployment ${active.id}: ${status}`);
    const after = await snapshot(ctx, t, active.id);
    await notify(ctx, t, "rolled back", { deploymentId: active.id, reason: `stopped by ${ctx.who}` });
    return { outcome: "stopped", deploymentId: active.id, status: after.status };
  }
  const live = (await liveState(ctx, t)).taskDefinitionArn;
  if (!live) throw new ReleaseError(`${t.stack}/${t.service} runs no task definition yet: nothing to roll back`);
  const previous = await previousRevision(ctx, t, live);
  ctx.log(`no deployment in progress: releasing the previous revision ${previous} (live: ${live})`);
  const result = await release(ctx, { ...t, migration: undefined, taskDefinitionArn: previous }, "all");
  return { ...result, rolledBackFrom: live };
}
