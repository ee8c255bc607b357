import { ApplicationAutoScalingClient } from "@aws-sdk/client-application-auto-scaling";
import {
  CodeDeployClient,
  CreateDeploymentCommand,
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  ListDeploymentsCommand,
  ListDeploymentTargetsCommand,
  type DeploymentStatus,
  type ErrorCode,
  type GetDeploymentCommandOutput,
  type GetDeploymentTargetCommandOutput,
  type LifecycleEventStatus,
} from "@aws-sdk/client-codedeploy";
import { GetItemCommand, PutItemCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, DescribeTasksCommand, ECSClient, RunTaskCommand, StopTaskCommand } from "@aws-sdk/client-ecs";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, beforeEach, expect } from "vitest";
import { ReleaseError } from "../../release-tool/errors";
import type { ReleaseContext } from "../../release-tool/context";
import { parseTarget } from "../../release-tool/target";
import { type ReleaseTarget, type ReleaseTargetInput } from "../../release-tool/contract";
import { fakeClock } from "../helpers/clock";
import { startDynamoDb } from "../helpers/dynamodb";
import { FakeAccount } from "../helpers/fake-account";
import { ECS_LIFECYCLE_EVENTS } from "../helpers/fake-codedeploy";
import { preflightClients } from "../helpers/preflight-clients";

export const REGION = "ap-northeast-1";
export const LIVE = "arn:aws:ecs:ap-northeast-1:222222222222:task-definition/shop-stg-web:41";
export const NEW = "arn:aws:ecs:ap-northeast-1:222222222222:task-definition/shop-stg-web:42";
export const TASK = "arn:aws:ecs:ap-northeast-1:222222222222:task/shop-stg/0123456789abcdef";
export const T0 = new Date("2026-11-29T06:00:00Z");
export const DB_SECRET = "arn:aws:secretsmanager:ap-northeast-1:222222222222:secret:shop/stg/database-url-AbC123";
export const EXECUTION_ROLE = "arn:aws:iam::222222222222:role/web-task-execution-role-5dfe51b";

export function target(extra: Partial<ReleaseTargetInput> = {}): ReleaseTarget {
  return parseTarget(
    {
      stack: "stg",
      service: "web",
      region: REGION,
      cluster: "shop-stg",
      serviceName: "shop-stg-web",
      applicationName: "web-app-d723ebe",
      deploymentGroupName: "shop-stg-web",
      taskDefinitionArn: NEW,
      image: "222222222222.dkr.ecr.ap-northeast-1.amazonaws.com/shop-web:2026.12.01-1",
      containerName: "app",
      containerPort: 8080,
      subnetIds: ["subnet-a", "subnet-c"],
      securityGroupIds: ["sg-web"],
      capacityProviderStrategy: [{ capacityProvider: "FARGATE", weight: 1, base: 0 }],
      lockTableName: "release-locks",
      topicArn: "arn:aws:sns:ap-northeast-1:222222222222:releases",
      holdMinutes: 0,
      terminationWaitMinutes: 2,
      timeoutMinutes: 30,
      waitFor: "completed",
      pollSeconds: 15,
      ...extra,
    },
    "test target",
  );
}

