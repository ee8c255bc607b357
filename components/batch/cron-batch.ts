import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type LogRetentionDays, retentionProblems } from "../aws-limits";
import { InfraComponent, type Transform } from "../component";
import { createTaskSecurityGroup, type OneOffTaskSpec, type ServiceClusterRef } from "../ecs/service-base";
import { plaintextSecretProblems, variableNameProblem } from "../ecs/container";
import { FargateTaskDefinition, type FargateTaskDefinitionArgs, TASK_DEFAULTS, taskDefinitionProblems } from "../ecs/task-definition";
import { policyJson, serviceTrustPolicy, STAR_ONLY } from "../iam";
import { badNumber, type Problem, throwIfProblems, under, notOneOf } from "../problems";
import { buildBatchDefinition, OVERLAP_POLICIES, type OverlapPolicy, type RetrySpec } from "./definition";
import { type ScheduleExpression, scheduleProblem, timezoneProblem } from "./schedule";

/** A task definition the batch runs but does not own. */
export interface ExistingBatchTask {
  readonly taskDefinitionArn: pulumi.Input<string>;
  /** Its family: RunTask is allowed on this family's revisions only. */
  readonly family: string;
  readonly containerName: string;
  readonly taskRoleArn: pulumi.Input<string>;
  readonly executionRoleArn: pulumi.Input<string>;
  /** Its task role may open ECS Exec's channels, so runs can be shelled into. @default false */
  readonly executeCommand?: boolean;
}

/**
 * What a batch needs of its `BatchPlatform`: the platform itself, or its outputs given by value
 * (`runTableName`, `runTableArn`, `topicArn`, `deadLetterQueueArn` of the SRE stack's `batches`
 * output, read through a `StackReference`).
 */
export interface BatchPlatformRef {
  readonly runTableName: pulumi.Input<string>;
  readonly runTableArn: pulumi.Input<string>;
  readonly topicArn: pulumi.Input<string>;
  readonly deadLetterQueueArn: pulumi.Input<string>;
}

/** Arguments of a {@link CronBatch}. */
export interface CronBatchArgs {
  /** Name of the state machine and of the schedule (1-64 letters, digits, `-`, `_`, `.`). */
  readonly batchName: string;
  /** `cron(m h dom mon dow year)` (one of dom/dow is `?`), `rate(n unit)` or `at(yyyy-mm-ddThh:mm:ss)`. */
  readonly schedule: ScheduleExpression;
  /** IANA time zone of the schedule. @default "Asia/Tokyo" */
  readonly timezone?: string;
  /** The stack's shared run table, topic and dead-letter queue: a `BatchPlatform`, or its outputs (another stack's). */
  readonly platform: BatchPlatformRef;
  /** The ECS cluster the runs start in. */
  readonly cluster: ServiceClusterRef;
  /** The VPC of the runs' security group. */
  readonly vpcId: pulumi.Input<string>;
  /** Private subnets the task runs in. */
  readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** The task to create, or `{ existing }` to run one defined elsewhere. */
  readonly task: Omit<FargateTaskDefinitionArgs, "tags" | "executeCommandLogGroupArn"> | { readonly existing: ExistingBatchTask };
  /** Command of the run, e.g. `["./batch-cli", "clearing"]`. */
  readonly command: readonly string[];
  /** Static variables of the run. @default {} */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Variables taken from the execution input, with the value a scheduled run uses; a manual run
   * may set others (`npm run batch -- <stack> <batch> --input NAME=VALUE`).
   * @default {}
   */
  readonly parameters?: Readonly<Record<string, string>>;
  /** Seconds the task may run before it is stopped and the run fails (60-604800). Required: a batch without a timeout can hang forever. */
  readonly timeoutSeconds: number;
  /** Attempts on infrastructure errors (capacity, ECS API). @default { attempts: 3, intervalSeconds: 30, backoffRate: 2 } */
  readonly infrastructureRetry?: Partial<RetrySpec>;
  /** Attempts when the task itself fails (non-zero exit). @default { attempts: 1 } (no retry) */
  readonly taskFailureRetry?: Partial<RetrySpec>;
  /** A run that finds the previous one still going: `skip` (notify, start nothing) or `allow`. @default "skip" */
  readonly overlap?: OverlapPolicy;
  /** Scheduled runs happen; `false` keeps the batch for manual runs only. @default true */
  readonly enabled?: boolean;
  /** The schedule's description (at most 512 characters). @default "" */
  readonly description?: string;
  /** Days the state machine's execution log is kept. @default 90 */
  readonly logRetentionInDays?: LogRetentionDays;
  /** Tags of every child. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  /** Changes to the args of its children before they are created (see {@link Transform}; the task definition's: `task.transform`). @default none */
  readonly transform?: {
    readonly stateMachine?: Transform<aws.sfn.StateMachineArgs>;
    readonly schedule?: Transform<aws.scheduler.ScheduleArgs>;
    /** The state machine's log group (vended delivery). */
    readonly logGroup?: Transform<aws.cloudwatch.LogGroupArgs>;
    readonly stateMachineRole?: Transform<aws.iam.RoleArgs>;
    readonly stateMachinePolicy?: Transform<aws.iam.RolePolicyArgs>;
    readonly scheduleRole?: Transform<aws.iam.RoleArgs>;
    readonly schedulePolicy?: Transform<aws.iam.RolePolicyArgs>;
    /** The batch tasks' security group (no ingress) and its egress rule. */
    readonly securityGroup?: Transform<aws.ec2.SecurityGroupArgs>;
    readonly egressRule?: Transform<aws.vpc.SecurityGroupEgressRuleArgs>;
  };
}

