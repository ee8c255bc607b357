import { describe, expect, it } from "vitest";
import { loadStackConfig } from "../../infra/config/load";
import { configProblems, minimalConfig } from "../helpers/config";

type Jobs = Record<string, unknown>;
const proc = (command: string) => ({ image: "shop-web:1", cpu: 256, memory: 512, command: ["bundle", "exec", command] });
const jobs = (): Jobs => ({ back: { default: proc("sidekiq") }, scheduler: proc("scheduler"), periodic: { default: proc("sidekiq") } });
const config = (j: Jobs) => minimalConfig({ "infra:jobs": j });

const problemsOf = (j: Jobs) => configProblems(config(j));

describe("infra:jobs", () => {
  it("fills the defaults: valkey, back/periodic namespaces, on-demand, 60 s stop timeout", () => {
    expect(loadStackConfig(config(jobs())).jobs).toMatchObject({
      redis: { engine: "valkey", nodes: 1, multiAz: false, maintenanceWindow: "sun:18:00-sun:19:00", snapshotWindow: "16:00-17:00" },
      namespaces: { back: "back", periodic: "periodic" },
      back: { default: { stopTimeoutSeconds: 60, capacity: { onDemandBase: 0, onDemandWeight: 1, spotWeight: 0 } } },
    });
  });

  it.each<[string, (j: Jobs) => void, string]>([
    [
      "two schedulers",
      (j) => (j.scheduler = { ...proc("scheduler"), desiredCount: 2 }),
      "infra:jobs.scheduler.desiredCount: 2: the scheduler runs exactly 1 task (two would enqueue every tick twice outside a rolling update)",
    ],
    [
      "a Spot scheduler",
      (j) => (j.scheduler = { ...proc("scheduler"), spot: true }),
      "infra:jobs.scheduler.spot: the scheduler runs on on-demand Fargate only (a Spot interruption would leave no scheduler and skip ticks)",
    ],
    [
      "an autoscaled scheduler",
      (j) => (j.scheduler = { ...proc("scheduler"), autoscaling: { minCount: 1, maxCount: 2 } }),
      "infra:jobs.scheduler.autoscaling: unknown key (allowed keys: image, cpu, memory, architecture, command, environment, secrets, datadog, shell, stopTimeoutSeconds, desiredCount, spot)",
    ],
    [
      "one namespace for both",
      (j) => (j.namespaces = { back: "jobs", periodic: "jobs" }),
      'infra:jobs.namespaces.periodic: "jobs" is the back namespace too; the two must differ',
    ],
    [
      "a stop timeout past 120 s",
      (j) => (j.back = { default: { ...proc("sidekiq"), stopTimeoutSeconds: 300 } }),
      "infra:jobs.back.default.stopTimeoutSeconds: 300 is more than 120",
    ],
    [
      "no capacity weight",
      (j) => (j.back = { default: { ...proc("sidekiq"), capacity: { onDemandWeight: 0 } } }),
      "infra:jobs.back.default.capacity: onDemandWeight and spotWeight are both 0; one must be above 0",
    ],
    ["multi-AZ Redis on one node", (j) => (j.redis = { multiAz: true }), "infra:jobs.redis.multiAz: needs at least 2 nodes (a replica to fail over to), got 1"],
    [
      "a node type that is none",
      (j) => (j.redis = { nodeType: "t4g.small" }),
      'infra:jobs.redis.nodeType: "t4g.small" is not an ElastiCache node type (like cache.t4g.small)',
    ],
    [
      "a worker that sets REDIS_URL",
      (j) => (j.back = { default: { ...proc("sidekiq"), environment: { REDIS_URL: "redis://localhost" } } }),
      "infra:jobs.back.default: sets REDIS_URL, which the platform provides",
    ],
    ["no scheduler", (j) => delete j.scheduler, "infra:jobs.scheduler: is required"],
  ])("rejects %s", (_case, change, expected) => {
    const j = jobs();
    change(j);
    expect(problemsOf(j)).toEqual([expected]);
  });
});
