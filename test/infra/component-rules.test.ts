// One rule, one wording: every value of a stack config that a component would refuse is refused
// by the loader, at the config key, with the component's own message. The expected line is built
// from the component's check itself, so a rule re-stated in the config schema (with its own
// bounds or words) fails here.
import { describe, expect, it } from "vitest";
import { batchRunProblems } from "../../components/batch/cron-batch";
import { redisProblems } from "../../components/data/redis";
import { drainProblems, releaseProblems } from "../../components/deploy/release";
import { scalingProblems } from "../../components/ecs/autoscaling";
import { stopTimeoutProblem } from "../../components/ecs/fargate";
import { albSettingsProblems, testListenerProblems } from "../../components/loadbalancing/load-balancer";
import type { Problem } from "../../components/problems";
import { configProblems, minimalConfig } from "../helpers/config";

const CERT = "arn:aws:acm:ap-northeast-1:123456789012:certificate/0b5a2e0c-1d4f-4a51-9c1e-6f2d8a7b3c41";
const proc = (command: string) => ({ image: "shop-web:1", cpu: 256, memory: 512, command: ["bundle", "exec", command] });
const web = { image: "shop-web:1", cpu: 256, memory: 512, port: 8080, certificateArn: CERT, testListener: { allowedCidrs: ["10.0.0.0/8"] } };
const batch = { schedule: "cron(5 0 * * ? *)", image: "shop-web:1", cpu: 512, memory: 1024, command: ["./batch-cli", "clearing"], timeoutSeconds: 3600 };

/** A config whose value at `key` (below the `infra:` namespace) is `value`, valid otherwise. */
function configWith(key: string, value: unknown): Record<string, unknown> {
  const config = {
    "infra:services": { web },
    "infra:batches": { clearing: batch },
    "infra:jobs": {
      back: { default: { ...proc("sidekiq"), release: "blueGreen", enqueuedBy: ["web"], drain: { command: ["bin/jobs-drained"] } } },
      scheduler: proc("scheduler"),
      periodic: { default: proc("sidekiq") },
    },
  } as Record<string, unknown>;
  const [top, ...path] = key.split(".");
  if (path.length === 0) return minimalConfig({ ...config, [`infra:${top}`]: value });
  let node = config[`infra:${top}`] as Record<string, unknown>;
  path.slice(0, -1).forEach((part) => {
    node[part] = { ...(node[part] as Record<string, unknown> | undefined) };
    node = node[part] as Record<string, unknown>;
  });
  node[path.at(-1)!] = value;
  return minimalConfig(config);
}

/** What the loader must say: each of the component's problems, at `key` plus the problem's field. */
const expected = (key: string, problems: readonly Problem[]) => problems.map((p) => `infra:${key}.${p.field}: ${p.message}`);

/** A component's one-value check as the problem of `field`. */
const asProblems = (field: string, message: string | undefined): Problem[] => (message ? [{ field, message }] : []);

/** A component's problems of a nested argument (`migration.command`) as the config's (`command`). */
const unprefixed = (prefix: string) => (p: Problem) => ({ ...p, field: p.field.replace(new RegExp(`^${prefix}\\.`), "") });

/** Rows: where the component's args sit in the config, the args with one bad value, the component's check. */
type Row = [string, Record<string, unknown>, (args: never) => readonly Problem[]];

