import {
  CreateDeploymentCommand,
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  ListDeploymentsCommand,
  ListDeploymentTargetsCommand,
  StopDeploymentCommand,
} from "@aws-sdk/client-codedeploy";
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, DescribeTasksCommand, RunTaskCommand, StopTaskCommand } from "@aws-sdk/client-ecs";
import { PublishCommand } from "@aws-sdk/client-sns";
import { DeleteItemCommand, GetItemCommand, UpdateItemCommand } from "@aws-sdk/client-dynamodb";
import { describe, expect, it } from "vitest";
import { liveContext, runReleaseCommand } from "../../release-tool/command";
import { notification } from "../../release-tool/notify";
import { lockMinutes, release } from "../../release-tool/release";
import { colourTarget } from "./colour-fixtures";
import { rollback } from "../../release-tool/rollback";
import type { ReleaseTarget } from "../../release-tool/contract";
import { refusing } from "../helpers/refusing-client";
import {
  DB_SECRET,
  deploymentPolls,
  eachTestRelease,
  type FakeAws,
  LIVE,
  lockItem,
  NEW,
  OTHER_RUN,
  putLock,
  releaseFailure as failure,
  type ReleaseWorld,
  SUCCESSFUL,
  T0,
  TASK,
  taskRuns,
} from "./release-fixtures";

/** When a lock taken at T0 for the target's release lapses. */
const lockEnds = () => new Date(T0.getTime() + lockMinutes(t) * 60_000).toISOString();

/** A release run of these tests' own. */
const RUN = "00000000-0000-4000-8000-0000000000a1";

let db: ReleaseWorld["db"];
let aws: FakeAws;
let t: ReleaseTarget;
eachTestRelease((w) => ({ db, aws, t } = w));

const LINK = "https://ap-northeast-1.console.aws.amazon.com/codesuite/codedeploy/deployments/d-NEW?region=ap-northeast-1";
const UNLOCK = "npm run release:unlock -- stg web";

/** The message of the notification published for `event` (the last one, if several). */
function published(event: string): Record<string, unknown> | undefined {
  const messages = aws.sns.commandCalls(PublishCommand).map((c) => JSON.parse(c.args[0].input.Message!) as Record<string, unknown>);
  return messages.filter((m) => m.event === event).at(-1);
}

