import { describe, expect, it } from "vitest";
import type { ColourState } from "../../release-tool/worker-colours";
import { formatStatus, type ReleaseStatus } from "../../release-tool/status";
import { LIVE, NEW } from "./release-fixtures";

const status = (extra: Partial<ReleaseStatus> = {}): ReleaseStatus => ({
  stack: "stg",
  service: "web",
  liveTaskDefinition: LIVE,
  liveTargetGroup: "arn:tg/web-blue",
  runningCount: 2,
  desiredCount: 2,
  latestTaskDefinition: LIVE,
  activeDeployment: undefined,
  lock: undefined,
  ...extra,
});

const colour = (c: "blue" | "green", extra: Partial<ColourState> = {}): ColourState => ({
  colour: c,
  serviceName: `shop-stg-back-default-${c}`,
  taskDefinitionArn: `${NEW}-${c}`,
  runningCount: 0,
  desiredCount: 0,
  rollout: "COMPLETED",
  rolloutReason: undefined,
  ...extra,
});

describe("the status as a person reads it", () => {
  it("a service that runs nothing yet, a deployment under way, the latest revision live", () => {
    const lines = formatStatus(
      status({
        liveTaskDefinition: undefined,
        liveTargetGroup: undefined,
        runningCount: 0,
        activeDeployment: { id: "d-NEW", status: "InProgress", creator: "user" },
      }),
    );
    expect(lines.slice(1, 5)).toEqual([
      "  live task definition: none (0/2 tasks running)",
      "  live target group:    none",
      `  latest revision:      ${LIVE} (not live: a release is pending)`,
      "  deployment:           d-NEW InProgress (by user)",
    ]);
    expect(formatStatus(status())[3]).toBe(`  latest revision:      ${LIVE} (live)`);
  });

  it("each colour of a back worker group: live, left to drain, draining, drained, or left undrained with why", () => {
    const group = (green: Partial<ColourState>, undrained?: NonNullable<ReleaseStatus["colours"]>["groups"][number]["undrained"]) => ({
      group: "default",
      states: [colour("blue", { runningCount: 3, desiredCount: 3 }), colour("green", green)],
      undrained,
    });
    const lines = formatStatus(
      status({
        colours: {
          live: "blue",
          groups: [
            group({ runningCount: 2, desiredCount: 2 }),
            group({ runningCount: 1, desiredCount: 0 }),
            group({}),
            group({ runningCount: 2, desiredCount: 2 }, { colour: "green", since: "2026-11-29T06:00:00Z", by: "alice@laptop", reason: "drain timed out" }),
            group({ taskDefinitionArn: undefined }),
            // A record of the other colour's failed drain says nothing about this one.
            group({}, { colour: "blue", since: "2026-11-28T06:00:00Z", by: "bob@ci", reason: "drain timed out" }),
          ],
        },
      }),
    );
    const drain = "npm run release:drain -- stg default";
    expect(lines.filter((l) => l.startsWith("    green"))).toEqual([
      `    green shop-stg-back-default-green ${NEW}-green (2/2 tasks running) to drain: ${drain}`,
      `    green shop-stg-back-default-green ${NEW}-green (1/0 tasks running) drained, 1 task(s) stopping`,
      `    green shop-stg-back-default-green ${NEW}-green (0/0 tasks running) idle, drained`,
      `    green shop-stg-back-default-green ${NEW}-green (2/2 tasks running) not drained (2026-11-29T06:00:00Z: drain timed out): ${drain}`,
      "    green shop-stg-back-default-green none (0/0 tasks running) idle, drained",
      `    green shop-stg-back-default-green ${NEW}-green (0/0 tasks running) idle, drained`,
    ]);
    expect(lines.filter((l) => l.startsWith("    blue")).every((l) => l.endsWith(" live"))).toBe(true);
  });
});
