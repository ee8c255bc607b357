import { describe, expect, it } from "vitest";
import { monitorBody } from "../../../components/monitoring/body";
import { monitorsFor, silenceWindowHours, type Workload } from "../../../components/monitoring/catalog";
import { KNOWN_METRICS, metricsIn, SCOPE_TAGS, scopeKeysIn } from "../../../components/monitoring/metrics";
import { handleProblem, notificationBlock, routingProblems, stackRouting } from "../../../components/monitoring/routing";
import { datadogProblems } from "../../helpers/datadog";
import { WORKLOADS } from "./fixtures";

const CTX = { env: "test", team: "sre", runbookUrl: "https://runbooks.example.com/shop" };
const ROUTING = stackRouting("@slack-shop-alerts", "@pagerduty-shop-test");

describe("the monitor catalog", () => {
  it("gives each kind the monitors the issue lists", () => {
    const keys = Object.fromEntries(WORKLOADS.map((w) => [w.kind, monitorsFor(w).map((m) => m.key)]));
    expect(keys).toEqual({
      web: ["web-5xx", "web-latency", "web-unhealthy", "web-running", "web-cpu", "web-memory", "web-deployment", "web-waf"],
      worker: ["back-default-running", "back-default-cpu", "back-default-memory"],
      scheduler: ["scheduler-not-one", "scheduler-cpu", "scheduler-memory"],
      batch: ["batch-clearing-failed", "batch-clearing-silent"],
      redis: ["redis-cpu", "redis-memory", "redis-evictions", "redis-connections", "redis-replication-lag"],
      queue: ["batch-dlq-messages"],
    });
  });

  it("watches the web ACL's blocked requests in block mode, its counted requests in count mode, never paging", () => {
    const web = WORKLOADS.find((w) => w.kind === "web")!;
    if (web.kind !== "web") throw new Error("no web fixture");
    const waf = (mode: "count" | "block") =>
      monitorsFor({ ...web, waf: { aclName: "shop-web", mode, alertPer10Minutes: 250 } }).find((m) => m.key === "web-waf")!;
    expect(waf("block")).toMatchObject({
      query: "sum(last_10m):sum:aws.wafv2.blocked_requests{webacl:shop-web,rule:all}.as_count() > 250",
      critical: 250,
      pages: false,
    });
    expect(waf("count").query).toBe("sum(last_10m):sum:aws.wafv2.counted_requests{webacl:shop-web,rule:all}.as_count() > 250");
    expect(monitorsFor({ ...web, waf: undefined }).map((m) => m.key)).not.toContain("web-waf");
  });

  it.each(WORKLOADS.flatMap((w) => monitorsFor(w).map((m) => [m.key, m, w] as const)))(
    "%s: a body Datadog's models read, thresholds on the right side",
    (_, spec, w) => {
      const body = monitorBody(spec, CTX, ROUTING, w.name, w.kind);
      expect(datadogProblems(body, "Monitor")).toEqual([]);
      // Datadog refuses a critical threshold that differs from the query's.
      expect(spec.query.endsWith(`${spec.comparator} ${spec.critical}`)).toBe(true);
      const worse = (a: number, b: number) => (spec.comparator === ">" ? a > b : a < b);
      if (spec.warning !== undefined) expect(worse(spec.critical, spec.warning), "critical beyond warning").toBe(true);
      if (spec.criticalRecovery !== undefined) expect(worse(spec.critical, spec.criticalRecovery), "critical recovery on the safe side").toBe(true);
      if (spec.warningRecovery !== undefined) expect(worse(spec.warning!, spec.warningRecovery), "warning recovery on the safe side").toBe(true);
      expect(body.tags).toEqual([`env:test`, `service:${w.name}`, "team:sre", `kind:${w.kind}`, "managed-by:pulumi"]);
      expect(body.message).toContain(`Runbook: https://runbooks.example.com/shop#${spec.key}`);
    },
  );

  it.each(
    WORKLOADS.flatMap((w) =>
      monitorsFor(w)
        .filter((m) => m.type === "query alert")
        .map((m) => [m.key, m] as const),
    ),
  )("%s: known AWS metrics, scoped by the workload's own tags (never a target group), read 15 minutes late", (_, spec) => {
    expect(metricsIn(spec.query).length).toBeGreaterThan(0);
    for (const metric of metricsIn(spec.query)) expect(KNOWN_METRICS.has(metric), metric).toBe(true);
    for (const key of scopeKeysIn(spec.query)) expect(SCOPE_TAGS as readonly string[]).toContain(key);
    expect(spec.query).not.toMatch(/targetgroup/);
    expect(spec.evaluationDelaySeconds).toBe(900);
  });

  it("alerts on silence: the batch's no-success monitor and the scheduler notify on no data", () => {
    const silent = WORKLOADS.flatMap(monitorsFor).filter((m) => m.key.endsWith("-silent") || m.key.endsWith("-not-one") || m.key.endsWith("-running"));
    expect(silent.map((m) => [m.key, m.noDataMinutes !== undefined])).toEqual(silent.map((m) => [m.key, true]));
    expect(monitorsFor(WORKLOADS[3]!).find((m) => m.key === "batch-clearing-silent")).toMatchObject({
      query:
        "sum(last_27h):sum:aws.states.executions_succeeded{statemachinearn:arn:aws:states:ap-northeast-1:123456789012:statemachine:shop-clearing}.as_count() < 1",
      noDataMinutes: 27 * 60,
    });
  });

  it("watches a disabled batch for failures (a manual run) but not for silence, and a cache without replica for no lag", () => {
    expect(monitorsFor({ ...(WORKLOADS[3] as Extract<Workload, { kind: "batch" }>), enabled: false }).map((m) => m.key)).toEqual(["batch-clearing-failed"]);
    expect(monitorsFor({ ...(WORKLOADS[4] as Extract<Workload, { kind: "redis" }>), replicas: 0 }).map((m) => m.key)).not.toContain("redis-replication-lag");
  });

  it.each([
    ["cron(5 0 * * ? *)", 27], // daily: 24 h + 2.4 h
    ["cron(0 * * * ? *)", 2], // hourly: 1 h + 1 h
    ["cron(0/15 9-18 ? * MON-FRI *)", 69], // weekdays: Friday 18:45 to Monday 09:00 (62.25 h) is the longest gap
    ["cron(30 2,14 * * ? *)", 14], // twice a day
    ["rate(1 hour)", 3],
    ["rate(30 minutes)", 2],
    ["rate(2 days)", 73],
    ["cron(0 9 ? * MON *)", undefined], // weekly: past the 7-day window
    ["cron(0 3 1 * ? *)", undefined], // monthly
    ["cron(0 3 L * ? *)", undefined], // syntax the walk does not follow
    ["rate(7 days)", undefined],
    ["at(2026-12-01T00:00:00)", undefined],
  ])("silence window of %s: %s h", (schedule, hours) => {
    expect(silenceWindowHours(schedule)).toBe(hours);
  });
});

