import type * as aws from "@pulumi/aws";

/**
 * A small DynamoDB table of items keyed by `pk` that expire: on demand, encrypted, point-in-time
 * recovery, TTL on `expiresAt` (which only sweeps expired items away, days late: readers compare
 * `expiresAt` themselves), deletion protection and `protect` when the stack keeps its data. The
 * batches' run table and the releases' lock table are both one.
 */
export function keyedTableArgs(args: { readonly protectData: boolean; readonly tags: Readonly<Record<string, string>> }): aws.dynamodb.TableArgs {
  return {
    billingMode: "PAY_PER_REQUEST",
    hashKey: "pk",
    attributes: [{ name: "pk", type: "S" }],
    serverSideEncryption: { enabled: true },
    pointInTimeRecovery: { enabled: true },
    ttl: { enabled: true, attributeName: "expiresAt" },
    deletionProtectionEnabled: args.protectData,
    tags: args.tags,
  };
}
