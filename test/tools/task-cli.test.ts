import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeEcs, serveFake } from "../helpers/fake-ecs";
import { planStack, ROOT } from "../helpers/plan";
import { awsEnvironment, launcher, runNode } from "../helpers/process";
import { standInAws, stgWebSession } from "../helpers/stand-in-aws";

const dir = mkdtempSync(join(tmpdir(), "task-cli-"));
let endpoint: string;
let server: Server;
let fake: FakeEcs;
let outputs: string;
let webFamily: string;

const awsEnv = (extra: Record<string, string> = {}) => awsEnvironment(dir, endpoint, { INFRA_RELEASE_USER: "alice", ...extra });

/** The tool as `npm run task` / `npm run shell` runs it (the bundled launcher). */
const toolArgs = (mode: "task" | "shell", args: string[]) => launcher("task", mode, ...args);
const run = (mode: "task" | "shell", args: string[], env = awsEnv()) => runNode(toolArgs(mode, args), env);

/** stderr without the timestamps and the stack/workload of each progress line. */
const progress = (stderr: string) =>
  stderr
    .trim()
    .split("\n")
    .map((l) => l.replace(/^\S+Z stg\/\S+ /, ""));

beforeAll(async () => {
  // The outputs the offline plan of stg gives: what `pulumi stack output --json` would print.
  const plan = await planStack("stg");
  outputs = join(dir, "stg-outputs.json");
  writeFileSync(outputs, JSON.stringify(plan.outputs));
  const web = (plan.outputs.workloads as Record<string, { family: string; serviceName: string }>).web!;
  webFamily = web.family;
  ({ endpoint, server } = await serveFake((fake = new FakeEcs())));
  fake.services.set(web.serviceName, { taskDefinition: "", network: {}, taskSet: true, strategy: [] });
});
afterAll(() => server.close());

beforeEach(() => {
  fake.calls.length = 0;
  fake.denied.clear();
  fake.taskDefinitions.length = 0;
  const live = `arn:aws:ecs:ap-northeast-1:222222222222:task-definition/${webFamily}:41`;
  fake.taskDefinitions.push({ arn: live, container: "app", logGroup: "web-logs", streamPrefix: "app" });
  fake.services.set("shop-stg-web", {
    taskDefinition: live,
    network: { awsvpcConfiguration: { subnets: ["subnet-a"], securityGroups: ["sg-web"], assignPublicIp: "DISABLED" } },
    taskSet: true,
    strategy: [{ capacityProvider: "FARGATE", weight: 1, base: 0 }],
  });
});

describe("npm run task as a process, against an AWS-compatible endpoint, with the offline plan's outputs", () => {
  it("streams the command's output on stdout, progress on stderr, and exits with the container's code", async () => {
    fake.script = { lines: ["Fixing 3 orders", "done"], exitCode: 3 };
    const result = await run("task", [
      "stg",
      "web",
      "--outputs",
      outputs,
      "--poll-seconds",
      "0.01",
      "--env",
      "DRY_RUN=1",
      "--",
      "bin/rails",
      "runner",
      "Fix.run",
    ]);
    const arn = fake.tasks.at(-1)!.arn;
    expect(result.code).toBe(3);
    expect(result.stdout).toBe("Fixing 3 orders\ndone\n");
    const lines = progress(result.stderr);
    expect(lines[0]).toBe(`started ${arn} of arn:aws:ecs:ap-northeast-1:222222222222:task-definition/${webFamily}:41: bin/rails runner Fix.run`);
    expect(lines[1]).toMatch(
      /^console: https:\/\/ap-northeast-1\.console\.aws\.amazon\.com\/ecs\/v2\/clusters\/shop-stg\/tasks\/[0-9a-f]+\/configuration\?region=ap-northeast-1$/,
    );
    expect(lines.at(-1)).toBe(`exited 3 (${arn})`);
    expect(fake.tasks.at(-1)!.request).toMatchObject({
      startedBy: expect.stringMatching(/^task\/web\/alice-[A-Za-z0-9_-]+$/) as unknown,
      overrides: { containerOverrides: [{ name: "app", command: ["bin/rails", "runner", "Fix.run"], environment: [{ name: "DRY_RUN", value: "1" }] }] },
    });
  });

  it("--no-wait: the task's ARN on stdout, exit 0", async () => {
    const result = await run("task", ["stg", "web", "--outputs", outputs, "--no-wait", "--", "bin/rails", "runner", "Fix.run"]);
    expect(result).toMatchObject({ code: 0, stdout: `${fake.tasks.at(-1)!.arn}\n` });
  });

  it("a start that AWS denies: one line, the operation, AWS's message and what to check; exit 1, no stack trace", async () => {
    fake.denied.add("ecs:RunTask");
    const result = await run("task", ["stg", "web", "--outputs", outputs, "--", "true"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      "error: ECS RunTask failed: AccessDeniedException: User: arn:aws:sts::222222222222:assumed-role/developer/alice is not authorized to perform: ecs:RunTask on resource: arn:aws:ecs:ap-northeast-1:222222222222:task-definition/* because no identity-based policy allows the ecs:RunTask action (your role may not do this in ap-northeast-1: check its IAM permissions, and that AWS_PROFILE is the stack's account)\n",
    );
  });

  it("Ctrl-C stops the task, says so, exits 130", async () => {
    fake.script = { lines: ["console ready"], untilStopped: true };
    const child = spawn(process.execPath, toolArgs("task", ["stg", "web", "--outputs", outputs, "--poll-seconds", "0.05", "--", "bin/rails", "console"]), {
      cwd: ROOT,
      env: awsEnv(),
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes("task: RUNNING") && !child.killed) child.kill("SIGINT");
    });
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(130);
    expect(stderr).toContain("Ctrl-C: stopping the task\n");
    expect(progress(stderr).at(-1)).toBe(`interrupted: stopped ${fake.tasks.at(-1)!.arn}`);
    expect(fake.tasks.at(-1)!.status).toBe("STOPPED");
    expect(fake.calls.find((c) => c.operation === "ecs:StopTask")!.input.reason).toMatch(/^task interrupted by alice@/);
  });

  it("an unknown workload lists the stack's workloads; an unknown stack lists the stacks (exit 1)", async () => {
    const workload = await run("task", ["stg", "webb", "--outputs", outputs, "--", "true"]);
    expect(workload).toMatchObject({ code: 1, stdout: "" });
    const names = Object.keys((JSON.parse(readFileSync(outputs, "utf8")) as { workloads: object }).workloads).sort();
    expect(workload.stderr).toBe(`error: no workload "webb" in stack stg; workloads: ${names.join(", ")}\n`);
    const stack = await run("task", ["qa", "web", "--outputs", outputs, "--", "true"]);
    expect(stack).toMatchObject({ code: 1, stderr: 'error: no stack "qa" in this project (no Pulumi.qa.yaml); stacks: prd, stg\n' });
  });

  it("bad arguments: the reason and the usage, exit 2", async () => {
    const result = await run("task", ["stg", "web", "--env", "1X=2", "--", "true"]);
    expect(result).toMatchObject({
      code: 2,
      stderr:
        '--env 1X=2: "1X" is not a variable name (letters, digits and _, not starting with a digit)\nusage: npm run task -- <stack> <workload> [--env KEY=VALUE]... [--no-wait] [--timeout-minutes N] [--outputs FILE] -- <command...>\n',
    });
  });
});

