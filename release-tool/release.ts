import { randomUUID } from "node:crypto";
import { activeDeployment, createDeployment, snapshot, type DeploymentSnapshot } from "./codedeploy";
import type { ReleaseContext } from "./context";
import { ReleaseError } from "./errors";
import {
  activeServiceDeployment,
  deploymentIdOf,
  deploymentOf,
  type EcsDeploymentSnapshot,
  ecsSnapshot,
  serviceRevision,
  updateServiceRevision,
} from "./ecs-deployments";
import { acquireLock, commandsFor, holdLock, markPrepared, readLock, releaseLock } from "./lock";
import { deploymentLink, notify } from "./notify";
import { runToSuccess, startedByTag, type OneOffTask } from "./one-off-task";
import { type CheckLine, failingChecks, formatChecks, needsFromTaskDefinition, preflight, type WorkloadNeeds } from "./preflight";
import { type Colour, otherColour } from "./colours";
import {
  type ColourTarget,
  colourState,
  drainColour,
  drainCommand,
  hasColours,
  liveColour,
  recordUndrained,
  refuseIfIdleBusy,
  startIdleColour,
} from "./worker-colours";
import { registerAgain, usableRevision } from "./revision";
import { describeLiveService, liveState } from "./service";
import type { ReleaseTarget } from "./contract";

/**
 * The steps of a release. `prepare` (lock, checks, migration) and `deploy` (CodeDeploy, the
 * post-release command, the hold) are separate so that a `pulumi up` can roll the workers and
 * the scheduler between them; `all` is both, for a release from the command line.
 */
export type ReleaseStep = "prepare" | "deploy" | "all";

/** How a release ended. */
export interface ReleaseResult {
  readonly outcome: "prepared" | "released" | "already live" | "switched";
  readonly taskDefinitionArn: string;
  /** The release run that held the lock: prepare's is handed to deploy (`INFRA_RELEASE_PREPARED`). */
  readonly run: string;
  readonly deploymentId?: string;
  /** With blue/green back workers: the colour live now. */
  readonly colour?: Colour;
}

/** How long a running release holds the lock: long enough for every step, short enough that a crash frees it. */
export const lockMinutes = (t: ReleaseTarget) =>
  (t.migration?.timeoutMinutes ?? 0) +
  (t.postRelease?.timeoutMinutes ?? 0) +
  t.timeoutMinutes +
  t.terminationWaitMinutes +
  // The manual gate: as long as the deployment waits for someone; under ECS, a canary's or linear's steps.
  (t.gate?.timeoutMinutes ?? 0) +
  (t.shiftMinutes ?? 0) +
  // Blue/green workers: the idle colour's start (bounded like the deployment) and each drain.
  (t.colours ? t.timeoutMinutes + t.colours.groups.reduce((sum, g) => sum + g.drain.timeoutMinutes, 0) : 0) +
  30;

const task = (t: ReleaseTarget, ctx: ReleaseContext, label: string, spec: { command: string[]; timeoutMinutes: number }): OneOffTask => ({
  label,
  region: t.region,
  cluster: t.cluster,
  taskDefinitionArn: t.taskDefinitionArn,
  containerName: t.containerName,
  command: spec.command,
  subnetIds: t.subnetIds,
  securityGroupIds: t.securityGroupIds,
  capacityProviderStrategy: t.capacityProviderStrategy,
  startedBy: startedByTag("release", label, ctx.who),
  timeoutMinutes: spec.timeoutMinutes,
  pollSeconds: t.pollSeconds,
});

/** A deployment of the service that has not ended: CodeDeploy's, or ECS's own. */
export const activeDeploymentOf = (ctx: ReleaseContext, t: ReleaseTarget) =>
  t.controller === "ecs" ? activeServiceDeployment(ctx, t) : activeDeployment(ctx, t);

/** Refuses while another deployment of the service has not ended (under ECS, before the stack creates the service, none has). */
async function refuseIfActive(ctx: ReleaseContext, t: ReleaseTarget): Promise<void> {
  if (t.controller === "ecs" && !(await serviceRevision(ctx, t))) return;
  const active = await activeDeploymentOf(ctx, t);
  if (active) {
    throw new ReleaseError(
      `deployment ${active.id} of ${t.stack}/${t.service} is ${active.status} (created by ${active.creator}): wait for it (${deploymentLink(t, active.id)}) or roll it back: ${commandsFor(t).rollback}`,
    );
  }
}

