import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDynamoDb } from "../helpers/dynamodb";
import { awsEnvironment, launcher, runNode } from "../helpers/process";
import { ecsTarget, ecsWorld, type EcsWorld, revision } from "../release-tool/ecs-fixtures";

// The operating commands of a service ECS releases itself, as a person runs them: processes of
// the launcher, the SDK's clients against one AWS-compatible endpoint (the served fakes of ECS and
// its service deployments, SNS and preflight's services), DynamoDB at its own.

let db: Awaited<ReturnType<typeof startDynamoDb>>;
let world: EcsWorld;
let outputs: string;
const dir = mkdtempSync(join(tmpdir(), "release-ecs-cli-"));
const env = () => awsEnvironment(dir, world.endpoint, { AWS_ENDPOINT_URL_DYNAMODB: db.endpoint, INFRA_RELEASE_USER: "alice" });
const run = (command: string) => runNode(launcher("release", command, "stg", "web", "--outputs", outputs), env());
const progress = (stderr: string) =>
  stderr
    .trim()
    .split("\n")
    .map((l) => l.replace(/^\S+Z stg\/web /, ""));
const latest = () => world.deployments.deployments.at(-1)!;

/** Waits until the newest deployment waits at its pause hook; fails with the command's output if it ended first. */
async function atGate(running: Promise<{ code: number; stdout: string; stderr: string }>): Promise<void> {
  let ended: { stderr: string } | undefined;
  void running.then((r) => (ended = r));
  while (latest().hook?.status !== "AWAITING_ACTION") {
    if (ended) throw new Error(`the command ended before the gate: ${ended.stderr}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  db = await startDynamoDb();
  await db.createTable("release-locks");
  // A canary of 20 % behind a gate that waits until someone answers (no timeout within the
  // test); no pause between polls. docs/releasing.md shows this run's output.
  world = await ecsWorld(db.client, { strategy: "CANARY", canaryPercent: 20, gate: { timeoutLooks: 1e9, action: "ROLLBACK" } }, "machine");
  outputs = join(dir, "stg-outputs.json");
  const gate = { timeoutMinutes: 60, onTimeout: "rollback" as const, testUrl: "https://shop-stg-web-0123456789.ap-northeast-1.elb.amazonaws.com:8443/" };
  const target = { ...ecsTarget("release-locks", { strategy: "canary", shiftMinutes: 10, terminationWaitMinutes: 15, gate }), pollSeconds: 0 };
  writeFileSync(outputs, JSON.stringify({ services: { web: { release: target } } }));
});
afterAll(async () => {
  world.server.close();
  await db.stop();
});

describe("npm run release of a service ECS releases, as a process against an AWS-compatible endpoint", () => {
  it("release of a canary waits at the gate; release:continue moves production, 20 % then all of it; the release finishes; status then says 42 is live", async () => {
    const releasing = run("release");
    // The deployment reaches its pause hook: someone continues, from another terminal.
    await atGate(releasing);
    const continued = await run("continue");
    expect(continued).toMatchObject({
      code: 0,
      stdout: `continued deployment ${latest().arn.split("/").at(-1)!}: production traffic moves to the new tasks\n`,
    });
    const released = await releasing;
    expect(released.stdout).toBe(`released: ${revision(42)} (deployment ${latest().arn.split("/").at(-1)!})\n`);
    expect(released.code).toBe(0);
    const lines = progress(released.stderr);
    expect(lines).toEqual(
      expect.arrayContaining([
        "  POST_TEST_TRAFFIC_SHIFT: test traffic on the new tasks",
        expect.stringMatching(
          /^waiting for someone: the new tasks answer on the test listener \(https:\/\/shop-stg-web-0123456789\.ap-northeast-1\.elb\.amazonaws\.com:8443\/\), production traffic stays on the old ones\. Go on: npm run release:continue -- stg web; abandon: npm run release:rollback -- stg web\. Nobody by \S+: ECS rolls the deployment back$/,
        ),
        "notified: waiting",
        "  production traffic on the new tasks: 20 %",
        "  production traffic on the new tasks: 100 %",
        expect.stringMatching(/^ {2}old tasks kept for a rollback until about \S+ \(bake time 15 min\)$/),
        "lock released",
      ]),
    );
    // The post-release command runs once all of production is on the new tasks, not at the canary's 20 %.
    const after = (line: string) => lines.findIndex((l) => l.startsWith(line));
    expect(after("post-release command: started")).toBeGreaterThan(after("  production traffic on the new tasks: 100 %"));
    const status = await run("status");
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`  live task definition: ${revision(42)} (2/2 tasks running)`);
    expect(status.stdout).toContain("  deployment:           none in progress");
  });

  it("release:rollback after it finished releases the revision before, through ECS; a second continue is refused with exit code 1", async () => {
    const answered = run("rollback");
    await atGate(answered);
    expect((await run("continue")).code).toBe(0);
    const rolledBack = await answered;
    expect(rolledBack).toMatchObject({ code: 0, stdout: `rolled back: ${revision(41)} is live again (was ${revision(42)})\n` });
    expect(world.ecs.services.get("shop-stg-web")!.taskDefinition).toBe(revision(41));
    const refused = await run("continue");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("no deployment of stg/web waits at its gate (npm run release:status -- stg web says what runs)");
  });
});
