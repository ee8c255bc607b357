import { RegisterScalableTargetCommand } from "@aws-sdk/client-application-auto-scaling";
import { DeleteItemCommand, GetItemCommand, PutItemCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runReleaseCommand } from "../../release-tool/command";
import { recordUndrained } from "../../release-tool/worker-colours";
import { drain } from "../../release-tool/drain";
import { release } from "../../release-tool/release";
import { rollback } from "../../release-tool/rollback";
import { formatStatus, releaseStatus } from "../../release-tool/status";
import type { ReleaseTarget } from "../../release-tool/contract";
import { startDynamoDb } from "../helpers/dynamodb";
import { refusing } from "../helpers/refusing-client";
import { back, BACK_SERVICES, backServices, colourTarget, colourWorld, type ColourWorld, DRAIN, web } from "./colour-fixtures";
import { lockItem, putLock, releaseFailure as failure } from "./release-fixtures";

let db: Awaited<ReturnType<typeof startDynamoDb>>;
let table = 0;
let world: ColourWorld;
let lockTable: string;
let t: ReleaseTarget;

beforeAll(async () => {
  db = await startDynamoDb();
});
afterAll(() => db.stop());
beforeEach(async () => {
  lockTable = `release-locks-${++table}`;
  await db.createTable(lockTable);
  t = colourTarget(lockTable);
});
afterEach(() => world.server.close());

const DRAIN_COMMAND = "npm run release:drain -- stg default";
/** A release run of these tests' own. */
const RUN = "00000000-0000-4000-8000-0000000000c1";
const drainTask = (colour: "blue" | "green", revision: number) =>
  `RunTask shop-stg-back-default-${colour}:${revision} release/drain/alice-laptop exec=false ${JSON.stringify({ containerOverrides: [{ name: "app", command: DRAIN }] })}`;
const service = (colour: "blue" | "green") => world.ecs.services.get(BACK_SERVICES[colour])!;

/** The release as an SRE would see it on the terminal, with the exit code. */
async function command(name: "release" | "drain" | "status" | "rollback", target = t) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runReleaseCommand(world.ctx, name, target, { progress: (l) => err.push(l), result: (l) => out.push(l) }, false, "default");
  return { code, out: out.join("\n"), err: err.join("\n") };
}

