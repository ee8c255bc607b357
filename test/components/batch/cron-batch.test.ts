import aslValidator from "asl-validator";
import { describe, expect, it } from "vitest";
import { BatchPlatform } from "../../../components/batch/batch-platform";
import { CronBatch, type CronBatchArgs } from "../../../components/batch/cron-batch";
import { byType, input, jsonInput, named, planOf, planAttempt } from "../../helpers/plan";
import { DB_SECRET, IMAGE } from "../../helpers/web";

const CLUSTER_ARN = "arn:aws:ecs:ap-northeast-1:123456789012:cluster/shop";
const batchArgs = (platform: BatchPlatform, extra: Partial<CronBatchArgs> = {}): CronBatchArgs => ({
  batchName: "shop-clearing",
  schedule: "cron(5 0 * * ? *)",
  platform,
  cluster: { clusterArn: CLUSTER_ARN, clusterName: "shop" },
  vpcId: "vpc-1",
  subnetIds: ["private-a", "private-c"],
  task: { family: "shop-clearing", cpu: 512, memory: 1024, container: { image: IMAGE, secrets: { DATABASE_URL: DB_SECRET } } },
  command: ["./batch-cli", "clearing"],
  parameters: { TARGET_DATE: "" },
  timeoutSeconds: 3600,
  ...extra,
});
const planBatch = (extra: Partial<CronBatchArgs> = {}, protectData = false) =>
  planOf(() => {
    const platform = new BatchPlatform("batch", { protectData });
    new CronBatch("clearing", batchArgs(platform, extra));
  });

interface Statement {
  Sid: string;
  Action: string | string[];
  Resource: string | string[];
  Condition?: unknown;
}
const statements = (plan: Awaited<ReturnType<typeof planBatch>>, name: string) => jsonInput<{ Statement: Statement[] }>(named(plan, name), "policy").Statement;
const SM_ARN = "arn:aws:states:ap-northeast-1:123456789012:stateMachine:shop-clearing";

describe("CronBatch schedule", () => {
  it("fires in Japan time with no flexible window, retries for a day, then dead-letters", async () => {
    const plan = await planBatch();
    const schedule = named(plan, "clearing-schedule");
    expect(schedule.inputs).toMatchObject({
      name: "shop-clearing",
      scheduleExpression: "cron(5 0 * * ? *)",
      scheduleExpressionTimezone: "Asia/Tokyo",
      flexibleTimeWindow: { mode: "OFF" },
      state: "ENABLED",
      target: {
        arn: SM_ARN,
        retryPolicy: { maximumEventAgeInSeconds: 86400, maximumRetryAttempts: 185 },
        deadLetterConfig: { arn: expect.stringMatching(/^arn:aws:sqs:ap-northeast-1:123456789012:batch-dlq-/) as string },
      },
    });
    expect(JSON.parse((schedule.inputs.target as { input: string }).input)).toEqual({
      batch: "shop-clearing",
      scheduledTime: "<aws.scheduler.scheduled-time>",
      manual: false,
      input: { TARGET_DATE: "" },
    });
  });

  it("can be disabled", async () => {
    expect(named(await planBatch({ enabled: false }), "clearing-schedule").inputs.state).toBe("DISABLED");
  });

  it("lets the schedule start this state machine only, and write to the dead-letter queue", async () => {
    const plan = await planBatch();
    expect(statements(plan, "clearing-schedule-policy")).toEqual([
      { Sid: "StartThisBatch", Effect: "Allow", Action: "states:StartExecution", Resource: SM_ARN },
      {
        Sid: "DeadLetter",
        Effect: "Allow",
        Action: "sqs:SendMessage",
        Resource: expect.stringMatching(/^arn:aws:sqs:ap-northeast-1:123456789012:batch-dlq-[0-9a-f]{7}$/) as string,
      },
    ]);
    expect(jsonInput<{ Statement: { Principal: unknown }[] }>(named(plan, "clearing-schedule-role"), "assumeRolePolicy").Statement[0]!.Principal).toEqual({
      Service: "scheduler.amazonaws.com",
    });
  });
});

