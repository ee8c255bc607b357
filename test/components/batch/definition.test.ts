import aslValidator from "asl-validator";
import { StateMachine } from "aws-local-stepfunctions";
import { describe, expect, it } from "vitest";
import { type BatchDefinitionSpec, buildBatchDefinition, STATES } from "../../../components/batch/definition";

const spec = (extra: Partial<BatchDefinitionSpec> = {}): BatchDefinitionSpec => ({
  batchName: "shop-test-clearing",
  clusterArn: "arn:aws:ecs:ap-northeast-1:123456789012:cluster/shop-test",
  taskDefinitionArn: "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/shop-test-clearing:3",
  containerName: "app",
  subnetIds: ["subnet-a"],
  securityGroupIds: ["sg-1"],
  enableExecuteCommand: true,
  command: ["./batch-cli", "clearing"],
  environment: { RAILS_ENV: "production" },
  parameters: ["TARGET_DATE"],
  timeoutSeconds: 3600,
  infrastructureRetry: { attempts: 3, intervalSeconds: 30, backoffRate: 2 },
  taskFailureRetry: { attempts: 1, intervalSeconds: 60, backoffRate: 2 },
  overlap: "skip",
  dedupeTableName: "shop-test-batch-runs",
  topicArn: "arn:aws:sns:ap-northeast-1:123456789012:batch-events",
  ...extra,
});

type Json = Record<string, unknown>;
const error = (name: string, message = name) => Object.assign(new Error(message), { name });

/**
 * DynamoDB's PutItem on one table keyed by `pk`, as the service does it: a put overwrites the item
 * unless the request carries a condition, and the condition is evaluated against the stored item.
 * Only `attribute_not_exists(<attribute>)` is understood; any other expression fails the test
 * rather than being taken as true.
 */
class LocalTable {
  readonly items = new Map<string, Record<string, { S: string }>>();

  putItem(request: Json): void {
    const item = request.Item as Record<string, { S: string }>;
    const key = item.pk!.S;
    const condition = request.ConditionExpression as string | undefined;
    if (condition !== undefined) {
      const match = /^attribute_not_exists\((\w+)\)$/.exec(condition);
      if (!match) throw new Error(`LocalTable: condition ${condition} is not understood by this test double`);
      const stored = this.items.get(key);
      if (stored && match[1]! in stored) throw error("DynamoDB.ConditionalCheckFailedException", "The conditional request failed");
    }
    this.items.set(key, item);
  }
}

/**
 * An in-memory AWS for the batch: the run table, the list of running executions, an ECS whose
 * task does what the scenario says, and the notifications.
 */
class LocalAws {
  readonly table = new LocalTable();
  get claimed(): Set<string> {
    return new Set(this.table.items.keys());
  }
  readonly taskRuns: Json[] = [];
  readonly notifications: Json[] = [];
  /** Executions of the state machine that are running, this one included. */
  running = 1;
  /** Executions that have ended: ListExecutions returns them unless the request filters by status. */
  finished = 3;
  constructor(private readonly task: (attempt: number) => Promise<Json> | Json = () => ({ TaskArn: "arn:aws:ecs:task/1" })) {}

  /** Step Functions' ListExecutions: newest first, filtered by `StatusFilter`, at most `MaxResults`. */
  private listExecutions(request: Json): Json {
    const all = [
      ...Array.from({ length: this.running }, (_, i) => ({ ExecutionArn: `arn:exec:running-${i}`, Status: "RUNNING" })),
      ...Array.from({ length: this.finished }, (_, i) => ({ ExecutionArn: `arn:exec:done-${i}`, Status: "SUCCEEDED" })),
    ];
    const filtered = request.StatusFilter === undefined ? all : all.filter((e) => e.Status === request.StatusFilter);
    const max = typeof request.MaxResults === "number" && request.MaxResults > 0 ? request.MaxResults : 100;
    return { Executions: filtered.slice(0, max) };
  }

  handlers() {
    return {
      [STATES.claim]: (input: unknown) => {
        this.table.putItem(input as Json);
        return {};
      },
      [STATES.listRunning]: (input: unknown) => this.listExecutions(input as Json),
      [STATES.run]: async (input: unknown) => {
        this.taskRuns.push(input as Json);
        return this.task(this.taskRuns.length);
      },
      [STATES.notify]: (input: unknown) => {
        this.notifications.push(JSON.parse((input as Json).Message as string) as Json);
        return { MessageId: "m-1" };
      },
    };
  }
}

