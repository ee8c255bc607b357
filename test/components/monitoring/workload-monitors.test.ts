import { describe, expect, it } from "vitest";
import { stackRouting } from "../../../components/monitoring/routing";
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
