import { describe, expect, it } from "vitest";
import { ECS_TRIGGER } from "../../components/deploy/release";
import type { RawConfig } from "../../infra/config/load";
import { program } from "../../infra/program";
import type { Plan } from "../../offline-plan/plan";
import { readStackFile } from "../../offline-plan/stack-file";
import { diffPlans } from "../../tools/plan/diff";
import { runPlan } from "../../tools/plan/run";
import { ecsDeploymentProblems } from "../helpers/ecs-shape";
import { named, ROOT, stackNames } from "../helpers/plan";

// Moving a web service from CodeDeploy to ECS's own blue/green, in place (docs/releasing.md,
// "Moving a service from CodeDeploy to ECS"), walked through for every web service of every stack file:
// the plans of each step and what `pulumi up` would do between them (tools/plan/diff.ts, with the
// provider's replacements). Nothing that serves is replaced; CodeDeploy's group goes; the
// release of that up checks, before ECS's rules can move production, that it is safe.

const services = (raw: RawConfig) => raw["infra:services"] as Record<string, Record<string, unknown>> | undefined;

/** The stack file with one service's deployment settings changed. */
function withDeployment(raw: RawConfig, key: string, deployment: Record<string, unknown>): RawConfig {
  const all = services(raw)!;
  return { ...raw, "infra:services": { ...all, [key]: { ...all[key], deployment: { ...(all[key]!.deployment as object), ...deployment } } } };
}

const planned = new Map<string, Promise<Plan>>();
const plan = (stack: string, raw: RawConfig, label: string) => {
  if (!planned.has(`${stack}/${label}`))
    planned.set(
      `${stack}/${label}`,
      runPlan(stack, raw, () => program()),
    );
  return planned.get(`${stack}/${label}`)!;
};

for (const stack of stackNames()) {
  const raw = readStackFile(stack, ROOT);
  for (const key of Object.keys(services(raw) ?? {})) {
    describe(`${stack}: ${key} moves from CodeDeploy to ECS in one up`, () => {
      const before = () => plan(stack, raw, "codeDeploy");
      const after = () => plan(stack, withDeployment(raw, key, { controller: "ecs" }), `${key}-ecs`);

      it("the ECS service is updated in place (its tasks keep serving), the rules and ECS's role are added, CodeDeploy's group removed", async () => {
        const diff = diffPlans(await before(), await after());
        expect(diff.changed.filter((c) => c.replacedBy.length > 0 && c.resource.type !== "command:local:Command").map((c) => c.resource.name)).toEqual([]);
        const service = diff.changed.find((c) => c.resource.name === `${key}-service`)!;
        expect(service.changes.find((c) => c.path === "deploymentController.type")).toEqual({
          path: "deploymentController.type",
          before: "CODE_DEPLOY",
          after: "ECS",
        });
        expect(diff.added.map((r) => r.name).sort()).toEqual([`${key}-ecs-policy`, `${key}-ecs-role`, `${key}-production-rule`, `${key}-test-rule`]);
        expect(diff.removed.map((r) => r.name).sort()).toEqual([`${key}-app`, `${key}-codedeploy-policy`, `${key}-codedeploy-role`, `${key}-deployment-group`]);
        // The listeners, target groups, load balancer and alarms stay as they are. Besides the service and the release's
        // commands only the monitor of failed releases changes: ECS reports them, not CodeDeploy.
        const others = diff.changed.filter((c) => c.resource.type !== "command:local:Command" && c.resource.type !== "aws:ecs/service:Service");
        expect(others.map((c) => c.resource.name)).toEqual([`monitors-${key}-deployment`]);
        expect(others[0]!.changes.find((c) => c.path === "query")?.after).toMatch(/^events\("source:amazon_ecs status:error /);
        expect(ecsDeploymentProblems(named(await after(), `${key}-service`).inputs)).toEqual([]);
      });

      it("the release's commands run in that up (the controller is a trigger) and both rules and the service wait for its prepare", async () => {
        const head = await after();
        const prepare = named(head, `${key}-release-prepare`);
        expect(prepare.inputs.triggers).toContain(ECS_TRIGGER);
        for (const name of [`${key}-production-rule`, `${key}-test-rule`, `${key}-service`])
          expect(named(head, name).options.dependsOn, name).toContain(prepare.urn);
        const diff = diffPlans(await before(), head);
        expect(diff.changed.find((c) => c.resource.name === `${key}-release-prepare`)!.replacedBy).toEqual(["triggers"]);
      });

      it("where CodeDeploy left production on green: productionTargetGroup green starts ECS's production rule and the service there, the test rule on blue", async () => {
        const head = await plan(stack, withDeployment(raw, key, { controller: "ecs", productionTargetGroup: "green" }), `${key}-ecs-green`);
        const group = (colour: string) => expect.stringContaining(`:targetgroup/${key}-${colour}-`) as unknown;
        expect(named(head, `${key}-production-rule`).inputs.actions).toEqual([{ type: "forward", targetGroupArn: group("green") }]);
        expect(named(head, `${key}-test-rule`).inputs.actions).toEqual([{ type: "forward", targetGroupArn: group("blue") }]);
        expect((named(head, `${key}-service`).inputs.loadBalancers as object[])[0]).toMatchObject({
          targetGroupArn: group("green"),
          advancedConfiguration: { alternateTargetGroupArn: group("blue") },
        });
      });
    });
  }
}

describe("a change AWS would refuse is refused before anything is registered", () => {
  const raw = readStackFile("stg", ROOT);
  it.each<[string, Record<string, unknown>, string]>([
    [
      "a bake ECS refuses",
      { controller: "ecs", terminationWaitMinutes: 2880 },
      "deployment.terminationWaitMinutes: 2880 is out of range (0-1440): ECS's bake time is at most a day (CodeDeploy's termination wait: 2880)",
    ],
    [
      "CodeDeploy's config kept under ECS",
      { controller: "ecs", config: "CodeDeployDefault.ECSCanary10Percent5Minutes" },
      "deployment.config: is CodeDeploy's (controller: codeDeploy); with controller: ecs, traffic moves by strategy",
    ],
    [
      "productionTargetGroup under CodeDeploy",
      { productionTargetGroup: "green" },
      "deployment.productionTargetGroup: is the ECS controller's (controller: ecs); CodeDeploy moves traffic by its config",
    ],
  ])("%s", async (_, deployment, message) => {
    await expect(runPlan("stg", withDeployment(raw, "web", deployment), () => program())).rejects.toThrow(`infra:services.web.${message}`);
  });
});
