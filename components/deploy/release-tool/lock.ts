import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
} from "@aws-sdk/client-dynamodb";
import type { ReleaseContext } from "./context";
import { aws, awsErrorLine, ReleaseError } from "./errors";
import type { ReleaseTarget } from "./target";

/** Who holds the deploy lock of a service, and until when. */
export interface LockHolder {
  readonly owner: string;
  /** The task definition revision being (or just) released. */
  readonly release: string;
  /** `releasing` while a release runs; `holding` during the hold period after a successful one. */
  readonly state: "releasing" | "holding";
  readonly since: Date;
  readonly until: Date;
}

/** The commands an operator runs about a service's lock, with the service's arguments. */
export const commandsFor = (t: Pick<ReleaseTarget, "stack" | "service">) => ({
  unlock: `npm run release:unlock -- ${t.stack} ${t.service}`,
  rollback: `npm run release:rollback -- ${t.stack} ${t.service}`,
  status: `npm run release:status -- ${t.stack} ${t.service}`,
});

const key = (t: ReleaseTarget): Record<string, AttributeValue> => ({ pk: { S: `${t.stack}/${t.service}` } });
const seconds = (d: Date) => Math.floor(d.getTime() / 1000);
// `state` and `release` are not reserved words today; names keep the expressions safe if they become so.
const NAMES = { "#release": "release", "#state": "state", "#expiresAt": "expiresAt" };

function holderOf(item: Record<string, AttributeValue> | undefined): LockHolder | undefined {
  if (!item) return undefined;
  return {
    owner: item.owner?.S ?? "unknown",
    release: item.release?.S ?? "unknown",
    state: item.state?.S === "holding" ? "holding" : "releasing",
    since: new Date(item.since?.S ?? 0),
    until: new Date(Number(item.expiresAt?.N ?? 0) * 1000),
  };
}

/** The lock's holder, if it is held now (an expired item waiting for TTL's deletion is free). */
export async function readLock(ctx: ReleaseContext, t: ReleaseTarget): Promise<LockHolder | undefined> {
  const { Item } = await aws("DynamoDB GetItem (deploy lock)", t.region, () =>
    ctx.clients.dynamodb.send(new GetItemCommand({ TableName: t.lockTableName, Key: key(t), ConsistentRead: true })),
  );
  const holder = holderOf(Item);
  return holder && holder.until > ctx.now() ? holder : undefined;
}

/** The refusal when the lock is held: who, since and until when, and what to do. */
export function heldMessage(t: ReleaseTarget, holder: LockHolder): string {
  const { unlock } = commandsFor(t);
  const what =
    holder.state === "holding"
      ? `in the hold period after the release of ${holder.release} by ${holder.owner} (since ${holder.since.toISOString()})`
      : `by ${holder.owner}, releasing ${holder.release} since ${holder.since.toISOString()}`;
  return `${t.stack}/${t.service} is locked ${what}; the next release may go after ${holder.until.toISOString()}, or unlock it: ${unlock}`;
}

/**
 * Takes the lock for this release, or throws who holds it. A conditional put: free, expired (a
 * crashed release's lock lapses by itself at `expiresAt`, compared here, since TTL deletes late),
 * or already held by this same release (the second step of one `pulumi up`, or its retry).
 */
export async function acquireLock(ctx: ReleaseContext, t: ReleaseTarget, lockMinutes: number): Promise<void> {
  const now = ctx.now();
  const until = new Date(now.getTime() + lockMinutes * 60_000);
  try {
    await ctx.clients.dynamodb.send(
      new PutItemCommand({
        TableName: t.lockTableName,
        Item: {
          ...key(t),
          owner: { S: ctx.who },
          release: { S: t.taskDefinitionArn },
          state: { S: "releasing" },
          since: { S: now.toISOString() },
          expiresAt: { N: String(seconds(until)) },
        },
        ConditionExpression: "attribute_not_exists(pk) OR #expiresAt < :now OR (#release = :release AND #state = :releasing)",
        ExpressionAttributeNames: NAMES,
        ExpressionAttributeValues: { ":now": { N: String(seconds(now)) }, ":release": { S: t.taskDefinitionArn }, ":releasing": { S: "releasing" } },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw awsErrorLine("DynamoDB PutItem (deploy lock)", error, t.region);
    const holder = await readLock(ctx, t);
    // Freed between the put and the read: one more try settles it.
    if (!holder) return acquireLock(ctx, t, lockMinutes);
    throw new ReleaseError(heldMessage(t, holder));
  }
  ctx.log(`lock taken by ${ctx.who} until ${until.toISOString()}`);
}

/**
 * After a successful release: the lock stays for the hold period (none: it is removed). Only
 * this release's lock is touched; one that someone unlocked in the meantime stays free.
 */
export async function holdLock(ctx: ReleaseContext, t: ReleaseTarget): Promise<void> {
  if (t.holdMinutes === 0) return releaseLock(ctx, t);
  const until = new Date(ctx.now().getTime() + t.holdMinutes * 60_000);
  const held = await writeIfMine(
    ctx,
    t,
    "UpdateItem",
    new UpdateItemCommand({
      TableName: t.lockTableName,
      Key: key(t),
      UpdateExpression: "SET #state = :holding, #expiresAt = :until",
      ConditionExpression: "#release = :release",
      ExpressionAttributeNames: NAMES,
      ExpressionAttributeValues: { ":holding": { S: "holding" }, ":until": { N: String(seconds(until)) }, ":release": { S: t.taskDefinitionArn } },
    }),
  );
  ctx.log(
    held ? `lock held until ${until.toISOString()} (hold period ${t.holdMinutes} min)` : "lock: released by someone else during the release; no hold period",
  );
}

/** Frees this release's lock (after a failure, or with no hold period). */
export async function releaseLock(ctx: ReleaseContext, t: ReleaseTarget): Promise<void> {
  const released = await writeIfMine(
    ctx,
    t,
    "DeleteItem",
    new DeleteItemCommand({
      TableName: t.lockTableName,
      Key: key(t),
      ConditionExpression: "#release = :release",
      ExpressionAttributeNames: { "#release": "release" },
      ExpressionAttributeValues: { ":release": { S: t.taskDefinitionArn } },
    }),
  );
  if (released) ctx.log("lock released");
}

/**
 * A write conditioned on the lock still being this release's: false when it is not (someone
 * unlocked it meanwhile), an AWS error as one line otherwise.
 */
async function writeIfMine(ctx: ReleaseContext, t: ReleaseTarget, operation: string, command: UpdateItemCommand | DeleteItemCommand): Promise<boolean> {
  try {
    await ctx.clients.dynamodb.send(command);
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw awsErrorLine(`DynamoDB ${operation} (deploy lock)`, error, t.region);
  }
}

/** Removes the lock whoever holds it; returns who held it. */
export async function unlock(ctx: ReleaseContext, t: ReleaseTarget): Promise<LockHolder | undefined> {
  const { Attributes } = await aws("DynamoDB DeleteItem (deploy lock)", t.region, () =>
    ctx.clients.dynamodb.send(new DeleteItemCommand({ TableName: t.lockTableName, Key: key(t), ReturnValues: "ALL_OLD" })),
  );
  return holderOf(Attributes);
}
