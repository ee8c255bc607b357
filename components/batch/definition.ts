import type { Catcher, Retrier, State, StateMachineDefinition } from "./asl";

/** Retry settings of a kind of error. */
export interface RetrySpec {
  /** Attempts in all, the first included (1 = no retry). */
  readonly attempts: number;
  readonly intervalSeconds: number;
  readonly backoffRate: number;
}

/** What to do when the previous run of the same batch is still going. */
export const OVERLAP_POLICIES = ["skip", "allow"] as const;
export type OverlapPolicy = (typeof OVERLAP_POLICIES)[number];

/** Everything the state machine of one batch needs, resolved. */
export interface BatchDefinitionSpec {
  readonly batchName: string;
  readonly clusterArn: string;
  readonly taskDefinitionArn: string;
  readonly containerName: string;
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  /** ECS Exec on the run's task (its task role may open the SSM channels). */
  readonly enableExecuteCommand: boolean;
  readonly command: readonly string[];
  /** Static variables. */
  readonly environment: Readonly<Record<string, string>>;
  /** Variables taken from the execution input (`$.input.<NAME>`); the schedule passes their defaults. */
  readonly parameters: readonly string[];
  readonly timeoutSeconds: number;
  readonly infrastructureRetry: RetrySpec;
  readonly taskFailureRetry: RetrySpec;
  readonly overlap: OverlapPolicy;
  readonly dedupeTableName: string;
  readonly topicArn: string;
}

/**
 * Errors of the infrastructure, not of the batch: RunTask refused or failed (capacity, API
 * throttling: `ECS.AmazonECSException`, or a non-empty `Failures` list: `AmazonECS.Unknown`).
 * A non-zero exit of the container is `States.TaskFailed` and is not one of them.
 */
export const INFRASTRUCTURE_ERRORS = ["ECS.AmazonECSException", "ECS.ServerException", "AmazonECS.Unknown"] as const;

/** Transient DynamoDB errors worth retrying on the dedupe write. */
const DYNAMODB_TRANSIENT = [
  "DynamoDB.ProvisionedThroughputExceededException",
  "DynamoDB.RequestLimitExceededException",
  "DynamoDB.InternalServerErrorException",
];

/** State names: they show in the console and in execution history. */
/** Seconds an API call of the state machine (DynamoDB, SNS, Step Functions) may take before it counts as failed (and is retried). */
export const API_TIMEOUT_SECONDS = 60;

export const STATES = {
  claim: "Claim scheduled time",
  alreadyRan: "Already ran",
  listRunning: "List running executions",
  overlapping: "Previous run still going?",
  run: "Run task",
  done: "Done",
  describeFailure: "Describe failure",
  describeTimeout: "Describe timeout",
  describeOverlap: "Describe overlap",
  notify: "Notify",
  outcome: "Outcome",
  failed: "Failed",
  timedOut: "Timed out",
  skipped: "Skipped: overlap",
} as const;

const retrier = (errors: readonly string[], spec: RetrySpec): Retrier => ({
  ErrorEquals: [...errors],
  IntervalSeconds: spec.intervalSeconds,
  MaxAttempts: spec.attempts - 1,
  BackoffRate: spec.backoffRate,
});

/** A notification: what monitoring receives on the batch topic. */
const describe = (batchName: string, result: string, withError: boolean): State => ({
  Type: "Pass",
  Parameters: {
    batch: batchName,
    "scheduledTime.$": "$.scheduledTime",
    "manual.$": "$.manual",
    result,
    "execution.$": "$$.Execution.Id",
    ...(withError ? { "error.$": "$.error.Error", "cause.$": "$.error.Cause" } : { cause: "the previous run of this batch is still running" }),
  },
  ResultPath: "$.notification",
  Next: STATES.notify,
});

/**
 * The Amazon States Language document of one batch (JSONPath, so it runs offline too):
 *
 * 1. claim `(batch, scheduled time)` with a conditional put: a second delivery of the same time
 *    finds it taken and succeeds without running anything;
 * 2. unless overlap is allowed, look for another running execution: if there is one, notify
 *    and fail without starting a task;
 * 3. run the task (`ecs:runTask.sync`) with its command and environment, a timeout, retries with
 *    backoff on infrastructure errors (and on task failure when asked);
 * 4. on failure or timeout, notify and fail.
 */
