import * as aws from "@pulumi/aws";
import { describe, expect, it } from "vitest";
import { BlueGreenService } from "../../../components/ecs/blue-green-service";
import type { BlueGreenDeploymentArgs } from "../../../components/deploy/deployment";
import { LoadBalancer } from "../../../components/loadbalancing/load-balancer";
import { ecsDeploymentProblems } from "../../helpers/ecs-shape";
import { byType, input, jsonInput, named, planAttempt, planOf } from "../../helpers/plan";
import { lbArgs, serviceArgs, webService } from "../../helpers/web";

interface Statement {
  Sid?: string;
  Action: string | string[];
  Resource: string | string[];
}
const ecs = (deployment: Omit<BlueGreenDeploymentArgs, "controller"> = {}) => ({ deployment: { controller: "ecs" as const, ...deployment } });
// The ARN the offline plan's AWS stand-in gives a child: its kind, then its name and a random suffix.
const KINDS: Readonly<Record<string, string>> = {
  rule: "listener-rule/app",
  https: "listener/app",
  test: "listener/app",
  blue: "targetgroup",
  green: "targetgroup",
  role: "role",
};
const arnOf = (_plan: unknown, name: string) => {
  const kind = KINDS[name.split("-").at(-1)!]!;
  return expect.stringMatching(new RegExp(`:${kind}/${name}-[0-9a-f]{7}(/|$)`)) as unknown as string;
};

