import { describe, expect, it } from "vitest";
import { failure } from "../helpers/clock";
import { openShell, type ShellHost, systemShellHost, whichOnPath } from "../../release-tool/shell";
import { standInAws, stgWebSession } from "../helpers/stand-in-aws";
import { fakeTaskAws, WEB_LIVE, workload } from "./task-fixtures";

const request = { command: "bash", startupMinutes: 10, pollSeconds: 3 };

/** This machine's way of running the AWS CLI, with only the stand-in's directory on PATH. */
function hostOn(dir: string): ShellHost {
  return { which: (name) => whichOnPath(name, { PATH: dir }), session: systemShellHost.session };
}

describe("npm run shell", () => {
  it("starts a task that ends by itself, waits for its ECS Exec agent, runs the exact execute-command, then stops the task", async () => {
    const aws = fakeTaskAws();
    aws.fake.script = { untilStopped: true };
    const stand = standInAws();
    const code = await openShell(aws.ctx, workload({ shellMaxMinutes: 90 }), request, hostOn(stand.dir));
    const task = aws.fake.tasks[0]!;
    expect(code).toBe(0);
    expect(task.request).toMatchObject({ taskDefinition: WEB_LIVE, enableExecuteCommand: true, startedBy: "shell/web/alice-laptop" });
    expect(task.request.overrides).toEqual({ containerOverrides: [{ name: "app", command: ["sleep", "5400"] }] });
    expect(stand.recorded()).toEqual(stgWebSession(task.arn, "bash"));
    // The session opened once the agent ran, and the task was stopped after it.
    const ops = aws.operations();
    expect(ops.slice(-1)).toEqual(["ecs:StopTask"]);
    expect(aws.fake.calls.at(-1)!.input).toEqual({ cluster: "shop-stg", task: task.arn, reason: "shell of alice@laptop ended" });
    expect(task.status).toBe("STOPPED");
    expect(aws.lines.at(-1)).toBe(`stopped ${task.arn}`);
  });

  it("passes the session's exit code through and still stops the task", async () => {
    const aws = fakeTaskAws();
    aws.fake.script = { untilStopped: true };
    const code = await openShell(aws.ctx, workload(), request, hostOn(standInAws({ exitCode: 255 }).dir));
    expect(code).toBe(255);
    expect(aws.fake.tasks[0]!.status).toBe("STOPPED");
  });

  it("refuses a workload with shell: false, naming the key, before any AWS call", async () => {
    const aws = fakeTaskAws();
    const error = await failure(
      openShell(aws.ctx, workload({ shell: false, workload: "back-default", configKey: "infra:jobs.back.default" }), request, hostOn(standInAws().dir)),
    );
    expect(error.message).toBe(
      "stg/back-default has no shell access: infra:jobs.back.default.shell is false in Pulumi.stg.yaml (set it to true and pulumi up -s stg, or run a command: npm run task -- stg back-default -- <command>)",
    );
    expect(aws.operations()).toEqual([]);
  });

  it("without the AWS CLI: says so and how to install it; no task started", async () => {
    const aws = fakeTaskAws();
    const error = await failure(openShell(aws.ctx, workload(), request, hostOn(standInAws({ aws: false }).dir)));
    expect(error.message).toBe(
      "the AWS CLI (aws) is not on your PATH: a shell is an ECS Exec session of the AWS CLI; install it (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html)",
    );
    expect(aws.operations()).toEqual([]);
  });

  it("without the Session Manager plugin: says so and how to install it; no task started", async () => {
    const aws = fakeTaskAws();
    const error = await failure(openShell(aws.ctx, workload(), request, hostOn(standInAws({ plugin: false }).dir)));
    expect(error.message).toBe(
      "the Session Manager plugin (session-manager-plugin) is not on your PATH: the AWS CLI needs it for ECS Exec; install it (https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-install-plugin.html)",
    );
    expect(aws.operations()).toEqual([]);
  });

  it("a task that stops before its agent runs: ECS's reason, no session", async () => {
    const aws = fakeTaskAws();
    // ECS says why in the app's container, behind a sidecar; the task itself only says it failed to start.
    aws.fake.script = { stopReason: "ResourceInitializationError: unable to pull secrets or registry auth", sidecar: "datadog-agent" };
    const stand = standInAws();
    const error = await failure(openShell(aws.ctx, workload(), request, hostOn(stand.dir)));
    expect(error.message).toBe(
      `the shell's task stopped before its ECS Exec agent ran: ResourceInitializationError: unable to pull secrets or registry auth (${aws.fake.tasks[0]!.arn})`,
    );
    expect(stand.recorded()).toBeUndefined();
  });

  it("an AWS CLI that cannot be run: the task is stopped all the same", async () => {
    const aws = fakeTaskAws();
    aws.fake.script = { untilStopped: true };
    const host: ShellHost = { which: (name) => `/nowhere/${name}`, session: systemShellHost.session };
    const error = await failure(openShell(aws.ctx, workload(), request, host));
    expect(error.message).toBe("the AWS CLI could not be run (/nowhere/aws): spawn /nowhere/aws ENOENT");
    expect(aws.fake.tasks[0]!.status).toBe("STOPPED");
    expect(aws.operations().at(-1)).toBe("ecs:StopTask");
  });
});

