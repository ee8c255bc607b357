import type { ContainerDefinition } from "@aws-sdk/client-ecs";
import { expect, it } from "vitest";
import { DEPLOYMENT_DEFAULTS } from "../../../components/deploy/deployment";
import { WEB_ACL_DEFAULTS } from "../../../components/loadbalancing/web-acl";
import { COLOURS } from "../../../release-tool/colours";
import { byType, jsonInput, named } from "../../helpers/plan";
import { ecsDeploymentProblems } from "../../helpers/ecs-shape";
import { wafRuleProblems } from "../../helpers/wafv2-shape";
import type { StackUnderTest } from "./context";

/** Every web service of the config: blue/green under CodeDeploy or ECS, as its config says. */
export function webInvariants(s: StackUnderTest): void {
  const services = Object.entries(s.config.services);
  if (services.length === 0) {
    it("has no load balancer, no ECS service and no CodeDeploy group", () => {
      expect(byType(s.plan(), "aws:lb/loadBalancer:LoadBalancer")).toEqual([]);
      expect(byType(s.plan(), "aws:ecs/service:Service")).toEqual([]);
      expect(byType(s.plan(), "aws:codedeploy/deploymentGroup:DeploymentGroup")).toEqual([]);
    });
    return;
  }

  const byController = (controller: "codeDeploy" | "ecs") =>
    services.filter(([, c]) => (c.deployment.controller ?? DEPLOYMENT_DEFAULTS.controller) === controller).map(([key]) => key);
  const codeDeployed = byController("codeDeploy");
  const ecsReleased = byController("ecs");

  it.skipIf(ecsReleased.length === 0).each(ecsReleased)(
    "web service %s: an ECS service released blue/green by ECS as configured, on its rules and role, every field as ECS's model reads it",
    (key) => {
      const service = s.config.services[key]!;
      const d = { ...DEPLOYMENT_DEFAULTS, ...service.deployment };
      const plan = s.plan();
      const ecs = named(plan, `${key}-service`);
      const strategies = { allAtOnce: "BLUE_GREEN", canary: "CANARY", linear: "LINEAR" } as const;
      expect(ecs.inputs).toMatchObject({
        name: `${s.config.name}-${key}`,
        deploymentController: { type: "ECS" },
        deploymentConfiguration: { strategy: strategies[d.strategy], bakeTimeInMinutes: String(d.terminationWaitMinutes) },
        alarms: { enable: true, rollback: true },
      });
      const configuration = ecs.inputs.deploymentConfiguration as Record<string, unknown>;
      if (d.strategy === "canary")
        expect(configuration.canaryConfiguration).toEqual({
          canaryPercent: d.canary.percent ?? DEPLOYMENT_DEFAULTS.canary.percent,
          canaryBakeTimeInMinutes: String(d.canary.bakeMinutes ?? DEPLOYMENT_DEFAULTS.canary.bakeMinutes),
        });
      if (d.readyWaitMinutes > 0)
        expect(configuration.lifecycleHooks).toEqual([
          {
            targetType: "PAUSE",
            lifecycleStages: ["POST_TEST_TRAFFIC_SHIFT"],
            timeoutConfiguration: { action: d.readyTimeoutAction === "continue" ? "CONTINUE" : "ROLLBACK", timeoutInMinutes: String(d.readyWaitMinutes) },
          },
        ]);
      expect(ecsDeploymentProblems(ecs.inputs)).toEqual([]);
      // Pulumi owns the task definition: nothing of CodeDeploy's drift is ignored.
      expect(ecs.options.ignoreChanges).not.toContain("taskDefinition");
      const [lb] = ecs.inputs.loadBalancers as { advancedConfiguration: Record<string, string> }[];
      const ruleArn = (role: string) => expect.stringContaining(`:listener-rule/app/${key}-${role}-rule-`) as unknown;
      expect(lb!.advancedConfiguration).toEqual({
        alternateTargetGroupArn: expect.stringContaining(`:targetgroup/${key}-green-`) as unknown,
        productionListenerRule: ruleArn("production"),
        testListenerRule: ruleArn("test"),
        roleArn: expect.stringContaining(`:role/${key}-ecs-role-`) as unknown,
      });
      expect(byType(plan, "aws:codedeploy/deploymentGroup:DeploymentGroup").filter((g) => g.name === `${key}-deployment-group`)).toEqual([]);
    },
  );

  it.skipIf(codeDeployed.length === 0).each(codeDeployed)("web service %s: a CODE_DEPLOY service on two target groups, and CodeDeploy as configured", (key) => {
    const service = s.config.services[key]!;
    const deployment = { ...DEPLOYMENT_DEFAULTS, ...service.deployment };
    const plan = s.plan();
    const ecs = named(plan, `${key}-service`);
    expect(ecs.inputs).toMatchObject({ name: `${s.config.name}-${key}`, deploymentController: { type: "CODE_DEPLOY" } });
    expect(ecs.inputs.networkConfiguration).toMatchObject({ assignPublicIp: false });
    // CodeDeploy owns these after the first release; Pulumi must not undo a switch.
    expect(ecs.options.ignoreChanges).toEqual(expect.arrayContaining(["taskDefinition", "loadBalancers"]));
    for (const colour of ["blue", "green"]) {
      expect(named(plan, `${key}-${colour}`).inputs).toMatchObject({ port: service.port, targetType: "ip", healthCheck: { path: service.healthCheck.path } });
    }
    expect(named(plan, `${key}-deployment-group`).inputs).toMatchObject({
      deploymentConfigName: deployment.config,
      deploymentStyle: { deploymentType: "BLUE_GREEN", deploymentOption: "WITH_TRAFFIC_CONTROL" },
      blueGreenDeploymentConfig: {
        terminateBlueInstancesOnDeploymentSuccess: { action: "TERMINATE", terminationWaitTimeInMinutes: deployment.terminationWaitMinutes },
      },
      autoRollbackConfiguration: { enabled: true },
      ecsService: { serviceName: `${s.config.name}-${key}` },
    });
  });

  it.each(services.map(([key]) => key))(
    "web service %s: the task runs the configured image, size, port and secrets (a task definition per colour when blue/green workers follow it)",
    (key) => {
      const service = s.config.services[key]!;
      const plan = s.plan();
      const coloured = Object.values(s.config.jobs?.back ?? {}).some((g) => g.release === "blueGreen" && g.enqueuedBy.includes(key));
      const definitions = byType(plan, "aws:ecs/taskDefinition:TaskDefinition").filter((r) => r.parent === named(plan, `${key}-task`).urn);
      const family = `${s.config.name}-${key}`;
      expect(definitions.map((d) => d.inputs.family)).toEqual(coloured ? COLOURS.map((c) => `${family}-${c}`) : [family]);
      for (const taskDef of definitions) {
        expect(taskDef.inputs).toMatchObject({ cpu: String(service.cpu), memory: String(service.memory) });
        const [app] = jsonInput<ContainerDefinition[]>(taskDef, "containerDefinitions");
        expect(app).toMatchObject({ image: service.image, portMappings: [{ containerPort: service.port }] });
        for (const [name, arn] of Object.entries(service.secrets)) expect(app!.secrets).toContainEqual({ name, valueFrom: arn });
        for (const [name, value] of Object.entries(service.environment)) expect(app!.environment).toContainEqual({ name, value });
      }
      // The service starts on the first (blue) one.
      expect(named(plan, `${key}-service`).inputs.taskDefinition).toMatch(new RegExp(`:task-definition/${definitions[0]!.inputs.family as string}:\\d+$`));
    },
  );
}

