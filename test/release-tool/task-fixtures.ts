import { CloudWatchLogsClient, GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, DescribeTasksCommand, ECSClient, RunTaskCommand, StopTaskCommand } from "@aws-sdk/client-ecs";
import { mockClient } from "aws-sdk-client-mock";
import type { TaskContext } from "../../release-tool/task";
import { type WorkloadTarget, type WorkloadTargetInput, workloadTargetSchema } from "../../release-tool/contract";
import { fakeClock } from "../helpers/clock";
import { FakeEcs } from "../helpers/fake-ecs";

export const WEB_LIVE = "arn:aws:ecs:ap-northeast-1:222222222222:task-definition/shop-stg-web:41";
export const WEB_LATEST = "arn:aws:ecs:ap-northeast-1:222222222222:task-definition/shop-stg-web:42";
export const BATCH_LATEST = "arn:aws:ecs:ap-northeast-1:222222222222:task-definition/shop-stg-clearing:7";
export const T0 = new Date("2026-11-29T06:00:00Z");

/** A workload target as the stack outputs it; a web service unless told otherwise. */
export function workload(extra: Partial<WorkloadTargetInput> = {}): WorkloadTarget {
  return workloadTargetSchema.parse({
    stack: "stg",
    workload: "web",
    kind: "web",
    configKey: "infra:services.web",
    region: "ap-northeast-1",
    cluster: "shop-stg",
    serviceName: "shop-stg-web",
    family: "shop-stg-web",
    containerName: "app",
    logGroupName: "web-task-logs",
    executionRoleArn: "arn:aws:iam::222222222222:role/web-task-execution-role-5dfe51b",
    subnetIds: ["subnet-from-outputs"],
    securityGroupIds: ["sg-from-outputs"],
    capacityProviderStrategy: [{ capacityProvider: "FARGATE", weight: 1, base: 0 }],
    shell: true,
    shellMaxMinutes: 60,
    ...extra,
  });
}

/** A batch: no service, its family's latest revision, its own network. */
export const batchWorkload = (extra: Partial<WorkloadTargetInput> = {}) =>
  workload({
    workload: "batch-clearing",
    kind: "batch",
    configKey: "infra:batches.clearing",
    serviceName: undefined,
    family: "shop-stg-clearing",
    logGroupName: "batch-clearing-logs",
    capacityProviderStrategy: [],
    ...extra,
  });

/**
 * The fake ECS and CloudWatch Logs behind mocked SDK clients, with the stg web service live on
 * revision 41 (its primary task set), revision 42 registered but not live, and a batch family.
 * The clock moves only when the tool sleeps.
 */
export function fakeTaskAws() {
  const fake = new FakeEcs();
  fake.taskDefinitions.push(
    { arn: WEB_LIVE, container: "app", logGroup: "web-task-logs", streamPrefix: "app" },
    { arn: WEB_LATEST, container: "app", logGroup: "web-task-logs", streamPrefix: "app" },
    { arn: BATCH_LATEST, container: "app", logGroup: "batch-clearing-logs", streamPrefix: "app" },
  );
  fake.services.set("shop-stg-web", {
    taskDefinition: WEB_LIVE,
    network: { awsvpcConfiguration: { subnets: ["subnet-live-a", "subnet-live-c"], securityGroups: ["sg-live"], assignPublicIp: "DISABLED" } },
    taskSet: true,
    strategy: [{ capacityProvider: "FARGATE", weight: 1, base: 0 }],
  });
  const ecs = mockClient(ECSClient);
  const logs = mockClient(CloudWatchLogsClient);
  const route =
    <I extends object>(operation: string) =>
    (input: I) =>
      Promise.resolve(fake.handle(operation, input as Record<string, unknown>));
  ecs.on(DescribeServicesCommand).callsFake(route("ecs:DescribeServices"));
  ecs.on(DescribeTaskDefinitionCommand).callsFake(route("ecs:DescribeTaskDefinition"));
  ecs.on(RunTaskCommand).callsFake(route("ecs:RunTask"));
  ecs.on(DescribeTasksCommand).callsFake(route("ecs:DescribeTasks"));
  ecs.on(StopTaskCommand).callsFake(route("ecs:StopTask"));
  logs.on(GetLogEventsCommand).callsFake(route("logs:GetLogEvents"));
  const clock = fakeClock(T0);
  const ctx: TaskContext = { clients: { ecs: ecs as unknown as ECSClient, logs: logs as unknown as CloudWatchLogsClient }, ...clock.base };
  return { fake, ecs, ctx, lines: clock.lines, operations: () => fake.calls.map((c) => c.operation), advance: clock.advance };
}
