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
import type { ReleaseTarget } from "./contract";

/**
 * Who holds the deploy lock of a service, and until when. A lock belongs to one release run:
 * `npm run release`, or the prepare and deploy steps of one `pulumi up` (deploy is handed the
 * run of its prepare). Nobody else takes it or frees it, whatever revision they release.
 */
export interface LockHolder {
  readonly owner: string;
  /** The task definition revision being (or just) released. */
  readonly release: string;
  /** The release run holding it. */
  readonly run: string;
  /**
   * `releasing` while a release runs; `prepared` once the prepare step of a `pulumi up` has run
   * (its migration too) and its deploy step has not started; `holding` during the hold period.
   */
  readonly state: "releasing" | "prepared" | "holding";
  readonly since: Date;
  readonly until: Date;
}

/**
 * Which step takes the lock: a prepare of a `pulumi up` may take over a lock whose up ended
 * before deploy; a deploy names the run it continues; a rollback may end a hold period.
 */
export type LockTaker = "release" | "prepare" | "deploy" | "rollback";

/** The lock state each taker may take over besides a free, expired or own lock. */
const TAKES_OVER: Readonly<Record<LockTaker, LockHolder["state"] | undefined>> = {
  release: undefined,
  prepare: "prepared",
  deploy: undefined,
  rollback: "holding",
};

/** The commands an operator runs about a service's lock, with the service's arguments. */
export const commandsFor = (t: Pick<ReleaseTarget, "stack" | "service">) => ({
  continue: `npm run release:continue -- ${t.stack} ${t.service}`,
  unlock: `npm run release:unlock -- ${t.stack} ${t.service}`,
  rollback: `npm run release:rollback -- ${t.stack} ${t.service}`,
  status: `npm run release:status -- ${t.stack} ${t.service}`,
});

const key = (t: ReleaseTarget): Record<string, AttributeValue> => ({ pk: { S: `${t.stack}/${t.service}` } });
const seconds = (d: Date) => Math.floor(d.getTime() / 1000);
// `state` and `run` are not reserved words today; names keep the expressions safe if they become so.
const NAMES = { "#run": "run", "#state": "state", "#expiresAt": "expiresAt" };
const STATES = ["releasing", "prepared", "holding"] as const;

