import { RegisterScalableTargetCommand } from "@aws-sdk/client-application-auto-scaling";
import { DeleteItemCommand, GetItemCommand, PutItemCommand, type AttributeValue } from "@aws-sdk/client-dynamodb";
import { DescribeServicesCommand, UpdateServiceCommand } from "@aws-sdk/client-ecs";
import { type Colour, COLOURS, otherColour } from "./colours";
import type { ReleaseContext } from "./context";
import { aws, ReleaseError } from "./errors";
import { runOneOffTask, startedByTag } from "./one-off-task";
import { describeRevision, registerAgain, unusable, usableRevision } from "./revision";
import { liveState } from "./service";
import type { ColourGroup, ReleaseTarget } from "./contract";

/**
 * Blue/green back workers: which colour is live (read from AWS: the colour of the task
 * definition the web service's production task set runs), starting the idle colour, draining
 * the old one and scaling it to 0. A colour whose drain has not passed is never scaled down.
 */

/** A target with blue/green back workers. */
export type ColourTarget = ReleaseTarget & { readonly colours: NonNullable<ReleaseTarget["colours"]> };

export const hasColours = (t: ReleaseTarget): t is ColourTarget => t.colours !== undefined;

/** The command that finishes a group's drain. */
export const drainCommand = (t: Pick<ReleaseTarget, "stack">, group: string) => `npm run release:drain -- ${t.stack} ${group}`;

const familyOf = (arn: string) => arn.split("/")[1]?.split(":")[0] ?? arn;

/** The colour of a task definition revision, by its family (`shop-stg-web-green:42` → green). */
export function colourOf(pair: Readonly<Record<Colour, string>>, arn: string): Colour | undefined {
  return COLOURS.find((c) => familyOf(pair[c]) === familyOf(arn));
}

/** The live colour: the one whose task definition the web service's production traffic is on. */
export async function liveColour(ctx: ReleaseContext, t: ColourTarget): Promise<{ colour: Colour; taskDefinitionArn: string }> {
  const live = (await liveState(ctx, t)).taskDefinitionArn;
  if (!live) throw new ReleaseError(`${t.stack}/${t.service} runs no task definition yet: apply the stack first (pulumi up -s ${t.stack})`);
  const colour = colourOf(t.colours.taskDefinitionArns, live);
  // A service from before its colours runs the plain family (`shop-stg-web`): the stack's
  // workers start blue, so the first release treats blue as live and switches to green.
  if (!colour && familyOf(t.colours.taskDefinitionArns.blue) === `${familyOf(live)}-blue`) {
    ctx.log(`${live} is from before the colours: releasing as if blue were live`);
    return { colour: "blue", taskDefinitionArn: live };
  }
  if (!colour) {
    const families = COLOURS.map((c) => familyOf(t.colours.taskDefinitionArns[c])).join(", ");
    throw new ReleaseError(`${t.stack}/${t.service} runs ${live}, of neither colour's family (${families}): the live colour cannot be told`);
  }
  return { colour, taskDefinitionArn: live };
}

/** What one colour of a group runs now. */
export interface ColourState {
  readonly colour: Colour;
  readonly serviceName: string;
  readonly taskDefinitionArn: string | undefined;
  readonly runningCount: number;
  readonly desiredCount: number;
  /** ECS's rollout of the service's latest deployment: IN_PROGRESS, COMPLETED or FAILED. */
  readonly rollout: string | undefined;
  readonly rolloutReason: string | undefined;
}

/** Reads one colour's service. */
export async function colourState(ctx: ReleaseContext, t: ReleaseTarget, g: ColourGroup, colour: Colour): Promise<ColourState> {
  const serviceName = g.serviceNames[colour];
  const { services, failures } = await aws("ECS DescribeServices", t.region, () =>
    ctx.clients.ecs.send(new DescribeServicesCommand({ cluster: t.cluster, services: [serviceName] })),
  );
  const service = services?.[0];
  if (!service || service.status === "INACTIVE") {
    throw new ReleaseError(
      `service ${serviceName} (${colour} colour of ${g.group}) is ${failures?.[0]?.reason ?? service?.status ?? "MISSING"} in ${t.region}: apply the stack first (pulumi up -s ${t.stack})`,
    );
  }
  const primary = service.deployments?.find((d) => d.status === "PRIMARY");
  return {
    colour,
    serviceName,
    taskDefinitionArn: service.taskDefinition,
    runningCount: service.runningCount ?? 0,
    desiredCount: service.desiredCount ?? 0,
    rollout: primary?.rolloutState,
    rolloutReason: primary?.rolloutStateReason,
  };
}

