import { describe, expect, it } from "vitest";
import { PagerDutyRouting, pagerDutyProblems } from "../../../components/monitoring/pagerduty-routing";
import { stackRouting } from "../../../components/monitoring/routing";
import { ServiceSlo, sloBody, sloProblems } from "../../../components/monitoring/service-slo";
import { dashboardBody, StackDashboard } from "../../../components/monitoring/stack-dashboard";
import { WorkloadMonitors } from "../../../components/monitoring/workload-monitors";
import { datadogProblems } from "../../helpers/datadog";
import { byType, named, planAttempt, planOf } from "../../helpers/plan";
import { WORKLOADS } from "./fixtures";

const CTX = { env: "test", team: "sre", runbookUrl: "https://runbooks.example.com/shop" };
const ROUTING = stackRouting("@slack-shop-alerts", "@pagerduty-shop-test");

describe("WorkloadMonitors", () => {
  it("creates one monitor per catalog entry, named from the component, its query scoped by the resolved ids", async () => {
    const plan = await planOf(() => new WorkloadMonitors("monitors-web", { workload: WORKLOADS[0]!, routing: ROUTING, context: CTX }));
    const monitors = byType(plan, "datadog:index/monitor:Monitor");
    expect(monitors.map((m) => m.name).sort()).toEqual(
      ["5xx", "latency", "unhealthy", "running", "cpu", "memory", "deployment", "waf"].map((k) => `monitors-web-${k}`).sort(),
    );
    expect(named(plan, "monitors-web-unhealthy").inputs).toMatchObject({
      query: "min(last_10m):max:aws.applicationelb.un_healthy_host_count{loadbalancer:app/web-lb/0123abcd} > 0",
      monitorThresholds: { critical: "0" },
      evaluationDelay: 900,
      priority: "2",
    });
  });

  it("refuses a routing handle that reaches nobody, before anything is created", async () => {
    const { message, plan } = await planAttempt(
      () => new WorkloadMonitors("monitors-web", { workload: WORKLOADS[0]!, routing: { ...ROUTING, notify: ["#alerts"] }, context: CTX }),
    );
    expect(message).toBe(
      'WorkloadMonitors "monitors-web": routing.notify[0] "#alerts" is not a Datadog handle (@slack-<channel>, @pagerduty-<service>, @opsgenie-<team>, @webhook-<name>, @teams-<channel>, @team-<handle>, @<e-mail>)',
    );
    expect(plan.resources).toEqual([]);
  });
});

describe("ServiceSlo", () => {
  it("sends an SLO body Datadog's models read: good = no 5xx at the load balancer, warning above the target", () => {
    const body = sloBody({ service: "web", loadBalancer: "app/web-lb/0123abcd", context: CTX, slo: { target: 99.5, timeframe: "7d" } });
    expect(datadogProblems(body, "ServiceLevelObjectiveRequest")).toEqual([]);
    expect(body.thresholds).toEqual([{ timeframe: "7d", target: 99.5, warning: 99.75 }]);
    expect(body.query.denominator).toBe("sum:aws.applicationelb.request_count{loadbalancer:app/web-lb/0123abcd}.as_count()");
  });

  it("burn-rate monitors read the SLO they belong to: the fast one pages, the slow one warns", async () => {
    const plan = await planOf(() => new ServiceSlo("slo-web", { service: "web", loadBalancer: "app/web-lb/0123abcd", routing: ROUTING, context: CTX }));
    const slo = named(plan, "slo-web-slo");
    const fast = named(plan, "slo-web-fast-burn");
    const slow = named(plan, "slo-web-slow-burn");
    expect(fast.inputs.query).toBe('burn_rate("slo-web-slo-id").over("30d").long_window("1h").short_window("5m") > 14.4');
    expect(slow.inputs.query).toBe('burn_rate("slo-web-slo-id").over("30d").long_window("6h").short_window("30m") > 6');
    expect(String(fast.inputs.message)).toContain("{{#is_alert}}@pagerduty-shop-test{{/is_alert}}");
    expect(String(slow.inputs.message)).not.toContain("@pagerduty");
    expect(slo.inputs).toMatchObject({ type: "metric", thresholds: [{ timeframe: "30d", target: 99.9, warning: 99.95 }] });
    for (const m of [fast, slow]) {
      const { name, type, query, message, tags } = m.inputs;
      const options = { thresholds: { critical: Number((m.inputs.monitorThresholds as { critical: string }).critical) } };
      expect(datadogProblems({ name, type, query, message, tags, priority: Number(m.inputs.priority), options }, "Monitor")).toEqual([]);
    }
  });

  it("names each bad setting", () => {
    expect(sloProblems({ target: 100, timeframe: "1y" as never })).toEqual([
      { field: "slo.target", message: "100 is not a percentage between 0 and 100 (exclusive)" },
      { field: "slo.timeframe", message: '"1y" is not one of "7d", "30d", "90d"' },
    ]);
  });
});