describe("npm run shell as a process, with a stand-in aws on PATH", () => {
  it("hands the terminal to aws ecs execute-command, then stops the task", async () => {
    fake.script = { untilStopped: true };
    const stand = standInAws();
    const result = await run(
      "shell",
      ["stg", "web", "--outputs", outputs, "--poll-seconds", "0.01"],
      awsEnv({ PATH: `${stand.dir}:${process.env.PATH ?? ""}` }),
    );
    const arn = fake.tasks.at(-1)!.arn;
    expect(result.code).toBe(0);
    expect(stand.recorded()).toEqual(stgWebSession(arn, "sh"));
    expect(progress(result.stderr).at(-1)).toBe(`stopped ${arn}`);
    expect(fake.tasks.at(-1)!.status).toBe("STOPPED");
  });

  it("Ctrl-C during the session is the remote shell's: the tool neither stops the task early nor speaks; the task stops after", async () => {
    fake.script = { untilStopped: true };
    const stand = standInAws({ sleepSeconds: 2 });
    const child = spawn(process.execPath, toolArgs("shell", ["stg", "web", "--outputs", outputs, "--poll-seconds", "0.01"]), {
      cwd: ROOT,
      env: awsEnv({ PATH: `${stand.dir}:${process.env.PATH ?? ""}` }),
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes("session: aws ecs execute-command") && !child.killed) setTimeout(() => child.kill("SIGINT"), 300);
    });
    const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
    expect(code).toBe(0);
    expect(stderr).not.toContain("Ctrl-C");
    expect(fake.calls.filter((c) => c.operation === "ecs:StopTask").map((c) => c.input.reason)).toEqual([expect.stringMatching(/^shell of alice@/) as unknown]);
  });

  it("refuses a workload whose config says shell: false, naming the key", async () => {
    const plan = JSON.parse(readFileSync(outputs, "utf8")) as { workloads: Record<string, { shell: boolean }> };
    plan.workloads.scheduler!.shell = false;
    const file = join(dir, "no-shell.json");
    writeFileSync(file, JSON.stringify(plan));
    const result = await run("shell", ["stg", "scheduler", "--outputs", file], awsEnv({ PATH: `${standInAws().dir}:${process.env.PATH ?? ""}` }));
    expect(result).toMatchObject({
      code: 1,
      stderr:
        "error: stg/scheduler has no shell access: infra:jobs.scheduler.shell is false in Pulumi.stg.yaml (set it to true and pulumi up -s stg, or run a command: npm run task -- stg scheduler -- <command>)\n",
    });
    expect(fake.calls).toEqual([]);
  });
});
