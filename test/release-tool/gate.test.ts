import {
  ContinueDeploymentCommand,
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  ListDeploymentsCommand,
  StopDeploymentCommand,
} from "@aws-sdk/client-codedeploy";
import { describe, expect, it } from "vitest";
import type { ReleaseTarget } from "../../release-tool/contract";
import { continueRelease } from "../../release-tool/gate";
import { release } from "../../release-tool/release";
import { rollback } from "../../release-tool/rollback";
import { deploymentPolls, ECS_EVENTS, eachTestRelease, type FakeAws, lockItem, ok, releaseFailure as failure, type ReleaseWorld, T0 } from "./release-fixtures";

let db: ReleaseWorld["db"];
let aws: FakeAws;
let t: ReleaseTarget;
eachTestRelease((w) => ({ db, aws, t } = w), { gate: { timeoutMinutes: 30, testUrl: "https://shop-stg-web-1234.ap-northeast-1.elb.amazonaws.com:8443/" } });

const LINK = "https://ap-northeast-1.console.aws.amazon.com/codesuite/codedeploy/deployments/d-NEW?region=ap-northeast-1";
/** CodeDeploy holding the new tasks on the test listener: every event before BeforeAllowTraffic done. */
const AT_GATE = { status: "Ready", events: ok(ECS_EVENTS.slice(0, 5)) } as const;

describe("the manual gate (CodeDeploy's ready wait)", () => {
  it("the release stops with the new tasks on the test listener, says where and how to go on, and finishes once someone continues", async () => {
    deploymentPolls(aws, [
      { status: "InProgress", events: { BeforeInstall: "InProgress" } },
      AT_GATE,
      AT_GATE,
      { status: "InProgress", events: { ...ok(ECS_EVENTS.slice(0, 7)), AllowTraffic: "InProgress" } },
      { status: "Succeeded", events: ok(ECS_EVENTS), green: 100 },
    ]);
    const result = await release(aws.ctx, t);
    expect(result.outcome).toBe("released");
    const ends = new Date(T0.getTime() + 15_000 + 30 * 60_000).toISOString();
    expect(aws.lines.filter((l) => l.startsWith("waiting for someone"))).toEqual([
      `waiting for someone: the new tasks answer on the test listener (https://shop-stg-web-1234.ap-northeast-1.elb.amazonaws.com:8443/), production traffic stays on the old ones. Go on: npm run release:continue -- stg web; abandon: npm run release:rollback -- stg web. Nobody by ${ends}: CodeDeploy stops the deployment`,
    ]);
    // The channel hears that a release waits for someone, once.
    expect(aws.events()).toEqual(["started", "waiting", "switched", "succeeded"]);
  });

  it("continue: CodeDeploy's ContinueDeployment of the ready wait, for the deployment waiting at the gate; the channel hears who", async () => {
    aws.codedeploy.on(ListDeploymentsCommand).resolves({ deployments: ["d-GATE"] });
    aws.codedeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: { status: "Ready", creator: "user" } });
    aws.codedeploy.on(ContinueDeploymentCommand).resolves({});
    expect(await continueRelease({ ...aws.ctx, who: "bob@laptop" }, t)).toEqual({ deploymentId: "d-GATE" });
    expect(aws.codedeploy.commandCalls(ContinueDeploymentCommand).map((c) => c.args[0].input)).toEqual([
      { deploymentId: "d-GATE", deploymentWaitType: "READY_WAIT" },
    ]);
    expect(aws.events()).toEqual(["continued"]);
    expect(aws.lines).toContain("deployment d-GATE: continued by bob@laptop: production traffic moves to the new tasks");
  });

  it.each([
    ["no deployment runs", [], undefined, "no deployment of stg/web waits at its gate (npm run release:status -- stg web says what runs)"],
    [
      "one is still starting its tasks",
      ["d-1"],
      "InProgress",
      "no deployment of stg/web waits at its gate: d-1 is InProgress (npm run release:status -- stg web says what runs)",
    ],
  ])("continue when %s: refused, nothing continued", async (_, deployments, status, message) => {
    aws.codedeploy.on(ListDeploymentsCommand).resolves({ deployments });
    if (status) aws.codedeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: { status: status as "InProgress", creator: "user" } });
    await expect(continueRelease(aws.ctx, t)).rejects.toThrow(message);
    expect(aws.codedeploy.commandCalls(ContinueDeploymentCommand)).toEqual([]);
  });

  it("nobody answers: CodeDeploy stops the deployment at the gate's timeout; the release says so, nothing rolled back, the lock freed", async () => {
    const gated = { ...t, gate: { timeoutMinutes: 1, onTimeout: "rollback" as const } };
    // Ready for the gate's minute (polls every 15 s), then Stopped as STOP_DEPLOYMENT does.
    deploymentPolls(aws, [AT_GATE, AT_GATE, AT_GATE, AT_GATE, AT_GATE, { status: "Stopped", events: ok(ECS_EVENTS.slice(0, 5)) }]);
    const error = await failure(release(aws.ctx, gated));
    expect(error.message).toBe(`deployment d-NEW stopped: nobody continued within 1 min at the gate: production stayed on the old tasks (${LINK})`);
    expect(aws.events()).toEqual(["started", "waiting", "failed"]);
    expect(await lockItem(db.client, t.lockTableName)).toBeUndefined();
    // Without a test URL (an ALB made elsewhere), the line names the test listener alone.
    expect(aws.lines.find((l) => l.startsWith("waiting for someone"))).toMatch(/^waiting for someone: the new tasks answer on the test listener, production/);
  });

  it("a gate's time counts on top of the release's own: a release waiting there is not given up at timeoutMinutes", async () => {
    deploymentPolls(aws, [AT_GATE]);
    const error = await failure(release(aws.ctx, { ...t, timeoutMinutes: 1, gate: { timeoutMinutes: 2, onTimeout: "rollback" as const } }));
    expect(error.message).toMatch(/^deployment d-NEW is still Ready after 1 min/);
    // 15 s polls over 1 + 2 minutes, and the one at the deadline.
    expect(aws.codedeploy.commandCalls(GetDeploymentCommand)).toHaveLength(13);
  });

  it("rollback at the gate abandons it: the waiting deployment is stopped with rollback, production never moved", async () => {
    aws.codedeploy.on(ListDeploymentsCommand).resolves({ deployments: ["d-GATE"] });
    aws.codedeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: { status: "Ready", creator: "user" } });
    aws.codedeploy.on(StopDeploymentCommand).resolves({ status: "Succeeded", statusMessage: "stopped" });
    aws.codedeploy.on(GetDeploymentTargetCommand).resolves({ deploymentTarget: { ecsTarget: { lifecycleEvents: [] } } });
    const result = await rollback(aws.ctx, t);
    expect(result).toMatchObject({ outcome: "stopped", deploymentId: "d-GATE" });
    expect(aws.codedeploy.commandCalls(StopDeploymentCommand).map((c) => c.args[0].input)).toEqual([{ deploymentId: "d-GATE", autoRollbackEnabled: true }]);
  });
});
