import * as pulumi from "@pulumi/pulumi";
import type { LogRetentionDays } from "../components/aws-limits";
import { CronBatch as LibraryCronBatch, type CronBatchArgs as LibraryCronBatchArgs, type ScheduleExpression } from "../components/batch";
import { throwIfProblems } from "../components/problems";
import type { ClusterRef } from "./shared";
import { libraryTaskArgs, type TaskSettings } from "./task-definition";
import { absentArgs, checkedByComponent, publish, TRANSFORM_ABSENT } from "./values";

/** The outputs of the BatchPlatform a CronBatch records its runs in and reports to. */
export interface BatchPlatformRef {
  /** The run table's name. */
  runTableName: pulumi.Input<string>;
  /** The run table's ARN. */
  runTableArn: pulumi.Input<string>;
  /** The topic of batch events. */
  topicArn: pulumi.Input<string>;
  /** The scheduler's dead-letter queue. */
  deadLetterQueueArn: pulumi.Input<string>;
}

/** A task definition a CronBatch runs but does not own. */
export interface ExistingTask {
  /** The task definition's ARN. */
  taskDefinitionArn: pulumi.Input<string>;
  /** Its family: RunTask is allowed on this family's revisions only. */
  family: string;
  /** The container the command runs in. */
  containerName: string;
  /** Its task role, which the state machine passes. */
  taskRoleArn: pulumi.Input<string>;
  /** Its execution role, which the state machine passes. */
  executionRoleArn: pulumi.Input<string>;
  /** Its task role may open ECS Exec's channels, so runs can be shelled into. Default: false. */
  executeCommand?: boolean;
}

/** How a Step Functions retry repeats an attempt. */
export interface Retry {
  /** Attempts in all, the first included. */
  attempts?: number;
  /** Seconds before the second attempt. */
  intervalSeconds?: number;
  /** Factor applied to the interval at each further attempt. */
  backoffRate?: number;
}

/** Arguments of a CronBatch. */
export interface CronBatchArgs {
  /** Name of the state machine and of the schedule (1-64 letters, digits, `-`, `_`, `.`). */
  batchName: string;
  /** `cron(m h dom mon dow year)` (one of dom/dow is `?`), `rate(n unit)` or `at(yyyy-mm-ddThh:mm:ss)`. */
  schedule: string;
  /** IANA time zone of the schedule. Default: Asia/Tokyo. */
  timezone?: string;
  /** The stack's BatchPlatform: its run table, topic and dead-letter queue. */
  platform: BatchPlatformRef;
  /** The ECS cluster the runs start in. */
  cluster: ClusterRef;
  /** The VPC of the runs' security group. */
  vpcId: pulumi.Input<string>;
  /** Private subnets the task runs in. */
  subnetIds: pulumi.Input<string>[];
  /** The task the batch creates and runs; give this or existingTask. */
  task?: TaskSettings;
  /** A task defined elsewhere that the batch runs; give this or task. */
  existingTask?: ExistingTask;
  /** Command of the run, e.g. `["./batch-cli", "clearing"]`. */
  command: string[];
  /** Static variables of the run. Default: none. */
  environment?: Record<string, string>;
  /** Variables taken from the execution input, with the value a scheduled run uses; a manual run may set others. Default: none. */
  parameters?: Record<string, string>;
  /** Seconds the task may run before it is stopped and the run fails (60-604800). */
  timeoutSeconds: number;
  /** Attempts on infrastructure errors (capacity, ECS API). Default: 3 attempts, 30 s apart, backoff 2. */
  infrastructureRetry?: Retry;
  /** Attempts when the task itself fails (non-zero exit). Default: 1 (no retry). */
  taskFailureRetry?: Retry;
  /** A run that finds the previous one still going: skip (notify, start nothing) or allow. Default: skip. */
  overlap?: string;
  /** Scheduled runs happen; false keeps the batch for manual runs only. Default: true. */
  enabled?: boolean;
  /** The schedule's description (at most 512 characters). Default: empty. */
  description?: string;
  /** Days the state machine's execution log is kept. Default: 90. */
  logRetentionInDays?: number;
  /** Tags of every child. Default: none. */
  tags?: Record<string, string>;
}

/** The library's args of a CronBatch that the plugin does not take, and why. */
export const CRON_BATCH_ABSENT_ARGS = absentArgs<LibraryCronBatchArgs, CronBatchArgs>({
  transform: TRANSFORM_ABSENT,
});

/** The library's args of a CronBatch, from the multi-language ones; refuses a batch with both tasks or none. */
export function libraryCronBatchArgs(name: string, args: CronBatchArgs): LibraryCronBatchArgs {
  const { task, existingTask } = args;
  // The library's type says "one or the other"; the schema cannot, so it is said here.
  if (task === undefined && existingTask === undefined)
    throwIfProblems("CronBatch", name, [{ field: "task", message: "is required unless existingTask is given" }]);
  if (task !== undefined && existingTask !== undefined) throwIfProblems("CronBatch", name, [{ field: "existingTask", message: "cannot be given with task" }]);
  const platform = args.platform;
  return {
    batchName: args.batchName,
    schedule: args.schedule as ScheduleExpression, // checked by the component (scheduleProblem)
    timezone: args.timezone,
    platform: {
      runTableName: pulumi.output(platform.runTableName),
      runTableArn: pulumi.output(platform.runTableArn),
      topicArn: pulumi.output(platform.topicArn),
      deadLetterQueueArn: pulumi.output(platform.deadLetterQueueArn),
    },
    cluster: args.cluster,
    vpcId: args.vpcId,
    subnetIds: args.subnetIds,
    task: existingTask ? { existing: existingTask } : libraryTaskArgs(task as TaskSettings),
    command: args.command,
    environment: args.environment,
    parameters: args.parameters,
    timeoutSeconds: args.timeoutSeconds,
    infrastructureRetry: args.infrastructureRetry,
    taskFailureRetry: args.taskFailureRetry,
    overlap: checkedByComponent(args.overlap),
    enabled: args.enabled,
    description: args.description,
    logRetentionInDays: args.logRetentionInDays as LogRetentionDays | undefined,
    tags: args.tags,
  };
}

/**
 * A batch run on a schedule in Japan time: EventBridge Scheduler → Step Functions → ECS RunTask,
 * exactly once per scheduled time (the run table), retried on infrastructure errors, reporting
 * failures, timeouts and skips to the platform's topic. The library's CronBatch, for every Pulumi
 * language.
 */
export class CronBatch extends pulumi.ComponentResource {
  /** The state machine a run is an execution of (a manual run starts one). */
  stateMachineArn!: pulumi.Output<string>;
  /** The state machine's name. */
  stateMachineName!: pulumi.Output<string>;
  /** The EventBridge Scheduler schedule's name. */
  scheduleName!: pulumi.Output<string>;
  /** The log group of the runs' containers, when the batch created its task. */
  logGroupName!: pulumi.Output<string>;

  constructor(name: string, args: CronBatchArgs, opts?: pulumi.ComponentResourceOptions) {
    super("infra:index:CronBatch", name, {}, opts);
    const batch = new LibraryCronBatch(name, libraryCronBatchArgs(name, args), { parent: this });
    this.registerOutputs(
      publish(this, {
        stateMachineArn: batch.stateMachineArn,
        stateMachineName: pulumi.output(batch.stateMachineName),
        scheduleName: pulumi.output(batch.scheduleName),
        logGroupName: batch.logGroupName,
      }),
    );
  }
}
