import { ApplicationAutoScalingClient } from "@aws-sdk/client-application-auto-scaling";
import { CodeDeployClient } from "@aws-sdk/client-codedeploy";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ECSClient } from "@aws-sdk/client-ecs";
import { SNSClient } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import type { ReleaseContext } from "../../release-tool/context";
import type { ReleaseTarget, ReleaseTargetInput } from "../../release-tool/contract";
import { fakeClock } from "../helpers/clock";
import { FakeAccount } from "../helpers/fake-account";
import { FakeAutoScaling, FakeCodeDeploy } from "../helpers/fake-codedeploy";
import { FakeEcs, serveFake } from "../helpers/fake-ecs";
import { type EcsBlueGreenScript, FakeEcsDeployments } from "../helpers/fake-ecs-deployments";
import { preflightClients } from "../helpers/preflight-clients";
import { REGION, T0, target } from "./release-fixtures";

const td = (family: string, revision: number) => `arn:aws:ecs:${REGION}:222222222222:task-definition/${family}:${revision}`;

/** The revisions of the world: `web("blue", 42)`, `back("green", 41)`. */
export const web = (colour: "blue" | "green", revision: number) => td(`shop-stg-web-${colour}`, revision);
export const back = (colour: "blue" | "green", revision: number, group = "default") => td(`shop-stg-back-${group}-${colour}`, revision);
/** A back worker group's two colour services. */
export const backServices = (group: string) => ({ blue: `shop-stg-back-${group}-blue`, green: `shop-stg-back-${group}-green` }) as const;
export const BACK_SERVICES = backServices("default");
export const DRAIN = ["bin/jobs-drained"];

/** The stg web service's release target with blue/green back worker groups (one, `default`, unless told) at `revision`. */
export function colourTarget(
  lockTableName: string,
  revision = 42,
  extra: Partial<ReleaseTargetInput> = {},
  groups: readonly string[] = ["default"],
): ReleaseTarget {
  return target({
    lockTableName,
    taskDefinitionArn: web("blue", revision),
    colours: {
      taskDefinitionArns: { blue: web("blue", revision), green: web("green", revision) },
      groups: groups.map((group) => ({
        group,
        serviceNames: backServices(group),
        taskDefinitionArns: { blue: back("blue", revision, group), green: back("green", revision, group) },
        containerName: "app",
        subnetIds: ["subnet-a", "subnet-c"],
        securityGroupIds: ["sg-back", "sg-redis-clients"],
        capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1, base: 0 }],
        desiredCount: 2,
        autoscaling: { minCount: 2, maxCount: 8 },
        drain: { command: DRAIN, timeoutMinutes: 10, intervalSeconds: 30 },
      })),
    },
    ...extra,
  });
}

/**
 * A stg account where the web runs `live` (blue or green at revision 41): its colour's workers
 * run 3 tasks (autoscaled above the minimum), the other colour 0. Revisions 41 and 42 of every
 * family are registered (a `pulumi up` registers both colours together). ECS, CodeDeploy,
 * Application Auto Scaling and SNS are one AWS-compatible endpoint (served fakes that change state
 * as the services do); DynamoDB is dynalite. The SDK clients are the real ones.
 */
