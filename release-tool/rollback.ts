import { activeDeployment, snapshot, stopWithRollback } from "./codedeploy";
import { activeServiceDeployment, answerGate, ecsSnapshot, stopWithRollback as stopServiceDeployment } from "./ecs-deployments";
import type { ReleaseContext } from "./context";
import { ReleaseError } from "./errors";
import { notify } from "./notify";
import { release, type ReleaseResult } from "./release";
import { type Colour, otherColour } from "./colours";
import { type ColourTarget, drainCommand, hasColours, liveColour } from "./worker-colours";
import { liveState, previousRevision } from "./service";
import type { ReleaseTarget } from "./contract";

/** How a rollback went. */
export type RollbackResult =
  { readonly outcome: "stopped"; readonly deploymentId: string; readonly status: string } | (ReleaseResult & { readonly rolledBackFrom: string | undefined });

/**
 * With colours, the revisions before the stack's latest, of every colour (registered together at
 * each change): a release of them starts the idle colour on the code before. Only when the latest
 * is what runs; otherwise "the one before" would not be the code before the live one.
 */
async function previousColours(ctx: ReleaseContext, t: ColourTarget): Promise<ColourTarget> {
  const live = await liveColour(ctx, t);
  if (live.taskDefinitionArn !== t.colours.taskDefinitionArns[live.colour]) {
    throw new ReleaseError(
      `${t.stack}/${t.service} runs ${live.taskDefinitionArn}, not the stack's latest ${t.colours.taskDefinitionArns[live.colour]}: a rollback releases the revisions before the latest, which are not the code before the live one; set infra:image back to the live tag and pulumi up instead`,
    );
  }
  const previous = (arn: string) => previousRevision(ctx, t, arn);
  const pair = async (p: Readonly<Record<Colour, string>>) => ({ blue: await previous(p.blue), green: await previous(p.green) });
  const groups = [];
  for (const g of t.colours.groups) groups.push({ ...g, taskDefinitionArns: await pair(g.taskDefinitionArns) });
  const web = await pair(t.colours.taskDefinitionArns);
  ctx.log(
    `no deployment in progress: releasing the revisions before the latest (${web[otherColour(live.colour)]} and its workers; live: ${live.taskDefinitionArn})`,
  );
  return { ...t, migration: undefined, taskDefinitionArn: web.blue, colours: { taskDefinitionArns: web, groups } };
}

/**
 * Rolls a service back. During a deployment or its termination wait: stop it with rollback
 * (traffic returns to the original tasks at once, they are still running). After it has
 * finished: a release of the previous task definition revision, through the same lock and
 * checks, without the migration (a rollback never migrates forward). A lock in the hold period
 * does not stop it: the hold keeps the next release out while the last one is watched, and a
 * rollback is what that watching may call for.
 */
export async function rollback(ctx: ReleaseContext, t: ReleaseTarget): Promise<RollbackResult> {
  if (t.controller === "ecs") {
    const stopped = await stopEcs(ctx, t);
    if (stopped) return stopped;
    return previousRevisionRelease(ctx, t);
  }
  const active = await activeDeployment(ctx, t);
  if (active) {
    ctx.log(`deployment ${active.id} is ${active.status}: stopping it with rollback`);
    const status = await stopWithRollback(ctx, t, active.id);
    ctx.log(`deployment ${active.id}: ${status}`);
    const after = await snapshot(ctx, t, active.id);
    await notify(ctx, t, "rolled back", { deploymentId: active.id, reason: `stopped by ${ctx.who}` });
    // Production is back on the old colour, whose workers were never stopped; the new colour's
    // workers may hold jobs enqueued meanwhile: they run until drained.
    if (hasColours(t)) {
      for (const g of t.colours.groups)
        ctx.log(`${g.group}: the back workers of the colour rolled back from keep running until drained: ${drainCommand(t, g.group)}`);
    }
    return { outcome: "stopped", deploymentId: active.id, status: after.status };
  }
  if (hasColours(t)) {
    const result = await release(ctx, await previousColours(ctx, t), "all", undefined, "rollback");
    return { ...result, rolledBackFrom: t.colours.taskDefinitionArns[otherColour(result.colour ?? "blue")] };
  }
  return previousRevisionRelease(ctx, t);
}

/**
 * Under ECS, a deployment that has not ended: at the gate, its pause hook answered ROLLBACK;
 * otherwise (moving traffic, baking) stopped with rollback. Production traffic returns to the
 * tasks it came from, which ECS kept. Undefined when no deployment runs.
 */
async function stopEcs(ctx: ReleaseContext, t: ReleaseTarget): Promise<RollbackResult | undefined> {
  const active = await activeServiceDeployment(ctx, t);
  if (!active) return undefined;
  const gate = (await ecsSnapshot(ctx, t, active.arn)).gate;
  if (gate) {
    ctx.log(`deployment ${active.id} waits at its gate: answering it with rollback`);
    await answerGate(ctx, t, active.arn, gate.hookId, "ROLLBACK");
  } else {
    ctx.log(`deployment ${active.id} is ${active.status}: stopping it with rollback`);
    await stopServiceDeployment(ctx, t, active.arn);
  }
  const after = await ecsSnapshot(ctx, t, active.arn);
  ctx.log(`deployment ${active.id}: ${after.status}`);
  await notify(ctx, t, "rolled back", { deploymentId: active.id, reason: `stopped by ${ctx.who}` });
  return { outcome: "stopped", deploymentId: active.id, status: after.status };
}

/** After a release has finished: the previous revision, released through the same lock and checks, without the migration. */
async function previousRevisionRelease(ctx: ReleaseContext, t: ReleaseTarget): Promise<RollbackResult> {
  const live = (await liveState(ctx, t)).taskDefinitionArn;
  if (!live) throw new ReleaseError(`${t.stack}/${t.service} runs no task definition yet: nothing to roll back`);
  const previous = await previousRevision(ctx, t, live);
  ctx.log(`no deployment in progress: releasing the previous revision ${previous} (live: ${live})`);
  const result = await release(ctx, { ...t, migration: undefined, taskDefinitionArn: previous }, "all", undefined, "rollback");
  return { ...result, rolledBackFrom: live };
}
