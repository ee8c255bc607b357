import { otherColour } from "./colours";
import { activeDeployment } from "./codedeploy";
import { colourGroup, drainColour, type DrainResult, hasColours, liveColour } from "./worker-colours";
import type { ReleaseContext } from "./context";
import { ReleaseError } from "./errors";
import { commandsFor, readLock } from "./lock";
import type { ReleaseTarget } from "./contract";

/**
 * `npm run release:drain`: drains the idle colour of a blue/green back worker group (left
 * running by a drain that timed out, a failed deployment or a rollback) and scales it to 0 once
 * its check passes. Refused while a deployment runs (the colour may be about to go live; the
 * release drains by itself after it) or while a release holds the lock.
 */
export async function drain(ctx: ReleaseContext, t: ReleaseTarget, group: string | undefined): Promise<DrainResult> {
  if (!hasColours(t)) throw new ReleaseError(`${t.stack}/${t.service} has no blue/green back workers: nothing to drain`);
  const g = colourGroup(t, group ?? "");
  const active = await activeDeployment(ctx, t);
  if (active) {
    throw new ReleaseError(
      `deployment ${active.id} of ${t.stack}/${t.service} is ${active.status}: the release drains the old colour after it; to stop it instead: ${commandsFor(t).rollback}`,
    );
  }
  const lock = await readLock(ctx, t);
  if (lock?.state === "releasing") {
    throw new ReleaseError(
      `${t.stack}/${t.service} is being released by ${lock.owner} (since ${lock.since.toISOString()}): the release drains the old colour itself`,
    );
  }
  const live = await liveColour(ctx, t);
  return drainColour(ctx, t, g, otherColour(live.colour));
}
