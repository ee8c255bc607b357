import { describe, expect, it } from "vitest";
import { loadStackConfig } from "../../infra/config/load";
import { configProblems, minimalConfig } from "../helpers/config";

const monitoring = (extra: object = {}) =>
  minimalConfig({ "infra:monitoring": { team: "sre", chat: "@slack-shop-alerts", runbookUrl: "https://runbooks.example.com/shop", ...extra } });

describe("infra:monitoring", () => {
  it("leaves paging off and the SLO to ServiceSlo's defaults (99.9 % over 30 days)", () => {
    expect(loadStackConfig(monitoring()).monitoring).toEqual({
      team: "sre",
      chat: "@slack-shop-alerts",
      runbookUrl: "https://runbooks.example.com/shop",
      slo: {},
    });
  });

  it.each([
    [
      "a chat handle that reaches nobody",
      { chat: "#shop-alerts" },
      'infra:monitoring.chat: "#shop-alerts" is not a Datadog handle (@slack-<channel>, @pagerduty-<service>, @opsgenie-<team>, @webhook-<name>, @teams-<channel>, @team-<handle>, @<e-mail>)',
    ],
    [
      "a stack that pages nobody",
      { pagerduty: { targets: [] } },
      "infra:monitoring.pagerduty.targets: is empty: a stack that pages needs someone to page (a schedule or a user)",
    ],
    [
      "a target that is not a PagerDuty id",
      { pagerduty: { targets: [{ type: "schedule_reference", id: "oncall" }] } },
      'infra:monitoring.pagerduty.targets[0].id: "oncall" is not a PagerDuty id (P and 6 letters or digits)',
    ],
    ["an SLO of 100 %", { slo: { target: 100 } }, "infra:monitoring.slo.target: 100 is not a percentage between 0 and 100 (exclusive)"],
    ["a window Datadog does not offer", { slo: { timeframe: "1y" } }, 'infra:monitoring.slo.timeframe: "1y" is not one of "7d", "30d", "90d"'],
  ])("refuses %s, naming the key", (_, extra, message) => {
    expect(configProblems(monitoring(extra))).toEqual([message]);
  });
});