/** A fake AWS for a release: ECS, CodeDeploy and SNS mocked, DynamoDB real (dynalite); a clock that moves when the tool sleeps. */
export function fakeAws(dynamodb: DynamoDBClient) {
  const ecs = mockClient(ECSClient);
  const codedeploy = mockClient(CodeDeployClient);
  const sns = mockClient(SNSClient);
  const autoscaling = mockClient(ApplicationAutoScalingClient);
  // What preflight reads, from an account that holds what the revision needs.
  const account = new FakeAccount();
  account.repositories.set("222222222222/shop-web", ["2026.12.01-1"]);
  account.secrets.add(DB_SECRET);
  account.roles.set(
    EXECUTION_ROLE,
    new Set([`secretsmanager:GetSecretValue ${DB_SECRET}`, "ecr:BatchGetImage arn:aws:ecr:ap-northeast-1:222222222222:repository/shop-web"]),
  );
  account.logGroups.add("web-task-logs");
  account.addVpc({
    vpcId: "vpc-1",
    publicSubnetIds: ["subnet-p", "subnet-q"],
    privateSubnetIds: ["subnet-a", "subnet-c"],
    targetGroupArns: ["arn:tg/web-blue"],
  });
  const preflight = preflightClients(account);
  const clock = fakeClock(T0);
  const lines = clock.lines;
  const ctx: ReleaseContext = {
    clients: {
      ecs: ecs as unknown as ECSClient,
      codedeploy: codedeploy as unknown as CodeDeployClient,
      dynamodb,
      sns: sns as unknown as SNSClient,
      autoscaling: autoscaling as unknown as ApplicationAutoScalingClient,
      preflight,
    },
    ...clock.base,
  };
  sns.on(PublishCommand).resolves({ MessageId: "m-1" });
  ecs.on(DescribeServicesCommand).resolves({
    services: [
      {
        status: "ACTIVE",
        runningCount: 2,
        desiredCount: 2,
        taskSets: [{ status: "PRIMARY", taskDefinition: LIVE, loadBalancers: [{ targetGroupArn: "arn:tg/web-blue" }] }],
      },
    ],
  });
  ecs.on(DescribeTaskDefinitionCommand).resolves({
    taskDefinition: {
      status: "ACTIVE",
      executionRoleArn: EXECUTION_ROLE,
      containerDefinitions: [
        {
          name: "app",
          image: "222222222222.dkr.ecr.ap-northeast-1.amazonaws.com/shop-web:2026.12.01-1",
          secrets: [{ name: "DATABASE_URL", valueFrom: DB_SECRET }],
          logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "web-task-logs", "awslogs-stream-prefix": "app" } },
        },
      ],
    },
  });
  codedeploy.on(ListDeploymentsCommand).resolves({ deployments: [] });
  codedeploy.on(CreateDeploymentCommand).resolves({ deploymentId: "d-NEW" });
  codedeploy.on(ListDeploymentTargetsCommand).resolves({ targetIds: ["shop-stg:shop-stg-web"] });
  return {
    ctx,
    ecs,
    codedeploy,
    sns,
    autoscaling,
    lines,
    account,
    /** The events published, in order. */
    events: () => sns.commandCalls(PublishCommand).map((c) => (JSON.parse(c.args[0].input.Message!) as { event: string }).event),
    advance: clock.advance,
  };
}

export type FakeAws = ReturnType<typeof fakeAws>;

/** One test's world: DynamoDB (dynalite, shared by the file), the fake AWS and the target, whose lock table is the test's own. */
export interface ReleaseWorld {
  readonly db: Awaited<ReturnType<typeof startDynamoDb>>;
  readonly aws: FakeAws;
  readonly t: ReleaseTarget;
}

/**
 * Registers the hooks of a release test file: dynalite for the file, and before each test a lock
 * table of its own (every test starts with a free lock), a fresh fake AWS and the target with
 * `extra`; `use` receives each test's world.
 */
export function eachTestRelease(use: (world: ReleaseWorld) => void, extra: Partial<ReleaseTargetInput> = {}): void {
  let db: ReleaseWorld["db"];
  let table = 0;
  beforeAll(async () => {
    db = await startDynamoDb();
  });
  afterAll(() => db.stop());
  beforeEach(async () => {
    const name = `release-locks-${++table}`;
    await db.createTable(name);
    use({ db, aws: fakeAws(db.client), t: target({ lockTableName: name, ...extra }) });
  });
}

/** A one-off task that goes PROVISIONING → RUNNING → STOPPED with this exit code. */
export function taskRuns(aws: FakeAws, exitCode: number | undefined, stoppedReason = "Essential container in task exited") {
  aws.ecs.on(RunTaskCommand).resolves({ tasks: [{ taskArn: TASK }], failures: [] });
  aws.ecs
    .on(DescribeTasksCommand)
    .resolvesOnce({ tasks: [{ lastStatus: "PROVISIONING" }] })
    .resolvesOnce({ tasks: [{ lastStatus: "RUNNING" }] })
    .resolves({ tasks: [{ lastStatus: "STOPPED", stoppedReason, containers: [{ name: "app", ...(exitCode === undefined ? {} : { exitCode }) }] }] });
  aws.ecs.on(StopTaskCommand).resolves({});
}

