import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { InfraComponent, keepOnDelete, type Transform } from "../component";
import { keyedTableArgs } from "../data/keyed-table";

/** Arguments of a {@link ReleasePlatform}. */
export interface ReleasePlatformArgs {
  /**
   * Keep the lock table from deletion (`protect`, `retainOnDelete`, deletion protection): its
   * items say who released what and when. @default false
   */
  readonly protectData?: boolean;
  /** Tags of every child. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  /** Changes to the args of its children before they are created (see {@link Transform}). @default none */
  readonly transform?: {
    readonly lockTable?: Transform<aws.dynamodb.TableArgs>;
    readonly topic?: Transform<aws.sns.TopicArgs>;
  };
}

/**
 * What every release of a stack shares: the deploy lock table (one item per service: who is
 * releasing or holding, until when) and the topic the release events go to (subscribe chat to
 * it, for example through AWS Chatbot).
 */
export class ReleasePlatform extends InfraComponent {
  /** The deploy lock table's name: one item per service, who releases or holds it and until when. */
  public readonly lockTableName: pulumi.Output<string>;
  /** The lock table's ARN. */
  public readonly lockTableArn: pulumi.Output<string>;
  /** The topic release events go to. */
  public readonly topicArn: pulumi.Output<string>;

  constructor(name: string, args: ReleasePlatformArgs = {}, opts?: pulumi.ComponentResourceOptions) {
    super("infra:deploy:ReleasePlatform", name, opts);
    const tags = args.tags ?? {};
    const protectData = args.protectData === true;
    // One item per service: who releases or holds it, until when.
    const table = this.child(aws.dynamodb.Table, "locks", keyedTableArgs({ protectData, tags }), args.transform?.lockTable, keepOnDelete(protectData));
    const topic = this.child(aws.sns.Topic, "events", { kmsMasterKeyId: "alias/aws/sns", tags }, args.transform?.topic);
    this.lockTableName = table.name;
    this.lockTableArn = table.arn;
    this.topicArn = topic.arn;
    this.registerOutputs({ lockTableName: this.lockTableName, topicArn: this.topicArn });
  }
}
