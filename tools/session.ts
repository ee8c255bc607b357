// node tools/launch.mjs session <stack>   (the up and release workflows, before they assume a role)
// How long the CI's AWS session must last for the longest release the stack's config allows:
// each web service's lock time (migration, deployment, termination wait, colours' start and
// drains, post-release command: the release tool's own lockMinutes) plus the rest of the up.
// Prints `seconds=<n>` and `minutes=<n>` (GitHub step outputs). A release longer than a hosted
// runner's job may last is refused here, by name, before anything starts.
import { program } from "../infra/program";
import { lockMinutes } from "../components/deploy/release-tool/release";
import { ReleaseError } from "../components/deploy/release-tool/errors";
import { readStackFile } from "../components/offline-plan/stack-file";
import { runCli } from "./cli";
import { runPlan } from "./plan/run";
import { targetFrom } from "./release/outputs";

/** GitHub-hosted runners stop a job after 6 hours. */
export const JOB_LIMIT_MINUTES = 360;
/** What an up does besides the releases (its resources, the plan), and the workflow's own steps. */
export const UP_MARGIN_MINUTES = 30;
/** configure-aws-credentials' default (and a role's default MaxSessionDuration): a shorter stack needs no more. */
export const DEFAULT_SESSION_MINUTES = 60;

runCli("node tools/launch.mjs session <stack>", async (argv) => {
  const [stack, ...rest] = argv;
  if (!stack || rest.length > 0) return "usage";
  const plan = await runPlan(stack, readStackFile(stack, process.cwd()), program);
  const services = Object.keys(plan.outputs.services ?? {});
  // One up releases its services one after another at worst (each waits for its own workers).
  const releases = services.map((service) => ({ service, minutes: lockMinutes(targetFrom(plan.outputs, stack, service)) }));
  const minutes = Math.max(DEFAULT_SESSION_MINUTES, releases.reduce((sum, r) => sum + r.minutes, 0) + UP_MARGIN_MINUTES);
  if (minutes > JOB_LIMIT_MINUTES) {
    throw new ReleaseError(
      `the releases of ${stack} may take ${minutes} min (${releases.map((r) => `${r.service} ${r.minutes}`).join(", ")}, and ${UP_MARGIN_MINUTES} for the rest of the up): a hosted runner's job stops at ${JOB_LIMIT_MINUTES}; lower the release, migration or drain timeouts in Pulumi.${stack}.yaml`,
    );
  }
  process.stdout.write(`seconds=${minutes * 60}\nminutes=${minutes}\n`);
  return "ok";
});
