import { ApplicationAutoScalingClient } from "@aws-sdk/client-application-auto-scaling";
import { CodeDeployClient } from "@aws-sdk/client-codedeploy";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ECSClient } from "@aws-sdk/client-ecs";
import { SNSClient } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import type { Server } from "node:http";
import type { ReleaseContext } from "../../release-tool/context";
import type { ReleaseTarget, ReleaseTargetInput } from "../../release-tool/contract";
import { fakeClock } from "../helpers/clock";
import { FakeAccount } from "../helpers/fake-account";
import { type EcsBlueGreenScript, FakeEcsDeployments } from "../helpers/fake-ecs-deployments";
import { FakeEcs, serveFake } from "../helpers/fake-ecs";
import { preflightClients } from "../helpers/preflight-clients";
import { REGION, T0, target } from "./release-fixtures";

/** A revision of the stg web's family: `revision(42)`. */
export const revision = (n: number) => `arn:aws:ecs:${REGION}:222222222222:task-definition/shop-stg-web:${n}`;
const group = (colour: string, id: string) => `arn:aws:elasticloadbalancing:${REGION}:222222222222:targetgroup/web-${colour}-${id}/6d0ecf831eec9f09`;
/** The web's two target groups, as the stack names them. */
export const BLUE_TG = group("blue", "a1b2c3d");
export const GREEN_TG = group("green", "e4f5a6b");

/** The stg web's release target under the ECS controller, at revision 42 unless told. */
export function ecsTarget(lockTableName: string, extra: Partial<ReleaseTargetInput> = {}): ReleaseTarget {
  return target({
    lockTableName,
    controller: "ecs",
    strategy: "allAtOnce",
    applicationName: undefined,
    deploymentGroupName: undefined,
    taskDefinitionArn: revision(42),
    productionTargetGroupArn: BLUE_TG,
    postRelease: { command: ["bin/rails", "cache:clear"], timeoutMinutes: 10 },
    ...extra,
  });
}

/**
 * A stg account where the web, released by ECS itself, runs revision 41 (its last deployment
 * long done): ECS with its service deployments, SNS and what preflight reads, one AWS-compatible
 * endpoint of served fakes that change state as the services do; DynamoDB is dynalite; the SDK
 * clients are the real ones. `steps` lists every state-changing call in order.
 */
export async function ecsWorld(
  dynamodb: DynamoDBClient,
  script: EcsBlueGreenScript = {},
  /** ECS's clock: the tool's fake one (in-process tests), or the machine's (the tool as a process runs on it). */
  ecsClock: "tool" | "machine" = "tool",
): Promise<EcsWorld> {
  const ecs = new FakeEcs();
  for (const n of [40, 41, 42, 43]) ecs.taskDefinitions.push({ arn: revision(n), container: "app", logGroup: "web-logs", streamPrefix: "app" });
  const network = { awsvpcConfiguration: { subnets: ["subnet-a"], securityGroups: ["sg-web"], assignPublicIp: "DISABLED" } };
  ecs.services.set("shop-stg-web", {
    taskDefinition: revision(41),
    network,
    taskSet: false,
    strategy: [],
    desiredCount: 2,
    runningCount: 2,
    targetGroupArn: BLUE_TG,
  });
  const clock = fakeClock(T0);
  const seconds = ecsClock === "tool" ? () => clock.base.now().getTime() / 1000 : () => Date.now() / 1000;
  const deployments = new FakeEcsDeployments(ecs, "shop-stg-web", script, seconds);
  deployments.seed(revision(41), seconds() - 86_400);
  const account = new FakeAccount();
  account.logGroups.add("web-logs");
  account.addVpc({ vpcId: "vpc-1", publicSubnetIds: ["subnet-p"], privateSubnetIds: ["subnet-a", "subnet-c"], targetGroupArns: [BLUE_TG, GREEN_TG] });
  const published: string[] = [];
  const steps: string[] = [];
  const handler = (operation: string, input: Record<string, unknown>) => {
    if (operation === "ecs:UpdateService") steps.push(`UpdateService ${String(input.taskDefinition).split("/")[1]!}`);
    if (operation === "ecs:RunTask")
      steps.push(`RunTask ${JSON.stringify((input.overrides as { containerOverrides: { command: string[] }[] }).containerOverrides[0]!.command)}`);
    if (operation === "ecs:StopServiceDeployment") steps.push(`StopServiceDeployment ${String(input.stopType)}`);
    if (operation === "ecs:ContinueServiceDeployment") steps.push(`ContinueServiceDeployment ${String(input.action)}`);
    if (operation === "sns:Publish") {
      published.push((JSON.parse(String(input.Message)) as { event: string }).event);
      return { MessageId: "m-1" };
    }
    const mine = deployments.handle(operation, input);
    if (mine) return mine;
    if (operation.startsWith("ecs:") || operation === "logs:GetLogEvents") return ecs.handle(operation, input);
    return account.handle(operation, input);
  };
  const { endpoint, server } = await serveFake(handler);
  const config = { region: REGION, endpoint, credentials: { accessKeyId: "test", secretAccessKey: "test" } };
  // Test files share worker processes: a mock another file left on a client class would answer instead of the fakes.
  mockClient(ECSClient).restore();
  mockClient(SNSClient).restore();
  const ctx: ReleaseContext = {
    clients: {
      ecs: new ECSClient(config),
      codedeploy: new CodeDeployClient(config),
      dynamodb,
      sns: new SNSClient(config),
      autoscaling: new ApplicationAutoScalingClient(config),
      preflight: preflightClients(account),
    },
    ...clock.base,
  };
  /** What `pulumi up` does between prepare and deploy under ECS: the provider's UpdateService of the task definition. */
  const stackUpdate = (taskDefinition: string) => {
    steps.push(`pulumi up updates the service to ${taskDefinition.split("/")[1]!}`);
    deployments.handle("ecs:UpdateService", { service: "shop-stg-web", taskDefinition });
  };
  return { ctx, ecs, deployments, account, published, steps, lines: clock.lines, endpoint, server, stackUpdate };
}

export interface EcsWorld {
  readonly ctx: ReleaseContext;
  readonly ecs: FakeEcs;
  readonly deployments: FakeEcsDeployments;
  readonly account: FakeAccount;
  readonly published: string[];
  readonly steps: string[];
  readonly lines: string[];
  readonly endpoint: string;
  readonly server: Server;
  readonly stackUpdate: (taskDefinition: string) => void;
}