describe("PagerDutyRouting", () => {
  it("creates the escalation, the service, the Datadog integration (vendor looked up) and Datadog's service object", async () => {
    const plan = await planOf(() => new PagerDutyRouting("pagerduty", { serviceName: "shop-prd", targets: [{ type: "schedule_reference", id: "PSHOP01" }] }));
    expect(named(plan, "pagerduty-escalation").inputs).toMatchObject({
      numLoops: 2,
      rules: [{ escalationDelayInMinutes: 30, targets: [{ type: "schedule_reference", id: "PSHOP01" }] }],
    });
    expect(named(plan, "pagerduty-service").inputs).toMatchObject({ name: "shop-prd", escalationPolicy: "pagerduty-escalation-id" });
    expect(named(plan, "pagerduty-datadog").inputs).toMatchObject({ service: "pagerduty-service-id", vendor: "vendor-datadog" });
    expect(named(plan, "pagerduty-datadog-service").inputs.serviceName).toBe("shop-prd");
  });

  it("names each bad argument", () => {
    expect(pagerDutyProblems({ serviceName: "shop prd", targets: [], loops: 10, escalationDelayMinutes: 0 })).toEqual([
      { field: "serviceName", message: '"shop prd" cannot follow @pagerduty- in a handle (letters, digits, _.-)' },
      { field: "targets", message: "is empty: a stack that pages needs someone to page (a schedule or a user)" },
      { field: "escalationDelayMinutes", message: "0 is not a whole number of minutes above 0" },
      { field: "loops", message: "10 is out of range (0-9)" },
    ]);
    expect(pagerDutyProblems({ serviceName: "shop", targets: [{ type: "user_reference", id: "alice" }] })).toEqual([
      { field: "targets[0].id", message: '"alice" is not a PagerDuty id (P and 6 letters or digits)' },
    ]);
    expect(pagerDutyProblems({ serviceName: "shop", targets: [{ type: "team_reference" as never, id: "PABC123" }] })).toEqual([
      { field: "targets[0].type", message: '"team_reference" is not one of "schedule_reference", "user_reference"' },
    ]);
  });
});

describe("StackDashboard", () => {
  it("has a group per workload with its key metrics and its monitors, in a body Datadog's models read", async () => {
    const body = dashboardBody("shop-test", "test", WORKLOADS);
    expect(datadogProblems(body, "Dashboard")).toEqual([]);
    expect(body.widgets.map((w) => w.definition.title)).toEqual(WORKLOADS.map((w) => `${w.name} (${w.kind})`));
    for (const [i, w] of WORKLOADS.entries()) {
      expect(body.widgets[i]!.definition.widgets.at(-1)!.definition).toMatchObject({ type: "manage_status", query: `tag:(service:${w.name} AND env:test)` });
    }
    const plan = await planOf(() => new StackDashboard("dashboard", { title: "shop-test", env: "test", workloads: WORKLOADS }));
    expect(JSON.parse(named(plan, "dashboard-dashboard").inputs.dashboard as string)).toEqual(body);
  });
});

describe("monitoring transform", () => {
  it("changes every monitor of a workload, the SLO and its burn monitors, the dashboard and the PagerDuty service as asked", async () => {
    const plan = await planOf(() => {
      new WorkloadMonitors("monitors-web", { workload: WORKLOADS[0]!, routing: ROUTING, context: CTX, transform: { monitor: { renotifyInterval: 60 } } });
      new ServiceSlo("slo-web", {
        service: "web",
        loadBalancer: "app/web-lb/0123abcd",
        routing: ROUTING,
        context: CTX,
        transform: { slo: { description: "Checkout" }, burnMonitor: (a) => ({ ...a, renotifyInterval: 30 }) },
      });
      new StackDashboard("dashboard", { title: "shop test", env: "test", workloads: WORKLOADS, transform: { dashboard: { url: "/dashboard/abc-def-ghi" } } });
      new PagerDutyRouting("paging", {
        serviceName: "shop-test",
        targets: [{ type: "schedule_reference", id: "PABC123" }],
        transform: { service: { description: "Paged by Datadog" } },
      });
    });
    const monitors = byType(plan, "datadog:index/monitor:Monitor");
    const workloadMonitors = monitors.filter((m) => m.parent?.endsWith("::monitors-web"));
    expect(workloadMonitors.length).toBeGreaterThan(0);
    expect(workloadMonitors.map((m) => m.inputs.renotifyInterval)).toEqual(workloadMonitors.map(() => 60));
    expect(named(plan, "slo-web-slo").inputs.description).toBe("Checkout");
    expect(named(plan, "slo-web-fast-burn").inputs.renotifyInterval).toBe(30);
    expect(named(plan, "slo-web-slow-burn").inputs.renotifyInterval).toBe(30);
    expect(named(plan, "dashboard-dashboard").inputs.url).toBe("/dashboard/abc-def-ghi");
    expect(named(plan, "paging-service").inputs).toMatchObject({ description: "Paged by Datadog", name: "shop-test" });
  });
});
