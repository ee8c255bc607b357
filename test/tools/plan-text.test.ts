import { describe, expect, it } from "vitest";
import { keyInputs } from "../../offline-plan/text";
import type { PlannedResource } from "../../offline-plan/plan";

const r = (inputs: Record<string, unknown>): PlannedResource => ({
  urn: "urn:pulumi:stg::infra::t::x",
  type: "t",
  name: "x",
  parent: null,
  custom: true,
  inputs,
  options: { ignoreChanges: [], dependsOn: [], protect: false, retainOnDelete: false, deleteBeforeReplace: false },
});

describe("the text plan's key inputs", () => {
  it("shows what a reviewer looks for: the physical name, the images, a schedule, a CIDR, a desired count", () => {
    expect(keyInputs(r({ family: "shop-web", containerDefinitions: JSON.stringify([{ image: "shop:1" }, { image: "agent:7" }]) }))).toBe(
      "  (name=shop-web image=shop:1,agent:7)",
    );
    expect(keyInputs(r({ name: "shop-clearing", scheduleExpression: "cron(5 0 * * ? *)", scheduleExpressionTimezone: "Asia/Tokyo" }))).toBe(
      "  (name=shop-clearing schedule=cron(5 0 * * ? *) Asia/Tokyo)",
    );
    expect(keyInputs(r({ cidrBlock: "10.60.0.0/16" }))).toBe("  (cidr=10.60.0.0/16)");
    expect(keyInputs(r({ name: "shop-web", desiredCount: 0 }))).toBe("  (name=shop-web desired=0)");
  });

  it("shows nothing for a resource with none of them", () => {
    expect(keyInputs(r({ retentionInDays: 90 }))).toBe("");
  });
});