const tables: Record<string, Row[]> = {
  "CronBatch (batchRunProblems)": [
    ["batches.clearing", { ...batch, timeoutSeconds: 30 }, batchRunProblems],
    ["batches.clearing", { ...batch, timeoutSeconds: 604801 }, batchRunProblems],
    ["batches.clearing", { ...batch, infrastructureRetry: { attempts: 11 } }, batchRunProblems],
    ["batches.clearing", { ...batch, taskFailureRetry: { intervalSeconds: 0.5 } }, batchRunProblems],
    ["batches.clearing", { ...batch, infrastructureRetry: { backoffRate: 0.5 } }, batchRunProblems],
    ["batches.clearing", { ...batch, description: "x".repeat(513) }, batchRunProblems],
    ["batches.clearing", { ...batch, command: [] }, batchRunProblems],
  ],
  "LoadBalancer (testListenerProblems, albSettingsProblems)": [
    ["services.web.testListener", { allowedCidrs: [] }, testListenerProblems],
    ["services.web.testListener", { port: 443, allowedCidrs: ["10.0.0.0/8"] }, testListenerProblems],
    ["services.web.testListener", { allowedCidrs: ["0.0.0.0/0"] }, testListenerProblems],
    ["services.web.loadBalancer", { idleTimeoutSeconds: 4001 }, albSettingsProblems],
    [
      "services.web.loadBalancer",
      { accessLogRetentionDays: 0 },
      // The config key is accessLogRetentionDays, the component's arg accessLogRetentionInDays.
      (lb: { accessLogRetentionDays: number }) =>
        albSettingsProblems({ accessLogRetentionInDays: lb.accessLogRetentionDays }).map((p) => ({ ...p, field: "accessLogRetentionDays" })),
    ],
  ],
  "FargateTaskDefinition and WorkerService (stopTimeoutProblem)": [
    [
      "jobs.back.default",
      { ...proc("sidekiq"), stopTimeoutSeconds: 121 },
      (g: { stopTimeoutSeconds: number }) => asProblems("stopTimeoutSeconds", stopTimeoutProblem(g.stopTimeoutSeconds)),
    ],
    [
      "jobs.scheduler",
      { ...proc("scheduler"), stopTimeoutSeconds: 1.5 },
      (g: { stopTimeoutSeconds: number }) => asProblems("stopTimeoutSeconds", stopTimeoutProblem(g.stopTimeoutSeconds)),
    ],
  ],
  "ServiceAutoscaling (scalingProblems)": [
    ["jobs.periodic.default.autoscaling", { minCount: -1, maxCount: 2 }, scalingProblems],
    ["jobs.periodic.default.autoscaling", { minCount: 0, maxCount: 0 }, scalingProblems],
    ["jobs.periodic.default.autoscaling", { minCount: 3, maxCount: 2 }, scalingProblems],
    ["jobs.back.default.autoscaling", { minCount: 1, maxCount: 2, cpuTargetPercent: 95 }, scalingProblems],
    ["services.web.autoscaling", { minCount: 2, maxCount: 4, cpuTargetPercent: 5 }, scalingProblems],
  ],
  "Redis (redisProblems)": [
    ["jobs.redis", { nodes: 7 }, redisProblems],
    ["jobs.redis", { nodes: 1.5 }, redisProblems],
    ["jobs.redis", { snapshotRetentionDays: 36 }, redisProblems],
    ["jobs.redis", { multiAz: true, nodes: 1 }, redisProblems],
    ["jobs.redis", { nodeType: "m5.large" }, redisProblems],
    ["jobs.redis", { maintenanceWindow: "sun:16:30-sun:17:00" }, redisProblems],
  ],
  "Release, a migration and the release settings (releaseProblems)": [
    ["services.web.migration", { command: [] }, (c: { command: string[] }) => releaseProblems({ migration: c }).map(unprefixed("migration"))],
    [
      "services.web.postRelease",
      { command: ["bin/clear", ""] },
      (c: { command: string[] }) => releaseProblems({ postRelease: c }).map(unprefixed("postRelease")),
    ],
    [
      "services.web.migration",
      { command: ["bin/migrate"], timeoutMinutes: 0 },
      (c: { command: string[]; timeoutMinutes: number }) => releaseProblems({ migration: c }).map(unprefixed("migration")),
    ],
    ["release", { holdMinutes: 2000 }, (settings: { holdMinutes: number }) => releaseProblems({ settings }).map(unprefixed("settings"))],
  ],
  "Release, a colour group's drain (drainProblems)": [
    ["jobs.back.default.drain", { command: ["bin/jobs-drained"], timeoutMinutes: 0 }, drainProblems],
    ["jobs.back.default.drain", { command: ["bin/jobs-drained"], timeoutMinutes: 1441 }, drainProblems],
    ["jobs.back.default.drain", { command: ["bin/jobs-drained"], intervalSeconds: 2 }, drainProblems],
    ["jobs.back.default.drain", { command: [""] }, drainProblems],
  ],
};

for (const [component, rows] of Object.entries(tables)) {
  describe(`the loader refuses what ${component} refuses, in its words`, () => {
    it.each(rows)("infra:%s = %j", (key, args, check) => {
      const own = check(args as never);
      // The row is a real refusal of the component's: the test would prove nothing otherwise.
      expect(own.length).toBeGreaterThan(0);
      expect(configProblems(configWith(key, args))).toEqual(expected(key, own));
    });
  });
}
