import type { ContainerDefinition } from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import { byType, jsonInput, named, planStack } from "../helpers/plan";

const securityGroups = (service: { inputs: Record<string, unknown> }) => (service.inputs.networkConfiguration as { securityGroups: string[] }).securityGroups;

describe("jobs in the stacks", () => {
  it("prd: back workers 2-8 with a Spot share, one on-demand scheduler, 2 periodic workers, multi-AZ Redis", async () => {
    const plan = await planStack("prd");
    expect(named(plan, "jobs-back-default-service").inputs).toMatchObject({
      desiredCount: 2,
      capacityProviderStrategies: [
        { capacityProvider: "FARGATE", weight: 1, base: 2 },
        { capacityProvider: "FARGATE_SPOT", weight: 1, base: 0 },
      ],
    });
    expect(named(plan, "jobs-back-default-scaling-target").inputs).toMatchObject({ minCapacity: 2, maxCapacity: 8 });
    expect(named(plan, "jobs-scheduler-service").inputs).toMatchObject({
      desiredCount: 1,
      deploymentMinimumHealthyPercent: 100,
      deploymentMaximumPercent: 200,
      capacityProviderStrategies: [{ capacityProvider: "FARGATE", weight: 1, base: 0 }],
    });
    expect(named(plan, "jobs-periodic-default-service").inputs.desiredCount).toBe(2);
    expect(named(plan, "jobs-redis-group").inputs).toMatchObject({ multiAzEnabled: true, automaticFailoverEnabled: true, numCacheClusters: 2 });
    expect(named(plan, "jobs-redis-group").options.protect).toBe(true);
  });

  it("stg: one of each, workers on Spot, the scheduler still on-demand", async () => {
    const plan = await planStack("stg");
    for (const name of ["jobs-back-default-service", "jobs-periodic-default-service"]) {
      expect(named(plan, name).inputs).toMatchObject({
        desiredCount: 1,
        capacityProviderStrategies: [{ capacityProvider: "FARGATE_SPOT", weight: 1, base: 0 }],
      });
    }
    expect(named(plan, "jobs-scheduler-service").inputs).toMatchObject({
      desiredCount: 1,
      capacityProviderStrategies: [{ capacityProvider: "FARGATE", weight: 1, base: 0 }],
    });
    expect(named(plan, "jobs-redis-group").options.protect).toBe(false);
  });

  it.each(["prd", "stg"] as const)("%s: the web service enqueues on `back` with the token as a secret, and may reach Redis", async (stack) => {
    const plan = await planStack(stack);
    const [app] = jsonInput<ContainerDefinition[]>(named(plan, "web-task-def"), "containerDefinitions");
    expect(app!.environment).toContainEqual({ name: "REDIS_NAMESPACE", value: "back" });
    expect(app!.environment!.find((e) => e.name === "REDIS_URL")!.value).toMatch(/^rediss:\/\//);
    expect(app!.secrets!.map((s) => s.name)).toContain("REDIS_AUTH_TOKEN");
    expect(securityGroups(named(plan, "web-service"))).toEqual(["web-task-sg-id", "jobs-redis-clients-sg-id"]);
  });

  it.each(["prd", "stg"] as const)("%s: only the web service and the job services carry the Redis client group", async (stack) => {
    const plan = await planStack(stack);
    const members = byType(plan, "aws:ecs/service:Service")
      .filter((s) => securityGroups(s).includes("jobs-redis-clients-sg-id"))
      .map((s) => s.name)
      .sort();
    expect(members).toEqual(["jobs-back-default-service", "jobs-periodic-default-service", "jobs-scheduler-service", "web-service"]);
    const redisIngress = byType(plan, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter(
      (r) => r.inputs.securityGroupId === "jobs-redis-sg-id",
    );
    expect(redisIngress.map((r) => [r.inputs.referencedSecurityGroupId, r.inputs.fromPort, r.inputs.toPort])).toEqual([
      ["jobs-redis-clients-sg-id", 6379, 6379],
    ]);
  });
});