const BATCH_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
/** The time zone of a schedule that names none: the product's (Japan time). */
export const BATCH_TIMEZONE = "Asia/Tokyo";
const DEFAULT_INFRA_RETRY: RetrySpec = { attempts: 3, intervalSeconds: 30, backoffRate: 2 };
const DEFAULT_TASK_RETRY: RetrySpec = { attempts: 1, intervalSeconds: 60, backoffRate: 2 };

function retryProblems(field: string, retry: Partial<RetrySpec> | undefined): Problem[] {
  if (!retry) return [];
  const problems: Problem[] = [];
  if (retry.attempts !== undefined && (!Number.isInteger(retry.attempts) || retry.attempts < 1 || retry.attempts > 10))
    problems.push({ field: `${field}.attempts`, message: `${retry.attempts} is out of range (1-10)` });
  if (retry.intervalSeconds !== undefined && (!Number.isInteger(retry.intervalSeconds) || retry.intervalSeconds < 1))
    problems.push({ field: `${field}.intervalSeconds`, message: `${retry.intervalSeconds} must be a whole number, at least 1` });
  if (retry.backoffRate !== undefined && (retry.backoffRate < 1 || retry.backoffRate > 10))
    problems.push({ field: `${field}.backoffRate`, message: `${retry.backoffRate} is out of range (1-10)` });
  return problems;
}

/** What a batch run may take and how it retries: the settings a stack's config gives each batch. */
export type BatchRunSettings = Pick<CronBatchArgs, "command" | "timeoutSeconds" | "infrastructureRetry" | "taskFailureRetry" | "description">;

/** Every problem of a batch's run settings, each naming the argument. */
export function batchRunProblems(args: BatchRunSettings): Problem[] {
  const problems: Problem[] = [];
  if (args.command.length === 0) problems.push({ field: "command", message: "must not be empty" });
  const timeout = args.timeoutSeconds;
  if (!Number.isInteger(timeout) || timeout < 60 || timeout > 604800)
    problems.push({ field: "timeoutSeconds", message: badNumber(timeout, "is out of range (60-604800)") });
  problems.push(...retryProblems("infrastructureRetry", args.infrastructureRetry), ...retryProblems("taskFailureRetry", args.taskFailureRetry));
  // The schedule's description: EventBridge Scheduler takes at most 512 characters.
  if ((args.description ?? "").length > 512) problems.push({ field: "description", message: `is ${args.description?.length} characters long (at most 512)` });
  return problems;
}