// A colour left with jobs (a drain that timed out, a deployment that did not complete) is
// remembered in the lock table, next to the service's lock: scaled to 0 by hand, it still has
// jobs in its namespace, and a release must not start it on new code then.
const drainKey = (t: ReleaseTarget, group: string): Record<string, AttributeValue> => ({ pk: { S: `${t.stack}/${t.service}/drain/${group}` } });

/** A colour that has not been drained: which, since when, by whom, why. */
export interface Undrained {
  readonly colour: Colour;
  readonly since: string;
  readonly by: string;
  readonly reason: string;
}

export async function readUndrained(ctx: ReleaseContext, t: ReleaseTarget, group: string): Promise<Undrained | undefined> {
  const { Item } = await aws("DynamoDB GetItem (drain state)", t.region, () =>
    ctx.clients.dynamodb.send(new GetItemCommand({ TableName: t.lockTableName, Key: drainKey(t, group), ConsistentRead: true })),
  );
  if (!Item) return undefined;
  return {
    colour: Item.colour?.S === "green" ? "green" : "blue",
    since: Item.since?.S ?? "unknown",
    by: Item.by?.S ?? "unknown",
    reason: Item.reason?.S ?? "",
  };
}

export async function recordUndrained(ctx: ReleaseContext, t: ReleaseTarget, group: string, colour: Colour, reason: string): Promise<void> {
  await aws("DynamoDB PutItem (drain state)", t.region, () =>
    ctx.clients.dynamodb.send(
      new PutItemCommand({
        TableName: t.lockTableName,
        Item: { ...drainKey(t, group), colour: { S: colour }, since: { S: ctx.now().toISOString() }, by: { S: ctx.who }, reason: { S: reason } },
      }),
    ),
  );
}

async function clearUndrained(ctx: ReleaseContext, t: ReleaseTarget, group: string): Promise<void> {
  await aws("DynamoDB DeleteItem (drain state)", t.region, () =>
    ctx.clients.dynamodb.send(new DeleteItemCommand({ TableName: t.lockTableName, Key: drainKey(t, group) })),
  );
}

/**
 * Refuses a release while the idle colour of a group still runs tasks or has not been
 * drained: starting it on new code would run the old code's jobs left in its namespace.
 */
export async function refuseIfIdleBusy(ctx: ReleaseContext, t: ColourTarget, idle: Colour): Promise<void> {
  for (const g of t.colours.groups) {
    const state = await colourState(ctx, t, g, idle);
    // Tasks still stopping after a scale to 0 are no reason: their namespace was drained first.
    if (state.desiredCount > 0) {
      throw new ReleaseError(
        `the ${idle} colour of back workers ${g.group} still runs ${state.runningCount} task(s) (desired ${state.desiredCount}): jobs of the code before may be left in its namespace; drain it first: ${drainCommand(t, g.group)}`,
      );
    }
    const failed = await readUndrained(ctx, t, g.group);
    if (failed?.colour === idle) {
      throw new ReleaseError(
        `the ${idle} colour of back workers ${g.group} is not drained (${failed.since}, ${failed.by}: ${failed.reason}): jobs may be left in its namespace; drain it first: ${drainCommand(t, g.group)}`,
      );
    }
  }
}