/** The colour a target group of a blue/green service is (its name ends `-blue-<id>` or `-green-<id>`). */
const colourOfGroup = (arn: string) => /-(blue|green)-[0-9a-f]+\/[0-9a-f]+$/.exec(arn)?.[1];

/**
 * Under ECS, a service CodeDeploy still runs is moved to ECS in place by this `pulumi up` (its
 * rules and the service's update wait for this step): refused while a CodeDeploy deployment of
 * it runs (a second task set), and when production is not on the target group ECS's production
 * rule starts on (the rule would send production to the idle group). Nothing has moved then.
 */
async function refuseUnsafeTakeover(ctx: ReleaseContext, t: ReleaseTarget): Promise<void> {
  if (!(await serviceRevision(ctx, t))) return;
  const { service, primary } = await describeLiveService(ctx, t);
  if (service.deploymentController?.type !== "CODE_DEPLOY") return;
  const sets = service.taskSets ?? [];
  if (sets.length > 1) {
    throw new ReleaseError(
      `${t.stack}/${t.service} is still released by CodeDeploy and a deployment of it runs (${sets.length} task sets): let it end (${commandsFor(t).status}) before the up that moves it to the ECS controller`,
    );
  }
  const live = primary?.loadBalancers?.[0]?.targetGroupArn;
  if (live && t.productionTargetGroupArn && live !== t.productionTargetGroupArn) {
    const colour = colourOfGroup(live);
    throw new ReleaseError(
      `production traffic of ${t.stack}/${t.service} is on ${live} (where CodeDeploy's last release left it), but the ECS controller's production rule would start on ${t.productionTargetGroupArn}: set deployment.productionTargetGroup to ${colour ?? "that target group's colour"} (infra:services.${t.service}.deployment in a stack file) and pulumi up again; nothing has moved`,
    );
  }
  ctx.log(
    `${t.serviceName} moves from CodeDeploy to the ECS controller in this up: production stays on ${live ?? "its target group"} until ECS's first deployment moves it`,
  );
}

/**
 * The new revision can start: its images pushed, its secrets there, its execution role allowed
 * to use them, its log groups there (read-only calls). A failure names every problem; nothing has
 * been started then.
 */
async function preflightRevision(ctx: ReleaseContext, t: ReleaseTarget): Promise<void> {
  // The web's revision, and each blue/green group's (its colours differ only in their namespace).
  const revisions = [
    { workload: t.service, arn: t.taskDefinitionArn },
    ...(t.colours?.groups ?? []).map((g) => ({ workload: `back-${g.group}`, arn: g.taskDefinitionArns.blue })),
  ];
  // Where the web runs: its tasks' subnets (its back workers share them) and its load balancer's.
  // Under ECS the first release's prepare runs before the stack creates the service: no balancer to check yet.
  const live = t.controller === "ecs" && !(await serviceRevision(ctx, t)) ? undefined : await describeLiveService(ctx, t);
  const loadBalancers = live ? [...(live.primary?.loadBalancers ?? []), ...(live.service.loadBalancers ?? [])] : [];
  const targetGroupArns = loadBalancers.flatMap((l) =>
    [l.targetGroupArn, l.advancedConfiguration?.alternateTargetGroupArn].filter((a): a is string => a !== undefined),
  );
  const network = { taskSubnetIds: t.subnetIds, targetGroupArns: [...new Set(targetGroupArns)] };
  const needs: WorkloadNeeds[] = [];
  for (const r of revisions) {
    const taskDefinition = await usableRevision(ctx, t.region, r.arn, registerAgain(t.stack));
    needs.push({ ...needsFromTaskDefinition(r.workload, taskDefinition), ...(r.arn === t.taskDefinitionArn ? { network } : {}) });
  }
  const account = t.taskDefinitionArn.split(":")[4] ?? "";
  const lines = await preflight({ clients: ctx.clients.preflight, account, region: t.region, sleep: ctx.sleep }, needs);
  const failing = failingChecks(lines);
  if (failing.length > 0) {
    const where = (l: CheckLine) => (revisions.length > 1 ? `${l.workload} ` : "");
    throw new ReleaseError(
      `preflight of ${t.taskDefinitionArn} failed, nothing was started: ${failing.map((l) => `${l.status} ${where(l)}${l.key}: ${l.what}`).join("; ")} (npm run verify -- ${t.stack} lists every check)`,
    );
  }
  ctx.log(`preflight: ${formatChecks(lines).at(-1)!}`);
}

