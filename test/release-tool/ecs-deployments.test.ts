import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ReleaseTarget, ReleaseTargetInput } from "../../release-tool/contract";
import { continueRelease } from "../../release-tool/gate";
import { release } from "../../release-tool/release";
import { rollback } from "../../release-tool/rollback";
import { releaseStatus } from "../../release-tool/status";
import { startDynamoDb } from "../helpers/dynamodb";
import type { EcsBlueGreenScript } from "../helpers/fake-ecs-deployments";
import { BLUE_TG, ecsTarget, ecsWorld, type EcsWorld, GREEN_TG, revision } from "./ecs-fixtures";
import { lockItem, releaseFailure as failure } from "./release-fixtures";

// Releases of a web service ECS releases itself (deployment.controller: ecs), through the real
// SDK clients against served fakes of ECS (its service deployments: test/helpers/fake-ecs-deployments.ts),
// SNS and what preflight reads, with the lock in dynalite.

let db: Awaited<ReturnType<typeof startDynamoDb>>;
let table = 0;
let lockTable = "";
let w: EcsWorld;
beforeAll(async () => {
  db = await startDynamoDb();
});
afterAll(() => db.stop());
beforeEach(async () => {
  lockTable = `release-locks-ecs-${++table}`;
  await db.createTable(lockTable);
});
afterEach(() => w?.server.close());

async function world(script: EcsBlueGreenScript = {}, extra: Partial<ReleaseTargetInput> = {}): Promise<ReleaseTarget> {
  w = await ecsWorld(db.client, script);
  return ecsTarget(lockTable, extra);
}

/** A `pulumi up`: prepare, the provider's update of the service, then deploy continuing prepare's run. */
async function pulumiUp(t: ReleaseTarget) {
  const prepared = await release(w.ctx, t, "prepare");
  w.stackUpdate(t.taskDefinitionArn);
  return release(w.ctx, t, "deploy", prepared.run);
}

const id = () => w.deployments.deployments.at(-1)!.arn.split("/").at(-1)!;
const link = () => `https://ap-northeast-1.console.aws.amazon.com/ecs/v2/clusters/shop-stg/services/shop-stg-web/deployments/${id()}?region=ap-northeast-1`;