describe("BlueGreenService released by ECS (deployment.controller: ecs)", () => {
  it("runs an ECS service on blue with green as its alternate, the production and test rules ECS moves, and the role it moves them with", async () => {
    const plan = await planOf(() => webService(ecs()));
    const service = named(plan, "web-service");
    expect(service.inputs).toMatchObject({
      deploymentController: { type: "ECS" },
      deploymentConfiguration: { strategy: "BLUE_GREEN", bakeTimeInMinutes: "2" },
      deploymentCircuitBreaker: { enable: true, rollback: true },
      waitForSteadyState: false,
    });
    const [lb] = input<{ targetGroupArn: string; containerName: string; containerPort: number; advancedConfiguration: Record<string, string> }[]>(
      service,
      "loadBalancers",
    );
    expect(lb).toEqual({
      targetGroupArn: arnOf(plan, "web-blue"),
      containerName: "app",
      containerPort: 8080,
      advancedConfiguration: {
        alternateTargetGroupArn: arnOf(plan, "web-green"),
        productionListenerRule: arnOf(plan, "web-production-rule"),
        testListenerRule: arnOf(plan, "web-test-rule"),
        roleArn: arnOf(plan, "web-ecs-role"),
      },
    });
    // Production forwards to blue on 443, the test listener to green; each rule is the listener's only one.
    for (const [rule, listener, group] of [
      ["web-production-rule", "web-https", "web-blue"],
      ["web-test-rule", "web-test", "web-green"],
    ] as const) {
      expect(named(plan, rule).inputs).toMatchObject({
        listenerArn: arnOf(plan, listener),
        priority: 1,
        conditions: [{ pathPattern: { values: ["/*"] } }],
        actions: [{ type: "forward", targetGroupArn: arnOf(plan, group) }],
      });
      // ECS moves the forward action at each release: Pulumi must not move it back.
      expect(named(plan, rule).options.ignoreChanges).toEqual(["actions"]);
    }
    // Nothing of CodeDeploy.
    expect(byType(plan, "aws:codedeploy/deploymentGroup:DeploymentGroup")).toEqual([]);
    expect(byType(plan, "aws:codedeploy/application:Application")).toEqual([]);
    expect(ecsDeploymentProblems(service.inputs)).toEqual([]);
  });

  it("owns the task definition: nothing of the service is ignored (but the desired count when autoscaled)", async () => {
    expect(named(await planOf(() => webService(ecs())), "web-service").options.ignoreChanges).toEqual([]);
    const scaled = await planOf(() => webService({ ...ecs(), autoscaling: { minCount: 2, maxCount: 4 } }));
    expect(named(scaled, "web-service").options.ignoreChanges).toEqual(["desiredCount"]);
  });

  it("rolls back on the four alarms of both colours", async () => {
    const plan = await planOf(() => webService(ecs()));
    expect(byType(plan, "aws:cloudwatch/metricAlarm:MetricAlarm")).toHaveLength(4);
    const alarms = ["5xx-blue", "unhealthy-blue", "5xx-green", "unhealthy-green"].map(
      (a) => expect.stringMatching(new RegExp(`^web-${a}-[0-9a-f]{7}$`)) as unknown,
    );
    expect(input(named(plan, "web-service"), "alarms")).toEqual({ alarmNames: alarms, enable: true, rollback: true });
  });

  it("gives ECS a role only ECS of this account assumes, scoped to exactly its two rules, two listeners and two target groups", async () => {
    const plan = await planOf(() => webService(ecs()));
    const trust = jsonInput<{ Statement: { Principal: { Service: string }; Condition: unknown }[] }>(named(plan, "web-ecs-role"), "assumeRolePolicy");
    expect(trust.Statement).toEqual([
      expect.objectContaining({ Principal: { Service: "ecs.amazonaws.com" }, Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } } }),
    ]);
    const policy = named(plan, "web-ecs-policy");
    expect(policy.inputs.role).toMatch(/^web-ecs-role-/);
    const statements = jsonInput<{ Statement: Statement[] }>(policy, "policy").Statement;
    expect(Object.fromEntries(statements.map((s) => [s.Sid, { Action: s.Action, Resource: s.Resource }]))).toEqual({
      MoveItsRules: { Action: ["elasticloadbalancing:ModifyRule"], Resource: [arnOf(plan, "web-production-rule"), arnOf(plan, "web-test-rule")] },
      ItsListeners: { Action: ["elasticloadbalancing:ModifyListener"], Resource: [arnOf(plan, "web-https"), arnOf(plan, "web-test")] },
      ItsTargets: {
        Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
        Resource: [arnOf(plan, "web-blue"), arnOf(plan, "web-green")],
      },
      Reads: {
        Action: [
          "elasticloadbalancing:DescribeTargetGroups",
          "elasticloadbalancing:DescribeTargetHealth",
          "elasticloadbalancing:DescribeListeners",
          "elasticloadbalancing:DescribeRules",
        ],
        Resource: "*",
      },
    });
    // The service starts only once its rules and the role's policy exist: ECS checks both at creation.
    expect(named(plan, "web-service").options.dependsOn).toEqual(
      expect.arrayContaining([named(plan, "web-production-rule").urn, named(plan, "web-test-rule").urn, policy.urn]),
    );
  });

  it.each<[string, Omit<BlueGreenDeploymentArgs, "controller">, Record<string, unknown>]>([
    [
      "a canary",
      { strategy: "canary", canary: { percent: 20, bakeMinutes: 10 } },
      { strategy: "CANARY", canaryConfiguration: { canaryPercent: 20, canaryBakeTimeInMinutes: "10" } },
    ],
    ["a canary by its defaults", { strategy: "canary" }, { strategy: "CANARY", canaryConfiguration: { canaryPercent: 10, canaryBakeTimeInMinutes: "5" } }],
    [
      "linear",
      { strategy: "linear", linear: { stepPercent: 25, stepMinutes: 3 } },
      { strategy: "LINEAR", linearConfiguration: { stepPercent: 25, stepBakeTimeInMinutes: "3" } },
    ],
    ["a bake of a day", { terminationWaitMinutes: 1440 }, { strategy: "BLUE_GREEN", bakeTimeInMinutes: "1440" }],
    [
      "a gate",
      { readyWaitMinutes: 90 },
      {
        lifecycleHooks: [
          { targetType: "PAUSE", lifecycleStages: ["POST_TEST_TRAFFIC_SHIFT"], timeoutConfiguration: { action: "ROLLBACK", timeoutInMinutes: "90" } },
        ],
      },
    ],
    [
      "a gate that continues when nobody answers",
      { readyWaitMinutes: 30, readyTimeoutAction: "continue" },
      {
        lifecycleHooks: [
          { targetType: "PAUSE", lifecycleStages: ["POST_TEST_TRAFFIC_SHIFT"], timeoutConfiguration: { action: "CONTINUE", timeoutInMinutes: "30" } },
        ],
      },
    ],
  ])("%s: the deployment configuration ECS's model reads", async (_, deployment, expected) => {
    const service = named(await planOf(() => webService(ecs(deployment))), "web-service");
    const configuration = input<Record<string, unknown>>(service, "deploymentConfiguration");
    expect(configuration).toMatchObject(expected);
    // Only the chosen strategy's block, and a hook only with a gate.
    for (const key of ["canaryConfiguration", "linearConfiguration", "lifecycleHooks"]) {
      if (!(key in expected)) expect(configuration).not.toHaveProperty(key);
    }
    expect(ecsDeploymentProblems(service.inputs)).toEqual([]);
  });

  it("waits for what it is given to roll after (the release's migration) besides its rules and role", async () => {
    const plan = await planOf(() => {
      const before = new aws.s3.Bucket("migration-stand-in", {});
      webService({ ...ecs(), rolloutAfter: [before] });
    });
    expect(named(plan, "web-service").options.dependsOn).toContain(named(plan, "migration-stand-in").urn);
  });

  it("names its service from its args, not the resource's output, and has no CodeDeploy names", async () => {
    let service: BlueGreenService | undefined;
    await planOf(() => (service = webService(ecs({ strategy: "linear" }))));
    expect(service!.controller).toBe("ecs");
    expect(service!.strategy).toBe("linear");
    expect(service!.applicationName).toBeUndefined();
    expect(service!.deploymentGroupName).toBeUndefined();
    // A release's first step names the service before the service's update, which waits for it.
    expect(service!.prepareAfter.map((r) => r.constructor.name)).toEqual(["FargateTaskDefinition", "SecurityGroup"]);
  });
});

