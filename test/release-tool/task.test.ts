import { RunTaskCommand } from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import { failure } from "../helpers/clock";
import { startedByTag } from "../../release-tool/one-off-task";
import { runWorkloadTask, type TaskRequest, taskExit, type TaskResult } from "../../release-tool/task";
import { BATCH_LATEST, batchWorkload, fakeTaskAws, WEB_LIVE, workload } from "./task-fixtures";

const request = (extra: Partial<TaskRequest> = {}): TaskRequest => ({
  command: ["bin/rails", "runner", "Fix.run"],
  environment: {},
  wait: true,
  timeoutMinutes: 60,
  pollSeconds: 5,
  ...extra,
});

function outcome(result: TaskResult) {
  if (!("outcome" in result)) throw new Error("expected the task to be followed to its end");
  return result.outcome;
}

describe("npm run task: the RunTask request", () => {
  it("runs the revision production traffic is on (the primary task set's, not the latest registered), in the service's live network, with the command, --env, ECS Exec and who ran it", async () => {
    const aws = fakeTaskAws();
    await runWorkloadTask(aws.ctx, workload(), request({ environment: { DRY_RUN: "1", TARGET: "a=b" } }), () => undefined);
    const run = aws.fake.calls.find((c) => c.operation === "ecs:RunTask")!.input;
    expect(run).toEqual({
      cluster: "shop-stg",
      taskDefinition: WEB_LIVE,
      count: 1,
      startedBy: "task/web/alice-laptop",
      enableExecuteCommand: true,
      capacityProviderStrategy: [{ capacityProvider: "FARGATE", weight: 1, base: 0 }],
      networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-live-a", "subnet-live-c"], securityGroups: ["sg-live"], assignPublicIp: "DISABLED" } },
      overrides: {
        containerOverrides: [
          {
            name: "app",
            command: ["bin/rails", "runner", "Fix.run"],
            environment: [
              { name: "DRY_RUN", value: "1" },
              { name: "TARGET", value: "a=b" },
            ],
          },
        ],
      },
    });
  });

  it("a batch runs its family's latest active revision in the batch's own network, on Fargate on demand", async () => {
    const aws = fakeTaskAws();
    await runWorkloadTask(aws.ctx, batchWorkload(), request({ command: ["./batch-cli", "clearing"] }), () => undefined);
    expect(aws.fake.calls.find((c) => c.operation === "ecs:DescribeTaskDefinition")!.input).toEqual({ taskDefinition: "shop-stg-clearing" });
    const run = aws.fake.calls.find((c) => c.operation === "ecs:RunTask")!.input;
    expect(run).toMatchObject({
      taskDefinition: BATCH_LATEST,
      launchType: "FARGATE",
      startedBy: "task/batch-clearing/alice-laptop",
      networkConfiguration: { awsvpcConfiguration: { subnets: ["subnet-from-outputs"], securityGroups: ["sg-from-outputs"], assignPublicIp: "DISABLED" } },
    });
    expect(run).not.toHaveProperty("capacityProviderStrategy");
    expect(aws.operations()).not.toContain("ecs:DescribeServices");
  });

  it("a workload with shell: false runs its task without ECS Exec", async () => {
    const aws = fakeTaskAws();
    await runWorkloadTask(aws.ctx, workload({ shell: false }), request(), () => undefined);
    expect(aws.fake.calls.find((c) => c.operation === "ecs:RunTask")!.input.enableExecuteCommand).toBe(false);
  });

  it("--no-wait: starts the task and answers its ARN, nothing followed", async () => {
    const aws = fakeTaskAws();
    const result = await runWorkloadTask(aws.ctx, workload(), request({ wait: false }), () => undefined);
    expect(result).toEqual({ started: aws.fake.tasks[0]!.arn });
    expect(aws.operations()).toEqual(["ecs:DescribeServices", "ecs:DescribeTaskDefinition", "ecs:RunTask"]);
    expect(aws.lines).toEqual([
      `started ${aws.fake.tasks[0]!.arn} of ${WEB_LIVE}: bin/rails runner Fix.run`,
      `console: https://ap-northeast-1.console.aws.amazon.com/ecs/v2/clusters/shop-stg/tasks/${aws.fake.tasks[0]!.arn.split("/").pop()}/configuration?region=ap-northeast-1`,
    ]);
  });

  it("a service whose live revision was deregistered: refused before RunTask, with what registers it again", async () => {
    const aws = fakeTaskAws();
    const live = aws.fake.taskDefinitions.findIndex((d) => d.arn === WEB_LIVE);
    aws.fake.taskDefinitions[live] = { ...aws.fake.taskDefinitions[live]!, status: "INACTIVE" };
    const error = await failure(runWorkloadTask(aws.ctx, workload(), request(), () => undefined));
    expect(error.message).toBe(
      `${WEB_LIVE} is INACTIVE (deregistered): ECS starts no task from it; pulumi up --refresh -s stg registers the stack's revision again`,
    );
    expect(aws.operations()).not.toContain("ecs:RunTask");
  });

  it("startedBy keeps to what ECS accepts: letters, digits, -, / and _, at most 128", () => {
    expect(startedByTag("release", "post-release command", "octocat via https://github.com/shop/infra/actions/runs/42")).toBe(
      "release/post-release-command/octocat-via-https-github-com-shop-infra-actions-runs-42",
    );
    expect(startedByTag("task", "web", "a".repeat(200))).toHaveLength(128);
    expect(startedByTag("task", "@@", "bob")).toBe("task/bob");
  });
});