describe("a release under the ECS controller", () => {
  it("in a pulumi up: prepare, the stack's update starts the deployment, deploy follows it through ECS's stages and runs the post-release command once production has moved", async () => {
    const t = await world();
    const result = await pulumiUp(t);
    expect(result).toMatchObject({ outcome: "released", taskDefinitionArn: revision(42), deploymentId: id() });
    // The tool never updates the service itself here: the stack did, after the migration.
    expect(w.steps).toEqual(["pulumi up updates the service to shop-stg-web:42", 'RunTask ["bin/rails","cache:clear"]']);
    expect(w.lines).toEqual(
      expect.arrayContaining([
        `deployment ${id()} started by the service's update: -> ${revision(42)} (${link()})`,
        "  SCALE_UP: starting the new tasks",
        "  TEST_TRAFFIC_SHIFT: moving test traffic to the new tasks",
        "  PRODUCTION_TRAFFIC_SHIFT: moving production traffic",
        "  production traffic on the new tasks: 100 %",
        "  BAKE_TIME: baking: the old tasks kept for a rollback",
        `deployment ${id()}: SUCCESSFUL`,
      ]),
    );
    // The post-release command runs once production traffic is on the new tasks, before the bake ends.
    const at = (text: string) => w.lines.findIndex((l) => l.includes(text));
    expect(at("POST_PRODUCTION_TRAFFIC_SHIFT")).toBeLessThan(at("post-release command"));
    expect(at("post-release command")).toBeLessThan(at("BAKE_TIME"));
    expect(w.published).toEqual(["started", "switched", "succeeded"]);
    expect(await lockItem(db.client, lockTable)).toBeUndefined();
  });

  it("from the command line: the tool updates the service's task definition as the stack would, then follows", async () => {
    const t = await world();
    expect((await release(w.ctx, t)).outcome).toBe("released");
    expect(w.steps[0]).toBe("UpdateService shop-stg-web:42");
    expect(w.lines).toContain(`deployment ${id()} started: ${revision(41)} -> ${revision(42)} (${link()})`);
    expect(w.ecs.services.get("shop-stg-web")!.taskDefinition).toBe(revision(42));
  });

  it("a canary: the post-release command waits for all of production traffic, not the canary's share", async () => {
    const t = await world({ strategy: "CANARY", canaryPercent: 20 }, { strategy: "canary", shiftMinutes: 10 });
    await pulumiUp(t);
    const at = (text: string) => w.lines.findIndex((l) => l.includes(text));
    expect(at("production traffic on the new tasks: 20 %")).toBeGreaterThan(-1);
    expect(at("production traffic on the new tasks: 20 %")).toBeLessThan(at("production traffic on the new tasks: 100 %"));
    expect(at("production traffic on the new tasks: 100 %")).toBeLessThan(at("post-release command"));
  });

  it("linear: every step said, the post-release command after the last", async () => {
    const t = await world({ strategy: "LINEAR", stepPercent: 25 }, { strategy: "linear", shiftMinutes: 9 });
    await pulumiUp(t);
    const shares = w.lines.filter((l) => l.startsWith("  production traffic on the new tasks:")).map((l) => l.split(": ")[1]);
    expect(shares).toEqual(["25 %", "50 %", "75 %", "100 %"]);
    expect(w.lines.findIndex((l) => l.includes("100 %"))).toBeLessThan(w.lines.findIndex((l) => l.includes("post-release command")));
  });

  it("an alarm during the production shift: ECS rolls back, the release fails with the alarm's name, no post-release command, the lock freed", async () => {
    const t = await world({ alarmAt: { stage: "PRODUCTION_TRAFFIC_SHIFT", alarm: "web-5xx-green-9c39dcc" } });
    const error = await failure(pulumiUp(t));
    expect(error.message).toBe(
      `deployment ${id()} rollback successful: alarm web-5xx-green-9c39dcc went off; ECS rolled back: production traffic is on the previous tasks (${link()})`,
    );
    expect(w.steps).toEqual(["pulumi up updates the service to shop-stg-web:42"]);
    expect(w.published).toEqual(["started", "rolled back"]);
    expect(w.ecs.services.get("shop-stg-web")!.taskDefinition).toBe(revision(41));
    expect(await lockItem(db.client, lockTable)).toBeUndefined();
  });

  it("a failed migration: nothing moves (the stack's update waits for prepare), the lock freed", async () => {
    const t = await world({}, { migration: { command: ["bundle", "exec", "rails", "db:migrate"], timeoutMinutes: 20 } });
    w.ecs.scripts.push({ lines: ["PG::UndefinedTable"], exitCode: 1 });
    const error = await failure(release(w.ctx, t, "prepare"));
    const task = "00000000000000000000000000000001";
    expect(error.message).toBe(
      `migration exited 1 (arn:aws:ecs:ap-northeast-1:222222222222:task/shop-stg/${task}); log group web-logs, stream app/app/${task}`,
    );
    expect(w.steps).toEqual(['RunTask ["bundle","exec","rails","db:migrate"]']);
    expect(w.deployments.deployments).toHaveLength(1);
    expect(await lockItem(db.client, lockTable)).toBeUndefined();
  });

  it("the revision already running and no deployment since prepare: already live, nothing started", async () => {
    const t = await world({}, { taskDefinitionArn: revision(41) });
    expect(await release(w.ctx, t)).toMatchObject({ outcome: "already live", taskDefinitionArn: revision(41) });
    expect(w.steps).toEqual([]);
  });

  it("someone else's deployment in progress: refused before the lock is taken for it, nothing started", async () => {
    const t = await world();
    w.deployments.handle("ecs:UpdateService", { service: "shop-stg-web", taskDefinition: revision(43) });
    const error = await failure(release(w.ctx, t));
    expect(error.message).toBe(
      `deployment ${id()} of stg/web is PENDING (created by ECS (an update of the service)): wait for it (${link()}) or roll it back: npm run release:rollback -- stg web`,
    );
    expect(w.steps).toEqual([]);
  });

  it("the first release, before the stack has created the service: prepare runs the migration, nothing to refuse", async () => {
    const t = await world({}, { migration: { command: ["db:migrate"], timeoutMinutes: 5 } });
    w.ecs.services.delete("shop-stg-web");
    await release(w.ctx, t, "prepare");
    expect(w.steps).toEqual(['RunTask ["db:migrate"]']);
  });
});