describe("npm run shell: when the session opens, and what it says", () => {
  it("opens the session only once the task's own ECS Exec agent runs, not a sidecar's; says each step", async () => {
    const aws = fakeTaskAws();
    aws.fake.script = { untilStopped: true, agentPendingPolls: 2, sidecar: "datadog-agent" };
    const stand = standInAws();
    expect(await openShell(aws.ctx, workload({ shellMaxMinutes: 90 }), request, hostOn(stand.dir))).toBe(0);
    const task = aws.fake.tasks[0]!;
    expect(stand.recorded()).toEqual(stgWebSession(task.arn, "bash"));
    // PENDING; RUNNING with the agent pending; pending again; running: four looks (two without the agent's wait).
    expect(aws.operations().filter((o) => o === "ecs:DescribeTasks")).toHaveLength(4);
    const id = task.arn.split("/").pop()!;
    expect(aws.lines.filter((l) => /^(started|console:|session:|stopped) /.test(l))).toEqual([
      `started ${task.arn} of ${WEB_LIVE} (it stops by itself after 90 min)`,
      `console: https://ap-northeast-1.console.aws.amazon.com/ecs/v2/clusters/shop-stg/tasks/${id}/configuration?region=ap-northeast-1`,
      `session: aws ecs execute-command --region ap-northeast-1 --cluster shop-stg --task ${task.arn} --container app --interactive --command bash`,
      `stopped ${task.arn}`,
    ]);
  });

  it("Ctrl-C while it waits: the task is stopped once, no session, exit code 130", async () => {
    const aws = fakeTaskAws();
    aws.fake.script = { untilStopped: true, agentPendingPolls: 100 };
    const stand = standInAws();
    const interrupt = new AbortController();
    const sleep = aws.ctx.sleep;
    const ctx = { ...aws.ctx, sleep: (ms: number) => (aws.operations().length > 4 && interrupt.abort(), sleep(ms)) };
    expect(await openShell(ctx, workload(), { ...request, signal: interrupt.signal }, hostOn(stand.dir))).toBe(130);
    expect(stand.recorded()).toBeUndefined();
    expect(aws.operations().filter((o) => o === "ecs:StopTask")).toHaveLength(1);
    expect(aws.fake.tasks[0]!.status).toBe("STOPPED");
  });

  it("a task that stopped by itself before its agent ran is not stopped again", async () => {
    const aws = fakeTaskAws();
    aws.fake.script = { stopReason: "CannotPullContainerError: pull access denied" };
    await failure(openShell(aws.ctx, workload(), request, hostOn(standInAws().dir)));
    expect(aws.operations()).not.toContain("ecs:StopTask");
  });

  it("a task it cannot stop after the session: the session's exit code all the same, and the command that stops it", async () => {
    const aws = fakeTaskAws();
    aws.fake.script = { untilStopped: true };
    aws.fake.denied.add("ecs:StopTask");
    expect(await openShell(aws.ctx, workload(), request, hostOn(standInAws({ exitCode: 3 }).dir))).toBe(3);
    const arn = aws.fake.tasks[0]!.arn;
    expect(aws.lines.at(-1)).toMatch(
      new RegExp(
        `^could not stop ${arn}: ECS StopTask failed: AccessDeniedException: .*; stop it with: aws ecs stop-task --region ap-northeast-1 --cluster shop-stg --task ${arn}$`,
      ),
    );
  });

  it("finds the AWS CLI on this machine's PATH as the system host", () => {
    expect(systemShellHost.which("sh")).toMatch(/\/sh$/);
    expect(systemShellHost.which("no-such-command-anywhere")).toBeUndefined();
  });
});

describe("the session on this machine", () => {
  it("hands Ctrl-C to the session while it runs, puts this tool's own handlers back after, and ends with the shell's signal as 128 + its number", async () => {
    const mine = () => undefined;
    process.on("SIGINT", mine);
    try {
      let during: unknown[] = [];
      // A session that looks at who listens for Ctrl-C in its parent, then is killed by SIGTERM.
      const code = await new Promise<number>((resolve, reject) => {
        const session = systemShellHost.session("/bin/sh", ["-c", "kill -TERM $$"]);
        during = process.listeners("SIGINT");
        session.then(resolve, reject);
      });
      expect(code).toBe(143);
      expect(during).not.toContain(mine);
      expect(during).toHaveLength(1);
      expect(process.listeners("SIGINT")).toContain(mine);
      await expect(systemShellHost.session("/bin/sh", ["-c", "exit 7"])).resolves.toBe(7);
      await expect(systemShellHost.session("/nowhere/aws", [])).rejects.toThrow("spawn /nowhere/aws ENOENT");
      expect(process.listeners("SIGINT")).toContain(mine);
    } finally {
      process.off("SIGINT", mine);
    }
  });
});