/** Lock, checks, migration. The lock is freed when any of it fails; no deployment is created then. */
async function prepare(ctx: ReleaseContext, t: ReleaseTarget, run: string, taker: "release" | "prepare" | "rollback"): Promise<void> {
  try {
    await acquireLock(ctx, t, run, taker, lockMinutes(t));
  } catch (error) {
    // The lock's own words reach the channel: whoever asked (from chat, say) learns why nothing started.
    if (error instanceof ReleaseError) await notify(ctx, t, "refused", { reason: error.message }, true);
    throw error;
  }
  try {
    await refuseIfActive(ctx, t);
    if (t.controller === "ecs") await refuseUnsafeTakeover(ctx, t);
    // With colours the migration runs in the colour going live: a job it enqueues lands in that
    // colour's namespace, run by workers on the code that enqueued it.
    let revision = t.taskDefinitionArn;
    if (hasColours(t)) {
      const going = otherColour((await liveColour(ctx, t)).colour);
      await refuseIfIdleBusy(ctx, t, going);
      revision = t.colours.taskDefinitionArns[going];
    }
    await preflightRevision(ctx, t);
    await notify(ctx, t, "started");
    if (t.migration) await runToSuccess(ctx, task({ ...t, taskDefinitionArn: revision }, ctx, "migration", t.migration));
    if (taker === "prepare") await markPrepared(ctx, t, run);
  } catch (error) {
    await releaseLock(ctx, t, run);
    if (error instanceof ReleaseError) await notify(ctx, t, "failed", { reason: error.message });
    throw error;
  }
}

/** Progress lines for what changed between two looks at a deployment. */
function progress(ctx: ReleaseContext, id: string, before: DeploymentSnapshot | undefined, now: DeploymentSnapshot): void {
  if (before?.status !== now.status) ctx.log(`deployment ${id}: ${now.status}`);
  for (const [event, status] of now.events) {
    if (before?.events.get(event) !== status) ctx.log(`  ${event}: ${status}`);
  }
  if (now.replacementTraffic !== undefined && before?.replacementTraffic !== now.replacementTraffic) {
    ctx.log(`  production traffic on the replacement tasks: ${now.replacementTraffic} %`);
  }
}

/**
 * Follows a deployment to its end: a line per change, the post-release command once production
 * traffic has moved, the termination wait that remains. Throws on failure, stop or timeout.
 */
async function follow(ctx: ReleaseContext, t: ReleaseTarget, id: string): Promise<"succeeded" | "switched"> {
  // A gate adds the time CodeDeploy waits for someone to what the deployment itself may take.
  const deadline = ctx.now().getTime() + (t.timeoutMinutes + (t.gate?.timeoutMinutes ?? 0)) * 60_000;
  let last: DeploymentSnapshot | undefined;
  let switched = false;
  let gateSince: Date | undefined;
  for (;;) {
    const now = await snapshot(ctx, t, id);
    progress(ctx, id, last, now);
    last = now;
    if (now.status === "Ready" && t.gate && !gateSince) {
      gateSince = ctx.now();
      const ends = new Date(gateSince.getTime() + t.gate.timeoutMinutes * 60_000).toISOString();
      const { continue: go, rollback } = commandsFor(t);
      ctx.log(
        `waiting for someone: the new tasks answer on the test listener${t.gate.testUrl ? ` (${t.gate.testUrl})` : ""}, production traffic stays on the old ones. Go on: ${go}; abandon: ${rollback}. Nobody by ${ends}: CodeDeploy stops the deployment`,
      );
      await notify(ctx, t, "waiting", { deploymentId: id, reason: `at the gate until ${ends}: ${go}, or ${rollback}` });
    }
    if (now.status === "Failed" || now.status === "Stopped") {
      // Stopped at the gate once its time ran out: CodeDeploy's ready wait ended with nobody answering (STOP_DEPLOYMENT).
      const unanswered = t.gate && gateSince && now.status === "Stopped" && ctx.now().getTime() - gateSince.getTime() >= t.gate.timeoutMinutes * 60_000;
      const reason = unanswered
        ? `nobody continued within ${t.gate!.timeoutMinutes} min at the gate: production stayed on the old tasks`
        : (now.error ?? now.status);
      // Unanswered, nothing was rolled back: production traffic never left the old tasks.
      const rolledBack = now.rolledBack && !unanswered;
      await notify(ctx, t, rolledBack ? "rolled back" : "failed", { deploymentId: id, reason });
      const after = rolledBack ? "; CodeDeploy rolled back: production traffic is on the previous tasks" : "";
      throw new ReleaseError(`deployment ${id} ${now.status.toLowerCase()}: ${reason}${after} (${deploymentLink(t, id)})`, true);
    }
    if (!switched && (now.switchedAt || now.status === "Succeeded")) {
      switched = true;
      await notify(ctx, t, "switched", { deploymentId: id });
      if (t.postRelease) await postRelease(ctx, t, id);
      const ends = new Date((now.switchedAt ?? ctx.now()).getTime() + t.terminationWaitMinutes * 60_000);
      if (now.status !== "Succeeded") ctx.log(`  old tasks kept for a rollback until ${ends.toISOString()} (termination wait ${t.terminationWaitMinutes} min)`);
      if (t.waitFor === "switched") return "switched";
    }
    if (now.status === "Succeeded") return "succeeded";
    if (ctx.now().getTime() >= deadline) {
      throw new ReleaseError(
        `deployment ${id} is still ${now.status} after ${t.timeoutMinutes} min; it goes on in CodeDeploy (${deploymentLink(t, id)}): watch it with ${commandsFor(t).status}, or roll it back: ${commandsFor(t).rollback}`,
      );
    }
    await ctx.sleep(t.pollSeconds * 1000);
  }
}