/** One look at a deployment as CodeDeploy would answer it. */
export interface Poll {
  readonly status: DeploymentStatus;
  readonly events?: Readonly<Record<string, LifecycleEventStatus>>;
  readonly green?: number;
  readonly error?: { code: ErrorCode; message: string };
  readonly rollbackId?: string;
}

export const ECS_EVENTS = ECS_LIFECYCLE_EVENTS;

/** CodeDeploy answers these polls in order, the last one for ever. */
export function deploymentPolls(aws: FakeAws, polls: readonly Poll[]) {
  let get = aws.codedeploy.on(GetDeploymentCommand);
  let target = aws.codedeploy.on(GetDeploymentTargetCommand);
  polls.forEach((p, i) => {
    const info: Partial<GetDeploymentCommandOutput> = {
      deploymentInfo: {
        status: p.status,
        creator: "user",
        ...(p.error ? { errorInformation: p.error } : {}),
        ...(p.rollbackId ? { rollbackInfo: { rollbackDeploymentId: p.rollbackId, rollbackMessage: "Deployment failed; rolled back" } } : {}),
      },
    };
    const lifecycleEvents = ECS_EVENTS.map((name) => ({
      lifecycleEventName: name,
      status: p.events?.[name] ?? "Pending",
      ...(name === "AllowTraffic" && p.events?.[name] === "Succeeded" ? { endTime: new Date("2026-11-29T06:01:00Z") } : {}),
    }));
    const tgt: Partial<GetDeploymentTargetCommandOutput> = {
      deploymentTarget: {
        ecsTarget: {
          lifecycleEvents,
          taskSetsInfo: [
            { taskSetLabel: "Blue" as const, trafficWeight: 100 - (p.green ?? 0) },
            { taskSetLabel: "Green" as const, trafficWeight: p.green ?? 0 },
          ],
        },
      },
    };
    if (i === polls.length - 1) {
      get.resolves(info);
      target.resolves(tgt);
    } else {
      get = get.resolvesOnce(info);
      target = target.resolvesOnce(tgt);
    }
  });
}

/** Each of these lifecycle events succeeded. */
export const ok = (names: readonly string[]): Record<string, LifecycleEventStatus> => Object.fromEntries(names.map((n) => [n, "Succeeded" as const]));

/** A deployment that installs, switches traffic, waits out the termination wait and succeeds. */
export const SUCCESSFUL: readonly Poll[] = [
  { status: "InProgress", events: { BeforeInstall: "InProgress" } },
  { status: "InProgress", events: { ...ok(ECS_EVENTS.slice(0, 7)), AllowTraffic: "InProgress" } },
  { status: "InProgress", events: ok(ECS_EVENTS.slice(0, 9)), green: 100 },
  { status: "Succeeded", events: ok(ECS_EVENTS), green: 100 },
];

/** The lock item as DynamoDB holds it. */
export async function lockItem(dynamodb: DynamoDBClient, table = "release-locks") {
  const { Item } = await dynamodb.send(new GetItemCommand({ TableName: table, Key: { pk: { S: "stg/web" } }, ConsistentRead: true }));
  return Item;
}

/** Someone else's lock, as a release would have written it. */
/** The release run of a lock put by a test: someone else's. */
export const OTHER_RUN = "00000000-0000-4000-8000-0000000000b0";

export async function putLock(
  dynamodb: DynamoDBClient,
  item: { owner: string; release: string; state: string; since: string; until: Date; run?: string },
  table = "release-locks",
) {
  await dynamodb.send(
    new PutItemCommand({
      TableName: table,
      Item: {
        pk: { S: "stg/web" },
        owner: { S: item.owner },
        release: { S: item.release },
        run: { S: item.run ?? OTHER_RUN },
        state: { S: item.state },
        since: { S: item.since },
        expiresAt: { N: String(Math.floor(item.until.getTime() / 1000)) },
      },
    }),
  );
}

/** The ReleaseError a release failed with (fails the test if it succeeded or failed otherwise). */
export async function releaseFailure(run: Promise<unknown>): Promise<ReleaseError> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ReleaseError);
  return error as ReleaseError;
}