export function buildBatchDefinition(spec: BatchDefinitionSpec): StateMachineDefinition {
  const catchers: Catcher[] = [
    { ErrorEquals: ["States.Timeout"], ResultPath: "$.error", Next: STATES.describeTimeout },
    { ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: STATES.describeFailure },
  ];
  const retries = [retrier(INFRASTRUCTURE_ERRORS, spec.infrastructureRetry)];
  if (spec.taskFailureRetry.attempts > 1) retries.push(retrier(["States.TaskFailed"], spec.taskFailureRetry));
  const environment = [
    ...Object.keys(spec.environment)
      .sort()
      .map((name) => ({ Name: name, Value: spec.environment[name] })),
    { Name: "BATCH_NAME", Value: spec.batchName },
    { Name: "SCHEDULED_TIME", "Value.$": "$.scheduledTime" },
    ...[...spec.parameters].sort().map((name) => ({ Name: name, "Value.$": `$.input.${name}` })),
  ];

  const states: Record<string, State> = {
    [STATES.claim]: {
      Type: "Task",
      Comment: "Exactly once per scheduled time: the first delivery claims it, any other finds it taken.",
      Resource: "arn:aws:states:::dynamodb:putItem",
      // Every Task state is bounded: an API call that hangs must not hold the run for a year.
      TimeoutSeconds: API_TIMEOUT_SECONDS,
      Parameters: {
        TableName: spec.dedupeTableName,
        Item: {
          pk: { "S.$": "States.Format('{}#{}', $.batch, $.scheduledTime)" },
          batch: { "S.$": "$.batch" },
          scheduledTime: { "S.$": "$.scheduledTime" },
          execution: { "S.$": "$$.Execution.Id" },
          startedAt: { "S.$": "$$.Execution.StartTime" },
        },
        ConditionExpression: "attribute_not_exists(pk)",
      },
      ResultPath: null,
      Retry: [{ ErrorEquals: DYNAMODB_TRANSIENT, IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 2 }],
      Catch: [{ ErrorEquals: ["DynamoDB.ConditionalCheckFailedException"], ResultPath: null, Next: STATES.alreadyRan }],
      Next: spec.overlap === "skip" ? STATES.listRunning : STATES.run,
    },
    [STATES.alreadyRan]: { Type: "Succeed", Comment: "A duplicate delivery of a time that already ran (or runs)." },
    [STATES.run]: {
      Type: "Task",
      Resource: "arn:aws:states:::ecs:runTask.sync",
      Parameters: {
        Cluster: spec.clusterArn,
        TaskDefinition: spec.taskDefinitionArn,
        LaunchType: "FARGATE",
        PlatformVersion: "LATEST",
        NetworkConfiguration: { AwsvpcConfiguration: { Subnets: [...spec.subnetIds], SecurityGroups: [...spec.securityGroupIds], AssignPublicIp: "DISABLED" } },
        EnableExecuteCommand: spec.enableExecuteCommand,
        PropagateTags: "TASK_DEFINITION",
        Overrides: { ContainerOverrides: [{ Name: spec.containerName, Command: [...spec.command], Environment: environment }] },
      },
      ResultSelector: { "taskArn.$": "$.TaskArn" },
      ResultPath: "$.task",
      TimeoutSeconds: spec.timeoutSeconds,
      Retry: retries,
      Catch: catchers,
      Next: STATES.done,
    },
    [STATES.done]: { Type: "Succeed" },
    [STATES.describeFailure]: describe(spec.batchName, "FAILED", true),
    [STATES.describeTimeout]: describe(spec.batchName, "TIMED_OUT", true),
    [STATES.notify]: {
      Type: "Task",
      Resource: "arn:aws:states:::sns:publish",
      TimeoutSeconds: API_TIMEOUT_SECONDS,
      Parameters: { TopicArn: spec.topicArn, Subject: `Batch ${spec.batchName}`, "Message.$": "States.JsonToString($.notification)" },
      ResultPath: null,
      Retry: [{ ErrorEquals: ["States.ALL"], IntervalSeconds: 2, MaxAttempts: 5, BackoffRate: 2 }],
      Next: STATES.outcome,
    },
    [STATES.outcome]: {
      Type: "Choice",
      Choices: [
        { Variable: "$.notification.result", StringEquals: "TIMED_OUT", Next: STATES.timedOut },
        { Variable: "$.notification.result", StringEquals: "SKIPPED_OVERLAP", Next: STATES.skipped },
      ],
      Default: STATES.failed,
    },
    [STATES.failed]: { Type: "Fail", Error: "Batch.Failed", Cause: "The batch task failed; see the notification and the task's logs." },
    [STATES.timedOut]: { Type: "Fail", Error: "Batch.TimedOut", Cause: `The batch task ran longer than ${spec.timeoutSeconds} s and was stopped.` },
    [STATES.skipped]: { Type: "Fail", Error: "Batch.Overlap", Cause: "The previous run was still going: this scheduled time did not run." },
  };
  if (spec.overlap === "skip") {
    states[STATES.listRunning] = {
      Type: "Task",
      Resource: "arn:aws:states:::aws-sdk:sfn:listExecutions",
      TimeoutSeconds: API_TIMEOUT_SECONDS,
      Parameters: { "StateMachineArn.$": "$$.StateMachine.Id", StatusFilter: "RUNNING", MaxResults: 2 },
      ResultSelector: { "running.$": "$.Executions" },
      ResultPath: "$.overlap",
      Retry: [{ ErrorEquals: ["States.ALL"], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2 }],
      Next: STATES.overlapping,
    };
    // This execution is one of the running ones: a second means an earlier run is still going.
    states[STATES.overlapping] = {
      Type: "Choice",
      Choices: [{ Variable: "$.overlap.running[1]", IsPresent: true, Next: STATES.describeOverlap }],
      Default: STATES.run,
    };
    states[STATES.describeOverlap] = describe(spec.batchName, "SKIPPED_OVERLAP", false);
  }
  return { Comment: `Batch ${spec.batchName}: once per scheduled time, run as an ECS task`, QueryLanguage: "JSONPath", StartAt: STATES.claim, States: states };
}