/** Every problem of a batch's args, each naming the argument. */
export function cronBatchProblems(args: CronBatchArgs): Problem[] {
  const problems: Problem[] = [];
  if (!BATCH_NAME.test(args.batchName))
    problems.push({ field: "batchName", message: `${JSON.stringify(args.batchName)} must be 1-64 letters, digits, -, _ or .` });
  const schedule = scheduleProblem(args.schedule);
  if (schedule) problems.push({ field: "schedule", message: schedule });
  const timezone = timezoneProblem(args.timezone ?? BATCH_TIMEZONE);
  if (timezone) problems.push({ field: "timezone", message: timezone });
  if (!("existing" in args.task)) problems.push(...under("task", taskDefinitionProblems(args.task)));
  problems.push(...under("environment", plaintextSecretProblems(args.environment ?? {})));
  for (const name of [...Object.keys(args.environment ?? {}), ...Object.keys(args.parameters ?? {})]) {
    const problem = variableNameProblem(name);
    if (problem) problems.push({ field: "environment", message: problem });
  }
  problems.push(...batchRunProblems(args));
  if (args.overlap !== undefined && !OVERLAP_POLICIES.includes(args.overlap))
    problems.push({ field: "overlap", message: notOneOf(args.overlap, OVERLAP_POLICIES) });
  problems.push(...retentionProblems("logRetentionInDays", args.logRetentionInDays));
  return problems;
}

/** The task a batch runs, whether it created it or was given it. */
interface BatchTask {
  readonly taskDefinitionArn: pulumi.Input<string>;
  readonly family: string;
  readonly containerName: string;
  readonly taskRoleArn: pulumi.Input<string>;
  readonly executionRoleArn: pulumi.Input<string>;
  readonly logGroupName?: pulumi.Output<string>;
  readonly executeCommand: boolean;
}

/**
 * A command-line batch run on a schedule, exactly once per scheduled time:
 * EventBridge Scheduler (time zone, no flexible window, retries, dead-letter queue) starts a
 * Standard state machine (logged, traced) that claims the scheduled time in the run table, skips
 * and notifies when the previous run is still going, runs the task (`ecs:runTask.sync`) with a
 * timeout and retries on infrastructure errors, and notifies and fails on failure or timeout.
 *
 * Roles are scoped to this batch: the schedule may only start this state machine (and write to
 * the dead-letter queue); the state machine may only run this task family in this cluster, pass
 * its two roles, write the run table and publish to the topic.
 */
export class CronBatch extends InfraComponent {
  /** The state machine a run is an execution of (a manual run starts one). */
  public readonly stateMachineArn: pulumi.Output<string>;
  /** The state machine's name. */
  public readonly stateMachineName: string;
  /** The EventBridge Scheduler schedule's name. */
  public readonly scheduleName: string;
  /** Whether the schedule starts runs (`DISABLED` otherwise). */
  public readonly enabled: boolean;
  /** The log group of the runs' containers, when the batch created its task. */
  public readonly logGroupName: pulumi.Output<string>;
  /** How to run a one-off task or a shell like this batch's runs (without the state machine). */
  public readonly oneOffTask: OneOffTaskSpec;

