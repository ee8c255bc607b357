import {
  CreateDeploymentCommand,
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  ListDeploymentTargetsCommand,
  ListDeploymentsCommand,
  StopDeploymentCommand,
  type DeploymentStatus,
} from "@aws-sdk/client-codedeploy";
import type { ReleaseContext } from "./context";
import { aws } from "./errors";
import type { ReleaseTarget } from "./contract";

/** CodeDeploy's statuses of a deployment that has not ended. */
export const ACTIVE_STATUSES: DeploymentStatus[] = ["Created", "Queued", "InProgress", "Ready", "Baking"];

/** A deployment of the group that has not ended, with its status. */
export async function activeDeployment(ctx: ReleaseContext, t: ReleaseTarget): Promise<{ id: string; status: string; creator: string } | undefined> {
  const { deployments } = await aws("CodeDeploy ListDeployments", t.region, () =>
    ctx.clients.codedeploy.send(
      new ListDeploymentsCommand({ applicationName: t.applicationName, deploymentGroupName: t.deploymentGroupName, includeOnlyStatuses: ACTIVE_STATUSES }),
    ),
  );
  const id = deployments?.[0];
  if (!id) return undefined;
  const { deploymentInfo } = await aws("CodeDeploy GetDeployment", t.region, () => ctx.clients.codedeploy.send(new GetDeploymentCommand({ deploymentId: id })));
  return { id, status: deploymentInfo?.status ?? "unknown", creator: deploymentInfo?.creator ?? "unknown" };
}

/** The AppSpec of an ECS deployment: the new task definition in the service's network and capacity. */
export function appSpec(t: ReleaseTarget, taskDefinitionArn: string): string {
  return JSON.stringify({
    version: 1,
    Resources: [
      {
        TargetService: {
          Type: "AWS::ECS::Service",
          Properties: {
            TaskDefinition: taskDefinitionArn,
            LoadBalancerInfo: { ContainerName: t.containerName, ContainerPort: t.containerPort },
            PlatformVersion: t.platformVersion,
            NetworkConfiguration: { AwsvpcConfiguration: { Subnets: t.subnetIds, SecurityGroups: t.securityGroupIds, AssignPublicIp: "DISABLED" } },
            ...(t.capacityProviderStrategy.length > 0
              ? { CapacityProviderStrategy: t.capacityProviderStrategy.map((s) => ({ CapacityProvider: s.capacityProvider, Weight: s.weight, Base: s.base })) }
              : {}),
          },
        },
      },
    ],
  });
}

/** Creates the deployment of a task definition revision; returns its id. */
export async function createDeployment(ctx: ReleaseContext, t: ReleaseTarget, taskDefinitionArn: string, description: string): Promise<string> {
  const { deploymentId } = await aws("CodeDeploy CreateDeployment", t.region, () =>
    ctx.clients.codedeploy.send(
      new CreateDeploymentCommand({
        applicationName: t.applicationName,
        deploymentGroupName: t.deploymentGroupName,
        revision: { revisionType: "AppSpecContent", appSpecContent: { content: appSpec(t, taskDefinitionArn) } },
        description: description.slice(0, 100),
      }),
    ),
  );
  if (!deploymentId) throw new Error("CodeDeploy CreateDeployment returned no deployment id");
  return deploymentId;
}

/** Stops a deployment and lets CodeDeploy roll it back: traffic returns to the original tasks at once. */
export async function stopWithRollback(ctx: ReleaseContext, t: ReleaseTarget, deploymentId: string): Promise<string> {
  const { status, statusMessage } = await aws("CodeDeploy StopDeployment", t.region, () =>
    ctx.clients.codedeploy.send(new StopDeploymentCommand({ deploymentId, autoRollbackEnabled: true })),
  );
  return `${status ?? "unknown"}${statusMessage ? `: ${statusMessage}` : ""}`;
}

/** What one poll saw of a deployment. */
export interface DeploymentSnapshot {
  readonly status: string;
  readonly error?: string;
  readonly rolledBack: boolean;
  /** Lifecycle event name → status. */
  readonly events: ReadonlyMap<string, string>;
  /** When production traffic moved to the replacement tasks (AllowTraffic ended). */
  readonly switchedAt?: Date;
  /** Percent of production traffic on the replacement task set. */
  readonly replacementTraffic?: number;
}

/** One look at a deployment: its status, error, rollback, lifecycle events and traffic. */
export async function snapshot(ctx: ReleaseContext, t: ReleaseTarget, deploymentId: string): Promise<DeploymentSnapshot> {
  const { deploymentInfo: info } = await aws("CodeDeploy GetDeployment", t.region, () =>
    ctx.clients.codedeploy.send(new GetDeploymentCommand({ deploymentId })),
  );
  const { targetIds } = await aws("CodeDeploy ListDeploymentTargets", t.region, () =>
    ctx.clients.codedeploy.send(new ListDeploymentTargetsCommand({ deploymentId })),
  );
  const events = new Map<string, string>();
  let switchedAt: Date | undefined;
  let replacementTraffic: number | undefined;
  const targetId = targetIds?.[0];
  if (targetId) {
    const { deploymentTarget } = await aws("CodeDeploy GetDeploymentTarget", t.region, () =>
      ctx.clients.codedeploy.send(new GetDeploymentTargetCommand({ deploymentId, targetId })),
    );
    const ecs = deploymentTarget?.ecsTarget;
    for (const e of ecs?.lifecycleEvents ?? []) {
      if (e.lifecycleEventName) events.set(e.lifecycleEventName, e.status ?? "Pending");
      if (e.lifecycleEventName === "AllowTraffic" && e.status === "Succeeded") switchedAt = e.endTime ?? ctx.now();
    }
    replacementTraffic = ecs?.taskSetsInfo?.find((s) => s.taskSetLabel === "Green")?.trafficWeight;
  }
  return {
    status: info?.status ?? "unknown",
    ...(info?.errorInformation ? { error: [info.errorInformation.code ?? "error", info.errorInformation.message].filter(Boolean).join(": ") } : {}),
    rolledBack: Boolean(info?.rollbackInfo?.rollbackDeploymentId) || info?.status === "Stopped",
    events,
    ...(switchedAt ? { switchedAt } : {}),
    ...(replacementTraffic !== undefined ? { replacementTraffic } : {}),
  };
}
