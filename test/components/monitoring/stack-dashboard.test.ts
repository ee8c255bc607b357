import { describe, expect, it } from "vitest";
import { dashboardBody, StackDashboard } from "../../../components/monitoring/stack-dashboard";
import { datadogProblems } from "../../helpers/datadog";
import { named, planOf } from "../../helpers/plan";
import { WORKLOADS } from "./fixtures";

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
