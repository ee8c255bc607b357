import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDynamoDb } from "../helpers/dynamodb";
import { awsEnvironment, launcher, runNode } from "../helpers/process";
import { back, BACK_SERVICES, colourTarget, colourWorld, type ColourWorld, web } from "../release-tool/colour-fixtures";

let db: Awaited<ReturnType<typeof startDynamoDb>>;
let world: ColourWorld;
let outputs: string;
const dir = mkdtempSync(join(tmpdir(), "release-colours-cli-"));

/** A person's environment: ECS, CodeDeploy, Application Auto Scaling, SNS and preflight's services at one endpoint, DynamoDB at its own. */
const env = () => awsEnvironment(dir, world.endpoint, { AWS_ENDPOINT_URL_DYNAMODB: db.endpoint, INFRA_RELEASE_USER: "alice" });
const run = (command: string, ...args: string[]) => runNode(launcher("release", command, "stg", ...args, "--outputs", outputs), env());
/** Progress lines without their timestamp. */
const progress = (stderr: string) =>
  stderr
    .trim()
    .split("\n")
    .map((l) => l.replace(/^\S+Z stg\/web /, ""));

beforeAll(async () => {
  db = await startDynamoDb();
  await db.createTable("release-locks");
  world = await colourWorld(db.client, "blue");
  outputs = join(dir, "stg-outputs.json");
  // No pause between polls: the fakes move one step per look.
  const target = { ...colourTarget("release-locks"), pollSeconds: 0 };
  target.colours!.groups[0]!.drain.intervalSeconds = 0;
  writeFileSync(outputs, JSON.stringify({ services: { web: { release: target } } }));
});
afterAll(async () => {
  world.server.close();
  await db.stop();
});

describe("npm run release with blue/green back workers, as a process against an AWS-compatible endpoint", () => {
  it("releases blue → green: the green workers start, the web switches, blue is drained and stopped; status and drain say so", async () => {
    world.ecs.scripts.push({ exitCode: 1 });
    const released = await run("release", "web");
    expect(released.stdout).toBe(`released: ${web("green", 42)} (deployment d-000000001)\n`);
    expect(released.code).toBe(0);
    const lines = progress(released.stderr);
    expect(lines[0]).toMatch(/^lock taken by alice@\S+ until /);
    expect(lines).toEqual(
      expect.arrayContaining([
        `default: starting the green colour on ${back("green", 42)} (3 task(s))`,
        "default: green colour steady (3 task(s))",
        "deployment d-000000001: Succeeded",
        `default: draining the blue colour (bin/jobs-drained on ${back("blue", 41)}, up to 10 min)`,
        "default: jobs left (the check exited 1)",
        "default: blue colour drained",
        "default: blue colour scaled to 0",
        "lock released",
      ]),
    );
    expect(world.ecs.services.get("shop-stg-web")!.taskDefinition).toBe(web("green", 42));
    expect(world.ecs.services.get(BACK_SERVICES.blue)!.desiredCount).toBe(0);

    const status = await run("status", "web");
    expect(status.code).toBe(0);
    expect(status.stdout).toContain("  live colour:          green\n");
    expect(status.stdout).toContain(`  latest revision:      ${web("green", 42)} (live)\n`);
    expect(status.stdout).toContain(`    blue  shop-stg-back-default-blue ${back("blue", 41)} (3/0 tasks running) drained, 3 task(s) stopping\n`);

    const drained = await run("drain", "default");
    expect(drained).toMatchObject({ code: 0, stdout: "nothing to drain: the blue colour of back workers default runs no task\n" });
  });

  it("drain of a group the stack does not have: the groups, exit 1; bad arguments: the usage, exit 2", async () => {
    expect(await run("drain", "mailers")).toMatchObject({
      code: 1,
      stdout: "",
      stderr: 'error: no blue/green back worker group "mailers" in stack stg; groups: default\n',
    });
    const usage = await runNode(launcher("release", "drain", "stg"), env());
    expect(usage).toMatchObject({ code: 2, stderr: "usage: npm run release:drain -- <stack> <group> [--outputs FILE] [--json]\n" });
  });
});