export async function colourWorld(
  dynamodb: DynamoDBClient,
  live: "blue" | "green" = "blue",
  groups: readonly string[] = ["default"],
  /** The web released by ECS itself (its service deployments, as they go), not by CodeDeploy. @default CodeDeploy */
  ecsNative?: EcsBlueGreenScript,
) {
  const ecs = new FakeEcs();
  for (const revision of [40, 41, 42, 43]) {
    for (const colour of ["blue", "green"] as const) {
      ecs.taskDefinitions.push({ arn: web(colour, revision), container: "app", logGroup: "web-logs", streamPrefix: "app" });
      for (const group of groups)
        ecs.taskDefinitions.push({ arn: back(colour, revision, group), container: "app", logGroup: "back-logs", streamPrefix: "app" });
    }
  }
  const network = { awsvpcConfiguration: { subnets: ["subnet-a"], securityGroups: ["sg-web"], assignPublicIp: "DISABLED" } };
  ecs.services.set("shop-stg-web", { taskDefinition: web(live, 41), network, taskSet: ecsNative === undefined, strategy: [] });
  for (const group of groups) {
    for (const colour of ["blue", "green"] as const) {
      const count = colour === live ? 3 : 0;
      ecs.services.set(backServices(group)[colour], {
        taskDefinition: back(colour, 41, group),
        network,
        taskSet: false,
        strategy: [],
        desiredCount: count,
        runningCount: count,
      });
    }
  }
  const codedeploy = new FakeCodeDeploy(ecs, "shop-stg-web");
  const clock = fakeClock(T0);
  const deployments = ecsNative ? new FakeEcsDeployments(ecs, "shop-stg-web", ecsNative, () => clock.base.now().getTime() / 1000) : undefined;
  deployments?.seed(web(live, 41), T0.getTime() / 1000 - 86_400);
  const autoscaling = new FakeAutoScaling(ecs);
  const account = new FakeAccount();
  account.logGroups.add("web-logs");
  account.logGroups.add("back-logs");
  account.addVpc({ vpcId: "vpc-1", publicSubnetIds: ["subnet-p"], privateSubnetIds: ["subnet-a", "subnet-c"] });
  const published: string[] = [];
  /** Every state-changing call, in order: what the tests read the release's steps from. */
  const steps: string[] = [];
  const name = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));
  const handler = (operation: string, input: Record<string, unknown>) => {
    if (operation === "ecs:UpdateService")
      steps.push(
        `UpdateService ${String(input.service)}${input.taskDefinition ? ` ${name(input.taskDefinition).split("/")[1]!}` : ""} desired=${String(input.desiredCount)}`,
      );
    if (operation === "application-autoscaling:RegisterScalableTarget")
      steps.push(`RegisterScalableTarget ${String(input.ResourceId).split("/")[2]!} ${String(input.MinCapacity)}-${String(input.MaxCapacity)}`);
    if (operation === "ecs:RunTask")
      steps.push(
        `RunTask ${name(input.taskDefinition).split("/")[1]!} ${name(input.startedBy)} exec=${String(input.enableExecuteCommand)} ${JSON.stringify(input.overrides)}`,
      );
    if (operation === "codedeploy:CreateDeployment") steps.push("CreateDeployment");
    if (operation === "codedeploy:StopDeployment") steps.push("StopDeployment");
    const ecsDeployment = deployments?.handle(operation, input);
    if (ecsDeployment) return ecsDeployment;
    if (operation.startsWith("codedeploy:")) return codedeploy.handle(operation, input);
    if (operation.startsWith("application-autoscaling:")) return autoscaling.handle(operation, input);
    if (operation === "sns:Publish") {
      published.push((JSON.parse(String(input.Message)) as { event: string }).event);
      return { MessageId: "m-1" };
    }
    if (operation.startsWith("ecs:") || operation === "logs:GetLogEvents") {
      const before = ecs.rollouts.length;
      const answer = ecs.handle(operation, input);
      steps.push(...ecs.rollouts.slice(before));
      return answer;
    }
    return account.handle(operation, input);
  };
  const { endpoint, server } = await serveFake(handler);
  const config = { region: REGION, endpoint, credentials: { accessKeyId: "test", secretAccessKey: "test" } };
  // Test files share worker processes: a mock another file left on a client class would answer instead of the fakes.
  mockClient(ECSClient).restore();
  mockClient(CodeDeployClient).restore();
  mockClient(SNSClient).restore();
  mockClient(ApplicationAutoScalingClient).restore();
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
  return { ctx, ecs, codedeploy, deployments, autoscaling, account, published, steps, lines: clock.lines, endpoint, server };
}

export type ColourWorld = Awaited<ReturnType<typeof colourWorld>>;