describe("a release with blue/green back workers", () => {
  it("first release, blue live: starts green on the new revision with blue's count, steady before CreateDeployment; drains blue only after CodeDeploy succeeded, then scales it to 0", async () => {
    world = await colourWorld(db.client, "blue");
    const result = await release(world.ctx, t, "all", RUN);
    expect(result).toEqual({ outcome: "released", taskDefinitionArn: web("green", 42), deploymentId: "d-000000001", colour: "green", run: RUN });
    expect(world.steps).toEqual([
      "RegisterScalableTarget shop-stg-back-default-green 2-8",
      "UpdateService shop-stg-back-default-green shop-stg-back-default-green:42 desired=3",
      "rollout of shop-stg-back-default-green:42 COMPLETED",
      "CreateDeployment",
      drainTask("blue", 41),
      "RegisterScalableTarget shop-stg-back-default-blue 0-0",
      "UpdateService shop-stg-back-default-blue desired=0",
    ]);
    const lines = world.lines;
    const at = (text: string) => lines.findIndex((l) => l.includes(text));
    expect(at("default: green colour steady (3 task(s))")).toBeLessThan(at("deployment d-000000001 created"));
    expect(at("deployment d-000000001: Succeeded")).toBeLessThan(at("default: draining the blue colour"));
    expect(lines).toContain(
      `deployment d-000000001 created: ${web("blue", 41)} -> ${web("green", 42)} (https://ap-northeast-1.console.aws.amazon.com/codesuite/codedeploy/deployments/d-000000001?region=ap-northeast-1)`,
    );
    // What runs now: the web and the workers on green 42, blue at 0 and bounded to 0.
    expect(world.ecs.services.get("shop-stg-web")!.taskDefinition).toBe(web("green", 42));
    expect(service("green")).toMatchObject({ taskDefinition: back("green", 42), desiredCount: 3, runningCount: 3 });
    expect(service("blue")).toMatchObject({ taskDefinition: back("blue", 41), desiredCount: 0 });
    expect(world.autoscaling.targets.get("service/shop-stg/shop-stg-back-default-blue")).toEqual({ min: 0, max: 0 });
    expect(world.published).toEqual(["started", "switched", "succeeded"]);
    expect(await lockItem(db.client, lockTable)).toBeUndefined();
    // What the person sees of the colours, in order.
    expect(lines.filter((l) => l.startsWith("default:") || l.startsWith("drain check"))).toEqual([
      `default: starting the green colour on ${back("green", 42)} (3 task(s))`,
      "default: green colour steady (3 task(s))",
      `default: draining the blue colour (bin/jobs-drained on ${back("blue", 41)}, up to 10 min)`,
      "drain check 1 of default (blue): started arn:aws:ecs:ap-northeast-1:222222222222:task/shop-stg/00000000000000000000000000000001 (bin/jobs-drained)",
      "drain check 1 of default (blue): PENDING",
      "drain check 1 of default (blue): RUNNING",
      "drain check 1 of default (blue): STOPPED",
      "default: blue colour drained",
      "default: blue colour scaled to 0",
    ]);
  });

  it("the next release, green live: blue starts on the new revision and green is drained (the colours alternate)", async () => {
    world = await colourWorld(db.client, "green");
    const result = await release(world.ctx, colourTarget(lockTable, 43));
    expect(result).toMatchObject({ outcome: "released", taskDefinitionArn: web("blue", 43), colour: "blue" });
    expect(world.steps).toEqual([
      "RegisterScalableTarget shop-stg-back-default-blue 2-8",
      "UpdateService shop-stg-back-default-blue shop-stg-back-default-blue:43 desired=3",
      "rollout of shop-stg-back-default-blue:43 COMPLETED",
      "CreateDeployment",
      drainTask("green", 41),
      "RegisterScalableTarget shop-stg-back-default-green 0-0",
      "UpdateService shop-stg-back-default-green desired=0",
    ]);
    expect(world.ecs.services.get("shop-stg-web")!.taskDefinition).toBe(web("blue", 43));
  });

  it.each(["blue", "green"] as const)(
    "the migration runs in the colour going live (%s live): what it enqueues is run by that colour's workers",
    async (live) => {
      world = await colourWorld(db.client, live);
      const going = live === "blue" ? "green" : "blue";
      await release(world.ctx, colourTarget(lockTable, 42, { migration: { command: ["bin/rails", "db:migrate"], timeoutMinutes: 10 } }));
      expect(world.steps[0]).toBe(
        `RunTask shop-stg-web-${going}:42 release/migration/alice-laptop exec=true ${JSON.stringify({ containerOverrides: [{ name: "app", command: ["bin/rails", "db:migrate"] }] })}`,
      );
    },
  );

  it("the idle colour starts with the live colour's count brought within the group's bounds (raised or lowered in config since)", async () => {
    for (const [live, bounds, expected] of [
      [3, { minCount: 4, maxCount: 8 }, 4],
      [10, { minCount: 2, maxCount: 8 }, 8],
    ] as const) {
      if (live === 10) world.server.close();
      world = await colourWorld(db.client, "blue");
      Object.assign(service("blue"), { desiredCount: live, runningCount: live });
      const target = colourTarget(lockTable);
      const bounded = { ...target, colours: { ...target.colours!, groups: target.colours!.groups.map((g) => ({ ...g, autoscaling: bounds })) } };
      await release(world.ctx, bounded);
      expect(world.steps.slice(0, 2)).toEqual([
        `RegisterScalableTarget shop-stg-back-default-green ${bounds.minCount}-${bounds.maxCount}`,
        `UpdateService shop-stg-back-default-green shop-stg-back-default-green:42 desired=${expected}`,
      ]);
    }
  });

  it("a group not autoscaled starts its configured count and is scaled down without touching autoscaling", async () => {
    world = await colourWorld(db.client, "blue");
    const target = colourTarget(lockTable);
    const plain = {
      ...target,
      colours: { ...target.colours!, groups: target.colours!.groups.map((g) => ({ ...g, autoscaling: undefined, desiredCount: 1 })) },
    };
    await release(world.ctx, plain);
    expect(world.steps).toEqual([
      "UpdateService shop-stg-back-default-green shop-stg-back-default-green:42 desired=1",
      "rollout of shop-stg-back-default-green:42 COMPLETED",
      "CreateDeployment",
      drainTask("blue", 41),
      "UpdateService shop-stg-back-default-blue desired=0",
    ]);
  });

  it("drains after several checks: the check runs every intervalSeconds until it exits 0, then the old colour stops", async () => {
    world = await colourWorld(db.client, "blue");
    world.ecs.scripts.push({ stopReason: "CannotPullContainerError: pull access denied" }, { exitCode: 1 });
    await release(world.ctx, t);
    expect(world.steps.filter((s) => s.startsWith("RunTask"))).toEqual([drainTask("blue", 41), drainTask("blue", 41), drainTask("blue", 41)]);
    expect(world.lines.filter((l) => l.startsWith("default: jobs left") || l.startsWith("default: the check"))).toEqual([
      "default: the check never ran: CannotPullContainerError: pull access denied",
      "default: jobs left (the check exited 1)",
    ]);
    expect(world.lines.filter((l) => l.startsWith("drain check 3 of default (blue): started"))).toHaveLength(1);
    expect(world.steps.at(-1)).toBe("UpdateService shop-stg-back-default-blue desired=0");
  });

  it("a drain that times out leaves the old colour running, records it, exits 1 naming the drain command; the next release is refused until it is drained", async () => {
    world = await colourWorld(db.client, "blue");
    world.ecs.script = { exitCode: 1 };
    const ended = await command("release");
    expect(ended.code).toBe(1);
    expect(ended.err.split("\n").at(-1)).toBe(
      `error: released (production traffic is on ${web("green", 42)}), but the blue colour of back workers default is not drained after 10 min, jobs left (the check exited 1): it keeps running (3 task(s)) so that its jobs finish; drain it later: ${DRAIN_COMMAND}`,
    );
    expect(world.steps.filter((s) => s.includes("shop-stg-back-default-blue") && !s.startsWith("RunTask"))).toEqual([]);
    expect(service("blue")).toMatchObject({ desiredCount: 3, runningCount: 3 });
    expect(world.published.at(-1)).toBe("failed");
    expect(await lockItem(db.client, lockTable)).toBeUndefined();

    // Someone scales blue to 0 by hand: its jobs are still in its namespace, so the next release (43) is refused.
    Object.assign(service("blue"), { desiredCount: 0, runningCount: 0 });
    const steps = world.steps.length;
    const refused = await failure(release(world.ctx, colourTarget(lockTable, 43)));
    expect(refused.message).toBe(
      `the blue colour of back workers default is not drained (2026-11-29T06:10:45.000Z, alice@laptop: not drained after 10 min, jobs left (the check exited 1)): jobs may be left in its namespace; drain it first: ${DRAIN_COMMAND}`,
    );
    expect(world.steps.slice(steps)).toEqual([]);

    // The drain command runs the check on blue even at 0 tasks; once it passes, the release goes.
    world.ecs.script = { exitCode: 0 };
    expect((await command("drain")).out).toBe("drained: the blue colour of back workers default has no job left and runs 0 tasks");
    expect(world.steps.slice(steps)).toEqual([
      drainTask("blue", 41),
      "RegisterScalableTarget shop-stg-back-default-blue 0-0",
      "UpdateService shop-stg-back-default-blue desired=0",
    ]);
    expect(await release(world.ctx, colourTarget(lockTable, 43))).toMatchObject({ outcome: "released", colour: "blue" });
  });

  it("preflights the workers' revision too: a log group missing for them stops the release before anything starts", async () => {
    world = await colourWorld(db.client, "blue");
    world.account.logGroups.delete("back-logs");
    const error = await failure(release(world.ctx, t));
    expect(error.message).toBe(
      `preflight of ${web("blue", 42)} failed, nothing was started: MISSING back-default log group: no log group back-logs (npm run verify -- stg lists every check)`,
    );
    expect(world.steps).toEqual([]);
  });

  it("refuses to start while the idle colour still runs tasks: no lock kept, no migration, nothing started", async () => {
    world = await colourWorld(db.client, "blue");
    Object.assign(service("green"), { desiredCount: 1, runningCount: 1 });
    const migrating = colourTarget(lockTable, 42, { migration: { command: ["bin/rails", "db:migrate"], timeoutMinutes: 30 } });
    const error = await failure(release(world.ctx, migrating));
    expect(error.message).toBe(
      `the green colour of back workers default still runs 1 task(s) (desired 1): jobs of the code before may be left in its namespace; drain it first: ${DRAIN_COMMAND}`,
    );
    expect(world.steps).toEqual([]);
    expect(await lockItem(db.client, lockTable)).toBeUndefined();
  });

  it("an idle colour never steady within the release's timeout goes back to 0 and nothing is switched", async () => {
    world = await colourWorld(db.client, "blue");
    service("green").stuck = true;
    const error = await failure(release(world.ctx, t));
    expect(error.message).toBe("the green colour of back workers default was not steady after 30 min; nothing was switched");
    expect(world.steps).toEqual([
      "RegisterScalableTarget shop-stg-back-default-green 2-8",
      "UpdateService shop-stg-back-default-green shop-stg-back-default-green:42 desired=3",
      "RegisterScalableTarget shop-stg-back-default-green 0-0",
      "UpdateService shop-stg-back-default-green desired=0",
    ]);
    // It waited the whole timeout, polling: 30 min at 15 s.
    expect(world.ctx.now().getTime() - new Date("2026-11-29T06:00:00Z").getTime()).toBeGreaterThanOrEqual(30 * 60_000);
  });

  it("says which AWS call failed and which colour service is missing", async () => {
    world = await colourWorld(db.client, "blue");
    world.ecs.denied.add("ecs:UpdateService");
    expect((await failure(release(world.ctx, t))).message).toMatch(
      /^ECS UpdateService failed: AccessDeniedException: .*ecs:UpdateService.*; the green colour could not be scaled back to 0 either: ECS UpdateService failed: AccessDeniedException: /,
    );
    world.ecs.denied.clear();
    world.ecs.services.delete(BACK_SERVICES.green);
    expect((await failure(release(world.ctx, t))).message).toBe(
      "service shop-stg-back-default-green (green colour of default) is MISSING in ap-northeast-1: apply the stack first (pulumi up -s stg)",
    );
    expect((await failure(drain(world.ctx, t, "mailers"))).message).toBe('no blue/green back worker group "mailers" follows stg/web; groups: default');
  });

  it.each([
    ["DynamoDB GetItem (drain state)", GetItemCommand],
    ["DynamoDB PutItem (drain state)", PutItemCommand],
    ["DynamoDB DeleteItem (drain state)", DeleteItemCommand],
    ["Application Auto Scaling RegisterScalableTarget", RegisterScalableTargetCommand],
  ] as const)("names the call refused: %s", async (operation, refused) => {
    world = await colourWorld(db.client, "blue");
    // The drain record's calls only: the lock's go through.
    const isRefused = (c: unknown) => c instanceof refused && (refused === RegisterScalableTargetCommand || JSON.stringify(c.input).includes("/drain/default"));
    const ctx = {
      ...world.ctx,
      clients: { ...world.ctx.clients, dynamodb: refusing(db.client, isRefused), autoscaling: refusing(world.ctx.clients.autoscaling, isRefused) },
    };
    if (refused === PutItemCommand) world.codedeploy.fail = "The ECS service cannot reach a steady state";
    if (refused === DeleteItemCommand) await recordUndrained(world.ctx, t, "default", "green", "left running");
    const run = refused === DeleteItemCommand ? drain(ctx, t, "default") : release(ctx, t);
    expect((await failure(run)).message).toMatch(new RegExp(`^(.*: )?${operation.replace(/[()]/g, "\\$&")} failed: ThrottlingException: Rate exceeded`));
  });

  it("an idle colour that cannot start (circuit breaker) goes back to 0 and nothing is switched", async () => {
    world = await colourWorld(db.client, "blue");
    service("green").failRollout = "ECS deployment circuit breaker: tasks failed to start.";
    const error = await failure(release(world.ctx, t));
    expect(error.message).toBe(
      `the green colour of back workers default could not start ${back("green", 42)}: ECS deployment circuit breaker: tasks failed to start.; nothing was switched`,
    );
    expect(world.steps).toEqual([
      "RegisterScalableTarget shop-stg-back-default-green 2-8",
      "UpdateService shop-stg-back-default-green shop-stg-back-default-green:42 desired=3",
      "RegisterScalableTarget shop-stg-back-default-green 0-0",
      "UpdateService shop-stg-back-default-green desired=0",
    ]);
    expect(world.ecs.services.get("shop-stg-web")!.taskDefinition).toBe(web("blue", 41));
  });

  it("a deployment that fails and rolls back leaves both colours running and says how to drain the new one", async () => {
    world = await colourWorld(db.client, "blue");
    world.codedeploy.fail = "The ECS service cannot reach a steady state";
    const error = await failure(release(world.ctx, t));
    expect(error.message).toBe(
      `deployment d-000000001 failed: ECS_UPDATE_ERROR: The ECS service cannot reach a steady state; CodeDeploy rolled back: production traffic is on the previous tasks (https://ap-northeast-1.console.aws.amazon.com/codesuite/codedeploy/deployments/d-000000001?region=ap-northeast-1); the green colour's back workers keep running until they are drained: ${DRAIN_COMMAND}`,
    );
    expect(world.steps.filter((s) => s.endsWith("desired=0"))).toEqual([]);
    expect(service("blue").desiredCount).toBe(3);
    expect(service("green").desiredCount).toBe(3);
    // Scaled to 0 by hand, green may still hold jobs the test traffic enqueued: the next release waits for its drain.
    Object.assign(service("green"), { desiredCount: 0, runningCount: 0 });
    world.codedeploy.fail = undefined;
    const refused = await failure(release(world.ctx, colourTarget(lockTable, 43)));
    expect(refused.message).toBe(
      `the green colour of back workers default is not drained (2026-11-29T06:00:45.000Z, alice@laptop: left running by deployment d-000000001, which did not complete): jobs may be left in its namespace; drain it first: ${DRAIN_COMMAND}`,
    );
  });

  it("a rollback during the termination wait sends traffic back to the old colour; no worker is stopped until the drain", async () => {
    world = await colourWorld(db.client, "blue");
    // An SRE runs npm run release:rollback while CodeDeploy keeps the old tasks (after the switch);
    // the release sees it at its next poll.
    world.codedeploy.terminationLooks = 10;
    const sre = { ...world.ctx, log: (line: string) => void world.lines.push(`(sre) ${line}`) };
    let rolledBack: ReturnType<typeof rollback> | undefined;
    world.codedeploy.afterLook = (d) => {
      if (d.looks === 3) {
        world.codedeploy.afterLook = undefined;
        rolledBack = rollback(sre, t);
      }
    };
    const releasing = { ...world.ctx, sleep: async (ms: number) => (await rolledBack, world.ctx.sleep(ms)) };
    const error = await failure(release(releasing, t));
    expect(error.message).toMatch(
      /^deployment d-000000001 stopped: Stopped; CodeDeploy rolled back: .*; the green colour's back workers keep running until they are drained: npm run release:drain -- stg default$/,
    );
    expect(await rolledBack).toMatchObject({ outcome: "stopped", deploymentId: "d-000000001" });
    expect(world.lines).toContain(`(sre) default: the back workers of the colour rolled back from keep running until drained: ${DRAIN_COMMAND}`);
    expect(world.ecs.services.get("shop-stg-web")!.taskDefinition).toBe(web("blue", 41));
    expect(world.steps.filter((s) => s.endsWith("desired=0"))).toEqual([]);
    expect(service("blue")).toMatchObject({ desiredCount: 3 });

    // The drain then empties green, now idle, and stops it; blue keeps its tasks.
    const drained = await drain(world.ctx, t, "default");
    expect(drained).toEqual({ group: "default", colour: "green", outcome: "drained" });
    expect(service("green").desiredCount).toBe(0);
    expect(service("blue").desiredCount).toBe(3);
  });

  it("a service from before the colours (the plain family) releases as if blue were live; any other family is refused", async () => {
    world = await colourWorld(db.client, "blue");
    const plain = "arn:aws:ecs:ap-northeast-1:222222222222:task-definition/shop-stg-web:40";
    world.ecs.taskDefinitions.push({ arn: plain, container: "app", logGroup: "web-logs", streamPrefix: "app" });
    world.ecs.services.get("shop-stg-web")!.taskDefinition = plain;
    expect(await release(world.ctx, t)).toMatchObject({ outcome: "released", colour: "green" });
    expect(world.lines).toContain(`${plain} is from before the colours: releasing as if blue were live`);

    world.ecs.services.get("shop-stg-web")!.taskDefinition = "arn:aws:ecs:ap-northeast-1:222222222222:task-definition/shop-stg-admin:3";
    const error = await failure(release(world.ctx, colourTarget(lockTable, 43)));
    expect(error.message).toBe(
      "stg/web runs arn:aws:ecs:ap-northeast-1:222222222222:task-definition/shop-stg-admin:3, of neither colour's family (shop-stg-web-blue, shop-stg-web-green): the live colour cannot be told",
    );
  });

  it("already live: nothing started, nothing deployed", async () => {
    world = await colourWorld(db.client, "blue");
    expect(await release(world.ctx, colourTarget(lockTable, 41), "all", RUN)).toEqual({
      outcome: "already live",
      taskDefinitionArn: web("blue", 41),
      colour: "blue",
      run: RUN,
    });
    expect(world.steps).toEqual([]);
  });

  it("live only when the web and every group's live colour run the target's revisions: either one behind releases", async () => {
    world = await colourWorld(db.client, "blue");
    service("blue").taskDefinition = back("blue", 40);
    expect(await release(world.ctx, colourTarget(lockTable, 41))).toMatchObject({ outcome: "released", taskDefinitionArn: web("green", 41), colour: "green" });
    world.server.close();

    world = await colourWorld(db.client, "blue");
    world.ecs.services.get("shop-stg-web")!.taskDefinition = web("blue", 40);
    expect(await release(world.ctx, colourTarget(lockTable, 41))).toMatchObject({ outcome: "released", taskDefinitionArn: web("green", 41), colour: "green" });
    world.server.close();

    // Every group, not some: one group behind of two.
    const groups = ["default", "reports"];
    await db.createTable(`${lockTable}-groups`);
    world = await colourWorld(db.client, "blue", groups);
    world.ecs.services.get(backServices("reports").blue)!.taskDefinition = back("blue", 40, "reports");
    expect(await release(world.ctx, colourTarget(`${lockTable}-groups`, 41, {}, groups))).toMatchObject({ outcome: "released", colour: "green" });
  });

  it("with several groups: every group's drain is tried and each failure named; a failed deployment names each drain command", async () => {
    const groups = ["default", "reports"];
    world = await colourWorld(db.client, "blue", groups);
    world.ecs.script = { exitCode: 1 };
    const undrained = await failure(release(world.ctx, colourTarget(lockTable, 42, {}, groups)));
    const notDrained = (group: string) =>
      `the blue colour of back workers ${group} is not drained after 10 min, jobs left (the check exited 1): it keeps running (3 task(s)) so that its jobs finish; drain it later: npm run release:drain -- stg ${group}`;
    expect(undrained.message).toBe(`released (production traffic is on ${web("green", 42)}), but ${notDrained("default")}; ${notDrained("reports")}`);
    world.server.close();

    world = await colourWorld(db.client, "blue", groups);
    world.codedeploy.fail = "The ECS service cannot reach a steady state";
    const failed = await failure(release(world.ctx, colourTarget(lockTable, 42, {}, groups)));
    expect(failed.message).toMatch(
      /; the green colour's back workers keep running until they are drained: npm run release:drain -- stg default, npm run release:drain -- stg reports$/,
    );
    world.codedeploy.fail = undefined;
    world.server.close();

    // A fresh lock table: the failed deployment recorded green as not drained.
    await db.createTable(`${lockTable}-stuck`);
    world = await colourWorld(db.client, "blue", groups);
    for (const group of groups) world.ecs.services.get(backServices(group).green)!.stuck = true;
    expect((await failure(release(world.ctx, colourTarget(`${lockTable}-stuck`, 42, {}, groups)))).message).toBe(
      "the green colour of back workers default, reports was not steady after 30 min; nothing was switched",
    );
    expect((await failure(drain(world.ctx, colourTarget(lockTable, 42, {}, groups), "mailers"))).message).toBe(
      'no blue/green back worker group "mailers" follows stg/web; groups: default, reports',
    );
  });

  it("waitFor switched: no drain before the termination wait ends; the command to run then is said", async () => {
    world = await colourWorld(db.client, "blue");
    const result = await release(world.ctx, colourTarget(lockTable, 42, { waitFor: "switched" }));
    expect(result).toMatchObject({ outcome: "switched", colour: "green" });
    expect(world.steps.filter((s) => s.includes("back-default-blue"))).toEqual([]);
    expect(world.lines).toContain(`default: the blue colour drains after the termination wait: ${DRAIN_COMMAND}`);
  });

  it("a drain by hand after waitFor switched, the old colour's revision since deregistered: the check runs on the stack's revision of that colour", async () => {
    world = await colourWorld(db.client, "blue");
    const t = colourTarget(lockTable, 42, { waitFor: "switched" });
    await release(world.ctx, t);
    // The termination wait ends: CodeDeploy's deployment succeeds.
    for (let look = 0; look < 3; look++) world.codedeploy.handle("codedeploy:GetDeployment", { deploymentId: "d-000000001" });
    const old = world.ecs.taskDefinitions.findIndex((d) => d.arn === back("blue", 41));
    world.ecs.taskDefinitions[old] = { ...world.ecs.taskDefinitions[old]!, status: "INACTIVE" };
    world.steps.length = 0;
    expect(await drain(world.ctx, t, "default")).toEqual({ group: "default", colour: "blue", outcome: "drained" });
    expect(world.steps).toEqual([
      drainTask("blue", 42),
      "RegisterScalableTarget shop-stg-back-default-blue 0-0",
      "UpdateService shop-stg-back-default-blue desired=0",
    ]);
    expect(world.lines).toContain(
      `default: ${back("blue", 41)} is INACTIVE (deregistered): ECS starts no task from it; the drain check runs on the stack's ${back("blue", 42)} instead`,
    );
  });

  it("a rollback after the release starts the old code on the idle colour and drains the new one", async () => {
    world = await colourWorld(db.client, "blue");
    await release(world.ctx, t);
    world.steps.length = 0;
    const result = await rollback(world.ctx, t);
    expect(result).toMatchObject({ outcome: "released", taskDefinitionArn: web("blue", 41), colour: "blue", rolledBackFrom: web("green", 42) });
    expect(world.steps).toEqual([
      "RegisterScalableTarget shop-stg-back-default-blue 2-8",
      "UpdateService shop-stg-back-default-blue shop-stg-back-default-blue:41 desired=3",
      "CreateDeployment",
      drainTask("green", 42),
      "RegisterScalableTarget shop-stg-back-default-green 0-0",
      "UpdateService shop-stg-back-default-green desired=0",
    ]);
    expect(world.lines).toContain(
      `no deployment in progress: releasing the revisions before the latest (${web("blue", 41)} and its workers; live: ${web("green", 42)})`,
    );
  });

  it("a rollback is refused when the live revision is not the stack's latest: the one before the latest is not the code before the live one", async () => {
    world = await colourWorld(db.client, "blue");
    expect((await failure(rollback(world.ctx, t))).message).toBe(
      `stg/web runs ${web("blue", 41)}, not the stack's latest ${web("blue", 42)}: a rollback releases the revisions before the latest, which are not the code before the live one; set infra:image back to the live tag and pulumi up instead`,
    );
    expect(world.steps).toEqual([]);
  });

  it("status shows the live colour, each colour's revision, tasks and drain state", async () => {
    world = await colourWorld(db.client, "blue");
    world.ecs.script = { exitCode: 1 };
    await command("release");
    const status = formatStatus(await releaseStatus(world.ctx, colourTarget(lockTable, 42)));
    expect(status.slice(-4)).toEqual([
      "  live colour:          green",
      "  back workers default:",
      `    blue  shop-stg-back-default-blue ${back("blue", 41)} (3/3 tasks running) not drained (2026-11-29T06:10:45.000Z: not drained after 10 min, jobs left (the check exited 1)): ${DRAIN_COMMAND}`,
      `    green shop-stg-back-default-green ${back("green", 42)} (3/3 tasks running) live`,
    ]);
  });

  it("drain: nothing to drain when the idle colour runs nothing; refused during a deployment", async () => {
    world = await colourWorld(db.client, "blue");
    expect((await command("drain")).out).toBe("nothing to drain: the green colour of back workers default runs no task");
    const json: string[] = [];
    expect(await runReleaseCommand(world.ctx, "drain", t, { progress: () => undefined, result: (l) => json.push(l) }, true, "default")).toBe(0);
    expect(JSON.parse(json[0]!)).toMatchObject({ ok: true, command: "drain", stack: "stg", service: "web", group: "default", colour: "green" });
    world.codedeploy.handle("codedeploy:CreateDeployment", {
      revision: { appSpecContent: { content: JSON.stringify({ Resources: [{ TargetService: { Properties: { TaskDefinition: web("green", 42) } } }] }) } },
    });
    const refused = await command("drain");
    expect(refused).toMatchObject({ code: 1, out: "" });
    expect(refused.err).toBe(
      "error: deployment d-000000001 of stg/web is InProgress: the release drains the old colour after it; to stop it instead: npm run release:rollback -- stg web",
    );
  });

  it("drain: refused while a release holds the lock, and for a service without blue/green back workers", async () => {
    world = await colourWorld(db.client, "blue");
    await putLock(
      db.client,
      { owner: "bob@ci", release: web("green", 42), state: "releasing", since: "2026-11-29T05:55:00.000Z", until: new Date("2026-11-29T06:40:00Z") },
      lockTable,
    );
    expect((await failure(drain(world.ctx, t, "default"))).message).toBe(
      "stg/web is being released by bob@ci (since 2026-11-29T05:55:00.000Z): the release drains the old colour itself",
    );
    expect((await failure(drain(world.ctx, { ...t, colours: undefined }, "default"))).message).toBe("stg/web has no blue/green back workers: nothing to drain");
  });
});