  constructor(name: string, args: CronBatchArgs, opts?: pulumi.ComponentResourceOptions) {
    throwIfProblems("CronBatch", name, cronBatchProblems(args));
    super("infra:batch:CronBatch", name, opts);
    const tags = args.tags ?? {};
    const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
    const region = aws.getRegionOutput({}, { parent: this }).region;
    // The state machine's name is chosen here, so its ARN is known before it exists: the role can
    // name it (ListExecutions) without a dependency cycle.
    const stateMachineArn = pulumi.interpolate`arn:aws:states:${region}:${account}:stateMachine:${args.batchName}`;

    const task = this.resolveTask(args, tags);
    // Batches call out (databases, APIs, image pulls); nothing calls in.
    const group = createTaskSecurityGroup(
      this.child,
      { group: "sg", egress: "egress" },
      { vpcId: args.vpcId, description: `Batch ${args.batchName}: no ingress`, tags },
      args.transform,
    );

    const logGroup = this.child(
      aws.cloudwatch.LogGroup,
      "logs",
      // Step Functions writes through vended log delivery; AWS recommends this prefix so that the
      // log group's resource policy does not grow with every state machine.
      { name: `/aws/vendedlogs/states/${args.batchName}`, retentionInDays: args.logRetentionInDays ?? 90, tags },
      args.transform?.logGroup,
    );
    const role = this.createStateMachineRole(args, task, stateMachineArn, { account, region }, tags);
    const definition = pulumi
      .all([args.cluster.clusterArn, task.taskDefinitionArn, pulumi.output(args.subnetIds), group.id, args.platform.runTableName, args.platform.topicArn])
      .apply(([clusterArn, taskDefinitionArn, subnetIds, groupId, tableName, topicArn]) =>
        JSON.stringify(
          buildBatchDefinition({
            batchName: args.batchName,
            clusterArn,
            taskDefinitionArn,
            containerName: task.containerName,
            subnetIds,
            securityGroupIds: [groupId],
            enableExecuteCommand: task.executeCommand,
            command: args.command,
            environment: args.environment ?? {},
            parameters: Object.keys(args.parameters ?? {}),
            timeoutSeconds: args.timeoutSeconds,
            infrastructureRetry: { ...DEFAULT_INFRA_RETRY, ...args.infrastructureRetry },
            taskFailureRetry: { ...DEFAULT_TASK_RETRY, ...args.taskFailureRetry },
            overlap: args.overlap ?? "skip",
            dedupeTableName: tableName,
            topicArn,
          }),
        ),
      );
    const stateMachine = this.child(
      aws.sfn.StateMachine,
      "state-machine",
      {
        name: args.batchName,
        type: "STANDARD",
        roleArn: role.role.arn,
        definition,
        loggingConfiguration: { level: "ALL", includeExecutionData: true, logDestination: pulumi.interpolate`${logGroup.arn}:*` },
        tracingConfiguration: { enabled: true },
        tags,
      },
      args.transform?.stateMachine,
      // Creating a logged state machine checks that its role may deliver logs.
      { dependsOn: [role.policy] },
    );
    this.enabled = args.enabled !== false;
    this.createSchedule(args, stateMachine, account, tags);

    this.stateMachineArn = stateMachine.arn;
    this.stateMachineName = args.batchName;
    this.scheduleName = args.batchName;
    this.logGroupName = logGroup.name;
    this.oneOffTask = {
      family: task.family,
      containerName: task.containerName,
      ...(task.logGroupName ? { logGroupName: task.logGroupName } : {}),
      subnetIds: pulumi.output(args.subnetIds),
      securityGroupIds: pulumi.output([group.id]),
      // The state machine runs batches on Fargate on demand (LaunchType FARGATE).
      capacityProviderStrategy: [],
      executeCommand: task.executeCommand,
      taskRoleArn: task.taskRoleArn,
      executionRoleArn: task.executionRoleArn,
    };
    this.registerOutputs({ stateMachineArn: this.stateMachineArn });
  }

  private resolveTask(args: CronBatchArgs, tags: Readonly<Record<string, string>>): BatchTask {
    if ("existing" in args.task) return { ...args.task.existing, executeCommand: args.task.existing.executeCommand ?? false };
    const task = this.child(
      FargateTaskDefinition,
      "task",
      { ...args.task, tags, ...(args.cluster.execLogGroupArn ? { executeCommandLogGroupArn: args.cluster.execLogGroupArn } : {}) },
      undefined,
    );
    return {
      taskDefinitionArn: task.taskDefinitionArn,
      family: task.family,
      containerName: task.containerName,
      taskRoleArn: task.taskRoleArn,
      executionRoleArn: task.executionRoleArn,
      logGroupName: task.logGroupName,
      executeCommand: args.task.enableExecuteCommand ?? TASK_DEFAULTS.enableExecuteCommand,
    };
  }

