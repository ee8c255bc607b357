import { activeDeploymentOf } from "./release";
import type { ReleaseContext } from "./context";
import { type LockHolder, readLock } from "./lock";
import { type Colour, COLOURS } from "./colours";
import { type ColourState, type ColourTarget, colourState, drainCommand, type Undrained, hasColours, liveColour, readUndrained } from "./worker-colours";
import { liveState } from "./service";
import type { ReleaseTarget } from "./contract";

/** What an SRE wants to know before a release: what is live, what is moving, who holds the lock. */
export interface ReleaseStatus {
  readonly stack: string;
  readonly service: string;
  readonly liveTaskDefinition: string | undefined;
  readonly liveTargetGroup: string | undefined;
  readonly runningCount: number;
  readonly desiredCount: number;
  /** The revision the stack's outputs name (with colours: the live colour's): a release is pending when it differs from the live one. */
  readonly latestTaskDefinition: string;
  readonly activeDeployment: { readonly id: string; readonly status: string; readonly creator: string } | undefined;
  readonly lock: LockHolder | undefined;
  /** With blue/green back workers: the live colour and each group's colours. */
  readonly colours?: {
    readonly live: Colour;
    readonly groups: readonly { readonly group: string; readonly states: readonly ColourState[]; readonly undrained: Undrained | undefined }[];
  };
}

export async function releaseStatus(ctx: ReleaseContext, t: ReleaseTarget): Promise<ReleaseStatus> {
  const [live, active, lock] = await Promise.all([liveState(ctx, t), activeDeploymentOf(ctx, t), readLock(ctx, t)]);
  const colours = hasColours(t) ? await colourStatus(ctx, t) : undefined;
  return {
    stack: t.stack,
    service: t.service,
    liveTaskDefinition: live.taskDefinitionArn,
    liveTargetGroup: live.targetGroupArn,
    runningCount: live.runningCount,
    desiredCount: live.desiredCount,
    latestTaskDefinition: colours ? t.colours!.taskDefinitionArns[colours.live] : t.taskDefinitionArn,
    activeDeployment: active,
    lock,
    ...(colours ? { colours } : {}),
  };
}

async function colourStatus(ctx: ReleaseContext, t: ColourTarget): Promise<NonNullable<ReleaseStatus["colours"]>> {
  const live = (await liveColour(ctx, t)).colour;
  const groups = [];
  for (const g of t.colours.groups) {
    const states = [];
    for (const c of COLOURS) states.push(await colourState(ctx, t, g, c));
    groups.push({ group: g.group, states, undrained: await readUndrained(ctx, t, g.group) });
  }
  return { live, groups };
}

/** A colour's line: its service, revision, tasks, and whether it is live, idle, or left to drain. */
function colourLine(stack: string, live: Colour, g: NonNullable<ReleaseStatus["colours"]>["groups"][number], s: ColourState): string {
  const failed = g.undrained?.colour === s.colour ? g.undrained : undefined;
  const state =
    s.colour === live
      ? "live"
      : failed
        ? `not drained (${failed.since}: ${failed.reason}): ${drainCommand({ stack }, g.group)}`
        : s.desiredCount > 0
          ? `to drain: ${drainCommand({ stack }, g.group)}`
          : s.runningCount > 0
            ? `drained, ${s.runningCount} task(s) stopping`
            : "idle, drained";
  return `    ${s.colour.padEnd(6)}${s.serviceName} ${s.taskDefinitionArn ?? "none"} (${s.runningCount}/${s.desiredCount} tasks running) ${state}`;
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
    ...(s.colours
      ? [
          `  live colour:          ${s.colours.live}`,
          ...s.colours.groups.flatMap((g) => [`  back workers ${g.group}:`, ...g.states.map((c) => colourLine(s.stack, s.colours!.live, g, c))]),
        ]
      : []),
  ];
}
