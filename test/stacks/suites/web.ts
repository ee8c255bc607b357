import type { ContainerDefinition } from "@aws-sdk/client-ecs";
import { expect, it } from "vitest";
import { byType, jsonInput, named } from "../../helpers/plan";
import type { StackUnderTest } from "./context";

/** Every web service of the config: blue/green under CodeDeploy, as its config says. */
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

  it.each(services.map(([key]) => key))("web service %s: a CODE_DEPLOY service on two target groups, and CodeDeploy as configured", (key) => {
    const service = s.config.services[key]!;
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
      deploymentConfigName: service.deployment.config,
      deploymentStyle: { deploymentType: "BLUE_GREEN", deploymentOption: "WITH_TRAFFIC_CONTROL" },
      blueGreenDeploymentConfig: {
        terminateBlueInstancesOnDeploymentSuccess: { action: "TERMINATE", terminationWaitTimeInMinutes: service.deployment.terminationWaitMinutes },
      },
      autoRollbackConfiguration: { enabled: true },
      ecsService: { serviceName: `${s.config.name}-${key}` },
    });
  });

  it.each(services.map(([key]) => key))("web service %s: the task runs the configured image, size, port and secrets", (key) => {
    const service = s.config.services[key]!;
    const taskDef = named(s.plan(), `${key}-task-def`);
    expect(taskDef.inputs).toMatchObject({ family: `${s.config.name}-${key}`, cpu: String(service.cpu), memory: String(service.memory) });
    const [app] = jsonInput<ContainerDefinition[]>(taskDef, "containerDefinitions");
    expect(app).toMatchObject({ image: service.image, portMappings: [{ containerPort: service.port }] });
    for (const [name, arn] of Object.entries(service.secrets)) expect(app!.secrets).toContainEqual({ name, valueFrom: arn });
    for (const [name, value] of Object.entries(service.environment)) expect(app!.environment).toContainEqual({ name, value });
  });
}
