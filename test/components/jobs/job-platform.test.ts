import type { ContainerDefinition } from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import { JobPlatform, type JobPlatformArgs } from "../../../components/jobs/job-platform";
import type { Plan } from "../../../offline-plan/plan";
import { byType, jsonInput, named, planOf, planAttempt } from "../../helpers/plan";
import { IMAGE } from "../../helpers/web";

const task = (family: string) => ({ family, cpu: 256, memory: 512, container: { image: IMAGE, command: ["bundle", "exec", family] } });
const args = (extra: Partial<JobPlatformArgs> = {}): JobPlatformArgs => ({
  namePrefix: "shop",
  cluster: { clusterArn: "arn:aws:ecs:ap-northeast-1:123456789012:cluster/shop", clusterName: "shop" },
  vpcId: "vpc-1",
  subnetIds: ["private-a"],
  dataSubnetIds: ["isolated-a"],
  backWorkers: { default: { task: task("back"), desiredCount: 2 } },
  scheduler: { task: task("scheduler") },
  periodicWorkers: { default: { task: task("periodic"), desiredCount: 2 } },
  ...extra,
});
const planJobs = (extra: Partial<JobPlatformArgs> = {}) => planOf(() => new JobPlatform("jobs", args(extra)));
const containers = (plan: Plan, name: string) => jsonInput<ContainerDefinition[]>(named(plan, name), "containerDefinitions");
const envOf = (plan: Plan, name: string): Record<string, string | undefined> =>
  Object.fromEntries((containers(plan, name)[0]!.environment ?? []).map((e): [string, string | undefined] => [e.name ?? "", e.value]));

describe("JobPlatform scheduler", () => {
  it("runs exactly one scheduler, min 100 % / max 200 % (never zero), on-demand, circuit breaker on, not autoscaled", async () => {
    const plan = await planJobs();
    const scheduler = named(plan, "jobs-scheduler-service");
    expect(scheduler.inputs).toMatchObject({
      name: "shop-scheduler",
      desiredCount: 1,
      deploymentMinimumHealthyPercent: 100,
      deploymentMaximumPercent: 200,
      deploymentCircuitBreaker: { enable: true, rollback: true },
      capacityProviderStrategies: [{ capacityProvider: "FARGATE", weight: 1, base: 0 }],
    });
    expect(scheduler.options.ignoreChanges).toEqual([]);
    expect(byType(plan, "aws:appautoscaling/target:Target").filter((t) => String(t.inputs.resourceId).endsWith("/shop-scheduler"))).toEqual([]);
  });

  it.each<[string, Partial<JobPlatformArgs["scheduler"]>, string]>([
    [
      "two schedulers",
      { desiredCount: 2 as never },
      "scheduler.desiredCount 2: the scheduler runs exactly 1 task (two would enqueue every tick twice outside a rolling update)",
    ],
    [
      "a Spot scheduler",
      { spot: true as never },
      "scheduler.spot the scheduler runs on on-demand Fargate only (a Spot interruption would leave no scheduler and skip ticks)",
    ],
  ])("refuses %s before creating anything", async (_case, change, problem) => {
    const { message, plan } = await planAttempt(() => {
      new JobPlatform("jobs", args({ scheduler: { task: task("scheduler"), ...change } }));
    });
    expect(message).toBe(`JobPlatform "jobs": ${problem}`);
    expect(plan.resources).toEqual([]);
  });
});

describe("JobPlatform namespaces", () => {
  it("gives back workers `back`, and the scheduler and periodic workers `periodic`, with the cache's TLS address", async () => {
    const plan = await planJobs();
    expect(envOf(plan, "jobs-back-default-task-def").REDIS_NAMESPACE).toBe("back");
    expect(envOf(plan, "jobs-scheduler-task-def").REDIS_NAMESPACE).toBe("periodic");
    expect(envOf(plan, "jobs-periodic-default-task-def").REDIS_NAMESPACE).toBe("periodic");
    for (const name of ["jobs-back-default-task-def", "jobs-scheduler-task-def", "jobs-periodic-default-task-def"]) {
      expect(envOf(plan, name).REDIS_URL).toMatch(/^rediss:\/\/master\.jobs-redis-group-[0-9a-f]{7}\..*:6379$/);
    }
  });

  it("takes other names, but never the same for both", async () => {
    const plan = await planJobs({ namespaces: { back: "shop:back", periodic: "shop:cron" } });
    expect(envOf(plan, "jobs-scheduler-task-def").REDIS_NAMESPACE).toBe("shop:cron");
    const { message } = await planAttempt(() => {
      new JobPlatform("jobs", args({ namespaces: { back: "jobs", periodic: "jobs" } }));
    });
    expect(message).toBe('JobPlatform "jobs": namespaces.periodic "jobs" is the back namespace too; the two must differ');
  });
});

