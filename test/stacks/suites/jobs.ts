import type { ContainerDefinition } from "@aws-sdk/client-ecs";
import { expect, it } from "vitest";
import type { WorkerGroupConfig } from "../../../infra/config/jobs";
import type { PlannedResource } from "../../../tools/plan/plan";
import { byType, jsonInput, named } from "../../helpers/plan";
import type { StackUnderTest } from "./context";

const securityGroups = (service: PlannedResource) => (service.inputs.networkConfiguration as { securityGroups: string[] }).securityGroups;

/** The capacity strategy a group's `capacity` stands for: on-demand (with its base) first, then Spot. */
function expectedStrategy(c: WorkerGroupConfig["capacity"]): object[] {
  return [
    ...(c.onDemandWeight > 0 || c.onDemandBase > 0 ? [{ capacityProvider: "FARGATE", weight: c.onDemandWeight, base: c.onDemandBase }] : []),
    ...(c.spotWeight > 0 ? [{ capacityProvider: "FARGATE_SPOT", weight: c.spotWeight }] : []),
  ];
}

/** The job platform of the config: worker groups, the scheduler's invariants, who reaches Redis. */
export function jobInvariants(s: StackUnderTest): void {
  const jobs = s.config.jobs;
  if (!jobs) {
    it("has no job platform: no cache, no worker", () => {
      expect(byType(s.plan(), "aws:elasticache/replicationGroup:ReplicationGroup")).toEqual([]);
      expect(byType(s.plan(), "infra:ecs:WorkerService")).toEqual([]);
    });
    return;
  }
  const groups = [
    ...Object.entries(jobs.back).map(([name, g]) => ({ kind: "back", name, g, namespace: jobs.namespaces.back })),
    ...Object.entries(jobs.periodic).map(([name, g]) => ({ kind: "periodic", name, g, namespace: jobs.namespaces.periodic })),
  ];

  it.each(groups.map((x) => [`${x.kind}.${x.name}`, x] as const))(
    "worker group %s: count, capacity, scaling and namespace as configured",
    (_, { kind, name, g, namespace }) => {
      const plan = s.plan();
      const service = named(plan, `jobs-${kind}-${name}-service`);
      expect(service.inputs).toMatchObject({
        name: `${s.config.name}-${kind}-${name}`,
        desiredCount: g.desiredCount ?? g.autoscaling?.minCount ?? 1,
        deploymentController: { type: "ECS" },
        deploymentCircuitBreaker: { enable: true, rollback: true },
      });
      expect(service.inputs.capacityProviderStrategies).toMatchObject(expectedStrategy(g.capacity));
      const scaling = plan.resources.filter((r) => r.name === `jobs-${kind}-${name}-scaling-target`);
      expect(scaling.map((r) => [r.inputs.minCapacity, r.inputs.maxCapacity])).toEqual(g.autoscaling ? [[g.autoscaling.minCount, g.autoscaling.maxCount]] : []);
      const [app] = jsonInput<ContainerDefinition[]>(named(plan, `jobs-${kind}-${name}-task-def`), "containerDefinitions");
      expect(app!.environment).toContainEqual({ name: "REDIS_NAMESPACE", value: namespace });
      expect(app!.command).toEqual(g.command);
    },
  );

  it("runs exactly one on-demand scheduler that rolls 100 %/200 %: never zero, never two outside a rollout", () => {
    expect(named(s.plan(), "jobs-scheduler-service").inputs).toMatchObject({
      name: `${s.config.name}-scheduler`,
      desiredCount: 1,
      deploymentMinimumHealthyPercent: 100,
      deploymentMaximumPercent: 200,
      capacityProviderStrategies: [{ capacityProvider: "FARGATE", weight: 1, base: 0 }],
    });
    expect(s.plan().resources.filter((r) => r.name === "jobs-scheduler-scaling-target")).toEqual([]);
  });

  it("protects the cache exactly when the stack protects its data, and fails over only with a replica", () => {
    const group = named(s.plan(), "jobs-redis-group");
    expect(group.options.protect).toBe(s.config.protectData);
    expect(group.inputs).toMatchObject({ numCacheClusters: jobs.redis.nodes, multiAzEnabled: jobs.redis.multiAz, transitEncryptionEnabled: true });
  });

  it("lets only the web services and the job services reach Redis, on 6379", () => {
    const plan = s.plan();
    const members = byType(plan, "aws:ecs/service:Service")
      .filter((svc) => securityGroups(svc).includes("jobs-redis-clients-sg-id"))
      .map((svc) => svc.name)
      .sort();
    const expected = [
      ...Object.keys(s.config.services).map((key) => `${key}-service`),
      ...groups.map(({ kind, name }) => `jobs-${kind}-${name}-service`),
      "jobs-scheduler-service",
    ].sort();
    expect(members).toEqual(expected);
    const ingress = byType(plan, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.inputs.securityGroupId === "jobs-redis-sg-id");
    expect(ingress.map((r) => [r.inputs.referencedSecurityGroupId, r.inputs.fromPort, r.inputs.toPort])).toEqual([["jobs-redis-clients-sg-id", 6379, 6379]]);
  });

  it("has every web service enqueue on the back namespace, with the token as a secret", () => {
    for (const key of Object.keys(s.config.services)) {
      const [app] = jsonInput<ContainerDefinition[]>(named(s.plan(), `${key}-task-def`), "containerDefinitions");
      expect(app!.environment).toContainEqual({ name: "REDIS_NAMESPACE", value: jobs.namespaces.back });
      expect(app!.environment!.find((e) => e.name === "REDIS_URL")!.value).toMatch(/^rediss:\/\//);
      expect(app!.secrets!.map((x) => x.name)).toContain("REDIS_AUTH_TOKEN");
    }
  });
}