/** Sets a colour's autoscaling bounds (when the group is autoscaled) and its task definition and count. */
async function scaleColour(
  ctx: ReleaseContext,
  t: ReleaseTarget,
  g: ColourGroup,
  colour: Colour,
  to: { count: number; min: number; max: number; taskDefinitionArn?: string },
) {
  const serviceName = g.serviceNames[colour];
  // Bounds first: autoscaling would otherwise move the count straight back.
  if (g.autoscaling) {
    await aws("Application Auto Scaling RegisterScalableTarget", t.region, () =>
      ctx.clients.autoscaling.send(
        new RegisterScalableTargetCommand({
          ServiceNamespace: "ecs",
          ScalableDimension: "ecs:service:DesiredCount",
          ResourceId: `service/${t.cluster}/${serviceName}`,
          MinCapacity: to.min,
          MaxCapacity: to.max,
        }),
      ),
    );
  }
  await aws("ECS UpdateService", t.region, () =>
    ctx.clients.ecs.send(
      new UpdateServiceCommand({
        cluster: t.cluster,
        service: serviceName,
        desiredCount: to.count,
        ...(to.taskDefinitionArn ? { taskDefinition: to.taskDefinitionArn } : {}),
      }),
    ),
  );
}

/** Scales a colour to 0 tasks (and its autoscaling to 0-0). Only after its drain passed, or when nothing was ever enqueued into it. */
async function scaleToZero(ctx: ReleaseContext, t: ReleaseTarget, g: ColourGroup, colour: Colour): Promise<void> {
  await scaleColour(ctx, t, g, colour, { count: 0, min: 0, max: 0 });
  ctx.log(`${g.group}: ${colour} colour scaled to 0`);
}

/**
 * Starts the idle colour of every group on its new revision with the live colour's count (within
 * the autoscaling bounds) and waits until each is steady. If one cannot start, every idle colour
 * goes back to 0 (nothing was enqueued into them yet) and the release stops before CodeDeploy.
 */
export async function startIdleColour(ctx: ReleaseContext, t: ColourTarget, live: Colour): Promise<void> {
  const idle = otherColour(live);
  try {
    for (const g of t.colours.groups) {
      const current = await colourState(ctx, t, g, live);
      const min = g.autoscaling?.minCount ?? g.desiredCount;
      const max = g.autoscaling?.maxCount ?? g.desiredCount;
      const count = g.autoscaling ? Math.min(Math.max(current.desiredCount, min), max) : g.desiredCount;
      await scaleColour(ctx, t, g, idle, { count, min, max, taskDefinitionArn: g.taskDefinitionArns[idle] });
      ctx.log(`${g.group}: starting the ${idle} colour on ${g.taskDefinitionArns[idle]} (${count} task(s))`);
    }
    await waitSteady(ctx, t, idle);
  } catch (error) {
    try {
      for (const g of t.colours.groups) await scaleToZero(ctx, t, g, idle);
    } catch (scaleBack) {
      // The first failure is the one to act on; the scale-back's is said after it.
      throw new ReleaseError(`${(error as Error).message}; the ${idle} colour could not be scaled back to 0 either: ${(scaleBack as Error).message}`);
    }
    throw error;
  }
}

/** Waits until every group's colour runs its new revision, every task started. */
async function waitSteady(ctx: ReleaseContext, t: ColourTarget, colour: Colour): Promise<void> {
  const deadline = ctx.now().getTime() + t.timeoutMinutes * 60_000;
  const pending = new Set(t.colours.groups.map((g) => g.group));
  for (;;) {
    for (const g of t.colours.groups.filter((x) => pending.has(x.group))) {
      const s = await colourState(ctx, t, g, colour);
      if (s.rollout === "FAILED") {
        throw new ReleaseError(
          `the ${colour} colour of back workers ${g.group} could not start ${g.taskDefinitionArns[colour]}: ${s.rolloutReason ?? "rollout failed"}; nothing was switched`,
        );
      }
      // COMPLETED: ECS's rollout of the new revision is over (its tasks healthy, the old deployment gone).
      if (s.taskDefinitionArn === g.taskDefinitionArns[colour] && s.rollout === "COMPLETED" && s.runningCount === s.desiredCount) {
        ctx.log(`${g.group}: ${colour} colour steady (${s.runningCount} task(s))`);
        pending.delete(g.group);
      }
    }
    if (pending.size === 0) return;
    if (ctx.now().getTime() >= deadline) {
      throw new ReleaseError(
        `the ${colour} colour of back workers ${[...pending].join(", ")} was not steady after ${t.timeoutMinutes} min; nothing was switched`,
      );
    }
    await ctx.sleep(t.pollSeconds * 1000);
  }
}

/** How a drain ended. */
export type DrainResult = { readonly group: string; readonly colour: Colour; readonly outcome: "drained" | "nothing to drain" };