describe("npm run task: how it ends", () => {
  it.each([0, 1, 137])("passes the container's exit code %i through", async (code) => {
    const aws = fakeTaskAws();
    aws.fake.script = { lines: ["working"], exitCode: code };
    const exit = taskExit(outcome(await runWorkloadTask(aws.ctx, workload(), request(), () => undefined)));
    expect(exit).toEqual({ code, line: `exited ${code} (${aws.fake.tasks[0]!.arn})` });
  });

  it("streams the container's log lines in order, each once, including those written as it stopped", async () => {
    const aws = fakeTaskAws();
    aws.fake.script = { lines: ["one", "two", "three", "four", "five"], exitCode: 0, runningPolls: 3 };
    const output: string[] = [];
    await runWorkloadTask(aws.ctx, workload(), request(), (line) => output.push(line));
    expect(output).toEqual(["one", "two", "three", "four", "five"]);
    // The stream did not exist before the container started: those polls were not errors.
    expect(aws.operations().filter((o) => o === "logs:GetLogEvents").length).toBeGreaterThan(3);
  });

  it("a task that stops before its command runs: exit 1 with ECS's reason and where its logs are", async () => {
    const aws = fakeTaskAws();
    aws.fake.script = { stopReason: "CannotPullContainerError: pull image manifest has been retried 5 time(s)" };
    const result = outcome(await runWorkloadTask(aws.ctx, workload(), request(), () => undefined));
    const id = aws.fake.tasks[0]!.arn.split("/").pop();
    expect(taskExit(result)).toEqual({
      code: 1,
      line: `the task never ran its command: CannotPullContainerError: pull image manifest has been retried 5 time(s) (${aws.fake.tasks[0]!.arn}); log group web-task-logs, stream app/app/${id}`,
    });
  });

  it("a task ECS cannot place: ECS's reason, nothing followed", async () => {
    const aws = fakeTaskAws();
    aws.ecs.on(RunTaskCommand).resolves({ tasks: [], failures: [{ reason: "RESOURCE:ENI", detail: "no free IP address in subnet-live-a" }] });
    const error = await failure(runWorkloadTask(aws.ctx, workload(), request(), () => undefined));
    expect(error.message).toBe("task could not start: RESOURCE:ENI (no free IP address in subnet-live-a)");
  });

  it("several reasons ECS could not place it: each said, in its order", async () => {
    const aws = fakeTaskAws();
    aws.ecs
      .on(RunTaskCommand)
      .resolves({ tasks: [], failures: [{ reason: "RESOURCE:ENI" }, { arn: "arn:aws:ecs:ap-northeast-1:222222222222:container-instance/x" }] });
    const error = await failure(runWorkloadTask(aws.ctx, workload(), request(), () => undefined));
    expect(error.message).toBe("task could not start: RESOURCE:ENI; unknown");
    const empty = fakeTaskAws();
    empty.ecs.on(RunTaskCommand).resolves({});
    expect((await failure(runWorkloadTask(empty.ctx, workload(), request(), () => undefined))).message).toBe("task could not start: ECS returned no task");
  });

  it("a task that never ran and logs nowhere CloudWatch shows: said where its logs are not", async () => {
    const aws = fakeTaskAws();
    aws.fake.taskDefinitions.splice(0, 1, { arn: WEB_LIVE, container: "app", logGroup: "", streamPrefix: "" });
    aws.fake.script = { stopReason: "CannotPullContainerError: pull access denied" };
    const result = outcome(await runWorkloadTask(aws.ctx, workload(), request(), () => undefined));
    expect(taskExit(result).line).toBe(
      `the task never ran its command: CannotPullContainerError: pull access denied (${result.taskArn}); no awslogs log group in the task definition`,
    );
  });

  it("RunTask denied: one line with the operation, AWS's message and what to check", async () => {
    const aws = fakeTaskAws();
    aws.fake.denied.add("ecs:RunTask");
    const error = await failure(runWorkloadTask(aws.ctx, workload(), request(), () => undefined));
    expect(error.message).toBe(
      "ECS RunTask failed: AccessDeniedException: User: arn:aws:sts::222222222222:assumed-role/developer/alice is not authorized to perform: ecs:RunTask on resource: arn:aws:ecs:ap-northeast-1:222222222222:task-definition/* because no identity-based policy allows the ecs:RunTask action (your role may not do this in ap-northeast-1: check its IAM permissions, and that AWS_PROFILE is the stack's account)",
    );
  });

  it("a service that is not there: apply the stack first", async () => {
    const aws = fakeTaskAws();
    const error = await failure(runWorkloadTask(aws.ctx, workload({ serviceName: "shop-stg-api" }), request(), () => undefined));
    expect(error.message).toBe("service shop-stg-api of cluster shop-stg is MISSING in ap-northeast-1: apply the stack first (pulumi up -s stg)");
    expect(aws.operations()).toEqual(["ecs:DescribeServices"]);
  });

  it("Ctrl-C: the task is stopped with who stopped it, and the tool exits 130", async () => {
    const aws = fakeTaskAws();
    aws.fake.script = { lines: ["started"], untilStopped: true };
    const abort = new AbortController();
    let sleeps = 0;
    const ctx = { ...aws.ctx, sleep: () => (++sleeps === 3 && abort.abort(), Promise.resolve()) };
    const result = outcome(await runWorkloadTask(ctx, workload(), request({ signal: abort.signal }), () => undefined));
    expect(taskExit(result)).toEqual({ code: 130, line: `interrupted: stopped ${aws.fake.tasks[0]!.arn}` });
    expect(aws.fake.calls.filter((c) => c.operation === "ecs:StopTask").map((c) => c.input)).toEqual([
      { cluster: "shop-stg", task: aws.fake.tasks[0]!.arn, reason: "task interrupted by alice@laptop" },
    ]);
  });

  it("outlives --timeout-minutes: stopped, and the error says where its logs are", async () => {
    const aws = fakeTaskAws();
    aws.fake.script = { untilStopped: true };
    const error = await failure(runWorkloadTask(aws.ctx, workload(), request({ timeoutMinutes: 1, pollSeconds: 20 }), () => undefined));
    const arn = aws.fake.tasks[0]!.arn;
    expect(error.message).toBe(`task timed out after 1 min and was stopped (${arn}); log group web-task-logs, stream app/app/${arn.split("/").pop()}`);
    expect(aws.fake.tasks[0]!.status).toBe("STOPPED");
  });
});

