import { z } from "zod";
import { batchRunProblems } from "../../components/batch/cron-batch";
import { OVERLAP_POLICIES } from "../../components/batch/definition";
import { type ScheduleExpression, scheduleProblem, timezoneProblem } from "../../components/batch/schedule";
import { LOG_RETENTION_DAYS } from "../../components/aws-limits";
import { checkTaskSize, environmentSchema, taskShape, workloadName } from "./services";
import { addProblems, checked } from "./issues";

// Shapes only: the bounds are CronBatch's (batchRunProblems), checked below.
const retry = z.strictObject({ attempts: z.number().optional(), intervalSeconds: z.number().optional(), backoffRate: z.number().optional() });

/** `infra:batches.<name>`: a command-line batch run on a schedule in Japan time (by default). */
export const batchSchema = z
  .strictObject({
    ...taskShape,
    /** `cron(m h dom mon dow year)`, `rate(n unit)` or `at(...)`. */
    // Checked as Scheduler reads it, so from here on it is a ScheduleExpression.
    schedule: checked(scheduleProblem).transform((expression) => expression as ScheduleExpression),
    /** @default "Asia/Tokyo" */
    timezone: checked(timezoneProblem).optional(),
    /** The command of every run: `["./batch-cli", "clearing"]`. */
    command: z.array(z.string()),
    /** Variables from the execution input, with their scheduled value. @default {} */
    parameters: environmentSchema,
    /** Required: seconds before the task is stopped and the run fails. */
    timeoutSeconds: z.number(),
    /** @default 3 attempts, 30 s, backoff 2 */
    infrastructureRetry: retry.optional(),
    /** @default no retry */
    taskFailureRetry: retry.optional(),
    /** @default "skip" */
    overlap: z.enum(OVERLAP_POLICIES).optional(),
    /** @default true */
    enabled: z.boolean().optional(),
    description: z.string().optional(),
    /** @default 90 */
    logRetentionInDays: z.literal(LOG_RETENTION_DAYS).optional(),
  })
  .superRefine(checkTaskSize)
  .superRefine((b, ctx) => addProblems(ctx, batchRunProblems(b), b));

/** `infra:batches`: the stack's cron batches, by name. @default {} */
export const batchesSchema = z.record(workloadName, batchSchema).default({});

export type BatchConfig = z.output<typeof batchSchema>;