/** The post-release command (cache clear), once production traffic is on the new tasks; its failure is reported and fails the release. */
async function postRelease(ctx: ReleaseContext, t: ReleaseTarget, id: string): Promise<void> {
  try {
    await runToSuccess(ctx, task(t, ctx, "post-release command", t.postRelease!));
  } catch (error) {
    if (!(error instanceof ReleaseError)) throw error;
    await notify(ctx, t, "post-release failed", { deploymentId: id, reason: error.message });
    throw new ReleaseError(`released (production traffic is on ${t.taskDefinitionArn}), but ${error.message}`, true);
  }
}

/** What a deployment would move: from the live revision to the one to deploy (with colours: the idle colour's). */
interface Move {
  readonly from: string | undefined;
  readonly to: string;
  /** With colours: the live one now. */
  readonly live?: Colour;
  readonly alreadyLive: boolean;
}

async function moveOf(ctx: ReleaseContext, t: ReleaseTarget): Promise<Move> {
  if (!hasColours(t)) {
    const from = (await liveState(ctx, t)).taskDefinitionArn;
    return { from, to: t.taskDefinitionArn, alreadyLive: from === t.taskDefinitionArn };
  }
  const live = await liveColour(ctx, t);
  // Live already when the web and every group's live colour run the target's revisions.
  const groups = await Promise.all(
    t.colours.groups.map(async (g) => (await colourState(ctx, t, g, live.colour)).taskDefinitionArn === g.taskDefinitionArns[live.colour]),
  );
  const alreadyLive = live.taskDefinitionArn === t.colours.taskDefinitionArns[live.colour] && groups.every(Boolean);
  return { from: live.taskDefinitionArn, to: t.colours.taskDefinitionArns[otherColour(live.colour)], live: live.colour, alreadyLive };
}

/** After the switch: each group's old colour drained and scaled to 0 (all are tried; any that did not drain fails the release). */
async function drainOldColour(ctx: ReleaseContext, t: ColourTarget, old: Colour, to: string): Promise<void> {
  const problems: string[] = [];
  for (const g of t.colours.groups) {
    try {
      await drainColour(ctx, t, g, old);
    } catch (error) {
      if (!(error instanceof ReleaseError)) throw error;
      problems.push(error.message);
    }
  }
  if (problems.length > 0) throw new ReleaseError(`released (production traffic is on ${to}), but ${problems.join("; ")}`);
}

/**
 * The deployment of the target's revision, followed to its end; the hold period after. Its start:
 * CodeDeploy's CreateDeployment; under ECS the service's update, by the stack in a `pulumi up`
 * (followed, not started) or by the tool (from the command line, a rollback, or with colours). A
 * deployment of someone else refuses; the revision already running (and, under ECS, no deployment
 * of it since prepare) is already live. With blue/green back workers, the idle colour's workers
 * start first, the web deploys the idle colour's revision, and once the deployment has succeeded
 * (after the termination wait or bake, so a rollback still finds the old colour running) the old
 * colour is drained and scaled to 0.
 */