describe("ECS's own model, read by the SDK, refuses what AWS would (the checker the plans go through)", () => {
  it.each<[string, Record<string, unknown>, string[]]>([
    [
      "an unknown strategy",
      { deploymentConfiguration: { strategy: "ALL_AT_ONCE" } },
      ['deploymentConfiguration.strategy: "ALL_AT_ONCE" is not one of BLUE_GREEN, CANARY, LINEAR, ROLLING'],
    ],
    [
      "a pause hook at the production shift",
      { deploymentConfiguration: { lifecycleHooks: [{ targetType: "PAUSE", lifecycleStages: ["PRODUCTION_TRAFFIC_SHIFT"] }] } },
      ["deploymentConfiguration.lifecycleHooks[0]: a PAUSE hook cannot wait at PRODUCTION_TRAFFIC_SHIFT"],
    ],
    [
      "a bake past a day",
      { deploymentConfiguration: { bakeTimeInMinutes: "2880" } },
      ['deploymentConfiguration.bakeTimeInMinutes: "2880" is out of range (0-1440)'],
    ],
    [
      "a bake that is not a number",
      { deploymentConfiguration: { bakeTimeInMinutes: "2m" } },
      ['deploymentConfiguration.bakeTimeInMinutes: expected a whole number as a string, got "2m"'],
    ],
    [
      "a member ECS does not have",
      { loadBalancers: [{ targetGroupArn: "arn", advancedConfiguration: { alternateTargetGroup: "arn" } }] },
      [
        "loadBalancers[0].advancedConfiguration.alternateTargetGroup: alternateTargetGroup is not a member of AdvancedConfiguration (alternateTargetGroupArn, productionListenerRule, testListenerRule, roleArn)",
      ],
    ],
    [
      "alarms without their switches",
      { alarms: { alarmNames: ["a"] } },
      ["alarms: DeploymentAlarms requires rollback", "alarms: DeploymentAlarms requires enable"],
    ],
    [
      "a canary of 0 %",
      { deploymentConfiguration: { canaryConfiguration: { canaryPercent: 0 } } },
      ["deploymentConfiguration.canaryConfiguration.canaryPercent: 0 is out of range (0.1-100)"],
    ],
  ])("%s", (_, inputs, problems) => {
    expect(ecsDeploymentProblems(inputs)).toEqual(problems);
  });
});

describe("BlueGreenService deployment settings refused before anything is registered", () => {
  it.each<[string, BlueGreenDeploymentArgs, string]>([
    [
      "a bake ECS refuses (CodeDeploy's termination wait allows 2 days)",
      { controller: "ecs", terminationWaitMinutes: 2000 },
      "deployment.terminationWaitMinutes 2000 is out of range (0-1440): ECS's bake time is at most a day (CodeDeploy's termination wait: 2880)",
    ],
    [
      "CodeDeploy's config under ECS",
      { controller: "ecs", config: "CodeDeployDefault.ECSCanary10Percent5Minutes" },
      "deployment.config is CodeDeploy's (controller: codeDeploy); with controller: ecs, traffic moves by strategy",
    ],
    [
      "a strategy under CodeDeploy",
      { strategy: "canary" },
      "deployment.strategy is the ECS controller's (controller: ecs); CodeDeploy moves traffic by its config",
    ],
    [
      "a canary's settings without the canary strategy",
      { controller: "ecs", canary: { percent: 5 } },
      "deployment.canary needs strategy: canary (strategy is allAtOnce)",
    ],
    [
      "a linear step below ECS's 3 %",
      { controller: "ecs", strategy: "linear", linear: { stepPercent: 2 } },
      "deployment.linear.stepPercent 2 is out of range (3-100)",
    ],
    [
      "a canary bake in fractions",
      { controller: "ecs", strategy: "canary", canary: { bakeMinutes: 1.5 } },
      "deployment.canary.bakeMinutes 1.5 is out of range (0-1440, whole minutes)",
    ],
    [
      "a gate that continues under CodeDeploy",
      { readyWaitMinutes: 30, readyTimeoutAction: "continue" },
      `deployment.readyTimeoutAction "continue" needs controller: ecs: CodeDeploy's ready wait can only stop the deployment when nobody answers`,
    ],
    [
      "a timeout action without a gate",
      { controller: "ecs", readyTimeoutAction: "continue" },
      "deployment.readyTimeoutAction needs a gate (readyWaitMinutes above 0)",
    ],
    ["an unknown controller", { controller: "argo" as never }, 'deployment.controller "argo" is not one of "codeDeploy", "ecs"'],
  ])("%s", async (_, deployment, message) => {
    const { message: got, plan } = await planAttempt(() => new BlueGreenService("web", serviceArgs(new LoadBalancer("web-lb", lbArgs()), { deployment })));
    expect(got).toBe(`BlueGreenService "web": ${message}`);
    expect(byType(plan, "aws:ecs/service:Service")).toEqual([]);
  });

  it("refuses rolloutAfter under CodeDeploy, where the release tool deploys after its own steps", async () => {
    const { message } = await planAttempt(() => webService({ rolloutAfter: [] }));
    expect(message).toBe(
      'BlueGreenService "web": rolloutAfter needs deployment.controller ecs: under CodeDeploy the release tool deploys, after its own steps',
    );
  });
});