async function execute(aws: LocalAws, input: Json, definition = buildBatchDefinition(spec())) {
  const machine = new StateMachine(definition as never, { validationOptions: { checkArn: true, checkPaths: true } });
  const execution = machine.run(input as never, {
    // What Step Functions puts in the context object, which the definition reads with `$$`.
    context: {
      Execution: {
        Id: "arn:aws:states:ap-northeast-1:123456789012:execution:shop-test-clearing:e-1",
        StartTime: "2026-11-22T15:05:01Z",
        Name: "e-1",
        RoleArn: "arn:aws:iam::123456789012:role/sm",
      },
      StateMachine: { Id: "arn:aws:states:ap-northeast-1:123456789012:stateMachine:shop-test-clearing", Name: "shop-test-clearing" },
    },
    overrides: { taskResourceLocalHandlers: aws.handlers() as never, retryIntervalOverrides: { [STATES.run]: 0, [STATES.claim]: 0, [STATES.notify]: 0 } },
  });
  try {
    return { status: "SUCCEEDED", output: (await execution.result) as Json };
  } catch (e) {
    // The Fail state's Error is the name of the execution error's cause.
    const cause = (e as { cause?: Error }).cause;
    return { status: "FAILED", error: cause?.name, cause: cause?.message, name: (e as Error).name };
  }
}

const delivery = (scheduledTime: string) => ({ batch: "shop-test-clearing", scheduledTime, manual: false, input: { TARGET_DATE: "" } });

describe("batch definition: stable", () => {
  it("lists the environment and the parameters in name order, whatever order the config gives (no churn in the plan)", () => {
    const definition = (environment: Record<string, string>, parameters: string[]) => JSON.stringify(buildBatchDefinition(spec({ environment, parameters })));
    expect(definition({ B: "2", A: "1" }, ["Y", "X"])).toBe(definition({ A: "1", B: "2" }, ["X", "Y"]));
    const run = buildBatchDefinition(spec({ environment: { B: "2", A: "1" }, parameters: ["Y", "X"] })).States[STATES.run] as unknown as {
      Parameters: { Overrides: { ContainerOverrides: { Environment: { Name: string }[] }[] } };
    };
    expect(run.Parameters.Overrides.ContainerOverrides[0]!.Environment.map((e) => e.Name)).toEqual(["A", "B", "BATCH_NAME", "SCHEDULED_TIME", "X", "Y"]);
  });
});

describe("batch definition: valid ASL", () => {
  it("is accepted by asl-validator, with and without the overlap check", () => {
    for (const overlap of ["skip", "allow"] as const) {
      const result = aslValidator(buildBatchDefinition(spec({ overlap })));
      expect(result.errors).toEqual([]);
      expect(result.isValid).toBe(true);
    }
  });

  it("runs the task with its command, environment from config and from the input, in private subnets", () => {
    const run = buildBatchDefinition(spec()).States[STATES.run] as unknown as { Parameters: Json; TimeoutSeconds: number; Retry: Json[] };
    expect(run.TimeoutSeconds).toBe(3600);
    expect(run.Parameters).toMatchObject({
      LaunchType: "FARGATE",
      EnableExecuteCommand: true,
      PropagateTags: "TASK_DEFINITION",
      NetworkConfiguration: { AwsvpcConfiguration: { Subnets: ["subnet-a"], SecurityGroups: ["sg-1"], AssignPublicIp: "DISABLED" } },
      Overrides: {
        ContainerOverrides: [
          {
            Name: "app",
            Command: ["./batch-cli", "clearing"],
            Environment: [
              { Name: "RAILS_ENV", Value: "production" },
              { Name: "BATCH_NAME", Value: "shop-test-clearing" },
              { Name: "SCHEDULED_TIME", "Value.$": "$.scheduledTime" },
              { Name: "TARGET_DATE", "Value.$": "$.input.TARGET_DATE" },
            ],
          },
        ],
      },
    });
    expect(run.Retry).toEqual([
      { ErrorEquals: ["ECS.AmazonECSException", "ECS.ServerException", "AmazonECS.Unknown"], IntervalSeconds: 30, MaxAttempts: 2, BackoffRate: 2 },
    ]);
  });
});