/** Every internet-facing load balancer behind a web ACL of the stack's `infra:waf`. */
export function wafInvariants(s: StackUnderTest): void {
  const services = Object.entries(s.config.services);
  it("one web ACL per internet-facing load balancer, associated with it, and none elsewhere", () => {
    const plan = s.plan();
    const internetFacing = byType(plan, "aws:lb/loadBalancer:LoadBalancer").filter((lb) => lb.inputs.internal !== true);
    const associations = byType(plan, "aws:wafv2/webAclAssociation:WebAclAssociation");
    expect(byType(plan, "aws:wafv2/webAcl:WebAcl")).toHaveLength(internetFacing.length);
    expect(associations).toHaveLength(internetFacing.length);
    // Each association is declared by the component that declared its load balancer.
    for (const lb of internetFacing) {
      const waf = plan.resources.find((r) => r.type === "infra:loadbalancing:WebAcl" && r.parent === lb.parent);
      expect(associations.filter((a) => a.parent === waf?.urn)).toHaveLength(1);
    }
  });

  it.each(services.map(([key]) => key))(
    "web service %s: the managed groups, rate rule and mode of infra:waf, logged to aws-waf-logs-…, credentials redacted",
    (key) => {
      const plan = s.plan();
      const waf = { ...WEB_ACL_DEFAULTS, ...s.config.waf };
      const acl = named(plan, `${key}-lb-waf-acl`);
      expect(acl.inputs.name).toBe(`${s.config.name}-${key}`);
      expect(wafRuleProblems(acl.inputs.rules)).toEqual([]);
      const rules = acl.inputs.rules as { name: string; action?: object; overrideAction?: object; statement: { rateBasedStatement?: { limit: number } } }[];
      expect(rules.map((r) => r.name)).toEqual(["rate-limit-per-ip", ...waf.managedRuleGroups.map((g) => g.name)]);
      expect(rules[0]!.statement.rateBasedStatement!.limit).toBe(waf.rateLimitPer5Minutes);
      expect(rules[0]!.action).toEqual(waf.mode === "block" ? { block: {} } : { count: {} });
      for (const r of rules.slice(1)) expect(r.overrideAction).toEqual(waf.mode === "block" ? { none: {} } : { count: {} });
      expect(named(plan, `${key}-lb-waf-exempt`).inputs.addresses).toEqual([...new Set(s.config.services[key]!.testListener.allowedCidrs)].sort());
      expect(named(plan, `${key}-lb-waf-logs`).inputs).toMatchObject({ name: `aws-waf-logs-${s.config.name}-${key}`, retentionInDays: waf.logRetentionInDays });
      expect(named(plan, `${key}-lb-waf-logging`).inputs.redactedFields).toEqual([
        { singleHeader: { name: "authorization" } },
        { singleHeader: { name: "cookie" } },
      ]);
    },
  );
}
