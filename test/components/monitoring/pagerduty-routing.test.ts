import { describe, expect, it } from "vitest";
import { PagerDutyRouting, pagerDutyProblems } from "../../../components/monitoring/pagerduty-routing";
import { named, planOf } from "../../helpers/plan";

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