describe("routing", () => {
  it("pages criticals of paging monitors, sends the rest and every recovery to chat", () => {
    expect(notificationBlock(ROUTING, true)).toBe(
      "{{#is_alert}}@pagerduty-shop-test{{/is_alert}}\n{{#is_no_data}}@pagerduty-shop-test{{/is_no_data}}\n{{#is_warning}}@slack-shop-alerts{{/is_warning}}\n{{#is_recovery}}@slack-shop-alerts{{/is_recovery}}",
    );
    expect(notificationBlock(ROUTING, false)).not.toContain("@pagerduty");
    // A stack without a pager: the chat handle alone, the pager left out (issue 32: it read as optional and was not).
    expect(notificationBlock(stackRouting("@slack-shop-alerts"), true)).not.toContain("@pagerduty");
    expect(stackRouting("@slack-shop-alerts")).toEqual({ page: ["@slack-shop-alerts"], notify: ["@slack-shop-alerts"], recovery: ["@slack-shop-alerts"] });
  });

  it.each(["@slack-shop-alerts", "@pagerduty-shop-prd", "@opsgenie-sre", "@sre@example.com", "@team-sre"])("accepts %s", (handle) => {
    expect(handleProblem(handle)).toBeUndefined();
  });

  it("names a handle that reaches nobody", () => {
    expect(routingProblems({ page: ["@pagerduty-shop"], notify: ["slack-shop"], recovery: ["@slack shop"] })).toEqual([
      {
        field: "notify[0]",
        message:
          '"slack-shop" is not a Datadog handle (@slack-<channel>, @pagerduty-<service>, @opsgenie-<team>, @webhook-<name>, @teams-<channel>, @team-<handle>, @<e-mail>)',
      },
      {
        field: "recovery[0]",
        message:
          '"@slack shop" is not a Datadog handle (@slack-<channel>, @pagerduty-<service>, @opsgenie-<team>, @webhook-<name>, @teams-<channel>, @team-<handle>, @<e-mail>)',
      },
    ]);
  });
});