describe("CronBatch state machine", () => {
  it("is a Standard machine, logged (all, with data) and traced, with a valid definition", async () => {
    const plan = await planBatch();
    const machine = named(plan, "clearing-state-machine");
    expect(machine.inputs).toMatchObject({
      name: "shop-clearing",
      type: "STANDARD",
      tracingConfiguration: { enabled: true },
      loggingConfiguration: { level: "ALL", includeExecutionData: true },
    });
    expect(input<{ logDestination: string }>(machine, "loggingConfiguration").logDestination).toBe(
      "arn:aws:logs:ap-northeast-1:123456789012:log-group:/aws/vendedlogs/states/shop-clearing:*",
    );
    expect(aslValidator(jsonInput(machine, "definition")).errors).toEqual([]);
    expect(machine.options.dependsOn).toEqual([named(plan, "clearing-sm-policy").urn]);
  });

  it("scopes every statement of its role to this batch; '*' only where AWS requires it", async () => {
    const plan = await planBatch();
    const s = statements(plan, "clearing-sm-policy");
    const byId = Object.fromEntries(s.map((x) => [x.Sid, x]));
    expect(byId.RunThisTaskFamilyInThisCluster).toEqual({
      Sid: "RunThisTaskFamilyInThisCluster",
      Effect: "Allow",
      Action: "ecs:RunTask",
      Resource: "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/shop-clearing:*",
      Condition: { ArnEquals: { "ecs:cluster": CLUSTER_ARN } },
    });
    expect(byId.FollowTheTask!.Resource).toBe("arn:aws:ecs:ap-northeast-1:123456789012:task/shop/*");
    expect(byId.SyncRule!.Resource).toBe("arn:aws:events:ap-northeast-1:123456789012:rule/StepFunctionsGetEventsForECSTaskRule");
    const passed = byId.PassTheTaskRoles!.Resource as string[];
    expect(passed).toHaveLength(2);
    expect(passed[0]).toMatch(/:role\/clearing-task-task-role-/);
    expect(passed[1]).toMatch(/:role\/clearing-task-execution-role-/);
    expect(byId.ClaimScheduledTime!.Resource).toMatch(/^arn:aws:dynamodb:ap-northeast-1:123456789012:table\/batch-runs-/);
    expect(byId.Notify!.Resource).toMatch(/^arn:aws:sns:ap-northeast-1:123456789012:batch-events-/);
    expect(byId.ListOwnExecutions!.Resource).toBe(SM_ARN);
    // Only the log-delivery and X-Ray APIs, which take no resource, use "*".
    expect(s.filter((x) => x.Resource === "*").map((x) => x.Sid)).toEqual(["LogDelivery", "Tracing"]);
    expect(s.flatMap((x) => [x.Action].flat()).filter((a) => a.endsWith("*"))).toEqual([]);
  });

  it("runs an existing task definition, passing only its roles", async () => {
    const plan = await planBatch({
      task: {
        existing: {
          taskDefinitionArn: "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/legacy:7",
          family: "legacy",
          containerName: "main",
          taskRoleArn: "arn:aws:iam::123456789012:role/legacy-task",
          executionRoleArn: "arn:aws:iam::123456789012:role/legacy-exec",
        },
      },
    });
    expect(byType(plan, "aws:ecs/taskDefinition:TaskDefinition")).toEqual([]);
    const s = statements(plan, "clearing-sm-policy");
    expect(s.find((x) => x.Sid === "PassTheTaskRoles")!.Resource).toEqual([
      "arn:aws:iam::123456789012:role/legacy-task",
      "arn:aws:iam::123456789012:role/legacy-exec",
    ]);
    expect(s.find((x) => x.Sid === "RunThisTaskFamilyInThisCluster")!.Resource).toBe("arn:aws:ecs:ap-northeast-1:123456789012:task-definition/legacy:*");
    const run = jsonInput<{ States: Record<string, { Parameters?: { TaskDefinition?: string; Overrides?: { ContainerOverrides: { Name: string }[] } } }> }>(
      named(plan, "clearing-state-machine"),
      "definition",
    ).States["Run task"]!;
    expect(run.Parameters!.TaskDefinition).toBe("arn:aws:ecs:ap-northeast-1:123456789012:task-definition/legacy:7");
    expect(run.Parameters!.Overrides!.ContainerOverrides[0]!.Name).toBe("main");
  });

  it("gives its tasks a group with no ingress", async () => {
    const plan = await planBatch();
    expect(byType(plan, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")).toEqual([]);
    expect(named(plan, "clearing-sg").inputs.ingress).toBeUndefined();
  });
});

describe("BatchPlatform", () => {
  it("keeps runs in an on-demand, encrypted table with TTL and point-in-time recovery", async () => {
    const plan = await planBatch();
    expect(named(plan, "batch-runs").inputs).toMatchObject({
      billingMode: "PAY_PER_REQUEST",
      hashKey: "pk",
      serverSideEncryption: { enabled: true },
      pointInTimeRecovery: { enabled: true },
      ttl: { enabled: true, attributeName: "expiresAt" },
      deletionProtectionEnabled: false,
    });
    expect(named(plan, "batch-events").inputs.kmsMasterKeyId).toBe("alias/aws/sns");
    expect(named(plan, "batch-dlq").inputs).toMatchObject({ sqsManagedSseEnabled: true, messageRetentionSeconds: 1209600 });
    expect(named(plan, "batch-runs").options).toMatchObject({ protect: false, retainOnDelete: false });
  });

  it("refuses a dead-letter retention SQS cannot keep", async () => {
    const { message, plan } = await planAttempt(() => {
      new BatchPlatform("batch", { deadLetterRetentionDays: 20 });
    });
    expect(message).toBe('BatchPlatform "batch": deadLetterRetentionDays 20 is out of range (1-14, SQS\'s limit)');
    expect(plan.resources).toEqual([]);
  });

  it("protects the table and the queue when asked", async () => {
    const plan = await planBatch({}, true);
    for (const name of ["batch-runs", "batch-dlq"]) expect(named(plan, name).options).toMatchObject({ protect: true, retainOnDelete: true });
    expect(named(plan, "batch-runs").inputs.deletionProtectionEnabled).toBe(true);
  });
});

describe("CronBatch errors", () => {
  it.each<[string, Partial<CronBatchArgs>, string]>([
    [
      "a bad schedule",
      { schedule: "cron(5 0 * * *)" },
      'schedule "cron(5 0 * * *)": has 5 fields; EventBridge Scheduler cron takes 6: minutes hours day-of-month month day-of-week year',
    ],
    ["a bad time zone", { timezone: "Asia/Tokio" }, 'timezone "Asia/Tokio" is not an IANA time zone (like Asia/Tokyo)'],
    ["no timeout", { timeoutSeconds: 0 }, "timeoutSeconds 0 is out of range (60-604800)"],
    ["no command", { command: [] }, "command must not be empty"],
    [
      "a plaintext password",
      { environment: { DB_PASSWORD: "x" } },
      "environment.DB_PASSWORD looks like a secret (its name says PASSWORD); pass it in secrets as a Secrets Manager or SSM parameter ARN",
    ],
    ["too many attempts", { infrastructureRetry: { attempts: 20 } }, "infrastructureRetry.attempts 20 is out of range (1-10)"],
    ["an unknown overlap policy", { overlap: "queue" as never }, 'overlap "queue" is not one of "skip", "allow"'],
  ])("rejects %s with nothing of the batch registered", async (_case, extra, problem) => {
    const { message, plan } = await planAttempt(() => {
      const platform = new BatchPlatform("batch");
      new CronBatch("clearing", batchArgs(platform, extra));
    });
    expect(message).toBe(`CronBatch "clearing": ${problem}`);
    expect(plan.resources.filter((r) => r.name.startsWith("clearing"))).toEqual([]);
  });
});

describe("BatchPlatform and CronBatch transform", () => {
  it("changes the platform's table, topic and queue, the batch's state machine and schedule as asked", async () => {
    const plan = await planOf(() => {
      const platform = new BatchPlatform("batch", {
        transform: { runTable: { tableClass: "STANDARD_INFREQUENT_ACCESS" }, topic: { displayName: "Batches" }, deadLetterQueue: { delaySeconds: 5 } },
      });
      new CronBatch(
        "clearing",
        batchArgs(platform, { transform: { stateMachine: { publish: true }, schedule: (a) => ({ ...a, description: "Clearing, daily" }) } }),
      );
    });
    expect(named(plan, "batch-runs").inputs.tableClass).toBe("STANDARD_INFREQUENT_ACCESS");
    expect(named(plan, "batch-events").inputs.displayName).toBe("Batches");
    expect(named(plan, "batch-dlq").inputs.delaySeconds).toBe(5);
    expect(named(plan, "clearing-state-machine").inputs).toMatchObject({ publish: true, name: "shop-clearing", type: "STANDARD" });
    expect(named(plan, "clearing-schedule").inputs).toMatchObject({ description: "Clearing, daily", scheduleExpression: "cron(5 0 * * ? *)" });
  });
});