describe("JobPlatform security", () => {
  it("hands the auth token to every task as a secret, never as plaintext", async () => {
    const plan = await planJobs();
    for (const def of byType(plan, "aws:ecs/taskDefinition:TaskDefinition")) {
      const [app] = jsonInput<ContainerDefinition[]>(def, "containerDefinitions");
      expect(app!.secrets).toContainEqual({
        name: "REDIS_AUTH_TOKEN",
        valueFrom: expect.stringMatching(/^arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:jobs-redis-auth-/) as string,
      });
      expect(JSON.stringify(def.inputs.containerDefinitions)).not.toContain("offline-plan-");
    }
    const policy = jsonInput<{ Statement: { Sid: string; Resource: string[] }[] }>(named(plan, "jobs-scheduler-task-execution-policy"), "policy");
    expect(policy.Statement.find((s) => s.Sid === "Secrets")!.Resource).toEqual([expect.stringMatching(/:secret:jobs-redis-auth-/) as string]);
  });

  it("lets only the job services (members of the client group) reach 6379; workers have no ingress", async () => {
    const plan = await planJobs();
    const ingress = byType(plan, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
    expect(ingress.map((r) => [r.inputs.securityGroupId, r.inputs.referencedSecurityGroupId, r.inputs.fromPort])).toEqual([
      ["jobs-redis-sg-id", "jobs-redis-clients-sg-id", 6379],
    ]);
    const members = byType(plan, "aws:ecs/service:Service").map((s) => [
      s.name,
      (s.inputs.networkConfiguration as { securityGroups: string[] }).securityGroups,
    ]);
    expect(members).toEqual([
      ["jobs-back-default-service", ["jobs-back-default-sg-id", "jobs-redis-clients-sg-id"]],
      ["jobs-periodic-default-service", ["jobs-periodic-default-sg-id", "jobs-redis-clients-sg-id"]],
      ["jobs-scheduler-service", ["jobs-scheduler-sg-id", "jobs-redis-clients-sg-id"]],
    ]);
  });

  it("refuses a task that sets the variables the platform provides", async () => {
    const { message } = await planAttempt(() => {
      new JobPlatform(
        "jobs",
        args({ backWorkers: { default: { task: { ...task("back"), container: { image: IMAGE, environment: { REDIS_URL: "redis://localhost" } } } } } }),
      );
    });
    expect(message).toBe('JobPlatform "jobs": backWorkers.default.task.container sets REDIS_URL, which the platform provides');
  });
});

describe("JobPlatform transform", () => {
  it("hands each group's transform to its service, the scheduler's to the scheduler, Redis's to Redis", async () => {
    const plan = await planJobs({
      backWorkers: { default: { task: task("back"), transform: { service: { availabilityZoneRebalancing: "ENABLED" } } } },
      scheduler: { task: task("scheduler"), transform: { securityGroup: { revokeRulesOnDelete: true } } },
      redis: { transform: { replicationGroup: { notificationTopicArn: "arn:aws:sns:ap-northeast-1:123456789012:cache" } } },
    });
    expect(named(plan, "jobs-back-default-service").inputs.availabilityZoneRebalancing).toBe("ENABLED");
    expect(named(plan, "jobs-periodic-default-service").inputs.availabilityZoneRebalancing).toBeUndefined();
    expect(named(plan, "jobs-scheduler-sg").inputs.revokeRulesOnDelete).toBe(true);
    expect(named(plan, "jobs-redis-group").inputs.notificationTopicArn).toBe("arn:aws:sns:ap-northeast-1:123456789012:cache");
  });
});

describe("JobPlatform refusals, each naming where it is", () => {
  it.each<[string, Partial<JobPlatformArgs>, string]>([
    [
      "a group name with a character after a valid start",
      { backWorkers: { back_1: { task: task("back") } } },
      "backWorkers.back_1 is not a group name (1-16 lowercase letters, digits, -; starts with a letter)",
    ],
    [
      "a periodic group that goes blue/green",
      { periodicWorkers: { default: { task: task("periodic"), blueGreen: true } } },
      "periodicWorkers.default.blueGreen only back workers go blue/green (they follow the web service that enqueues into them)",
    ],
    [
      "a back group's stop timeout past Fargate's",
      { backWorkers: { default: { task: task("back"), stopTimeoutSeconds: 500 } } },
      "backWorkers.default.stopTimeoutSeconds 500 is out of range (2-120, Fargate's maximum)",
    ],
    [
      "a periodic group's stop timeout past Fargate's",
      { periodicWorkers: { default: { task: task("periodic"), stopTimeoutSeconds: 500 } } },
      "periodicWorkers.default.stopTimeoutSeconds 500 is out of range (2-120, Fargate's maximum)",
    ],
    ["a cache of 7 nodes", { redis: { nodes: 7 } }, "redis.nodes 7 is out of range (1-6)"],
    [
      "a scheduler that sets a variable the platform provides",
      { scheduler: { task: { ...task("scheduler"), container: { ...task("scheduler").container, environment: { REDIS_URL: "redis://x" } } } } },
      "scheduler.task.container sets REDIS_URL, which the platform provides",
    ],
  ])("refuses %s, with nothing registered", async (_case, extra, message) => {
    const { message: got, plan } = await planAttempt(() => new JobPlatform("jobs", args(extra)));
    expect(got).toBe(`JobPlatform "jobs": ${message}`);
    expect(plan.resources).toEqual([]);
  });

  it("takes a scheduler that says what it must be anyway: one task, on-demand", async () => {
    const plan = await planJobs({ scheduler: { task: task("scheduler"), desiredCount: 1, spot: false } });
    expect(named(plan, "jobs-scheduler-service").inputs).toMatchObject({ desiredCount: 1 });
  });
});

describe("JobPlatform settings handed to its services", () => {
  it("gives each group its stop timeout, the scheduler its own, and every child the tags", async () => {
    const plan = await planJobs({
      backWorkers: { default: { task: task("back"), stopTimeoutSeconds: 90 } },
      scheduler: { task: task("scheduler"), stopTimeoutSeconds: 100 },
      tags: { team: "sre" },
    });
    expect(containers(plan, "jobs-back-default-task-def")[0]!.stopTimeout).toBe(90);
    expect(containers(plan, "jobs-scheduler-task-def")[0]!.stopTimeout).toBe(100);
    expect(containers(plan, "jobs-periodic-default-task-def")[0]!.stopTimeout).toBe(60);
    for (const name of ["jobs-back-default-service", "jobs-scheduler-service", "jobs-redis-group"]) {
      expect(named(plan, name).inputs.tags, name).toMatchObject({ team: "sre" });
    }
  });
});
