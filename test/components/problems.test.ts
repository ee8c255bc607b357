import { describe, expect, it } from "vitest";
import { cronBatchProblems, type CronBatchArgs } from "../../components/batch/cron-batch";
import { redisProblems } from "../../components/data/redis";
import { deploymentProblems } from "../../components/deploy/deployment";
import { scalingProblems } from "../../components/ecs/autoscaling";
import { blueGreenServiceProblems, type BlueGreenServiceArgs } from "../../components/ecs/blue-green-service";
import { taskDefinitionProblems, type FargateTaskDefinitionArgs } from "../../components/ecs/task-definition";
import { workerServiceProblems, type WorkerServiceArgs } from "../../components/ecs/worker-service";
import { jobPlatformProblems, type JobPlatformArgs } from "../../components/jobs/job-platform";
import { healthCheckProblems } from "../../components/loadbalancing/health-check";
import { loadBalancerProblems } from "../../components/loadbalancing/load-balancer";
import { describeProblem, type Problem } from "../../components/problems";
import { CERT, IMAGE } from "../helpers/web";

// The checks every component runs before it creates anything, case by case, with their words.
const words = (problems: Problem[]) => problems.map(describeProblem);
const cluster = { clusterArn: "arn:aws:ecs:ap-northeast-1:123456789012:cluster/c", clusterName: "c" };
const task: FargateTaskDefinitionArgs = { family: "f", cpu: 256, memory: 512, container: { image: IMAGE } };
const ARN = "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:x-AbC123";

describe("shared checks", () => {
  it.each<[string, Problem[], string[]]>([
    [
      "scaling bounds",
      scalingProblems({ minCount: -1, maxCount: 0, cpuTargetPercent: 95 }),
      ["minCount -1 must be a whole number, at least 0", "maxCount 0 must be a whole number, at least 1", "cpuTargetPercent 95 is out of range (10-90)"],
    ],
    [
      "scaling bounds a JavaScript or YAML caller gives as text, or leaves out",
      scalingProblems({ minCount: undefined as never, maxCount: "4" as never }),
      ["minCount is required", 'maxCount "4" is text, not a number'],
    ],
    [
      "health check ranges",
      healthCheckProblems({ intervalSeconds: 3, timeoutSeconds: 1, healthyThreshold: 11, unhealthyThreshold: 1, matcher: "OK" }),
      [
        "intervalSeconds 3 is out of range (5-300)",
        "timeoutSeconds 1 is out of range (2-120)",
        "healthyThreshold 11 is out of range (2-10)",
        "unhealthyThreshold 1 is out of range (2-10)",
        'matcher "OK" is not HTTP codes like 200, 200-299 or 200,204',
      ],
    ],
    ["a ready wait past 2 days", deploymentProblems({ readyWaitMinutes: 3000 }), ["readyWaitMinutes 3000 is out of range (0-2880)"]],
    [
      "load balancer numbers",
      loadBalancerProblems({
        vpcId: "v",
        subnetIds: [],
        certificateArn: CERT,
        testListener: { allowedCidrs: ["10.0.0.0/8"] },
        accessLogRetentionInDays: 0,
        idleTimeoutSeconds: 5000,
      }),
      ["accessLogRetentionInDays 0 must be a whole number of days, at least 1", "idleTimeoutSeconds 5000 is out of range (1-4000)"],
    ],
    [
      "task definition details",
      taskDefinitionProblems({
        ...task,
        architecture: "ARM" as never,
        container: { image: IMAGE, name: "app container" },
        datadog: { apiKeySecretArn: "key", env: "e", service: "s" },
        logRouter: { options: {}, secretOptions: { apikey: "key" } },
        logRetentionInDays: 45 as never,
      }),
      [
        'architecture "ARM" is not one of "ARM64", "X86_64"',
        'container.name "app container" must be 1-255 letters, digits, - or _',
        "datadog.apiKeySecretArn a value that is not an ARN (3 characters, not repeated here: it may be the secret itself) is not a Secrets Manager secret ARN nor an SSM parameter ARN",
        "logRouter.secretOptions.apikey a value that is not an ARN (3 characters, not repeated here: it may be the secret itself) is not a Secrets Manager secret ARN nor an SSM parameter ARN",
        "logRetentionInDays 45 is not one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
      ],
    ],
  ])("%s", (_case, problems, expected) => {
    expect(words(problems)).toEqual(expected);
  });
});

