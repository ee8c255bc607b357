import { describe, expect, it } from "vitest";
import { PagerDutyRouting } from "../../../components/monitoring/pagerduty-routing";
import { stackRouting } from "../../../components/monitoring/routing";
import { ServiceSlo } from "../../../components/monitoring/service-slo";
import { StackDashboard } from "../../../components/monitoring/stack-dashboard";
import { WorkloadMonitors } from "../../../components/monitoring/workload-monitors";
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

describe("monitoring transform (with the other monitoring components)", () => {
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
