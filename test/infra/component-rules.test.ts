// One rule, one wording: every value of a stack config that a component would refuse is refused
// by the loader, at the config key, with the component's own message. The expected line is built
// from the component's check itself, so a rule re-stated in the config schema (with its own
// bounds or words) fails here.
import { describe, expect, it } from "vitest";
import { batchRunProblems } from "../../components/batch/cron-batch";
import { redisProblems } from "../../components/data/redis";
import { drainProblems, oneOffCommandProblems, releaseSettingsProblems } from "../../components/deploy/release";
import { scalingProblems } from "../../components/ecs/autoscaling";
import { stopTimeoutProblem } from "../../components/ecs/fargate";
import { albSettingsProblems, testListenerProblems } from "../../components/loadbalancing/load-balancer";
import type { Problem } from "../../components/problems";
import { configProblems, minimalConfig } from "../helpers/config";
import { type ConfigFlow, configFlows } from "../helpers/config-flow";

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
    ["services.web.loadBalancer", { accessLogRetentionInDays: 0 }, albSettingsProblems],
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
    ["services.web.migration", { command: [] }, oneOffCommandProblems],
    ["services.web.postRelease", { command: ["bin/clear", ""] }, oneOffCommandProblems],
    ["services.web.migration", { command: ["bin/migrate"], timeoutMinutes: 0 }, oneOffCommandProblems],
    ["release", { holdMinutes: 2000 }, releaseSettingsProblems],
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

// One default, one name: where a stack file's key becomes a component's argument (found in
// `stacks/*.ts` by the TypeScript checker), the key carries the argument's name and no default of
// its own: left unset, the component's default applies, written once where the behaviour lives.

/** Keys the stacks hand to an argument of another name, and why the name differs. */
const NAMED_OTHERWISE: Readonly<Record<string, { readonly args: readonly string[]; readonly why: string }>> = {
  name: { args: ["clusterName", "namePrefix", "cluster"], why: "the stack's one name prefix, that several components take for their own names" },
  shell: { args: ["enableExecuteCommand"], why: "the stack says whether SREs may open a shell; the task gets ECS Exec (and its permissions) for it" },
  cidr: { args: ["cidrBlock"], why: "read from every stack's file by the overlap check of the others (neighbours.ts): a rename would reach each" },
  azs: { args: ["availabilityZones"], why: "as cidr, and the loader checks them against aws:region" },
  release: { args: ["settings"], why: "one infra:release for the stack gives every service's Release its settings" },
  protectData: { args: ["protectLogs"], why: "one stack-wide switch; the load balancer protects what it holds: its logs" },
  maxMinutes: { args: ["shellMaxMinutes"], why: "infra:shell.maxMinutes: its section says what the minutes are of" },
  onDemandBase: { args: ["base"], why: "capacity is the config's own shape, turned into a capacity provider strategy by stacks/jobs.ts" },
  onDemandWeight: { args: ["weight"], why: "as onDemandBase" },
  spotWeight: { args: ["weight"], why: "as onDemandBase" },
};

/** Keys whose default the config keeps, and why no component has it. */
const CONFIG_DEFAULTS: Readonly<Record<string, string>> = {
  onDemandBase: "capacity is the config's own shape (see NAMED_OTHERWISE); its defaults say what a strategy of FARGATE only means in it",
  onDemandWeight: "as onDemandBase",
  spotWeight: "as onDemandBase",
  maxMinutes: "a setting of the shell tool, written into the stack's workloads output: no component has it",
};

/** A default the schema sets itself (an empty `{}` or `[]` is no value: it stands for the absence of entries). */
const OWN_DEFAULT = /\.(default|prefault)\((?!\{\}\)|\[\]\))/;

/** The flows whose key is named otherwise than its argument, without a reason above. */
const renamedFlows = (flows: readonly ConfigFlow[]) =>
  flows.filter((f) => f.arg !== f.key && !(NAMED_OTHERWISE[f.key]?.args.includes(f.arg) ?? false)).map((f) => `${f.at}: ${f.arg} ← ${f.key}`);

/** The flows whose key has a default of the config's own, without a reason above. */
const defaultedFlows = (flows: readonly ConfigFlow[]) =>
  flows.filter((f) => OWN_DEFAULT.test(f.schema) && CONFIG_DEFAULTS[f.key] === undefined).map((f) => `${f.at}: ${f.key} = ${f.schema.replace(/\s+/g, " ")}`);

describe("a stack file's key and the component argument it fills", () => {
  const flows = configFlows();

  it("are found wherever the stacks hand one to the other (the list follows stacks/)", () => {
    // Every component of the stacks is fed from the config somewhere: a checker that finds none is broken.
    const args = new Set(flows.map((f) => f.arg));
    for (const arg of ["accessLogRetentionInDays", "logRetentionInDays", "retentionInDays", "execLogRetentionInDays", "timezone", "sslPolicy"]) {
      expect(args, arg).toContain(arg);
    }
  });

  it("carry one name, the component's (or a reason why not)", () => {
    expect(renamedFlows(flows)).toEqual([]);
  });

  it("leave the default to the component: the config sets none of its own (or says why)", () => {
    expect(defaultedFlows(flows)).toEqual([]);
  });

  it("refuse what they guard against: a renamed key, a default written twice (planted)", () => {
    const planted: ConfigFlow = { at: "stacks/web.ts:1", arg: "accessLogRetentionInDays", key: "accessLogRetentionDays", schema: "z.number().default(90)" };
    expect(renamedFlows([planted])).toEqual(["stacks/web.ts:1: accessLogRetentionInDays ← accessLogRetentionDays"]);
    expect(defaultedFlows([planted])).toEqual(["stacks/web.ts:1: accessLogRetentionDays = z.number().default(90)"]);
    // An empty map or list is no default; a reasoned key keeps its own.
    expect(defaultedFlows([{ ...planted, key: "tags", schema: "z.record(z.string(), z.string()).default({})" }])).toEqual([]);
    expect(defaultedFlows([{ ...planted, key: "maxMinutes", schema: "z.number().default(60)" }])).toEqual([]);
  });

  it("tells a stack file that still has an old key its new name", () => {
    expect(configProblems(configWith("services.web.loadBalancer", { accessLogRetentionDays: 30 }))).toEqual([
      "infra:services.web.loadBalancer.accessLogRetentionDays: renamed to accessLogRetentionInDays (the name its component gives it; CHANGELOG, Upgrading)",
    ]);
  });
});
