import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Server } from "node:http";
import { startDynamoDb } from "../helpers/dynamodb";
import { serveFake } from "../helpers/fake-ecs";
import { ROOT } from "../helpers/plan";
import { awsEnvironment, launcher, runNode } from "../helpers/process";
import { LIVE, putLock, target } from "../release-tool/release-fixtures";

let db: Awaited<ReturnType<typeof startDynamoDb>>;
let outputs: string;
/** SNS at its own endpoint: the release topic's messages, as published. */
let sns: { endpoint: string; server: Server };
const published: { event: string; reason?: string }[] = [];
const dir = mkdtempSync(join(tmpdir(), "release-cli-"));

const awsEnv = (extra: Record<string, string> = {}) =>
  awsEnvironment(dir, db.endpoint, { INFRA_RELEASE_USER: "alice", AWS_ENDPOINT_URL_SNS: sns.endpoint, ...extra });

/** The same environment with no access key: the SDK's credential chain finds nothing. */
function withoutKeys(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([key]) => !key.startsWith("AWS_ACCESS_KEY_ID") && !key.startsWith("AWS_SECRET_ACCESS_KEY")));
}

/** The commands as `npm run` runs them (the bundled launcher); the program's tool through tsx, as the Release component runs it here. */
function run(script: string, args: string[], env: Record<string, string>) {
  const command = script.startsWith("tools/") ? launcher(script.replace(/^tools\/(.*)\.ts$/, "$1")) : ["--import", "tsx", join(ROOT, script)];
  return runNode([...command, ...args], env);
}

beforeAll(async () => {
  db = await startDynamoDb();
  sns = await serveFake((operation, input) => {
    if (operation !== "sns:Publish") throw new Error(`${operation} is not served here`);
    published.push(JSON.parse(String(input.Message)) as { event: string; reason?: string });
    return { MessageId: `m-${published.length}` };
  });
  await db.createTable("release-locks");
  outputs = join(dir, "stg-outputs.json");
  writeFileSync(outputs, JSON.stringify({ vpcId: "vpc-1", services: { web: { release: target() } } }));
});
afterAll(async () => {
  await db.stop();
  sns.server.close();
});