describe("batch definition: executed offline", () => {
  it("runs the first delivery of a scheduled time once", async () => {
    const aws = new LocalAws();
    const result = await execute(aws, delivery("2026-11-22T15:05:00Z"));
    expect(result.status).toBe("SUCCEEDED");
    expect(aws.taskRuns).toHaveLength(1);
    expect(aws.claimed).toEqual(new Set(["shop-test-clearing#2026-11-22T15:05:00Z"]));
    expect(aws.notifications).toEqual([]);
  });

  it("does not run a second delivery of the same time, and succeeds", async () => {
    const aws = new LocalAws();
    await execute(aws, delivery("2026-11-22T15:05:00Z"));
    const second = await execute(aws, delivery("2026-11-22T15:05:00Z"));
    expect(second.status).toBe("SUCCEEDED");
    expect(aws.taskRuns).toHaveLength(1);
  });

  it("runs two different times both", async () => {
    const aws = new LocalAws();
    await execute(aws, delivery("2026-11-22T15:05:00Z"));
    await execute(aws, delivery("2026-11-23T15:05:00Z"));
    expect(aws.taskRuns).toHaveLength(2);
  });

  it("retries an infrastructure error twice, then succeeds on the third run", async () => {
    const aws = new LocalAws((attempt) => {
      if (attempt < 3) throw error("ECS.AmazonECSException", "Capacity is unavailable at this time");
      return { TaskArn: "arn:aws:ecs:task/3" };
    });
    const result = await execute(aws, delivery("2026-11-22T15:05:00Z"));
    expect(result.status).toBe("SUCCEEDED");
    expect(aws.taskRuns).toHaveLength(3);
    expect(aws.notifications).toEqual([]);
  });

  it("gives up after 3 attempts of infrastructure errors, notifies and fails", async () => {
    const aws = new LocalAws(() => {
      throw error("AmazonECS.Unknown", "RESOURCE:FARGATE");
    });
    const result = await execute(aws, delivery("2026-11-22T15:05:00Z"));
    expect(result).toMatchObject({ status: "FAILED", name: "ExecutionError", error: "Batch.Failed" });
    expect(aws.taskRuns).toHaveLength(3);
    expect(aws.notifications).toMatchObject([{ result: "FAILED", error: "AmazonECS.Unknown" }]);
  });

  it("notifies once and fails when the task fails, without retrying it", async () => {
    const aws = new LocalAws(() => {
      throw error("States.TaskFailed", "Essential container in task exited");
    });
    const result = await execute(aws, delivery("2026-11-22T15:05:00Z"));
    expect(result.status).toBe("FAILED");
    expect(result.error).toBe("Batch.Failed");
    expect(aws.taskRuns).toHaveLength(1);
    expect(aws.notifications).toEqual([
      {
        batch: "shop-test-clearing",
        scheduledTime: "2026-11-22T15:05:00Z",
        manual: false,
        result: "FAILED",
        execution: "arn:aws:states:ap-northeast-1:123456789012:execution:shop-test-clearing:e-1",
        error: "States.TaskFailed",
        cause: "Essential container in task exited",
      },
    ]);
  });

  it("retries a failed task when asked", async () => {
    const aws = new LocalAws((attempt) => {
      if (attempt === 1) throw error("States.TaskFailed");
      return { TaskArn: "arn:aws:ecs:task/2" };
    });
    const definition = buildBatchDefinition(spec({ taskFailureRetry: { attempts: 2, intervalSeconds: 60, backoffRate: 2 } }));
    expect((await execute(aws, delivery("2026-11-22T15:05:00Z"), definition)).status).toBe("SUCCEEDED");
    expect(aws.taskRuns).toHaveLength(2);
  });

  it("notifies and fails when the task outlives its timeout", async () => {
    const aws = new LocalAws(() => new Promise((resolve) => setTimeout(() => resolve({ TaskArn: "late" }), 3000)));
    const result = await execute(aws, delivery("2026-11-22T15:05:00Z"), buildBatchDefinition(spec({ timeoutSeconds: 1 })));
    expect(result.status).toBe("FAILED");
    expect(result.error).toBe("Batch.TimedOut");
    expect(aws.notifications).toMatchObject([{ result: "TIMED_OUT", error: "States.Timeout" }]);
  });

  it("does not start a task while the previous run is still going, and notifies", async () => {
    const aws = new LocalAws();
    aws.running = 2;
    const result = await execute(aws, delivery("2026-11-22T16:05:00Z"));
    expect(result.status).toBe("FAILED");
    expect(result.error).toBe("Batch.Overlap");
    expect(aws.taskRuns).toEqual([]);
    expect(aws.notifications).toMatchObject([{ result: "SKIPPED_OVERLAP", scheduledTime: "2026-11-22T16:05:00Z" }]);
  });

  it("runs overlapping executions when overlap is allowed", async () => {
    const aws = new LocalAws();
    aws.running = 2;
    const result = await execute(aws, delivery("2026-11-22T16:05:00Z"), buildBatchDefinition(spec({ overlap: "allow" })));
    expect(result.status).toBe("SUCCEEDED");
    expect(aws.taskRuns).toHaveLength(1);
  });
});