describe("the manual gate under ECS (a pause hook after the test traffic shift)", () => {
  const gate = { timeoutMinutes: 60, testUrl: "https://shop-stg-web-1234.ap-northeast-1.elb.amazonaws.com:8443/", onTimeout: "rollback" as const };

  /** Runs `then` once the release says it waits at the gate, while the release goes on polling. */
  async function atGate<T>(running: Promise<T>, then: () => Promise<unknown>): Promise<T> {
    while (!w.lines.some((l) => l.startsWith("waiting for someone"))) await new Promise((r) => setTimeout(r, 5));
    await then();
    return running;
  }

  it("continue: the release waits with production on the old tasks, says where and how to go on; release:continue answers the hook CONTINUE", async () => {
    const t = await world({ gate: { timeoutLooks: 10_000, action: "ROLLBACK" } }, { gate });
    const result = await atGate(pulumiUp(t), () => continueRelease({ ...w.ctx, who: "bob@laptop" }, t));
    expect(result.outcome).toBe("released");
    const waiting = w.lines.find((l) => l.startsWith("waiting for someone"))!;
    expect(waiting).toBe(
      `waiting for someone: the new tasks answer on the test listener (${gate.testUrl}), production traffic stays on the old ones. Go on: npm run release:continue -- stg web; abandon: npm run release:rollback -- stg web. Nobody by ${new Date(w.deployments.deployments.at(-1)!.createdAt * 1000 + 3_600_000).toISOString()}: ECS rolls the deployment back`,
    );
    expect(w.steps).toContain("ContinueServiceDeployment CONTINUE");
    expect(w.lines).toContain(`deployment ${id()}: continued by bob@laptop: production traffic moves to the new tasks`);
    expect(w.published).toEqual(["started", "waiting", "continued", "switched", "succeeded"]);
  });

  it("rollback at the gate: the hook answered ROLLBACK, production never left the old tasks, the waiting release fails and frees the lock", async () => {
    const t = await world({ gate: { timeoutLooks: 10_000, action: "ROLLBACK" } }, { gate });
    let stopped: unknown;
    const error = await failure(atGate(pulumiUp(t), async () => (stopped = await rollback(w.ctx, t))));
    expect(stopped).toMatchObject({ outcome: "stopped", deploymentId: id() });
    expect(w.steps).toContain("ContinueServiceDeployment ROLLBACK");
    expect(error.message).toBe(
      `deployment ${id()} rollback successful: the pause hook was answered ROLLBACK; ECS rolled back: production traffic is on the previous tasks (${link()})`,
    );
    expect(w.ecs.services.get("shop-stg-web")!.taskDefinition).toBe(revision(41));
    expect(await lockItem(db.client, lockTable)).toBeUndefined();
  });

  it("nobody answers: the hook times out, ECS rolls back by the gate's action; the release says nobody continued, nothing was rolled back from production", async () => {
    const t = await world({ gate: { timeoutLooks: 3, action: "ROLLBACK" } }, { gate });
    const error = await failure(pulumiUp(t));
    expect(error.message).toBe(
      `deployment ${id()} rollback successful: nobody continued within 60 min at the gate: production stayed on the old tasks (${link()})`,
    );
    expect(w.published).toEqual(["started", "waiting", "failed"]);
    expect(await lockItem(db.client, lockTable)).toBeUndefined();
  });

  it("nobody answers a gate that continues: production traffic moves by the gate's action and the release finishes", async () => {
    const t = await world({ gate: { timeoutLooks: 3, action: "CONTINUE" } }, { gate: { ...gate, onTimeout: "continue" } });
    expect((await pulumiUp(t)).outcome).toBe("released");
    expect(w.lines).toContain("  nobody answered the gate within 60 min: ECS moves production traffic, as the gate's timeout action says");
    expect(w.lines.find((l) => l.startsWith("waiting for someone"))).toMatch(/: ECS moves production traffic$/);
  });

  it("continue with no deployment at a gate: refused, nothing answered", async () => {
    const t = await world({}, { gate });
    await expect(continueRelease(w.ctx, t)).rejects.toThrow("no deployment of stg/web waits at its gate (npm run release:status -- stg web says what runs)");
    expect(w.steps).toEqual([]);
  });
});