async function deploy(ctx: ReleaseContext, t: ReleaseTarget, run: string): Promise<ReleaseResult> {
  const since = t.controller === "ecs" ? await preparedSince(ctx, t, run) : undefined;
  await acquireLock(ctx, t, run, "deploy", lockMinutes(t));
  try {
    const started = since && (await stackStartedDeployment(ctx, t, since));
    if (!started) await refuseIfActive(ctx, t);
    const move = await moveOf(ctx, t);
    const colour = move.live ? { colour: move.alreadyLive ? move.live : otherColour(move.live) } : {};
    if (move.alreadyLive && !started) {
      ctx.log(`${move.from} is already live: nothing to deploy`);
      await releaseLock(ctx, t, run);
      return { outcome: "already live", taskDefinitionArn: move.from ?? t.taskDefinitionArn, run, ...colour };
    }
    if (hasColours(t) && move.live) {
      await refuseIfIdleBusy(ctx, t, otherColour(move.live));
      await startIdleColour(ctx, t, move.live);
    }
    if (started)
      ctx.log(`deployment ${deploymentIdOf(started)} started by the service's update: -> ${move.to} (${deploymentLink(t, deploymentIdOf(started))})`);
    const deployment = started ?? (await startDeployment(ctx, t, move));
    const id = t.controller === "ecs" ? deploymentIdOf(deployment) : deployment;
    const ended = await followLeavingColours(ctx, t, move, deployment);
    if (hasColours(t) && move.live) {
      if (ended === "succeeded") await drainOldColour(ctx, t, move.live, move.to);
      else
        for (const g of t.colours.groups)
          ctx.log(
            `${g.group}: the ${move.live} colour drains after the ${t.controller === "ecs" ? "bake time" : "termination wait"}: ${drainCommand(t, g.group)}`,
          );
    }
    if (ended === "succeeded") await notify(ctx, t, "succeeded", { deploymentId: id });
    await holdLock(ctx, t, run);
    return { outcome: ended === "succeeded" ? "released" : "switched", taskDefinitionArn: move.to, deploymentId: id, run, ...colour };
  } catch (error) {
    await releaseLock(ctx, t, run);
    if (error instanceof ReleaseError && !error.notified) await notify(ctx, t, "failed", { reason: error.message });
    throw error;
  }
}

/** A deployment created this long before its prepare's lock is still this release's: AWS's clock and this machine's may differ. */
const CLOCK_SLACK_MS = 2 * 60_000;

/** The deployment an UpdateService just started: ECS lists it within moments. */
async function startedDeployment(ctx: ReleaseContext, t: ReleaseTarget, since: Date): Promise<string> {
  for (let look = 0; look < 5; look++) {
    const arn = await deploymentOf(ctx, t, t.taskDefinitionArn, since);
    if (arn) return arn;
    await ctx.sleep(Math.max(t.pollSeconds, 1) * 1000);
  }
  throw new ReleaseError(
    `ECS started no deployment of ${t.taskDefinitionArn} for ${t.serviceName} after the service's update: see ${commandsFor(t).status}, or the service's events in the console`,
  );
}

/** The stage a deployment is in, for a person. */
const STAGES: Readonly<Record<string, string>> = {
  RECONCILE_SERVICE: "reconciling the service",
  PRE_SCALE_UP: "before the new tasks start",
  SCALE_UP: "starting the new tasks",
  POST_SCALE_UP: "new tasks started",
  TEST_TRAFFIC_SHIFT: "moving test traffic to the new tasks",
  POST_TEST_TRAFFIC_SHIFT: "test traffic on the new tasks",
  PRE_PRODUCTION_TRAFFIC_SHIFT: "before production traffic moves",
  PRODUCTION_TRAFFIC_SHIFT: "moving production traffic",
  POST_PRODUCTION_TRAFFIC_SHIFT: "production traffic on the new tasks",
  BAKE_TIME: "baking: the old tasks kept for a rollback",
  CLEAN_UP: "stopping the old tasks",
};