function holderOf(item: Record<string, AttributeValue> | undefined): LockHolder | undefined {
  if (!item) return undefined;
  const state = STATES.find((s) => s === item.state?.S) ?? "releasing";
  return {
    owner: item.owner?.S ?? "unknown",
    release: item.release?.S ?? "unknown",
    run: item.run?.S ?? "unknown",
    state,
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
  const what = {
    holding: `in the hold period after the release of ${holder.release} by ${holder.owner} (since ${holder.since.toISOString()})`,
    releasing: `by ${holder.owner}, releasing ${holder.release} since ${holder.since.toISOString()}`,
    prepared: `by ${holder.owner}, whose pulumi up prepared ${holder.release} at ${holder.since.toISOString()} (its migration ran) and has not deployed it yet`,
  }[holder.state];
  return `${t.stack}/${t.service} is locked ${what}; the next release may go after ${holder.until.toISOString()}, or unlock it: ${unlock}`;
}

/**
 * Takes the lock for this release run, or throws who holds it. A conditional put: free,
 * expired (a crashed release's lock lapses by itself at `expiresAt`, compared here, since TTL
 * deletes late), or already this run's (deploy after its prepare, or a retry of the same up).
 *
 * A prepare also takes over a lock left `prepared` by another run. Only `pulumi up` runs
 * prepare, and the backend's update lock lets one up of a stack run at a time, so that up has
 * ended without reaching deploy (its workers failed to roll, say): it created no deployment, and
 * the next release must not wait hours for the lock to lapse. Its deploy, if that up is ever
 * retried, finds the lock gone and is refused.
 */
export async function acquireLock(ctx: ReleaseContext, t: ReleaseTarget, run: string, taker: LockTaker, lockMinutes: number): Promise<void> {
  const now = ctx.now();
  const until = new Date(now.getTime() + lockMinutes * 60_000);
  const over = TAKES_OVER[taker];
  const takeOver = over ? " OR #state = :over" : "";
  // Free or expired too: a deploy retried after its own failure (which freed the lock) takes it again.
  const condition = `attribute_not_exists(pk) OR #expiresAt < :now OR #run = :run${takeOver}`;
  let previous: LockHolder | undefined;
  try {
    const { Attributes } = await ctx.clients.dynamodb.send(
      new PutItemCommand({
        TableName: t.lockTableName,
        Item: {
          ...key(t),
          owner: { S: ctx.who },
          release: { S: t.taskDefinitionArn },
          run: { S: run },
          state: { S: "releasing" },
          since: { S: now.toISOString() },
          expiresAt: { N: String(seconds(until)) },
        },
        ConditionExpression: condition,
        // DynamoDB refuses a name or value the expression does not use.
        ExpressionAttributeNames: { "#run": "run", "#expiresAt": "expiresAt", ...(over ? { "#state": "state" } : {}) },
        ExpressionAttributeValues: { ":run": { S: run }, ":now": { N: String(seconds(now)) }, ...(over ? { ":over": { S: over } } : {}) },
        ReturnValues: "ALL_OLD",
      }),
    );
    previous = holderOf(Attributes);
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw awsErrorLine("DynamoDB PutItem (deploy lock)", error, t.region);
    const holder = await readLock(ctx, t);
    // Freed between the put and the read: one more try settles it.
    if (!holder) return acquireLock(ctx, t, run, taker, lockMinutes);
    // A deploy whose prepare's lock another run holds now (a later up took it over) deploys nothing.
    const ours = taker === "deploy" ? `the lock of ${t.stack}/${t.service} is no longer this release's (its prepare's): ` : "";
    throw new ReleaseError(`${ours}${heldMessage(t, holder)}`);
  }
  if (previous && previous.run !== run && previous.until > now) {
    ctx.log(
      previous.state === "holding"
        ? `the hold period after the release of ${previous.release} by ${previous.owner} (until ${previous.until.toISOString()}) ends: a rollback is not held`
        : `lock taken over from ${previous.owner}: its pulumi up prepared ${previous.release} at ${previous.since.toISOString()} (its migration ran) and ended before deploy, so no deployment was created`,
    );
  }
  ctx.log(`lock taken by ${ctx.who} until ${until.toISOString()}`);
}

/** After prepare (in a `pulumi up`): the lock waits for this run's deploy. */
export async function markPrepared(ctx: ReleaseContext, t: ReleaseTarget, run: string): Promise<void> {
  await writeIfMine(
    ctx,
    t,
    "UpdateItem",
    new UpdateItemCommand({
      TableName: t.lockTableName,
      Key: key(t),
      UpdateExpression: "SET #state = :prepared",
      ConditionExpression: "#run = :run",
      ExpressionAttributeNames: { "#run": "run", "#state": "state" },
      ExpressionAttributeValues: { ":prepared": { S: "prepared" }, ":run": { S: run } },
    }),
  );
}

/**
 * After a successful release: the lock stays for the hold period (none: it is removed). Only
 * this run's lock is touched; one that someone unlocked in the meantime stays free.
 */
export async function holdLock(ctx: ReleaseContext, t: ReleaseTarget, run: string): Promise<void> {
  if (t.holdMinutes === 0) return releaseLock(ctx, t, run);
  const until = new Date(ctx.now().getTime() + t.holdMinutes * 60_000);
  const held = await writeIfMine(
    ctx,
    t,
    "UpdateItem",
    new UpdateItemCommand({
      TableName: t.lockTableName,
      Key: key(t),
      UpdateExpression: "SET #state = :holding, #expiresAt = :until",
      ConditionExpression: "#run = :run",
      ExpressionAttributeNames: NAMES,
      ExpressionAttributeValues: { ":holding": { S: "holding" }, ":until": { N: String(seconds(until)) }, ":run": { S: run } },
    }),
  );
  ctx.log(
    held ? `lock held until ${until.toISOString()} (hold period ${t.holdMinutes} min)` : "lock: released by someone else during the release; no hold period",
  );
}

/** Frees this run's lock (after a failure, or with no hold period); a lock of anyone else stays. */
export async function releaseLock(ctx: ReleaseContext, t: ReleaseTarget, run: string): Promise<void> {
  const released = await writeIfMine(
    ctx,
    t,
    "DeleteItem",
    new DeleteItemCommand({
      TableName: t.lockTableName,
      Key: key(t),
      ConditionExpression: "#run = :run",
      ExpressionAttributeNames: { "#run": "run" },
      ExpressionAttributeValues: { ":run": { S: run } },
    }),
  );
  if (released) ctx.log("lock released");
}

/**
 * A write conditioned on the lock still being this run's: false when it is not (someone
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