  private createStateMachineRole(
    args: CronBatchArgs,
    task: BatchTask,
    stateMachineArn: pulumi.Output<string>,
    where: { account: pulumi.Output<string>; region: pulumi.Output<string> },
    tags: Readonly<Record<string, string>>,
  ): { role: aws.iam.Role; policy: aws.iam.RolePolicy } {
    const role = this.child(
      aws.iam.Role,
      "sm-role",
      { assumeRolePolicy: serviceTrustPolicy("states.amazonaws.com", where.account), tags },
      args.transform?.stateMachineRole,
    );
    const { account, region } = where;
    const ecsTasks = pulumi.interpolate`arn:aws:ecs:${region}:${account}:task/${args.cluster.clusterName}/*`;
    const statements: aws.iam.PolicyStatement[] = [
      {
        Sid: "RunThisTaskFamilyInThisCluster",
        Effect: "Allow",
        Action: "ecs:RunTask",
        Resource: pulumi.interpolate`arn:aws:ecs:${region}:${account}:task-definition/${task.family}:*`,
        Condition: { ArnEquals: { "ecs:cluster": args.cluster.clusterArn } },
      },
      { Sid: "FollowTheTask", Effect: "Allow", Action: ["ecs:DescribeTasks", "ecs:StopTask"], Resource: ecsTasks },
      // RunTask with propagated tags tags the new task.
      { Sid: "TagTheTask", Effect: "Allow", Action: "ecs:TagResource", Resource: ecsTasks, Condition: { StringEquals: { "ecs:CreateAction": "RunTask" } } },
      {
        Sid: "SyncRule",
        Effect: "Allow",
        Action: ["events:PutTargets", "events:PutRule", "events:DescribeRule"],
        Resource: pulumi.interpolate`arn:aws:events:${region}:${account}:rule/StepFunctionsGetEventsForECSTaskRule`,
      },
      {
        Sid: "PassTheTaskRoles",
        Effect: "Allow",
        Action: "iam:PassRole",
        Resource: [task.taskRoleArn, task.executionRoleArn],
        Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
      },
      { Sid: "ClaimScheduledTime", Effect: "Allow", Action: "dynamodb:PutItem", Resource: args.platform.runTableArn },
      { Sid: "Notify", Effect: "Allow", Action: "sns:Publish", Resource: args.platform.topicArn },
      // The state machine's own ARN: the overlap check lists its running executions.
      { Sid: "ListOwnExecutions", Effect: "Allow", Action: "states:ListExecutions", Resource: stateMachineArn },
      {
        Sid: "LogDelivery",
        Effect: "Allow",
        // CloudWatch Logs' vended delivery APIs take no resource: AWS requires "*".
        Action: [...STAR_ONLY.logDelivery],
        Resource: "*",
      },
      {
        Sid: "Tracing",
        Effect: "Allow",
        // X-Ray's write APIs take no resource: AWS requires "*".
        Action: [...STAR_ONLY.xrayWrite],
        Resource: "*",
      },
    ];
    const policy = this.child(
      aws.iam.RolePolicy,
      "sm-policy",
      { role: role.id, policy: policyJson({ Version: "2012-10-17", Statement: statements }) },
      args.transform?.stateMachinePolicy,
    );
    return { role, policy };
  }

  private createSchedule(
    args: CronBatchArgs,
    stateMachine: aws.sfn.StateMachine,
    account: pulumi.Output<string>,
    tags: Readonly<Record<string, string>>,
  ): void {
    const role = this.child(
      aws.iam.Role,
      "schedule-role",
      { assumeRolePolicy: serviceTrustPolicy("scheduler.amazonaws.com", account), tags },
      args.transform?.scheduleRole,
    );
    const policy = this.child(
      aws.iam.RolePolicy,
      "schedule-policy",
      {
        role: role.id,
        policy: policyJson({
          Version: "2012-10-17",
          Statement: [
            { Sid: "StartThisBatch", Effect: "Allow", Action: "states:StartExecution", Resource: stateMachine.arn },
            // Scheduler writes undeliverable invocations to the dead-letter queue with this role.
            { Sid: "DeadLetter", Effect: "Allow", Action: "sqs:SendMessage", Resource: args.platform.deadLetterQueueArn },
          ],
        }),
      },
      args.transform?.schedulePolicy,
    );
    this.child(
      aws.scheduler.Schedule,
      "schedule",
      {
        name: args.batchName,
        groupName: "default",
        description: args.description ?? "",
        scheduleExpression: args.schedule,
        scheduleExpressionTimezone: args.timezone ?? BATCH_TIMEZONE,
        // Off: a scheduled time is a scheduled time, not a window.
        flexibleTimeWindow: { mode: "OFF" },
        state: this.enabled ? "ENABLED" : "DISABLED",
        target: {
          arn: stateMachine.arn,
          roleArn: role.arn,
          // Scheduler replaces the placeholder with the time this invocation is for.
          input: JSON.stringify({ batch: args.batchName, scheduledTime: "<aws.scheduler.scheduled-time>", manual: false, input: args.parameters ?? {} }),
          retryPolicy: { maximumEventAgeInSeconds: 86400, maximumRetryAttempts: 185 },
          deadLetterConfig: { arn: args.platform.deadLetterQueueArn },
        },
      },
      args.transform?.schedule,
      { dependsOn: [policy] },
    );
  }
}