describe("npm run task: the edges of a run", () => {
  it("without --env, no environment override at all", async () => {
    const aws = fakeTaskAws();
    await runWorkloadTask(aws.ctx, workload(), request(), () => undefined);
    const run = aws.fake.calls.find((c) => c.operation === "ecs:RunTask")!.input;
    expect(run.overrides).toEqual({ containerOverrides: [{ name: "app", command: ["bin/rails", "runner", "Fix.run"] }] });
  });

  it("runs in every subnet and security group the workload has, not only the first", async () => {
    const aws = fakeTaskAws();
    await runWorkloadTask(
      aws.ctx,
      batchWorkload({ subnetIds: ["subnet-a", "subnet-c"], securityGroupIds: ["sg-batch", "sg-redis-clients"] }),
      request(),
      () => undefined,
    );
    const run = aws.fake.calls.find((c) => c.operation === "ecs:RunTask")!.input;
    expect(run.networkConfiguration).toEqual({
      awsvpcConfiguration: { subnets: ["subnet-a", "subnet-c"], securityGroups: ["sg-batch", "sg-redis-clients"], assignPublicIp: "DISABLED" },
    });
  });

  it("startedBy drops every dash a part starts or ends with", () => {
    expect(startedByTag("--task--", "web", "@@alice@@laptop@@")).toBe("task/web/alice-laptop");
  });

  it("the task's own container decides its exit code, whatever container ECS lists first", async () => {
    const aws = fakeTaskAws();
    aws.fake.script = { exitCode: 3, sidecar: "datadog-agent" };
    expect(taskExit(outcome(await runWorkloadTask(aws.ctx, workload(), request(), () => undefined))).code).toBe(3);
  });

  it("after the task ends, reads its log once more, after at most 2 s (CloudWatch Logs receives the last lines late)", async () => {
    for (const [pollSeconds, last] of [
      [5, 2000],
      [1, 1000],
    ] as const) {
      const aws = fakeTaskAws();
      const sleeps: number[] = [];
      const ctx = { ...aws.ctx, sleep: (ms: number) => (sleeps.push(ms), aws.ctx.sleep(ms)) };
      await runWorkloadTask(ctx, workload(), request({ pollSeconds }), () => undefined);
      expect(sleeps.at(-1)).toBe(last);
      expect(sleeps.slice(0, -1).every((ms) => ms === pollSeconds * 1000)).toBe(true);
    }
  });

  it("a container that does not log to CloudWatch Logs: said once, the task still followed to its end", async () => {
    const aws = fakeTaskAws();
    aws.fake.taskDefinitions.splice(0, 1, { arn: WEB_LIVE, container: "app", logGroup: "", streamPrefix: "" });
    aws.fake.script = { exitCode: 0 };
    expect(taskExit(outcome(await runWorkloadTask(aws.ctx, workload(), request(), () => undefined))).code).toBe(0);
    expect(aws.lines.filter((l) => l.includes("CloudWatch Logs"))).toEqual([
      "the container does not log to CloudWatch Logs (awslogs): its output is not shown here",
    ]);
    expect(aws.operations()).not.toContain("logs:GetLogEvents");
  });

  it("DescribeTaskDefinition denied: the operation named, for a batch's revision and for a task's log location", async () => {
    const batch = fakeTaskAws();
    batch.fake.denied.add("ecs:DescribeTaskDefinition");
    expect((await failure(runWorkloadTask(batch.ctx, batchWorkload(), request(), () => undefined))).message).toMatch(
      /^ECS DescribeTaskDefinition failed: AccessDeniedException: /,
    );
    const web = fakeTaskAws();
    web.fake.denied.add("ecs:DescribeTaskDefinition");
    expect((await failure(runWorkloadTask(web.ctx, workload(), request(), () => undefined))).message).toMatch(
      /^ECS DescribeTaskDefinition failed: AccessDeniedException: /,
    );
  });

  it("Ctrl-C by someone with a long name: the stop's reason is cut to the 255 characters ECS takes, and said", async () => {
    const aws = fakeTaskAws();
    aws.fake.script = { untilStopped: true };
    const interrupt = new AbortController();
    interrupt.abort();
    const ctx = { ...aws.ctx, who: `${"a".repeat(300)}@laptop` };
    await runWorkloadTask(ctx, workload(), request({ signal: interrupt.signal }), () => undefined);
    const stop = aws.fake.calls.find((c) => c.operation === "ecs:StopTask")!.input;
    expect(stop.reason).toBe(`task interrupted by ${"a".repeat(300)}@laptop`.slice(0, 255));
    expect(aws.lines).toContain(`task: interrupted; stopped ${aws.fake.tasks[0]!.arn}`);
  });
});
