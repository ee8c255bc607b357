import {
  CreateDeploymentCommand,
  GetDeploymentCommand,
  GetDeploymentTargetCommand,
  ListDeploymentsCommand,
  ListDeploymentTargetsCommand,
  StopDeploymentCommand,
} from "@aws-sdk/client-codedeploy";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { beforeEach, describe, expect, it } from "vitest";
import { activeDeployment, appSpec, createDeployment, snapshot, stopWithRollback } from "../../release-tool/codedeploy";
import { failure } from "../helpers/clock";
import { fakeAws, type FakeAws, NEW, REGION, T0, target } from "./release-fixtures";

// What the release reads of CodeDeploy's answers, including the fields CodeDeploy may leave out.
// DynamoDB is not called here: a client that is never sent anything.
let aws: FakeAws;
beforeEach(() => {
  aws = fakeAws(new DynamoDBClient({ region: REGION }));
});
const t = target();

describe("a look at a deployment", () => {
  it("reads status, error, rollback, each lifecycle event, when traffic switched, and the replacement's share", async () => {
    aws.codedeploy.on(GetDeploymentCommand).resolves({
      deploymentInfo: {
        status: "Failed",
        errorInformation: { code: "ECS_UPDATE_ERROR", message: "Tasks failed to start" },
        rollbackInfo: { rollbackDeploymentId: "d-RB" },
      },
    });
    aws.codedeploy.on(GetDeploymentTargetCommand).resolves({
      deploymentTarget: {
        ecsTarget: {
          lifecycleEvents: [
            { lifecycleEventName: "Install", status: "Succeeded" },
            { lifecycleEventName: "AllowTraffic", status: "Succeeded", endTime: new Date("2026-11-29T06:05:00Z") },
            { lifecycleEventName: "AfterAllowTraffic" },
          ],
          taskSetsInfo: [
            { taskSetLabel: "Blue", trafficWeight: 0 },
            { taskSetLabel: "Green", trafficWeight: 100 },
          ],
        },
      },
    });
    expect(await snapshot(aws.ctx, t, "d-NEW")).toStrictEqual({
      status: "Failed",
      error: "ECS_UPDATE_ERROR: Tasks failed to start",
      rolledBack: true,
      events: new Map([
        ["Install", "Succeeded"],
        ["AllowTraffic", "Succeeded"],
        ["AfterAllowTraffic", "Pending"],
      ]),
      switchedAt: new Date("2026-11-29T06:05:00Z"),
      replacementTraffic: 100,
    });
    expect(aws.codedeploy.commandCalls(GetDeploymentTargetCommand)[0]!.args[0].input).toEqual({ deploymentId: "d-NEW", targetId: "shop-stg:shop-stg-web" });
  });

  it("a failure CodeDeploy did not roll back (automatic rollback off) is not called rolled back; a stopped one is", async () => {
    aws.codedeploy.on(ListDeploymentTargetsCommand).resolves({ targetIds: [] });
    aws.codedeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: { status: "Failed", errorInformation: { code: "TIMEOUT" } } });
    expect(await snapshot(aws.ctx, t, "d-NEW")).toStrictEqual({ status: "Failed", error: "TIMEOUT", rolledBack: false, events: new Map() });
    aws.codedeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: { status: "Stopped", errorInformation: { message: "Stopped by user" } } });
    expect(await snapshot(aws.ctx, t, "d-NEW")).toMatchObject({ error: "error: Stopped by user", rolledBack: true });
  });

  it("traffic switched without an end time (CodeDeploy still writing it): now; an answer with nothing in it: unknown", async () => {
    aws.codedeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: {} });
    aws.codedeploy.on(GetDeploymentTargetCommand).resolves({
      deploymentTarget: { ecsTarget: { lifecycleEvents: [{ lifecycleEventName: "AllowTraffic", status: "Succeeded" }] } },
    });
    expect(await snapshot(aws.ctx, t, "d-NEW")).toStrictEqual({
      status: "unknown",
      rolledBack: false,
      events: new Map([["AllowTraffic", "Succeeded"]]),
      switchedAt: T0,
    });
  });
});

describe("creating, finding and stopping deployments", () => {
  it("an AppSpec without a capacity provider strategy when the service has none (its launch type then applies)", () => {
    const spec = JSON.parse(appSpec({ ...t, capacityProviderStrategy: [] }, NEW)) as { Resources: { TargetService: { Properties: object } }[] };
    expect(Object.keys(spec.Resources[0]!.TargetService.Properties)).toEqual(["TaskDefinition", "LoadBalancerInfo", "PlatformVersion", "NetworkConfiguration"]);
  });

  it("a description cut to 100 characters; an answer without a deployment id is an error, not a deployment to follow", async () => {
    await createDeployment(aws.ctx, t, NEW, "x".repeat(150));
    expect(aws.codedeploy.commandCalls(CreateDeploymentCommand)[0]!.args[0].input.description).toBe("x".repeat(100));
    aws.codedeploy.on(CreateDeploymentCommand).resolves({});
    expect((await failure(createDeployment(aws.ctx, t, NEW, "release"))).message).toBe("CodeDeploy CreateDeployment returned no deployment id");
  });

  it("an active deployment CodeDeploy describes without status or creator is still named", async () => {
    aws.codedeploy.on(ListDeploymentsCommand).resolves({ deployments: ["d-OTHER"] });
    aws.codedeploy.on(GetDeploymentCommand).resolves({ deploymentInfo: {} });
    expect(await activeDeployment(aws.ctx, t)).toEqual({ id: "d-OTHER", status: "unknown", creator: "unknown" });
  });

  it("stopping says CodeDeploy's status, with its message when it gives one", async () => {
    aws.codedeploy.on(StopDeploymentCommand).resolves({ status: "Pending", statusMessage: "Stopping Pending" });
    expect(await stopWithRollback(aws.ctx, t, "d-NEW")).toBe("Pending: Stopping Pending");
    aws.codedeploy.on(StopDeploymentCommand).resolves({ status: "Succeeded" });
    expect(await stopWithRollback(aws.ctx, t, "d-NEW")).toBe("Succeeded");
    aws.codedeploy.on(StopDeploymentCommand).resolves({});
    expect(await stopWithRollback(aws.ctx, t, "d-NEW")).toBe("unknown");
  });
});