/**
 * The revision a colour's drain check runs on: the one its tasks run, or, when that one is no
 * longer usable (deregistered), the stack's revision of the colour: the same namespace, and the
 * check reads nothing else.
 */
async function drainRevision(ctx: ReleaseContext, t: ReleaseTarget, g: ColourGroup, colour: Colour, running: string | undefined): Promise<string> {
  const stacks = g.taskDefinitionArns[colour];
  if (!running || running === stacks) return stacks;
  const reason = unusable(running, await describeRevision(ctx, t.region, running));
  if (!reason) return running;
  await usableRevision(ctx, t.region, stacks, registerAgain(t.stack));
  ctx.log(`${g.group}: ${reason}; the drain check runs on the stack's ${stacks} instead`);
  return stacks;
}

/**
 * Drains a colour of a group: its drain check, run as a one-off task of the revision that colour
 * runs (the code that knows its jobs), every `intervalSeconds` until it exits 0; then the colour
 * is scaled to 0. At the timeout the colour is left running, recorded as not drained, and a
 * ReleaseError names the command that finishes it.
 */
export async function drainColour(ctx: ReleaseContext, t: ReleaseTarget, g: ColourGroup, colour: Colour): Promise<DrainResult> {
  const state = await colourState(ctx, t, g, colour);
  const failed = await readUndrained(ctx, t, g.group);
  // Tasks still stopping after a scale to 0 had their namespace drained before it.
  if (state.desiredCount === 0 && failed?.colour !== colour) {
    ctx.log(`${g.group}: the ${colour} colour runs no task: nothing to drain`);
    return { group: g.group, colour, outcome: "nothing to drain" };
  }
  const revision = await drainRevision(ctx, t, g, colour, state.taskDefinitionArn);
  const deadline = ctx.now().getTime() + g.drain.timeoutMinutes * 60_000;
  ctx.log(`${g.group}: draining the ${colour} colour (${g.drain.command.join(" ")} on ${revision}, up to ${g.drain.timeoutMinutes} min)`);
  let last: string;
  for (let check = 1; ; check++) {
    const outcome = await runOneOffTask(ctx, {
      label: `drain check ${check} of ${g.group} (${colour})`,
      region: t.region,
      cluster: t.cluster,
      taskDefinitionArn: revision,
      containerName: g.containerName,
      command: g.drain.command,
      subnetIds: g.subnetIds,
      securityGroupIds: g.securityGroupIds,
      capacityProviderStrategy: g.capacityProviderStrategy,
      startedBy: startedByTag("release", "drain", ctx.who),
      enableExecuteCommand: false,
      timeoutMinutes: g.drain.timeoutMinutes,
      pollSeconds: t.pollSeconds,
    });
    if (outcome.exitCode === 0) break;
    last =
      outcome.exitCode === undefined ? `the check never ran: ${outcome.stopReason ?? "no reason given"}` : `jobs left (the check exited ${outcome.exitCode})`;
    ctx.log(`${g.group}: ${last}`);
    if (ctx.now().getTime() + g.drain.intervalSeconds * 1000 >= deadline) {
      const reason = `not drained after ${g.drain.timeoutMinutes} min, ${last}`;
      await recordUndrained(ctx, t, g.group, colour, reason);
      throw new ReleaseError(
        `the ${colour} colour of back workers ${g.group} is ${reason}: it keeps running (${state.runningCount} task(s)) so that its jobs finish; drain it later: ${drainCommand(t, g.group)}`,
      );
    }
    await ctx.sleep(g.drain.intervalSeconds * 1000);
  }
  ctx.log(`${g.group}: ${colour} colour drained`);
  await scaleToZero(ctx, t, g, colour);
  if (failed) await clearUndrained(ctx, t, g.group);
  return { group: g.group, colour, outcome: "drained" };
}

/** A group of the target by its name, or an error listing the groups. */
export function colourGroup(t: ColourTarget, group: string): ColourGroup {
  const g = t.colours.groups.find((x) => x.group === group);
  if (!g)
    throw new ReleaseError(
      `no blue/green back worker group "${group}" follows ${t.stack}/${t.service}; groups: ${t.colours.groups.map((x) => x.group).join(", ")}`,
    );
  return g;
}