/** Progress lines for what changed between two looks at a service deployment. */
function ecsProgress(ctx: ReleaseContext, id: string, before: EcsDeploymentSnapshot | undefined, now: EcsDeploymentSnapshot): void {
  if (before?.status !== now.status) ctx.log(`deployment ${id}: ${now.status}`);
  if (now.stage && before?.stage !== now.stage) ctx.log(`  ${now.stage}: ${STAGES[now.stage] ?? now.stage.toLowerCase()}`);
  // Each share of production traffic the new tasks get, once they get any.
  if (now.productionTraffic && before?.productionTraffic !== now.productionTraffic) {
    ctx.log(`  production traffic on the new tasks: ${now.productionTraffic} %`);
  }
}

/**
 * Follows a service deployment to its end, as {@link follow} does CodeDeploy's: the gate said and
 * notified, the post-release command once production traffic is on the new tasks in full (a
 * canary's or linear's last step), the bake that remains. Throws on rollback, stop or timeout.
 */
async function followEcs(ctx: ReleaseContext, t: ReleaseTarget, arn: string): Promise<"succeeded" | "switched"> {
  const id = deploymentIdOf(arn);
  const minutes = t.timeoutMinutes + (t.gate?.timeoutMinutes ?? 0) + (t.shiftMinutes ?? 0) + t.terminationWaitMinutes;
  const deadline = ctx.now().getTime() + minutes * 60_000;
  let last: EcsDeploymentSnapshot | undefined;
  let switched = false;
  let gateSince: Date | undefined;
  for (;;) {
    const now = await ecsSnapshot(ctx, t, arn);
    ecsProgress(ctx, id, last, now);
    if (now.gate && t.gate && !gateSince) {
      gateSince = ctx.now();
      const ends = (now.gate.expiresAt ?? new Date(gateSince.getTime() + t.gate.timeoutMinutes * 60_000)).toISOString();
      const { continue: go, rollback } = commandsFor(t);
      const unanswered = t.gate.onTimeout === "continue" ? "ECS moves production traffic" : "ECS rolls the deployment back";
      ctx.log(
        `waiting for someone: the new tasks answer on the test listener${t.gate.testUrl ? ` (${t.gate.testUrl})` : ""}, production traffic stays on the old ones. Go on: ${go}; abandon: ${rollback}. Nobody by ${ends}: ${unanswered}`,
      );
      await notify(ctx, t, "waiting", { deploymentId: id, reason: `at the gate until ${ends}: ${go}, or ${rollback}` });
    }
    if (now.gateTimedOut && !last?.gateTimedOut && t.gate?.onTimeout === "continue") {
      ctx.log(`  nobody answered the gate within ${t.gate.timeoutMinutes} min: ECS moves production traffic, as the gate's timeout action says`);
    }
    last = now;
    if (now.failed) {
      // Rolled back at the gate once its time ran out: production traffic never left the old tasks.
      const unanswered = t.gate && now.gateTimedOut && t.gate.onTimeout === "rollback" && !switched;
      const reason = unanswered
        ? `nobody continued within ${t.gate!.timeoutMinutes} min at the gate: production stayed on the old tasks`
        : (now.reason ?? now.status);
      const rolledBack = now.rolledBack && !unanswered;
      await notify(ctx, t, rolledBack ? "rolled back" : "failed", { deploymentId: id, reason });
      const after = rolledBack ? "; ECS rolled back: production traffic is on the previous tasks" : "";
      throw new ReleaseError(`deployment ${id} ${now.status.toLowerCase().replace(/_/g, " ")}: ${reason}${after} (${deploymentLink(t, id)})`, true);
    }
    if (!switched && now.switched) {
      switched = true;
      await notify(ctx, t, "switched", { deploymentId: id });
      if (t.postRelease) await postRelease(ctx, t, id);
      const ends = new Date(ctx.now().getTime() + t.terminationWaitMinutes * 60_000);
      if (!now.succeeded) ctx.log(`  old tasks kept for a rollback until about ${ends.toISOString()} (bake time ${t.terminationWaitMinutes} min)`);
      if (t.waitFor === "switched") return "switched";
    }
    if (now.succeeded) return "succeeded";
    if (ctx.now().getTime() >= deadline) {
      throw new ReleaseError(
        `deployment ${id} is still ${now.status}${now.stage ? ` at ${now.stage}` : ""} after ${minutes} min; it goes on in ECS (${deploymentLink(t, id)}): watch it with ${commandsFor(t).status}, or roll it back: ${commandsFor(t).rollback}`,
      );
    }
    await ctx.sleep(t.pollSeconds * 1000);
  }
}