describe("service checks", () => {
  const web = (extra: Partial<BlueGreenServiceArgs>): BlueGreenServiceArgs => ({
    serviceName: "web",
    cluster,
    vpcId: "v",
    subnetIds: [],
    loadBalancer: undefined as never,
    task: { ...task, container: { image: IMAGE, port: 80 } },
    ...extra,
  });
  const worker = (extra: Partial<WorkerServiceArgs>): WorkerServiceArgs => ({ serviceName: "w", cluster, vpcId: "v", subnetIds: [], task, ...extra });

  it("names every bad argument of a web service", () => {
    expect(
      words(blueGreenServiceProblems(web({ serviceName: "web app", desiredCount: -1, deregistrationDelaySeconds: 4000, healthCheckGracePeriodSeconds: -1 }))),
    ).toEqual([
      'serviceName "web app" must be 1-255 letters, digits, - or _',
      "desiredCount -1 must be a whole number, at least 0",
      "deregistrationDelaySeconds 4000 is out of range (0-3600)",
      "healthCheckGracePeriodSeconds -1 must be a whole number, at least 0",
    ]);
  });

  // The bounds of each range, on both sides: what the mutation run of blue-green-service.ts found untested.
  it.each<[string, Partial<BlueGreenServiceArgs>, string[]]>([
    ["a drain of 0 and 3600 seconds, and no grace", { deregistrationDelaySeconds: 0, healthCheckGracePeriodSeconds: 0 }, []],
    ["the longest drain and grace", { deregistrationDelaySeconds: 3600, healthCheckGracePeriodSeconds: 2147483647 }, []],
    ["a drain below 0", { deregistrationDelaySeconds: -1 }, ["deregistrationDelaySeconds -1 is out of range (0-3600)"]],
    ["a drain above 3600", { deregistrationDelaySeconds: 3601 }, ["deregistrationDelaySeconds 3601 is out of range (0-3600)"]],
    ["a fraction of a second of drain", { deregistrationDelaySeconds: 2.5 }, ["deregistrationDelaySeconds 2.5 is out of range (0-3600)"]],
    ["a fraction of a second of grace", { healthCheckGracePeriodSeconds: 1.5 }, ["healthCheckGracePeriodSeconds 1.5 must be a whole number, at least 0"]],
    [
      "a grace ECS cannot store",
      { healthCheckGracePeriodSeconds: 2147483648 },
      ["healthCheckGracePeriodSeconds 2147483648 must be a whole number, at least 0"],
    ],
  ])("web service: %s", (_case, extra, expected) => {
    expect(words(blueGreenServiceProblems(web(extra)))).toEqual(expected);
  });

  it("names every bad argument of a worker", () => {
    expect(words(workerServiceProblems(worker({ minimumHealthyPercent: 120, capacityProviderStrategy: [] })))).toEqual([
      "capacityProviderStrategy needs at least one provider with a weight above 0",
      "minimumHealthyPercent 120 is out of range (0-100)",
    ]);
  });
});

describe("batch, cache and job platform checks", () => {
  const batch = (extra: Partial<CronBatchArgs>): CronBatchArgs => ({
    batchName: "b",
    schedule: "rate(1 hour)",
    platform: undefined as never,
    cluster,
    vpcId: "v",
    subnetIds: [],
    task,
    command: ["x"],
    timeoutSeconds: 60,
    ...extra,
  });

  it("names every bad argument of a batch", () => {
    expect(
      words(
        cronBatchProblems(
          batch({
            batchName: "nightly batch",
            logRetentionInDays: 45 as never,
            infrastructureRetry: { intervalSeconds: 0, backoffRate: 20 },
            parameters: { "target-date": "" },
          }),
        ),
      ),
    ).toEqual([
      'batchName "nightly batch" must be 1-64 letters, digits, -, _ or .',
      'environment "target-date" is not a variable name (letters, digits and _, not starting with a digit)',
      "infrastructureRetry.intervalSeconds 0 must be a whole number, at least 1",
      "infrastructureRetry.backoffRate 20 is out of range (1-10)",
      "logRetentionInDays 45 is not one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
    ]);
  });

  it("a batch's timeout left out is required, not out of range", () => {
    expect(words(cronBatchProblems(batch({ timeoutSeconds: undefined })))).toEqual(["timeoutSeconds is required"]);
  });

  it("names every bad argument of a cache", () => {
    expect(words(redisProblems({ engine: "memcached" as never, snapshotRetentionDays: 40, maintenanceWindow: "monday 3am" }))).toEqual([
      'engine "memcached" is not one of "valkey", "redis"',
      "snapshotRetentionDays 40 is out of range (0-35)",
      'maintenanceWindow "monday 3am" is not ddd:hh:mm-ddd:hh:mm (UTC)',
    ]);
  });

  it("names every bad argument of a job platform", () => {
    const args: JobPlatformArgs = {
      namePrefix: "p",
      cluster,
      vpcId: "v",
      subnetIds: [],
      dataSubnetIds: [],
      namespaces: { back: "back jobs" },
      backWorkers: { Default: { task: { ...task, container: { image: IMAGE, secrets: { REDIS_AUTH_TOKEN: ARN } } } } },
      scheduler: { task },
    };
    expect(words(jobPlatformProblems(args))).toEqual([
      'namespaces.back "back jobs" must be 1-64 letters, digits, :, _ or -',
      "backWorkers.Default is not a group name (1-16 lowercase letters, digits, -; starts with a letter)",
      "backWorkers.Default.task.container sets REDIS_AUTH_TOKEN, which the platform provides",
    ]);
  });
});