describe("a release with blue/green back workers of a web service ECS releases itself", () => {
  const ecsColours = (extra: Parameters<typeof colourTarget>[2] = {}) =>
    colourTarget(lockTable, 42, { controller: "ecs", strategy: "allAtOnce", applicationName: undefined, deploymentGroupName: undefined, ...extra });

  it("the idle colour's workers start, the tool updates the web to the idle colour's revision, ECS moves the traffic; blue drained only after ECS succeeded", async () => {
    world = await colourWorld(db.client, "blue", ["default"], {});
    const result = await release(world.ctx, ecsColours(), "all", RUN);
    expect(result).toMatchObject({ outcome: "released", taskDefinitionArn: web("green", 42), colour: "green", run: RUN });
    expect(world.steps).toEqual([
      "RegisterScalableTarget shop-stg-back-default-green 2-8",
      "UpdateService shop-stg-back-default-green shop-stg-back-default-green:42 desired=3",
      "rollout of shop-stg-back-default-green:42 COMPLETED",
      "UpdateService shop-stg-web shop-stg-web-green:42 desired=undefined",
      drainTask("blue", 41),
      "RegisterScalableTarget shop-stg-back-default-blue 0-0",
      "UpdateService shop-stg-back-default-blue desired=0",
    ]);
    const at = (text: string) => world.lines.findIndex((l) => l.includes(text));
    expect(at("SUCCESSFUL")).toBeLessThan(at("default: draining the blue colour"));
    expect(world.ecs.services.get("shop-stg-web")!.taskDefinition).toBe(web("green", 42));
    expect(world.published).toEqual(["started", "switched", "succeeded"]);
  });

  it("an alarm rolls ECS back: the green workers keep running until drained, the release says how", async () => {
    world = await colourWorld(db.client, "blue", ["default"], { alarmAt: { stage: "PRODUCTION_TRAFFIC_SHIFT", alarm: "web-5xx-green-1a2b3c4" } });
    const error = await failure(release(world.ctx, ecsColours(), "all", RUN));
    expect(error.message).toMatch(
      new RegExp(
        `rollback successful: alarm web-5xx-green-1a2b3c4 went off; ECS rolled back: production traffic is on the previous tasks \\(.*\\); the green colour's back workers keep running until they are drained: ${DRAIN_COMMAND}$`,
      ),
    );
    expect(world.ecs.services.get("shop-stg-web")!.taskDefinition).toBe(web("blue", 41));
    expect(service("green").desiredCount).toBe(3);
  });

  it("in the pulumi up that moves the service from CodeDeploy: the deployment the stack's update started is followed first, then the colour release", async () => {
    world = await colourWorld(db.client, "blue", ["default"], {});
    const t = ecsColours();
    const prepared = await release(world.ctx, t, "prepare", RUN);
    // The provider's UpdateService of the settings (the controller, the load balancer) starts a deployment of the live revision.
    world.deployments!.handle("ecs:UpdateService", { service: "shop-stg-web", taskDefinition: web("blue", 41) });
    const result = await release(world.ctx, t, "deploy", prepared.run);
    expect(result).toMatchObject({ outcome: "released", taskDefinitionArn: web("green", 42) });
    const at = (text: string) => world.lines.findIndex((l) => l.includes(text));
    expect(at("the stack's update of the service started deployment")).toBeGreaterThan(-1);
    expect(at("the stack's update of the service started deployment")).toBeLessThan(at("default: starting the green colour"));
  });
});