/** Since when a deployment is this release's: its prepare's lock (in a `pulumi up`, prepare ran before the stack's update). */
async function preparedSince(ctx: ReleaseContext, t: ReleaseTarget, run: string): Promise<Date> {
  const prepared = await readLock(ctx, t);
  return new Date((prepared?.run === run ? prepared.since : ctx.now()).getTime() - CLOCK_SLACK_MS);
}

/**
 * Under ECS, the deployment a `pulumi up` has started since prepare. Without colours the stack
 * owns the revision: its update of the task definition is the release, which deploy follows.
 * With colours the tool chooses the revision, but an update of the service's settings (the move
 * from CodeDeploy, say) may have started one of the live revision: it is followed to its end
 * first (without the post-release command), then the release goes on.
 */
async function stackStartedDeployment(ctx: ReleaseContext, t: ReleaseTarget, since: Date): Promise<string | undefined> {
  if (t.controller !== "ecs") return undefined;
  if (!hasColours(t)) return deploymentOf(ctx, t, t.taskDefinitionArn, since);
  const arn = await deploymentOf(ctx, t, undefined, since);
  if (!arn || !(await activeServiceDeployment(ctx, t))) return undefined;
  ctx.log(`the stack's update of the service started deployment ${deploymentIdOf(arn)}: following it before the release`);
  await followEcs(ctx, { ...t, postRelease: undefined, waitFor: "completed" }, arn);
  return undefined;
}

/** Starts the deployment of `move.to`: CodeDeploy's CreateDeployment, or under ECS an update of the service's task definition. */
async function startDeployment(ctx: ReleaseContext, t: ReleaseTarget, move: Move): Promise<string> {
  if (t.controller !== "ecs") {
    const id = await createDeployment(ctx, t, move.to, `${t.image} by ${ctx.who}`);
    ctx.log(`deployment ${id} created: ${move.from ?? "nothing"} -> ${move.to} (${deploymentLink(t, id)})`);
    return id;
  }
  const updated = ctx.now();
  await updateServiceRevision(ctx, t, move.to);
  const arn = await startedDeployment(ctx, { ...t, taskDefinitionArn: move.to }, new Date(updated.getTime() - CLOCK_SLACK_MS));
  ctx.log(`deployment ${deploymentIdOf(arn)} started: ${move.from ?? "nothing"} -> ${move.to} (${deploymentLink(t, deploymentIdOf(arn))})`);
  return arn;
}

/**
 * Follows the deployment of `move.to`. When it fails, stops or times out with colours, the new
 * colour's workers are left running (test traffic, or production before a rollback, may have
 * enqueued into their namespace): the error says how to drain them.
 */
async function followLeavingColours(ctx: ReleaseContext, t: ReleaseTarget, move: Move, id: string): Promise<"succeeded" | "switched"> {
  try {
    const moving = { ...t, taskDefinitionArn: move.to };
    return await (t.controller === "ecs" ? followEcs(ctx, moving, id) : follow(ctx, moving, id));
  } catch (error) {
    if (!(error instanceof ReleaseError) || !hasColours(t) || !move.live) throw error;
    const idle = otherColour(move.live);
    const shown = t.controller === "ecs" ? deploymentIdOf(id) : id;
    for (const g of t.colours.groups) await recordUndrained(ctx, t, g.group, idle, `left running by deployment ${shown}, which did not complete`);
    const drains = t.colours.groups.map((g) => drainCommand(t, g.group)).join(", ");
    throw new ReleaseError(`${error.message}; the ${idle} colour's back workers keep running until they are drained: ${drains}`, error.notified);
  }
}

/**
 * Releases one blue/green service: the steps asked for, in order, as one release run (`run`: a
 * new one, or, for deploy, its prepare's). A rollback's release (`taker`) may take a lock in the
 * hold period.
 */
export async function release(
  ctx: ReleaseContext,
  t: ReleaseTarget,
  step: ReleaseStep = "all",
  run: string = randomUUID(),
  taker: "release" | "rollback" = "release",
): Promise<ReleaseResult> {
  if (step !== "deploy") await prepare(ctx, t, run, step === "prepare" ? "prepare" : taker);
  if (step === "prepare") return { outcome: "prepared", taskDefinitionArn: t.taskDefinitionArn, run };
  return deploy(ctx, t, run);
}
