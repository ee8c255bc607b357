import type { Plan } from "../../offline-plan/plan";
import { ReleaseError } from "../../release-tool/errors";
import { lockMinutes } from "../../release-tool/release";
import { targetFrom } from "./outputs";

/** GitHub-hosted runners stop a job after 6 hours. */
export const JOB_LIMIT_MINUTES = 360;
/** What an up does besides the releases (its resources, the plan), and the workflow's own steps. */
export const UP_MARGIN_MINUTES = 30;
/** configure-aws-credentials' default (and a role's default MaxSessionDuration): a shorter stack needs no more. */
export const DEFAULT_SESSION_MINUTES = 60;

/**
 * How long an AWS session must last for the longest release a stack's config allows: its web
 * services' lock times (the release tool's own `lockMinutes`: migration, deployment, termination
 * wait, colours' start and drains, post-release command, its margin), one after another at worst,
 * plus the rest of the up. Refused, by name, past what a hosted runner's job may last.
 */
export function sessionMinutes(plan: Plan, stack: string): number {
  const services = Object.keys(plan.outputs.services ?? {});
  const releases = services.map((service) => ({ service, minutes: lockMinutes(targetFrom(plan.outputs, stack, service)) }));
  const minutes = Math.max(DEFAULT_SESSION_MINUTES, releases.reduce((sum, r) => sum + r.minutes, 0) + UP_MARGIN_MINUTES);
  if (minutes > JOB_LIMIT_MINUTES) {
    throw new ReleaseError(
      `the releases of ${stack} may take ${minutes} min (${releases.map((r) => `${r.service} ${r.minutes}`).join(", ")}, and ${UP_MARGIN_MINUTES} for the rest of the up): a hosted runner's job stops at ${JOB_LIMIT_MINUTES}; lower the release, migration or drain timeouts in Pulumi.${stack}.yaml`,
    );
  }
  return minutes;
}
