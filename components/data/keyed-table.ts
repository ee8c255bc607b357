import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { applyTransform, keepOnDelete, type Transform } from "../component";

/**
 * A small DynamoDB table of items keyed by `pk` that expire: on demand, encrypted, point-in-time
 * recovery, TTL on `expiresAt` (which only sweeps expired items away, days late: readers compare
 * `expiresAt` themselves), deletion protection and `protect` when the stack keeps its data. The
 * batches' run table and the releases' lock table are both one.
 */
export function keyedTable(
  name: string,
  args: { readonly protectData: boolean; readonly tags: Readonly<Record<string, string>> },
  opts: pulumi.CustomResourceOptions,
  transform?: Transform<aws.dynamodb.TableArgs>,
): aws.dynamodb.Table {
  const table: aws.dynamodb.TableArgs = {
    billingMode: "PAY_PER_REQUEST",
    hashKey: "pk",
    attributes: [{ name: "pk", type: "S" }],
    serverSideEncryption: { enabled: true },
    pointInTimeRecovery: { enabled: true },
    ttl: { enabled: true, attributeName: "expiresAt" },
    deletionProtectionEnabled: args.protectData,
    tags: args.tags,
  };
  return new aws.dynamodb.Table(name, ...applyTransform(transform, name, table, { ...opts, ...keepOnDelete(args.protectData) }));
}
