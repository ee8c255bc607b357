import * as pulumi from "@pulumi/pulumi";
import { BatchPlatform as LibraryBatchPlatform, type BatchPlatformArgs as LibraryBatchPlatformArgs } from "../components/batch";
import { absentArgs, publish, TRANSFORM_ABSENT } from "./values";

/** Arguments of a BatchPlatform. */
export interface BatchPlatformArgs {
  /** Keep the run history and the queue when the stack or the component is deleted: set it where losing them matters. Default: false. */
  protectData?: boolean;
  /** Days undelivered invocations stay in the dead-letter queue (1-14). Default: 14. */
  deadLetterRetentionDays?: number;
  /** Tags of every child. Default: none. */
  tags?: Record<string, string>;
}

/** The library's args of a BatchPlatform that the plugin does not take, and why. */
export const BATCH_PLATFORM_ABSENT_ARGS = absentArgs<LibraryBatchPlatformArgs, BatchPlatformArgs>({
  transform: TRANSFORM_ABSENT,
});

/**
 * What every CronBatch of a stack shares: the run table (one item per scheduled time that ran,
 * the exactly-once record), the topic of batch events and the scheduler's dead-letter queue. The
 * library's BatchPlatform, for every Pulumi language.
 */
export class BatchPlatform extends pulumi.ComponentResource {
  /** The run table's name. */
  runTableName!: pulumi.Output<string>;
  /** The run table's ARN. */
  runTableArn!: pulumi.Output<string>;
  /** The topic of batch events (failed, timed out, skipped): subscribe the alerting to it. */
  topicArn!: pulumi.Output<string>;
  /** The dead-letter queue of invocations EventBridge Scheduler could not deliver. */
  deadLetterQueueArn!: pulumi.Output<string>;
  /** The dead-letter queue's name (its depth is monitored). */
  deadLetterQueueName!: pulumi.Output<string>;

  constructor(name: string, args: BatchPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super("infra:index:BatchPlatform", name, {}, opts);
    const platform = new LibraryBatchPlatform(name, args, { parent: this });
    this.registerOutputs(
      publish(this, {
        runTableName: platform.runTableName,
        runTableArn: platform.runTableArn,
        topicArn: platform.topicArn,
        deadLetterQueueArn: platform.deadLetterQueueArn,
        deadLetterQueueName: platform.deadLetterQueueName,
      }),
    );
  }
}