describe("release: the lock", () => {
  it("takes a free lock, releases, and frees it when there is no hold period", async () => {
    deploymentPolls(aws, SUCCESSFUL);
    const result = await release(aws.ctx, t, "all", RUN);
    expect(result).toEqual({ outcome: "released", taskDefinitionArn: NEW, deploymentId: "d-NEW", run: RUN });
    expect(await lockItem(db.client, t.lockTableName)).toBeUndefined();
  });

  it("refuses while another release holds it: who, since, until, the unlock command; touches nothing else", async () => {
    await putLock(
      db.client,
      { owner: "bob@ci", release: LIVE, state: "releasing", since: "2026-11-29T05:55:00.000Z", until: new Date("2026-11-29T06:40:00Z") },
      t.lockTableName,
    );
    const error = await failure(release(aws.ctx, t));
    expect(error.message).toBe(
      `stg/web is locked by bob@ci, releasing ${LIVE} since 2026-11-29T05:55:00.000Z; the next release may go after 2026-11-29T06:40:00.000Z, or unlock it: ${UNLOCK}`,
    );
    expect(aws.codedeploy.calls()).toHaveLength(0);
    expect(aws.ecs.calls()).toHaveLength(0);
    expect((await lockItem(db.client, t.lockTableName))?.owner?.S).toBe("bob@ci");
    // The channel hears it, in the lock's own words: whoever asked from chat learns why nothing started.
    const [published] = aws.sns.commandCalls(PublishCommand).map((c) => JSON.parse(c.args[0].input.Message!) as { event: string; reason: string });
    expect(published).toMatchObject({ event: "refused", reason: error.message });
  });

  it("refuses during the hold period after the last release, saying when the next may go", async () => {
    await putLock(
      db.client,
      { owner: "bob@ci", release: LIVE, state: "holding", since: "2026-11-29T05:40:00.000Z", until: new Date("2026-11-29T06:10:00Z") },
      t.lockTableName,
    );
    const error = await failure(release(aws.ctx, t));
    expect(error.message).toBe(
      `stg/web is locked in the hold period after the release of ${LIVE} by bob@ci (since 2026-11-29T05:40:00.000Z); the next release may go after 2026-11-29T06:10:00.000Z, or unlock it: ${UNLOCK}`,
    );
  });

  it("takes an expired lock (a crashed release's), even before TTL has deleted it", async () => {
    await putLock(
      db.client,
      { owner: "bob@ci", release: LIVE, state: "releasing", since: "2026-11-29T04:00:00.000Z", until: new Date("2026-11-29T05:59:00Z") },
      t.lockTableName,
    );
    deploymentPolls(aws, SUCCESSFUL);
    expect((await release(aws.ctx, t)).outcome).toBe("released");
  });

  it("keeps the lock for the hold period after a successful release", async () => {
    deploymentPolls(aws, SUCCESSFUL);
    await release(aws.ctx, { ...t, holdMinutes: 15 });
    const item = await lockItem(db.client, t.lockTableName);
    expect(item).toMatchObject({ owner: { S: "alice@laptop" }, release: { S: NEW }, state: { S: "holding" } });
    // Three polls of 15 s after T0, then 15 minutes.
    expect(Number(item!.expiresAt!.N)).toBe(T0.getTime() / 1000 + 45 + 15 * 60);
    expect(aws.lines).toContain("lock held until 2026-11-29T06:15:45.000Z (hold period 15 min)");
  });

  it("lets the second step of the same release run through (prepare, then deploy, in one pulumi up), and nobody else", async () => {
    deploymentPolls(aws, SUCCESSFUL);
    const prepared = await release(aws.ctx, t, "prepare");
    expect(prepared).toMatchObject({ outcome: "prepared", run: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown });
    expect(await lockItem(db.client, t.lockTableName)).toMatchObject({ state: { S: "prepared" }, run: { S: prepared.run } });
    // A person releasing the same revision meanwhile is another run: refused, the lock stays.
    const bob = { ...aws.ctx, who: "bob@laptop" };
    expect((await failure(release(bob, t))).message).toBe(
      `stg/web is locked by alice@laptop, whose pulumi up prepared ${NEW} at 2026-11-29T06:00:00.000Z (its migration ran) and has not deployed it yet; the next release may go after ${lockEnds()}, or unlock it: ${UNLOCK}`,
    );
    expect((await release(aws.ctx, t, "deploy", prepared.run)).outcome).toBe("released");
    // The deploy step does not prepare again: one preflight, one "started", no second migration;
    // bob's attempt was told to the channel as refused.
    expect(aws.lines.filter((l) => l.startsWith("preflight:"))).toHaveLength(1);
    expect(aws.events()).toEqual(["started", "refused", "switched", "succeeded"]);
  });

  it("two releases of one revision at once: exactly one proceeds, and the other frees nothing", async () => {
    deploymentPolls(aws, SUCCESSFUL);
    const [first, second] = await Promise.allSettled([release(aws.ctx, t, "prepare"), release({ ...aws.ctx, who: "bob@laptop" }, t)]);
    const outcomes = [first, second].map((r) => r.status);
    expect(outcomes.sort()).toEqual(["fulfilled", "rejected"]);
    const refused = [first, second].find((r) => r.status === "rejected")!;
    expect(String(refused.reason)).toMatch(/^ReleaseError: stg\/web is locked by (alice|bob)@laptop, /);
    // The lock is still the one that proceeded: the refusal freed nothing.
    const winner = first.status === "fulfilled" ? first.value.run : undefined;
    const item = await lockItem(db.client, t.lockTableName);
    if (winner) expect(item?.run?.S).toBe(winner);
    else expect(item?.owner?.S).toBe("bob@laptop");
    expect(aws.ecs.commandCalls(RunTaskCommand)).toHaveLength(t.migration ? 1 : 0);
  });

  it("a pulumi up that failed after prepare does not block the next: its prepared lock is taken over, saying what happened; its deploy is then refused", async () => {
    deploymentPolls(aws, SUCCESSFUL);
    await putLock(
      db.client,
      { owner: "bob@ci", release: LIVE, state: "prepared", since: "2026-11-29T05:30:00.000Z", until: new Date("2026-11-29T07:30:00Z") },
      t.lockTableName,
    );
    const prepared = await release(aws.ctx, t, "prepare");
    expect(aws.lines).toContain(
      `lock taken over from bob@ci: its pulumi up prepared ${LIVE} at 2026-11-29T05:30:00.000Z (its migration ran) and ended before deploy, so no deployment was created`,
    );
    expect(await lockItem(db.client, t.lockTableName)).toMatchObject({ owner: { S: "alice@laptop" }, run: { S: prepared.run } });
    // The old up's deploy, were it retried, holds the old run: refused, nothing deployed.
    const error = await failure(release({ ...aws.ctx, who: "bob@ci" }, t, "deploy", OTHER_RUN));
    expect(error.message).toBe(
      `the lock of stg/web is no longer this release's (its prepare's): stg/web is locked by alice@laptop, whose pulumi up prepared ${NEW} at 2026-11-29T06:00:00.000Z (its migration ran) and has not deployed it yet; the next release may go after ${lockEnds()}, or unlock it: ${UNLOCK}`,
    );
    expect(aws.codedeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(0);
    expect((await lockItem(db.client, t.lockTableName))?.run?.S).toBe(prepared.run);
  });

  it("only a prepare takes over a prepared lock: a release by hand is refused; a lock that is deploying is never taken over", async () => {
    await putLock(
      db.client,
      { owner: "bob@ci", release: LIVE, state: "prepared", since: "2026-11-29T05:30:00.000Z", until: new Date("2026-11-29T07:30:00Z") },
      t.lockTableName,
    );
    expect((await failure(release(aws.ctx, t))).message).toMatch(/^stg\/web is locked by bob@ci, whose pulumi up prepared /);
    await putLock(
      db.client,
      { owner: "bob@ci", release: LIVE, state: "releasing", since: "2026-11-29T05:30:00.000Z", until: new Date("2026-11-29T07:30:00Z") },
      t.lockTableName,
    );
    expect((await failure(release(aws.ctx, t, "prepare"))).message).toMatch(/^stg\/web is locked by bob@ci, releasing /);
    expect(aws.ecs.commandCalls(RunTaskCommand)).toHaveLength(0);
  });

  it("a deploy retried after its own failure (which freed the lock) takes the lock again and deploys", async () => {
    const prepared = await release(aws.ctx, t, "prepare");
    // The first deploy failed and freed its run's lock; the same up, retried, runs deploy again.
    await runReleaseCommand(aws.ctx, "unlock", t, { progress: () => undefined, result: () => undefined }, false);
    deploymentPolls(aws, SUCCESSFUL);
    expect(await release(aws.ctx, t, "deploy", prepared.run)).toMatchObject({ outcome: "released", run: prepared.run });
    expect(aws.codedeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(1);
  });
});

describe("release: the lock, when things go wrong", () => {
  it("says which call failed when the lock table is missing (the stack not applied), and creates nothing", async () => {
    const error = await failure(release(aws.ctx, { ...t, lockTableName: "no-such-table" }));
    expect(error.message).toBe(
      "DynamoDB PutItem (deploy lock) failed: ResourceNotFoundException: Requested resource not found (check that the stack has been applied (pulumi up) in this account and ap-northeast-1)",
    );
    expect(aws.codedeploy.calls()).toHaveLength(0);
  });

  it("keeps no hold period when someone unlocked during the release (the lock is theirs to give)", async () => {
    deploymentPolls(aws, SUCCESSFUL);
    aws.codedeploy.on(CreateDeploymentCommand).callsFake(async () => {
      await runReleaseCommand(aws.ctx, "unlock", t, { progress: () => undefined, result: () => undefined }, false);
      return { deploymentId: "d-NEW" };
    });
    await release(aws.ctx, { ...t, holdMinutes: 15 });
    expect(aws.lines).toContain("lock: released by someone else during the release; no hold period");
    expect(await lockItem(db.client, t.lockTableName)).toBeUndefined();
  });

  it.each([
    ["UpdateItem", UpdateItemCommand, 15],
    ["DeleteItem", DeleteItemCommand, 0],
  ] as const)("says which call failed when DynamoDB refuses the lock's %s at the end of a release", async (operation, command, holdMinutes) => {
    deploymentPolls(aws, SUCCESSFUL);
    // DynamoDB as it is, but for one call that fails the way a throttled or denied one does.
    const failing = refusing(db.client, (c) => c instanceof command);
    const error = await failure(release({ ...aws.ctx, clients: { ...aws.ctx.clients, dynamodb: failing } }, { ...t, holdMinutes }));
    expect(error.message).toBe(
      `DynamoDB ${operation} (deploy lock) failed: ThrottlingException: Rate exceeded (AWS is throttling this account; the SDK already retried: wait a minute and run it again)`,
    );
  });

  it.each([
    ["status", "GetItem", GetItemCommand],
    ["unlock", "DeleteItem", DeleteItemCommand],
  ] as const)("%s says which call failed when DynamoDB refuses its %s", async (command, operation, refused) => {
    const failing = refusing(db.client, (c) => c instanceof refused);
    const progress: string[] = [];
    const io = { progress: (line: string) => progress.push(line), result: () => undefined };
    expect(await runReleaseCommand({ ...aws.ctx, clients: { ...aws.ctx.clients, dynamodb: failing } }, command, t, io, false)).toBe(1);
    expect(progress).toEqual([
      `error: DynamoDB ${operation} (deploy lock) failed: ThrottlingException: Rate exceeded (AWS is throttling this account; the SDK already retried: wait a minute and run it again)`,
    ]);
  });

  it("says the lock is released only when it released it (not when someone unlocked during the release)", async () => {
    deploymentPolls(aws, SUCCESSFUL);
    aws.codedeploy.on(CreateDeploymentCommand).callsFake(async () => {
      await runReleaseCommand(aws.ctx, "unlock", t, { progress: () => undefined, result: () => undefined }, false);
      return { deploymentId: "d-NEW" };
    });
    await release(aws.ctx, { ...t, holdMinutes: 0 });
    expect(aws.lines.filter((l) => l.includes("lock released"))).toEqual([]);
    deploymentPolls(aws, SUCCESSFUL);
    aws.codedeploy.on(CreateDeploymentCommand).resolves({ deploymentId: "d-NEXT" });
    await release(aws.ctx, { ...t, holdMinutes: 0 });
    expect(aws.lines.filter((l) => l.includes("lock released"))).toHaveLength(1);
  });

  it("status asked from chat (announce) goes to the release topic as printed; by hand it publishes nothing", async () => {
    const out: string[] = [];
    const io = { progress: () => undefined, result: (l: string) => out.push(l) };
    expect(await runReleaseCommand(aws.ctx, "status", t, io, false)).toBe(0);
    expect(aws.events()).toEqual([]);
    expect(await runReleaseCommand(aws.ctx, "status", t, io, false, undefined, undefined, true)).toBe(0);
    const [published] = aws.sns.commandCalls(PublishCommand).map((c) => JSON.parse(c.args[0].input.Message!) as { event: string; reason: string });
    expect(published).toMatchObject({ event: "status", reason: out[1] });
    expect(aws.lines.filter((l) => l.startsWith("notified"))).toEqual([]);
  });

  it("status calls an expired lock free (TTL deletes it later)", async () => {
    await putLock(
      db.client,
      { owner: "bob@ci", release: LIVE, state: "holding", since: "2026-11-29T05:00:00.000Z", until: new Date("2026-11-29T05:59:59Z") },
      t.lockTableName,
    );
    const out: string[] = [];
    expect(await runReleaseCommand(aws.ctx, "status", t, { progress: () => undefined, result: (l) => out.push(l) }, false)).toBe(0);
    expect(out[0]).toContain("  lock:                 free");
  });
});

describe("release: checks before anything moves", () => {
  it("refuses while a deployment of the group is active, naming it and the rollback command, and frees the lock", async () => {
    aws.codedeploy.on(ListDeploymentsCommand).resolves({ deployments: ["d-OTHER"] });
    aws.codedeploy.on(GetDeploymentCommand, { deploymentId: "d-OTHER" }).resolves({ deploymentInfo: { status: "InProgress", creator: "user" } });
    const error = await failure(release(aws.ctx, t));
    expect(error.message).toBe(
      "deployment d-OTHER of stg/web is InProgress (created by user): wait for it (https://ap-northeast-1.console.aws.amazon.com/codesuite/codedeploy/deployments/d-OTHER?region=ap-northeast-1) or roll it back: npm run release:rollback -- stg web",
    );
    expect(aws.codedeploy.commandCalls(ListDeploymentsCommand)[0]!.args[0].input.includeOnlyStatuses).toEqual([
      "Created",
      "Queued",
      "InProgress",
      "Ready",
      "Baking",
    ]);
    expect(aws.codedeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(0);
    expect(await lockItem(db.client, t.lockTableName)).toBeUndefined();
  });

  it("an image never pushed: stops before anything starts (no task, no deployment), frees the lock, names the check", async () => {
    aws.account.repositories.set("222222222222/shop-web", ["2026.11.20-1"]);
    const error = await failure(release(aws.ctx, { ...t, migration: { command: ["bin/rails", "db:migrate"], timeoutMinutes: 20 } }));
    expect(error.message).toBe(
      "preflight of arn:aws:ecs:ap-northeast-1:222222222222:task-definition/shop-stg-web:42 failed, nothing was started: MISSING container app image: 222222222222.dkr.ecr.ap-northeast-1.amazonaws.com/shop-web:2026.12.01-1: 2026.12.01-1 is not in shop-web (push it before releasing) (npm run verify -- stg lists every check)",
    );
    expect(aws.ecs.commandCalls(RunTaskCommand)).toHaveLength(0);
    expect(aws.codedeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(0);
    expect(await lockItem(db.client, t.lockTableName)).toBeUndefined();
    expect(aws.events()).toEqual(["failed"]);
  });

  it("the execution role may not read a secret: stops before anything starts, naming the role and the secret", async () => {
    aws.account.roles.set(
      "arn:aws:iam::222222222222:role/web-task-execution-role-5dfe51b",
      new Set(["ecr:BatchGetImage arn:aws:ecr:ap-northeast-1:222222222222:repository/shop-web"]),
    );
    const error = await failure(release(aws.ctx, t));
    expect(error.message).toMatch(
      /failed, nothing was started: DENIED container app secret DATABASE_URL: the execution role .* may not secretsmanager:GetSecretValue .*database-url-AbC123 \(implicitDeny\)/,
    );
    expect(aws.codedeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(0);
  });

  it("the tasks given a public subnet: stops before anything starts, naming the subnet and what to give instead", async () => {
    const error = await failure(
      release(aws.ctx, { ...t, subnetIds: ["subnet-a", "subnet-p"], migration: { command: ["bin/rails", "db:migrate"], timeoutMinutes: 20 } }),
    );
    expect(error.message).toBe(
      `preflight of ${NEW} failed, nothing was started: WRONG task subnets: the tasks are in public subnet(s) subnet-p (0.0.0.0/0 to igw-vpc-1): they get no public IP, so they cannot pull their image or reach the internet; give the private subnets (the SRE stack's privateSubnetIds) (npm run verify -- stg lists every check)`,
    );
    expect(aws.ecs.commandCalls(RunTaskCommand)).toHaveLength(0);
    expect(aws.codedeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(0);
    expect(await lockItem(db.client, t.lockTableName)).toBeUndefined();
  });

  it("an internet-facing load balancer in private subnets: stops before anything starts, naming it (found through the service's target group)", async () => {
    const [arn, lb] = [...aws.account.loadBalancers][0]!;
    aws.account.loadBalancers.set(arn, { ...lb, subnetIds: ["subnet-a", "subnet-c"] });
    const error = await failure(release(aws.ctx, t));
    expect(error.message).toBe(
      `preflight of ${NEW} failed, nothing was started: WRONG load balancer subnets: load balancer web-vpc-1 is internet-facing but subnet(s) subnet-a, subnet-c have no route to an internet gateway: nobody can reach it there; give the public subnets (the SRE stack's publicSubnetIds) (npm run verify -- stg lists every check)`,
    );
    expect(aws.codedeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(0);
  });

  it("does nothing but say so when the revision is already live", async () => {
    const result = await release(aws.ctx, { ...t, taskDefinitionArn: LIVE });
    expect(result.outcome).toBe("already live");
    expect(aws.codedeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(0);
    expect(aws.lines.at(-2)).toBe(`${LIVE} is already live: nothing to deploy`);
    expect(aws.lines.at(-1)).toBe("lock released");
  });

  it("names every failing check of the preflight, one after the other", async () => {
    aws.account.repositories.set("222222222222/shop-web", ["2026.11.20-1"]);
    aws.account.secrets.delete(DB_SECRET);
    const error = await failure(release(aws.ctx, t));
    expect(error.message).toBe(
      `preflight of ${NEW} failed, nothing was started: MISSING container app image: 222222222222.dkr.ecr.ap-northeast-1.amazonaws.com/shop-web:2026.12.01-1: 2026.12.01-1 is not in shop-web (push it before releasing); MISSING container app secret DATABASE_URL: ${DB_SECRET}: no such secret (npm run verify -- stg lists every check)`,
    );
  });

  it("says which call failed when the new revision cannot be read", async () => {
    aws.ecs
      .on(DescribeTaskDefinitionCommand)
      .rejects(Object.assign(new Error("Unable to describe task definition."), { name: "ClientException", $metadata: { httpStatusCode: 400 } }));
    const error = await failure(release(aws.ctx, t));
    expect(error.message).toBe(
      "ECS DescribeTaskDefinition failed: ClientException: Unable to describe task definition. (check the stack's account and region (ap-northeast-1), and AWS_ENDPOINT_URL if you set it)",
    );
    expect(await lockItem(db.client, t.lockTableName)).toBeUndefined();
  });
});

describe("release: the migration", () => {
  const migration = { command: ["bundle", "exec", "rails", "db:migrate"], timeoutMinutes: 10 };

  it("runs first, as a one-off task of the new revision in the service's network, then deploys", async () => {
    taskRuns(aws, 0);
    deploymentPolls(aws, SUCCESSFUL);
    await release(aws.ctx, { ...t, migration });
    expect(aws.ecs.commandCalls(RunTaskCommand)[0]!.args[0].input).toMatchObject({
      cluster: "shop-stg",
      taskDefinition: NEW,
      startedBy: "release/migration/alice-laptop",
      networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-a", "subnet-c"], securityGroups: ["sg-web"], assignPublicIp: "DISABLED" } },
      overrides: { containerOverrides: [{ name: "app", command: ["bundle", "exec", "rails", "db:migrate"] }] },
    });
    expect(aws.lines.slice(0, 7)).toEqual([
      "lock taken by alice@laptop until 2026-11-29T07:12:00.000Z",
      "preflight: 7 checks: 7 ok, 0 MISSING, 0 WRONG, 0 DENIED, 0 not checked",
      "notified: started",
      `migration: started ${TASK} (bundle exec rails db:migrate)`,
      "migration: PROVISIONING",
      "migration: RUNNING",
      "migration: STOPPED",
    ]);
    expect(aws.codedeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(1);
  });

  it("stops the release when the migration exits 1: no deployment, the exit code and the logs, lock freed, failure notified", async () => {
    taskRuns(aws, 1);
    const error = await failure(release(aws.ctx, { ...t, migration }));
    expect(error.message).toBe(`migration exited 1 (${TASK}); log group web-task-logs, stream app/app/0123456789abcdef`);
    expect(aws.codedeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(0);
    expect(await lockItem(db.client, t.lockTableName)).toBeUndefined();
    expect(aws.events()).toEqual(["started", "failed"]);
    // The failure's notification says why, in the same words as the tool.
    const failed = aws.sns.commandCalls(PublishCommand).at(-1)!.args[0].input;
    expect(JSON.parse(failed.Message!)).toMatchObject({ event: "failed", reason: error.message });
  });

  it("stops the release when the migration task cannot start, with ECS's reason", async () => {
    aws.ecs.on(RunTaskCommand).resolves({ tasks: [], failures: [{ reason: "RESOURCE:ENI", detail: "no free IP in subnet-a" }] });
    const error = await failure(release(aws.ctx, { ...t, migration }));
    expect(error.message).toBe("migration could not start: RESOURCE:ENI (no free IP in subnet-a)");
    expect(aws.codedeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(0);
  });

  it("stops the release when the migration never ran (image not pulled), with the stop reason", async () => {
    taskRuns(aws, undefined, "CannotPullContainerError: pull image manifest has been retried 5 time(s)");
    const error = await failure(release(aws.ctx, { ...t, migration }));
    expect(error.message).toBe(
      `migration never ran: CannotPullContainerError: pull image manifest has been retried 5 time(s) (${TASK}); log group web-task-logs, stream app/app/0123456789abcdef`,
    );
  });

  it("stops the migration task at its timeout and the release with it", async () => {
    aws.ecs.on(RunTaskCommand).resolves({ tasks: [{ taskArn: TASK }] });
    aws.ecs.on(StopTaskCommand).resolves({});
    aws.ecs.on(DescribeTasksCommand).resolves({ tasks: [{ lastStatus: "RUNNING" }] });
    const error = await failure(release(aws.ctx, { ...t, migration: { ...migration, timeoutMinutes: 1 } }));
    expect(error.message).toBe(`migration timed out after 1 min and was stopped (${TASK}); log group web-task-logs, stream app/app/0123456789abcdef`);
    expect(aws.ecs.commandCalls(StopTaskCommand)[0]!.args[0].input).toEqual({ cluster: "shop-stg", task: TASK, reason: "migration timed out after 1 min" });
    expect(aws.codedeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(0);
  });
});

describe("release: the deployment", () => {
  it("creates it with an AppSpec of the new revision and prints a line per change until success", async () => {
    deploymentPolls(aws, SUCCESSFUL);
    await release(aws.ctx, t);
    const input = aws.codedeploy.commandCalls(CreateDeploymentCommand)[0]!.args[0].input;
    expect(input).toMatchObject({
      applicationName: "web-app-d723ebe",
      deploymentGroupName: "shop-stg-web",
      revision: { revisionType: "AppSpecContent" },
      description: "222222222222.dkr.ecr.ap-northeast-1.amazonaws.com/shop-web:2026.12.01-1 by alice@laptop",
    });
    expect(JSON.parse(input.revision!.appSpecContent!.content!)).toEqual({
      version: 1,
      Resources: [
        {
          TargetService: {
            Type: "AWS::ECS::Service",
            Properties: {
              TaskDefinition: NEW,
              LoadBalancerInfo: { ContainerName: "app", ContainerPort: 8080 },
              PlatformVersion: "LATEST",
              NetworkConfiguration: { AwsvpcConfiguration: { Subnets: ["subnet-a", "subnet-c"], SecurityGroups: ["sg-web"], AssignPublicIp: "DISABLED" } },
              CapacityProviderStrategy: [{ CapacityProvider: "FARGATE", Weight: 1, Base: 0 }],
            },
          },
        },
      ],
    });
    expect(aws.lines).toEqual([
      "lock taken by alice@laptop until 2026-11-29T07:02:00.000Z",
      "preflight: 7 checks: 7 ok, 0 MISSING, 0 WRONG, 0 DENIED, 0 not checked",
      "notified: started",
      "lock taken by alice@laptop until 2026-11-29T07:02:00.000Z",
      `deployment d-NEW created: ${LIVE} -> ${NEW} (${LINK})`,
      "deployment d-NEW: InProgress",
      ...["BeforeInstall: InProgress", "Install: Pending", "AfterInstall: Pending", "BeforeAllowTestTraffic: Pending", "AllowTestTraffic: Pending"].map(
        (l) => `  ${l}`,
      ),
      ...["AfterAllowTestTraffic: Pending", "BeforeAllowTraffic: Pending", "AllowTraffic: Pending", "AfterAllowTraffic: Pending"].map((l) => `  ${l}`),
      "  production traffic on the replacement tasks: 0 %",
      ...["BeforeInstall", "Install", "AfterInstall", "BeforeAllowTestTraffic", "AllowTestTraffic", "AfterAllowTestTraffic", "BeforeAllowTraffic"].map(
        (e) => `  ${e}: Succeeded`,
      ),
      "  AllowTraffic: InProgress",
      "  AllowTraffic: Succeeded",
      "  AfterAllowTraffic: Succeeded",
      "  production traffic on the replacement tasks: 100 %",
      "notified: switched",
      "  old tasks kept for a rollback until 2026-11-29T06:03:00.000Z (termination wait 2 min)",
      "deployment d-NEW: Succeeded",
      "notified: succeeded",
      "lock released",
    ]);
    expect(aws.events()).toEqual(["started", "switched", "succeeded"]);
  });

  it("reports CodeDeploy's reason when it fails, and that it rolled back", async () => {
    deploymentPolls(aws, [
      { status: "InProgress", events: { BeforeInstall: "InProgress" } },
      {
        status: "Failed",
        error: { code: "ECS_UPDATE_ERROR", message: "The ECS service cannot be updated due to an unexpected error" },
        rollbackId: "d-ROLLBACK",
      },
    ]);
    const error = await failure(release(aws.ctx, t));
    expect(error.message).toBe(
      `deployment d-NEW failed: ECS_UPDATE_ERROR: The ECS service cannot be updated due to an unexpected error; CodeDeploy rolled back: production traffic is on the previous tasks (${LINK})`,
    );
    expect(aws.events()).toEqual(["started", "rolled back"]);
    expect(published("rolled back")).toMatchObject({
      deploymentId: "d-NEW",
      reason: expect.stringContaining("ECS_UPDATE_ERROR: The ECS service cannot be updated") as string,
    });
    expect(await lockItem(db.client, t.lockTableName)).toBeUndefined();
  });

  it("reports a deployment someone stopped", async () => {
    deploymentPolls(aws, [{ status: "Stopped", error: { code: "MANUAL_STOP", message: "Stopped by user" } }]);
    const error = await failure(release(aws.ctx, t));
    expect(error.message).toBe(
      `deployment d-NEW stopped: MANUAL_STOP: Stopped by user; CodeDeploy rolled back: production traffic is on the previous tasks (${LINK})`,
    );
  });

  it("gives up waiting at the timeout, says that the deployment goes on, and how to watch or roll back", async () => {
    deploymentPolls(aws, [{ status: "InProgress", events: { Install: "InProgress" } }]);
    const error = await failure(release(aws.ctx, { ...t, timeoutMinutes: 1 }));
    expect(error.message).toBe(
      `deployment d-NEW is still InProgress after 1 min; it goes on in CodeDeploy (${LINK}): watch it with npm run release:status -- stg web, or roll it back: npm run release:rollback -- stg web`,
    );
    expect(aws.events()).toEqual(["started", "failed"]);
    // Polls every 15 s from the start; the one at the deadline itself is the last.
    expect(aws.codedeploy.commandCalls(GetDeploymentCommand)).toHaveLength(5);
  });

  it("with waitFor switched, returns once production traffic is on the new tasks", async () => {
    deploymentPolls(aws, SUCCESSFUL);
    const result = await release(aws.ctx, { ...t, waitFor: "switched" });
    expect(result.outcome).toBe("switched");
    expect(aws.codedeploy.commandCalls(GetDeploymentCommand)).toHaveLength(3);
    expect(aws.events()).toEqual(["started", "switched"]);
  });

  it("a first release, the service running nothing yet, deploys from nothing", async () => {
    aws.ecs.on(DescribeServicesCommand).resolves({ services: [{ status: "ACTIVE", taskSets: [] }] });
    deploymentPolls(aws, SUCCESSFUL);
    expect(await release(aws.ctx, t)).toMatchObject({ outcome: "released", taskDefinitionArn: NEW });
    expect(aws.lines).toContain(`deployment d-NEW created: nothing -> ${NEW} (${LINK})`);
  });

  it("a failure CodeDeploy did not roll back (automatic rollback off) does not say it rolled back", async () => {
    deploymentPolls(aws, [{ status: "Failed", error: { code: "TIMEOUT", message: "Deployment timed out" } }]);
    expect((await failure(release(aws.ctx, t))).message).toBe(`deployment d-NEW failed: TIMEOUT: Deployment timed out (${LINK})`);
    expect(aws.events()).toEqual(["started", "failed"]);
  });

  it("says nothing of the traffic in a look without the deployment's targets", async () => {
    aws.codedeploy
      .on(ListDeploymentTargetsCommand)
      .resolvesOnce({ targetIds: ["shop-stg:shop-stg-web"] })
      .resolves({ targetIds: [] });
    deploymentPolls(aws, [{ status: "InProgress", green: 0 }, { status: "Succeeded" }]);
    await release(aws.ctx, t);
    expect(aws.lines.filter((l) => l.includes("production traffic"))).toEqual(["  production traffic on the replacement tasks: 0 %"]);
  });

  it("a deployment first seen succeeded (its targets not listed) is switched and succeeded; no termination wait is left", async () => {
    aws.codedeploy.on(ListDeploymentTargetsCommand).resolves({ targetIds: [] });
    deploymentPolls(aws, [{ status: "Succeeded" }]);
    expect((await release(aws.ctx, t)).outcome).toBe("released");
    expect(aws.events()).toEqual(["started", "switched", "succeeded"]);
    expect(aws.lines.slice(-4)).toEqual(["deployment d-NEW: Succeeded", "notified: switched", "notified: succeeded", "lock released"]);
  });
});

describe("release: the service as ECS describes it", () => {
  it.each([
    ["inactive (deleted)", { services: [{ status: "INACTIVE" }] }, "INACTIVE"],
    [
      "missing, as ECS says",
      { services: [], failures: [{ arn: "arn:aws:ecs:ap-northeast-1:222222222222:service/shop-stg/shop-stg-web", reason: "MISSING" }] },
      "MISSING",
    ],
    ["missing, ECS saying nothing", { services: [] }, "MISSING"],
  ])("%s: refused, naming the service, the cluster and what to apply", async (_name, answer, reason) => {
    aws.ecs.on(DescribeServicesCommand).resolves(answer);
    expect((await failure(release(aws.ctx, t))).message).toBe(
      `service shop-stg-web of cluster shop-stg is ${reason} in ap-northeast-1: apply the stack first (pulumi up -s stg)`,
    );
  });

  it("production runs the PRIMARY task set's revision, wherever ECS lists it", async () => {
    aws.ecs.on(DescribeServicesCommand).resolves({
      services: [
        {
          status: "ACTIVE",
          taskSets: [
            { status: "ACTIVE", taskDefinition: NEW },
            { status: "PRIMARY", taskDefinition: LIVE },
          ],
        },
      ],
    });
    deploymentPolls(aws, SUCCESSFUL);
    expect(await release(aws.ctx, t)).toMatchObject({ outcome: "released", taskDefinitionArn: NEW });
    expect(aws.lines).toContain(`deployment d-NEW created: ${LIVE} -> ${NEW} (${LINK})`);
  });
});

describe("release: the notification", () => {
  it("has a subject SNS takes: printable ASCII, at most 100 characters", () => {
    const { subject } = notification(aws.ctx, { ...t, service: `wéb-${"x".repeat(120)}` }, "started", {});
    expect(subject).toBe(`[stg] w?b-${"x".repeat(90)}`);
  });
});

describe("release: an AWS call refused", () => {
  const denied = (operation: string) =>
    Object.assign(new Error(`User: arn:aws:sts::222222222222:assumed-role/dev/alice is not authorized to perform: ${operation}`), {
      name: "AccessDeniedException",
      $metadata: { httpStatusCode: 400 },
    });
  const migration = { command: ["bin/rails", "db:migrate"], timeoutMinutes: 1 };
  const rollbackNow = () => rollback(aws.ctx, t);

  // Each call of a release, a migration and a rollback, refused in turn: the error line names it.
  it.each([
    ["ECS DescribeServices", () => aws.ecs.on(DescribeServicesCommand).rejects(denied("ecs:DescribeServices")), () => release(aws.ctx, t)],
    ["CodeDeploy CreateDeployment", () => aws.codedeploy.on(CreateDeploymentCommand).rejects(denied("codedeploy:CreateDeployment")), () => release(aws.ctx, t)],
    ["CodeDeploy GetDeployment", () => aws.codedeploy.on(GetDeploymentCommand).rejects(denied("codedeploy:GetDeployment")), () => release(aws.ctx, t)],
    [
      "CodeDeploy ListDeploymentTargets",
      () => aws.codedeploy.on(ListDeploymentTargetsCommand).rejects(denied("codedeploy:ListDeploymentTargets")),
      () => release(aws.ctx, t),
    ],
    [
      "CodeDeploy GetDeploymentTarget",
      () => aws.codedeploy.on(GetDeploymentTargetCommand).rejects(denied("codedeploy:GetDeploymentTarget")),
      () => release(aws.ctx, t),
    ],
    [
      "CodeDeploy GetDeployment",
      () => {
        aws.codedeploy.on(ListDeploymentsCommand).resolves({ deployments: ["d-OTHER"] });
        aws.codedeploy.on(GetDeploymentCommand).rejects(denied("codedeploy:GetDeployment"));
      },
      () => release(aws.ctx, t),
    ],
    [
      "ECS DescribeTasks",
      () => {
        aws.ecs.on(RunTaskCommand).resolves({ tasks: [{ taskArn: TASK }] });
        aws.ecs.on(DescribeTasksCommand).rejects(denied("ecs:DescribeTasks"));
      },
      () => release(aws.ctx, { ...t, migration }),
    ],
    [
      "ECS StopTask",
      () => {
        aws.ecs.on(RunTaskCommand).resolves({ tasks: [{ taskArn: TASK }] });
        aws.ecs.on(DescribeTasksCommand).resolves({ tasks: [{ lastStatus: "RUNNING" }] });
        aws.ecs.on(StopTaskCommand).rejects(denied("ecs:StopTask"));
      },
      () => release(aws.ctx, { ...t, migration }),
    ],
    [
      "CodeDeploy StopDeployment",
      () => {
        aws.codedeploy.on(ListDeploymentsCommand).resolves({ deployments: ["d-NEW"] });
        deploymentPolls(aws, [{ status: "InProgress", events: { AllowTraffic: "Succeeded" }, green: 100 }]);
        aws.codedeploy.on(StopDeploymentCommand).rejects(denied("codedeploy:StopDeployment"));
      },
      rollbackNow,
    ],
  ] as const)("%s", async (operation, refuse, run) => {
    deploymentPolls(aws, SUCCESSFUL);
    refuse();
    const error = await failure(run());
    expect(error.message).toMatch(new RegExp(`^${operation} failed: AccessDeniedException: User: .* is not authorized to perform: `));
    // A release's failure reaches the channel in the same words; a rollback that could not stop notifies nothing.
    expect(published("failed")?.reason).toBe(run === rollbackNow ? undefined : error.message);
  });
});

describe("release: the post-release command", () => {
  const postRelease = { command: ["bin/rails", "cache:clear"], timeoutMinutes: 5 };

  it("runs once production traffic has moved, never before", async () => {
    taskRuns(aws, 0);
    deploymentPolls(aws, SUCCESSFUL);
    await release(aws.ctx, { ...t, postRelease });
    const switched = aws.lines.indexOf("  production traffic on the replacement tasks: 100 %");
    const started = aws.lines.findIndex((l) => l.startsWith("post-release command: started"));
    expect(switched).toBeGreaterThan(0);
    expect(started).toBeGreaterThan(switched);
    expect(aws.ecs.commandCalls(RunTaskCommand)).toHaveLength(1);
    expect(aws.ecs.commandCalls(RunTaskCommand)[0]!.args[0].input.overrides!.containerOverrides![0]!.command).toEqual(["bin/rails", "cache:clear"]);
  });

  it("reports its failure: the release stands, the command failed, the channel hears it", async () => {
    taskRuns(aws, 3);
    deploymentPolls(aws, SUCCESSFUL);
    const error = await failure(release(aws.ctx, { ...t, postRelease }));
    expect(error.message).toBe(
      `released (production traffic is on ${NEW}), but post-release command exited 3 (${TASK}); log group web-task-logs, stream app/app/0123456789abcdef`,
    );
    expect(aws.events()).toEqual(["started", "switched", "post-release failed"]);
    expect(published("switched")).toMatchObject({ deploymentId: "d-NEW" });
    expect(published("post-release failed")).toMatchObject({
      deploymentId: "d-NEW",
      reason: expect.stringContaining("post-release command exited 3") as string,
    });
  });
});

describe("release: the lock's length", () => {
  it("covers every step a release may take: migration, deployment, termination wait, post-release, 30 minutes to spare", () => {
    const base = { ...t, timeoutMinutes: 60, terminationWaitMinutes: 2 };
    expect(lockMinutes(base)).toBe(60 + 2 + 30);
    expect(lockMinutes({ ...base, migration: { command: ["m"], timeoutMinutes: 10 }, postRelease: { command: ["p"], timeoutMinutes: 5 } })).toBe(
      10 + 5 + 60 + 2 + 30,
    );
  });

  it("with blue/green workers, also the idle colour's start and each group's drain", () => {
    const coloured = colourTarget("locks");
    const drains = coloured.colours!.groups.reduce((sum, g) => sum + g.drain.timeoutMinutes, 0);
    expect(drains).toBeGreaterThan(0);
    expect(lockMinutes(coloured)).toBe(coloured.timeoutMinutes + coloured.terminationWaitMinutes + 30 + coloured.timeoutMinutes + drains);
  });
});

describe("release: notifications", () => {
  it("publishes each event with the stack, service, image, who and the deployment link", async () => {
    deploymentPolls(aws, SUCCESSFUL);
    await release(aws.ctx, t);
    const calls = aws.sns.commandCalls(PublishCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => c.Subject)).toEqual(["[stg] web release started", "[stg] web release switched", "[stg] web release succeeded"]);
    expect(calls.every((c) => c.TopicArn === t.topicArn)).toBe(true);
    expect(JSON.parse(calls[2]!.Message!)).toEqual({
      event: "succeeded",
      stack: "stg",
      service: "web",
      image: t.image,
      taskDefinition: NEW,
      who: "alice@laptop",
      at: "2026-11-29T06:00:45.000Z",
      deploymentId: "d-NEW",
      link: LINK,
    });
  });

  it("never fails a release because a notification could not be sent", async () => {
    aws.sns
      .on(PublishCommand)
      .rejects(Object.assign(new Error("User is not authorized to perform SNS:Publish"), { name: "AuthorizationErrorException", $metadata: {} }));
    deploymentPolls(aws, SUCCESSFUL);
    expect((await release(aws.ctx, t)).outcome).toBe("released");
    expect(aws.lines).toContain(
      'notification "started" not sent: SNS Publish failed: AuthorizationErrorException: User is not authorized to perform SNS:Publish (check the stack\'s account and region (ap-northeast-1), and AWS_ENDPOINT_URL if you set it)',
    );
  });
});

describe("rollback", () => {
  it("during the termination wait: stops the deployment with rollback, traffic back at once", async () => {
    aws.codedeploy.on(ListDeploymentsCommand).resolves({ deployments: ["d-NEW"] });
    deploymentPolls(aws, [{ status: "InProgress", events: { AllowTraffic: "Succeeded" }, green: 100 }]);
    aws.codedeploy.on(StopDeploymentCommand).resolves({ status: "Pending", statusMessage: "Stopping Pending. Stopping to deployment d-NEW" });
    const result = await rollback(aws.ctx, t);
    expect(result).toEqual({ outcome: "stopped", deploymentId: "d-NEW", status: "InProgress" });
    expect(aws.codedeploy.commandCalls(StopDeploymentCommand)[0]!.args[0].input).toEqual({ deploymentId: "d-NEW", autoRollbackEnabled: true });
    expect(aws.events()).toEqual(["rolled back"]);
    expect(published("rolled back")).toMatchObject({ deploymentId: "d-NEW", reason: "stopped by alice@laptop" });
    expect(aws.lines).toEqual([
      "deployment d-NEW is InProgress: stopping it with rollback",
      "deployment d-NEW: Pending: Stopping Pending. Stopping to deployment d-NEW",
      "notified: rolled back",
    ]);
  });

  it("after the release has finished: deploys the previous revision, without the migration", async () => {
    aws.ecs.on(DescribeServicesCommand).resolves({ services: [{ status: "ACTIVE", taskSets: [{ status: "PRIMARY", taskDefinition: NEW }] }] });
    deploymentPolls(aws, SUCCESSFUL);
    const result = await rollback(aws.ctx, { ...t, migration: { command: ["db:migrate"], timeoutMinutes: 5 } });
    expect(result).toMatchObject({ outcome: "released", taskDefinitionArn: LIVE, rolledBackFrom: NEW });
    expect(aws.ecs.commandCalls(RunTaskCommand)).toHaveLength(0);
    expect(JSON.parse(aws.codedeploy.commandCalls(CreateDeploymentCommand)[0]!.args[0].input.revision!.appSpecContent!.content!)).toMatchObject({
      Resources: [{ TargetService: { Properties: { TaskDefinition: LIVE } } }],
    });
    expect(aws.lines[0]).toBe(`no deployment in progress: releasing the previous revision ${LIVE} (live: ${NEW})`);
  });

  it("in the hold period after that release: takes the lock (the hold keeps the next release out, not the way back), saying so", async () => {
    await putLock(
      db.client,
      { owner: "bob@ci", release: NEW, state: "holding", since: "2026-11-29T05:40:00.000Z", until: new Date("2026-11-29T06:10:00Z") },
      t.lockTableName,
    );
    aws.ecs.on(DescribeServicesCommand).resolves({ services: [{ status: "ACTIVE", taskSets: [{ status: "PRIMARY", taskDefinition: NEW }] }] });
    deploymentPolls(aws, SUCCESSFUL);
    const result = await rollback(aws.ctx, t);
    expect(result).toMatchObject({ outcome: "released", taskDefinitionArn: LIVE, rolledBackFrom: NEW });
    expect(aws.lines).toContain(`the hold period after the release of ${NEW} by bob@ci (until 2026-11-29T06:10:00.000Z) ends: a rollback is not held`);
    // A release in the hold period is still refused.
    await putLock(
      db.client,
      { owner: "bob@ci", release: NEW, state: "holding", since: "2026-11-29T05:40:00.000Z", until: new Date("2026-11-29T06:10:00Z") },
      t.lockTableName,
    );
    expect((await failure(release(aws.ctx, t))).message).toMatch(/^stg\/web is locked in the hold period after the release of /);
  });

  it("while a release runs: refused as any release is, nothing deployed", async () => {
    await putLock(
      db.client,
      { owner: "bob@ci", release: NEW, state: "releasing", since: "2026-11-29T05:55:00.000Z", until: new Date("2026-11-29T06:40:00Z") },
      t.lockTableName,
    );
    aws.ecs.on(DescribeServicesCommand).resolves({ services: [{ status: "ACTIVE", taskSets: [{ status: "PRIMARY", taskDefinition: NEW }] }] });
    expect((await failure(rollback(aws.ctx, t))).message).toBe(
      `stg/web is locked by bob@ci, releasing ${NEW} since 2026-11-29T05:55:00.000Z; the next release may go after 2026-11-29T06:40:00.000Z, or unlock it: ${UNLOCK}`,
    );
    expect(aws.codedeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(0);
  });

  it("refuses a service that runs nothing yet: there is nothing to roll back", async () => {
    aws.ecs.on(DescribeServicesCommand).resolves({ services: [{ status: "ACTIVE", taskSets: [] }] });
    expect((await failure(rollback(aws.ctx, t))).message).toBe("stg/web runs no task definition yet: nothing to roll back");
  });

  it("refuses a previous revision deregistered or being deleted, with the image to set instead; says which call failed when it cannot be read", async () => {
    aws.ecs.on(DescribeServicesCommand).resolves({ services: [{ status: "ACTIVE", taskSets: [{ status: "PRIMARY", taskDefinition: NEW }] }] });
    const image = "222222222222.dkr.ecr.ap-northeast-1.amazonaws.com/shop-web:2026.11.19-3";
    aws.ecs.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: { status: "INACTIVE", containerDefinitions: [{ name: "app", image }] } });
    expect((await failure(rollback(aws.ctx, t))).message).toBe(
      `${LIVE} is INACTIVE (deregistered): ECS starts no task from it; to roll back to its code, set infra:image to ${image} and pulumi up -s stg`,
    );
    aws.ecs.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: { status: "DELETE_IN_PROGRESS" } });
    expect((await failure(rollback(aws.ctx, t))).message).toBe(
      `${LIVE} is being deleted: ECS starts no task from it; to roll back to its code, set infra:image to the tag it ran and pulumi up -s stg`,
    );
    expect(aws.codedeploy.commandCalls(CreateDeploymentCommand)).toHaveLength(0);
    aws.ecs
      .on(DescribeTaskDefinitionCommand)
      .rejects(Object.assign(new Error("Unable to describe task definition."), { name: "ClientException", $metadata: {} }));
    expect((await failure(rollback(aws.ctx, t))).message).toMatch(/^ECS DescribeTaskDefinition failed: ClientException: /);
  });

  it("refuses a revision 1: there is nothing before it", async () => {
    aws.ecs
      .on(DescribeServicesCommand)
      .resolves({ services: [{ status: "ACTIVE", taskSets: [{ status: "PRIMARY", taskDefinition: NEW.replace(/:42$/, ":1") }] }] });
    const error = await failure(rollback(aws.ctx, t));
    expect(error.message).toBe(`${NEW.replace(/:42$/, ":1")} has no previous revision to roll back to`);
  });
});

describe("unlock and status, as the command prints them", () => {
  const io = () => {
    const out = { progress: [] as string[], result: [] as string[] };
    return { out, io: { progress: (l: string) => out.progress.push(l), result: (l: string) => out.result.push(l) } };
  };

  it("unlock removes whoever's lock and says whose it was", async () => {
    await putLock(
      db.client,
      { owner: "bob@ci", release: LIVE, state: "holding", since: "2026-11-29T05:40:00.000Z", until: new Date("2026-11-29T06:10:00Z") },
      t.lockTableName,
    );
    const { out, io: sink } = io();
    expect(await runReleaseCommand(aws.ctx, "unlock", t, sink, false)).toBe(0);
    expect(out.result).toEqual(["unlocked stg/web (was holding by bob@ci until 2026-11-29T06:10:00.000Z)"]);
    expect(await lockItem(db.client, t.lockTableName)).toBeUndefined();
  });

  it("status shows the live revision and target group, the deployment, the lock", async () => {
    await putLock(
      db.client,
      { owner: "bob@ci", release: LIVE, state: "holding", since: "2026-11-29T05:40:00.000Z", until: new Date("2026-11-29T06:10:00Z") },
      t.lockTableName,
    );
    const { out, io: sink } = io();
    expect(await runReleaseCommand(aws.ctx, "status", t, sink, false)).toBe(0);
    expect(out.result[0]!.split("\n")).toEqual([
      "stg/web",
      `  live task definition: ${LIVE} (2/2 tasks running)`,
      "  live target group:    arn:tg/web-blue",
      `  latest revision:      ${NEW} (not live: a release is pending)`,
      "  deployment:           none in progress",
      "  lock:                 holding by bob@ci until 2026-11-29T06:10:00.000Z",
      `  next: ${UNLOCK}`,
    ]);
  });

  it("release prints the revision and its deployment, --json the whole result; unlock with no lock says so", async () => {
    deploymentPolls(aws, SUCCESSFUL);
    const text = io();
    expect(await runReleaseCommand(aws.ctx, "release", t, text.io, false)).toBe(0);
    expect(text.out.result).toEqual([`released: ${NEW} (deployment d-NEW)`]);
    const json = io();
    expect(await runReleaseCommand(aws.ctx, "release", t, json.io, true)).toBe(0);
    expect(JSON.parse(json.out.result[0]!)).toMatchObject({ ok: true, command: "release", stack: "stg", service: "web", taskDefinitionArn: NEW });
    const unlocked = io();
    expect(await runReleaseCommand(aws.ctx, "unlock", t, unlocked.io, false)).toBe(0);
    expect(unlocked.out.result).toEqual(["stg/web was not locked"]);
  });

  it("a release of the revision already live names it without a deployment", async () => {
    deploymentPolls(aws, SUCCESSFUL);
    await runReleaseCommand(aws.ctx, "release", t, io().io, false);
    aws.ecs.on(DescribeServicesCommand).resolves({ services: [{ status: "ACTIVE", taskSets: [{ status: "PRIMARY", taskDefinition: NEW }] }] });
    const again = io();
    expect(await runReleaseCommand(aws.ctx, "release", t, again.io, false)).toBe(0);
    expect(again.out.result).toEqual([expect.stringMatching(new RegExp(`^[a-z ]+: ${NEW}$`))]);
  });

  it("the command's own context: each progress line stamped to the second, in UTC, with the stack and service; a real wait", async () => {
    const lines: string[] = [];
    const ctx = liveContext(t, { progress: (l) => lines.push(l), result: () => undefined }, { INFRA_RELEASE_USER: "carol" });
    ctx.log("hello");
    expect(lines).toEqual([expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ stg\/web hello$/)]);
    expect(ctx.who).toMatch(/^carol@/);
    const before = Date.now();
    await ctx.sleep(20);
    expect(Date.now() - before).toBeGreaterThanOrEqual(15);
  });

  it("rollback prints what it did, and --json the same result for a bot", async () => {
    aws.codedeploy.on(ListDeploymentsCommand).resolves({ deployments: ["d-NEW"] });
    deploymentPolls(aws, [{ status: "InProgress", events: { AllowTraffic: "Succeeded" }, green: 100 }]);
    aws.codedeploy.on(StopDeploymentCommand).resolves({ status: "Pending", statusMessage: "Stopping" });
    const text = io();
    expect(await runReleaseCommand(aws.ctx, "rollback", t, text.io, false)).toBe(0);
    expect(text.out.result).toEqual(["stopped deployment d-NEW with rollback: production traffic is back on the original tasks"]);
    const json = io();
    expect(await runReleaseCommand(aws.ctx, "rollback", t, json.io, true)).toBe(0);
    expect(JSON.parse(json.out.result[0]!)).toEqual({
      ok: true,
      command: "rollback",
      stack: "stg",
      service: "web",
      outcome: "stopped",
      deploymentId: "d-NEW",
      status: "InProgress",
    });
  });

  it("a rollback after the release finished names the revision live again and the one it replaced", async () => {
    aws.ecs.on(DescribeServicesCommand).resolves({ services: [{ status: "ACTIVE", taskSets: [{ status: "PRIMARY", taskDefinition: NEW }] }] });
    deploymentPolls(aws, SUCCESSFUL);
    const { out, io: sink } = io();
    expect(await runReleaseCommand(aws.ctx, "rollback", t, sink, false)).toBe(0);
    expect(out.result).toEqual([`rolled back: ${LIVE} is live again (was ${NEW})`]);
  });

  it("--json: unlock says who held the lock (null when nobody), status the same fields as its lines", async () => {
    const free = io();
    expect(await runReleaseCommand(aws.ctx, "unlock", t, free.io, true)).toBe(0);
    expect(JSON.parse(free.out.result[0]!)).toEqual({ ok: true, command: "unlock", stack: "stg", service: "web", previousHolder: null });
    const status = io();
    expect(await runReleaseCommand(aws.ctx, "status", t, status.io, true)).toBe(0);
    expect(JSON.parse(status.out.result[0]!)).toMatchObject({
      ok: true,
      command: "status",
      stack: "stg",
      service: "web",
      liveTaskDefinition: LIVE,
      latestTaskDefinition: NEW,
      runningCount: 2,
      desiredCount: 2,
    });
    const text = io();
    expect(await runReleaseCommand(aws.ctx, "status", t, text.io, false)).toBe(0);
    expect(text.out.result[0]!.split("\n").at(-1)).toBe("  next: a new infra:image and pulumi up");
  });

  it("a bug is not hidden: exit 1 with the stack of the unexpected error", async () => {
    aws.codedeploy.on(ListDeploymentsCommand).rejects(new TypeError("deployments is not iterable"));
    const { out, io: sink } = io();
    expect(await runReleaseCommand(aws.ctx, "release", t, sink, false)).toBe(1);
    expect(out.progress.at(-1)).toMatch(/^error: unexpected error: TypeError: deployments is not iterable\n {4}at /);
  });

  it("a refusal exits 1 with one line; --json says the same for a bot", async () => {
    await putLock(
      db.client,
      { owner: "bob@ci", release: LIVE, state: "releasing", since: "2026-11-29T05:55:00.000Z", until: new Date("2026-11-29T06:40:00Z") },
      t.lockTableName,
    );
    const { out, io: sink } = io();
    expect(await runReleaseCommand(aws.ctx, "release", t, sink, true)).toBe(1);
    const message = `stg/web is locked by bob@ci, releasing ${LIVE} since 2026-11-29T05:55:00.000Z; the next release may go after 2026-11-29T06:40:00.000Z, or unlock it: ${UNLOCK}`;
    expect(out.progress).toEqual([`error: ${message}`]);
    expect(JSON.parse(out.result[0]!)).toEqual({ ok: false, command: "release", stack: "stg", service: "web", error: message });
  });

  it("an AWS error ends as one line: the operation, AWS's name and message, what to check", async () => {
    aws.codedeploy.on(ListDeploymentsCommand).rejects(
      Object.assign(new Error("User: arn:aws:sts::222222222222:assumed-role/dev/alice is not authorized to perform: codedeploy:ListDeployments"), {
        name: "AccessDeniedException",
        $metadata: { httpStatusCode: 400 },
      }),
    );
    const { out, io: sink } = io();
    expect(await runReleaseCommand(aws.ctx, "release", t, sink, false)).toBe(1);
    expect(out.progress.at(-1)).toBe(
      "error: CodeDeploy ListDeployments failed: AccessDeniedException: User: arn:aws:sts::222222222222:assumed-role/dev/alice is not authorized to perform: codedeploy:ListDeployments (your role may not do this in ap-northeast-1: check its IAM permissions, and that AWS_PROFILE is the stack's account)",
    );
  });
});
