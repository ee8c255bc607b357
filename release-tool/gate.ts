import { ContinueDeploymentCommand } from "@aws-sdk/client-codedeploy";
import { activeDeployment } from "./codedeploy";
import { activeServiceDeployment, answerGate, ecsSnapshot } from "./ecs-deployments";
import type { ReleaseContext } from "./context";
import { aws, ReleaseError } from "./errors";
import { commandsFor } from "./lock";
import { notify } from "./notify";
import type { ReleaseTarget } from "./contract";

/**
 * The manual gate, answered: production traffic moves to the new tasks that wait on the test
 * listener (CodeDeploy's ContinueDeployment of the ready wait). The release that is waiting sees
 * the deployment go on and finishes as usual; the lock stays that release's.
 */
export async function continueRelease(ctx: ReleaseContext, t: ReleaseTarget): Promise<{ deploymentId: string }> {
  if (t.controller === "ecs") return continueEcs(ctx, t);
  const active = await activeDeployment(ctx, t);
  if (!active || active.status !== "Ready") {
    throw new ReleaseError(
      `no deployment of ${t.stack}/${t.service} waits at its gate${active ? `: ${active.id} is ${active.status}` : ""} (${commandsFor(t).status} says what runs)`,
    );
  }
  await aws("CodeDeploy ContinueDeployment", t.region, () =>
    ctx.clients.codedeploy.send(new ContinueDeploymentCommand({ deploymentId: active.id, deploymentWaitType: "READY_WAIT" })),
  );
  ctx.log(`deployment ${active.id}: continued by ${ctx.who}: production traffic moves to the new tasks`);
  await notify(ctx, t, "continued", { deploymentId: active.id, reason: `by ${ctx.who}` });
  return { deploymentId: active.id };
}

/** Under ECS: the pause hook the deployment waits at, answered CONTINUE (ContinueServiceDeployment). */
async function continueEcs(ctx: ReleaseContext, t: ReleaseTarget): Promise<{ deploymentId: string }> {
  const active = await activeServiceDeployment(ctx, t);
  const gate = active ? (await ecsSnapshot(ctx, t, active.arn)).gate : undefined;
  if (!active || !gate) {
    throw new ReleaseError(
      `no deployment of ${t.stack}/${t.service} waits at its gate${active ? `: ${active.id} is ${active.status}` : ""} (${commandsFor(t).status} says what runs)`,
    );
  }
  await answerGate(ctx, t, active.arn, gate.hookId, "CONTINUE");
  ctx.log(`deployment ${active.id}: continued by ${ctx.who}: production traffic moves to the new tasks`);
  await notify(ctx, t, "continued", { deploymentId: active.id, reason: `by ${ctx.who}` });
  return { deploymentId: active.id };
}
