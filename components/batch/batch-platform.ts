import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { InfraComponent, keepOnDelete, type Transform } from "../component";
import { keyedTableArgs } from "../data/keyed-table";

/** Arguments of a {@link BatchPlatform}. */
export interface BatchPlatformArgs {
  /**
   * Keep the run history and the queue when the stack or the component is deleted
   * (`protect` + `retainOnDelete`): set it where losing them matters (prd).
   * @default false
   */
  readonly protectData?: boolean;
  /** Days undelivered invocations stay in the dead-letter queue (1-14). @default 14 */
  readonly deadLetterRetentionDays?: number;
  /** Tags of every child. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  /** Changes to the args of its children before they are created (see {@link Transform}). @default none */
  readonly transform?: {
    readonly runTable?: Transform<aws.dynamodb.TableArgs>;
    readonly topic?: Transform<aws.sns.TopicArgs>;
    readonly deadLetterQueue?: Transform<aws.sqs.QueueArgs>;
  };
}

/**
 * What every cron batch of a stack shares: the run table that makes a scheduled time run once
 * (DynamoDB, on demand, encrypted, point-in-time recovery, TTL on `expiresAt`), the topic that
 * says when a batch failed, timed out or was skipped (SNS, encrypted; monitoring subscribes), and
 * the dead-letter queue of invocations EventBridge Scheduler could not deliver (SQS, encrypted).
 */
export class BatchPlatform extends InfraComponent {
  /** The run table's name: one item per scheduled time that ran (the exactly-once record). */
  public readonly runTableName: pulumi.Output<string>;
  /** The run table's ARN. */
  public readonly runTableArn: pulumi.Output<string>;
  /** The topic of batch events (failed, timed out, skipped): subscribe the alerting to it. */
  public readonly topicArn: pulumi.Output<string>;
  /** The dead-letter queue of invocations EventBridge Scheduler could not deliver. */
  public readonly deadLetterQueueArn: pulumi.Output<string>;
  /** The dead-letter queue's name (its depth is monitored). */
  public readonly deadLetterQueueName: pulumi.Output<string>;

  constructor(name: string, args: BatchPlatformArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    const retention = args.deadLetterRetentionDays ?? 14;
    if (!Number.isInteger(retention) || retention < 1 || retention > 14) {
      throw new Error(`BatchPlatform "${name}": deadLetterRetentionDays ${retention} is out of range (1-14, SQS's limit)`);
    }
    super("infra:batch:BatchPlatform", name, opts);
    const tags = args.tags ?? {};
    const protectData = args.protectData === true;
    const keep = keepOnDelete(protectData);
    // Manual runs set expiresAt; scheduled runs are kept as the batches' run history.
    const table = this.child(aws.dynamodb.Table, "runs", keyedTableArgs({ protectData, tags }), args.transform?.runTable, keep);
    const topic = this.child(aws.sns.Topic, "events", { kmsMasterKeyId: "alias/aws/sns", tags }, args.transform?.topic);
    const dlq = this.child(
      aws.sqs.Queue,
      "dlq",
      { sqsManagedSseEnabled: true, messageRetentionSeconds: retention * 86400, tags },
      args.transform?.deadLetterQueue,
      keep,
    );
    this.runTableName = table.name;
    this.runTableArn = table.arn;
    this.topicArn = topic.arn;
    this.deadLetterQueueArn = dlq.arn;
    this.deadLetterQueueName = dlq.name;
    this.registerOutputs({ runTableName: this.runTableName, topicArn: this.topicArn, deadLetterQueueArn: this.deadLetterQueueArn });
  }
}
