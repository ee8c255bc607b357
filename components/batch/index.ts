// Cron batches: EventBridge Scheduler → Step Functions → ECS RunTask, exactly once per time.
// Imported as `@shop-sre/infra/batch` (or everything at once from `@shop-sre/infra`).
export { BatchPlatform, type BatchPlatformArgs } from "./batch-platform";
export { BATCH_TIMEZONE, type BatchPlatformRef, CronBatch, type CronBatchArgs, type ExistingBatchTask } from "./cron-batch";
export { buildBatchDefinition, type BatchDefinitionSpec, type OverlapPolicy, type RetrySpec } from "./definition";
export { scheduleProblem, timezoneProblem, type ScheduleExpression } from "./schedule";
