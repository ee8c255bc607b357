import { PublishCommand } from "@aws-sdk/client-sns";
import type { ReleaseContext } from "./context";
import { aws } from "./errors";
import type { ReleaseTarget } from "./contract";

/** What a release tells the channel: every outcome, whoever ran it. */
export type ReleaseEvent =
  | "refused"
  | "started"
  | "waiting"
  | "continued"
  | "switched"
  | "succeeded"
  | "failed"
  | "rolled back"
  | "post-release failed"
  // Not a release's: a status asked from chat, answered in the channel (its text in `reason`).
  | "status";

/** The console page of a deployment: CodeDeploy's, or under ECS the service's deployments. */
export const deploymentLink = (t: Pick<ReleaseTarget, "region" | "controller" | "cluster" | "serviceName">, deploymentId: string) =>
  t.controller === "ecs"
    ? `https://${t.region}.console.aws.amazon.com/ecs/v2/clusters/${t.cluster}/services/${t.serviceName}/deployments/${deploymentId}?region=${t.region}`
    : `https://${t.region}.console.aws.amazon.com/codesuite/codedeploy/deployments/${deploymentId}?region=${t.region}`;

/** The notification of one event, as published (and printed): a subject and a JSON message. */
export function notification(ctx: ReleaseContext, t: ReleaseTarget, event: ReleaseEvent, detail: { deploymentId?: string; reason?: string }) {
  const message = {
    event,
    stack: t.stack,
    service: t.service,
    image: t.image,
    taskDefinition: t.taskDefinitionArn,
    who: ctx.who,
    at: ctx.now().toISOString(),
    ...(detail.deploymentId ? { deploymentId: detail.deploymentId, link: deploymentLink(t, detail.deploymentId) } : {}),
    ...(detail.reason ? { reason: detail.reason } : {}),
  };
  // SNS subjects: at most 100 printable ASCII characters.
  const subject = `[${t.stack}] ${t.service} release ${event}`.replace(/[^\x20-\x7e]/g, "?").slice(0, 100);
  return { subject, message };
}

/**
 * Publishes an event to the stack's release topic. A notification that cannot be sent is said on
 * the progress lines; it never changes the release's outcome. `quiet`: a sent one is not said
 * (a refusal is one line, its error's).
 */
export async function notify(
  ctx: ReleaseContext,
  t: ReleaseTarget,
  event: ReleaseEvent,
  detail: { deploymentId?: string; reason?: string } = {},
  quiet = false,
): Promise<void> {
  const { subject, message } = notification(ctx, t, event, detail);
  try {
    await aws("SNS Publish", t.region, () =>
      ctx.clients.sns.send(new PublishCommand({ TopicArn: t.topicArn, Subject: subject, Message: JSON.stringify(message) })),
    );
    if (!quiet) ctx.log(`notified: ${event}`);
  } catch (error) {
    ctx.log(`notification "${event}" not sent: ${(error as Error).message}`);
  }
}