describe("rollback under ECS", () => {
  it("during the bake: the deployment stopped with rollback, production back on the old tasks ECS kept", async () => {
    const t = await world({ bakeLooks: 10_000 });
    const running = pulumiUp(t);
    while (!w.lines.some((l) => l.includes("BAKE_TIME"))) await new Promise((r) => setTimeout(r, 5));
    const result = await rollback({ ...w.ctx, who: "carol@laptop" }, t);
    expect(result).toMatchObject({ outcome: "stopped", deploymentId: id() });
    expect(w.steps).toContain("StopServiceDeployment ROLLBACK");
    const error = await failure(running);
    expect(error.message).toBe(
      `deployment ${id()} rollback successful: stopped with rollback by the user; ECS rolled back: production traffic is on the previous tasks (${link()})`,
    );
    expect(w.ecs.services.get("shop-stg-web")!.taskDefinition).toBe(revision(41));
  });

  it("after the release finished: the previous revision released through ECS, without the migration", async () => {
    const t = await world({}, { migration: { command: ["db:migrate"], timeoutMinutes: 5 } });
    await pulumiUp(t);
    w.steps.length = 0;
    const result = await rollback(w.ctx, t);
    expect(result).toMatchObject({ outcome: "released", taskDefinitionArn: revision(41), rolledBackFrom: revision(42) });
    expect(w.steps).toEqual(["UpdateService shop-stg-web:41", 'RunTask ["bin/rails","cache:clear"]']);
    expect(w.ecs.services.get("shop-stg-web")!.taskDefinition).toBe(revision(41));
  });

  it("status names the deployment in progress and where it is", async () => {
    const t = await world();
    w.deployments.handle("ecs:UpdateService", { service: "shop-stg-web", taskDefinition: revision(42) });
    await w.ctx.clients.ecs.send(
      new (await import("@aws-sdk/client-ecs")).DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [w.deployments.deployments.at(-1)!.arn] }),
    );
    const status = await releaseStatus(w.ctx, t);
    expect(status.activeDeployment).toMatchObject({ id: id(), status: "IN_PROGRESS at SCALE_UP" });
  });
});

describe("a service CodeDeploy still runs, moved to ECS by this up", () => {
  const codeDeployed = (primary: string, replacement = false) => {
    const s = w.ecs.services.get("shop-stg-web")!;
    Object.assign(s, { taskSet: true, targetGroupArn: primary, replacementTaskSet: replacement });
  };

  it("production on the group ECS's production rule starts on: prepared, the move said", async () => {
    const t = await world();
    codeDeployed(BLUE_TG);
    await release(w.ctx, t, "prepare");
    expect(w.lines).toContain(
      `shop-stg-web moves from CodeDeploy to the ECS controller in this up: production stays on ${BLUE_TG} until ECS's first deployment moves it`,
    );
  });

  it("production on green (CodeDeploy's last release) while the rule would start on blue: refused, nothing moved, the setting to change named", async () => {
    const t = await world();
    codeDeployed(GREEN_TG);
    const error = await failure(release(w.ctx, t, "prepare"));
    expect(error.message).toBe(
      `production traffic of stg/web is on ${GREEN_TG} (where CodeDeploy's last release left it), but the ECS controller's production rule would start on ${BLUE_TG}: set deployment.productionTargetGroup to green (infra:services.web.deployment in a stack file) and pulumi up again; nothing has moved`,
    );
    expect(await lockItem(db.client, lockTable)).toBeUndefined();
  });

  it("a CodeDeploy deployment in progress (a second task set): refused", async () => {
    const t = await world();
    codeDeployed(BLUE_TG, true);
    const error = await failure(release(w.ctx, t, "prepare"));
    expect(error.message).toBe(
      "stg/web is still released by CodeDeploy and a deployment of it runs (2 task sets): let it end (npm run release:status -- stg web) before the up that moves it to the ECS controller",
    );
  });
});
