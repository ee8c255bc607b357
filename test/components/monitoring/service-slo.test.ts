import { describe, expect, it } from "vitest";
import { stackRouting } from "../../../components/monitoring/routing";
import { ServiceSlo, sloBody, sloProblems } from "../../../components/monitoring/service-slo";
import { datadogProblems } from "../../helpers/datadog";
import { named, planOf } from "../../helpers/plan";

const CTX = { env: "test", team: "sre", runbookUrl: "https://runbooks.example.com/shop" };
const ROUTING = stackRouting("@slack-shop-alerts", "@pagerduty-shop-test");

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
      { field: "target", message: "100 is not a percentage between 0 and 100 (exclusive)" },
      { field: "timeframe", message: '"1y" is not one of "7d", "30d", "90d"' },
    ]);
  });
});