describe("npm run release:* as a process, against an AWS-compatible endpoint (AWS_ENDPOINT_URL)", () => {
  it("unlock: says the service was not locked, exit 0", async () => {
    const result = await run("tools/release.ts", ["unlock", "stg", "web", "--outputs", outputs], awsEnv());
    expect(result).toMatchObject({ code: 0, stdout: "stg/web was not locked\n", stderr: "" });
  });

  it("release while the lock is held: one line saying who and how to unlock, exit 1, no stack trace; --json for a bot", async () => {
    await putLock(
      db.client,
      { owner: "bob@ci", release: LIVE, state: "holding", since: "2026-11-29T05:40:00.000Z", until: new Date(Date.now() + 3_600_000) },
      "release-locks",
    );
    const result = await run("tools/release.ts", ["release", "stg", "web", "--outputs", outputs, "--json"], awsEnv());
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^error: stg\/web is locked in the hold period after the release of .*:41 by bob@ci \(since 2026-11-29T05:40:00.000Z\); the next release may go after .*, or unlock it: npm run release:unlock -- stg web$/,
    );
    expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, command: "release", stack: "stg", service: "web" });
    // The release topic hears the refusal in the same words (a chat channel shows it).
    expect(published.at(-1)).toMatchObject({ event: "refused", reason: lines[0]!.replace(/^error: /, "") });
    const unlocked = await run("tools/release.ts", ["unlock", "stg", "web", "--outputs", outputs], awsEnv());
    expect(unlocked.stdout).toMatch(/^unlocked stg\/web \(was holding by bob@ci until .*\)\n$/);
  });

  it("without credentials: one line naming the operation and what to check, exit 1", async () => {
    const noKeys = withoutKeys(awsEnv());
    const result = await run("tools/release.ts", ["status", "stg", "web", "--outputs", outputs], noKeys);
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /^error: .* failed: CredentialsProviderError: .* \(check your AWS credentials for the stack's account in ap-northeast-1: AWS_PROFILE, or aws sso login, or AWS_ACCESS_KEY_ID \/ AWS_SECRET_ACCESS_KEY\)$/,
    );
  });

  it("names the services when the service is not in the stack's outputs, exit 1", async () => {
    const result = await run("tools/release.ts", ["status", "stg", "api", "--outputs", outputs], awsEnv());
    expect(result).toMatchObject({ code: 1, stderr: 'error: no web service "api" in stack stg; services: web\n' });
  });

  it("prints the usage and exits 2 on bad arguments", async () => {
    const result = await run("tools/release.ts", ["rollback", "stg"], awsEnv());
    expect(result).toMatchObject({ code: 2, stderr: "usage: npm run release:rollback -- <stack> <service> [--outputs FILE] [--json]\n" });
  });

  it("the tool the program runs refuses to start without its target, exit 2", async () => {
    const result = await run("release-tool/cli.ts", ["deploy"], awsEnv());
    expect(result).toMatchObject({ code: 2, stderr: "error: INFRA_RELEASE_TARGET is not set: it holds the release target as JSON (the program sets it)\n" });
  });

  it("prepare and deploy are the steps of pulumi up: a person is told to release instead, exit 2", async () => {
    for (const step of ["prepare", "deploy"]) {
      const result = await run("tools/release.ts", [step, "stg", "web", "--outputs", outputs], awsEnv());
      expect(result).toMatchObject({
        code: 2,
        stderr: `${step} is a step of pulumi up (the program runs it); a person releases with npm run release -- <stack> <service>\n`,
      });
    }
  });

  it("the program's deploy refuses to start without its prepare's result, or with one naming no release run, exit 2", async () => {
    const env = awsEnv({ INFRA_RELEASE_TARGET: JSON.stringify(target()) });
    expect(await run("release-tool/cli.ts", ["deploy"], env)).toMatchObject({
      code: 2,
      stderr: "error: INFRA_RELEASE_PREPARED is not set: deploy continues the release run of its prepare, whose --json result it holds (the program sets it)\n",
    });
    expect(await run("release-tool/cli.ts", ["deploy"], { ...env, INFRA_RELEASE_PREPARED: "prepared: x" })).toMatchObject({
      code: 2,
      stderr: 'error: INFRA_RELEASE_PREPARED is not prepare\'s --json result: "prepared: x"\n',
    });
    expect(await run("release-tool/cli.ts", ["deploy"], { ...env, INFRA_RELEASE_PREPARED: '{"ok":true}' })).toMatchObject({
      code: 2,
      stderr: 'error: INFRA_RELEASE_PREPARED names no release run: "{\\"ok\\":true}"\n',
    });
  });

  it("the tool the program runs names every problem of a bad target, exit 2", async () => {
    const result = await run(
      "release-tool/cli.ts",
      ["deploy"],
      awsEnv({ INFRA_RELEASE_TARGET: JSON.stringify({ ...target(), taskDefinitionArn: "shop-stg-web", holdMinutes: -1 }) }),
    );
    expect(result).toMatchObject({
      code: 2,
      stderr:
        "error: INFRA_RELEASE_TARGET is not a release target: taskDefinitionArn: is not a task definition revision ARN; holdMinutes: Too small: expected number to be >=0\n",
    });
  });
});

describe("npm run batch as a process: AWS errors in one line", () => {
  it("without credentials: the operation and what to check, exit 1, no stack trace", async () => {
    const noKeys = withoutKeys(awsEnv());
    const result = await run("tools/batch.ts", ["stg", "clearing"], noKeys);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "nothing could be checked: ECR DescribeImages failed: CredentialsProviderError: Could not load credentials from any providers (check your AWS credentials for the stack's account in ap-northeast-1: AWS_PROFILE, or aws sso login, or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)\n",
    );
  });
});
