import type { ContainerDefinition } from "@aws-sdk/client-ecs";
import { expect, it } from "vitest";
import { REDIS_DEFAULTS } from "../../../components/data/redis";
import { NAMESPACE_DEFAULTS } from "../../../components/jobs/job-platform";
import { COLOURS } from "../../../release-tool/colours";
import type { WorkerGroupConfig } from "../../../infra/config/jobs";
import type { PlannedResource } from "../../../offline-plan/plan";
import { byType, jsonInput, named } from "../../helpers/plan";
import type { StackUnderTest } from "./context";

/** Container definitions without the namespace variable: what two colours must share. */
const withoutNamespace = (defs: ContainerDefinition[]) => defs.map((d) => ({ ...d, environment: d.environment?.filter((e) => e.name !== "REDIS_NAMESPACE") }));

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
  const configured = s.config.jobs;
  if (!configured) {
    it("has no job platform: no cache, no worker", () => {
      expect(byType(s.plan(), "aws:elasticache/replicationGroup:ReplicationGroup")).toEqual([]);
      expect(byType(s.plan(), "infra:ecs:WorkerService")).toEqual([]);
    });
    return;
  }
  const jobs = { ...configured, namespaces: { ...NAMESPACE_DEFAULTS, ...configured.namespaces } };
  const groups = [
    ...Object.entries(jobs.back)
      .filter(([, g]) => g.release === "rolling")
      .map(([name, g]) => ({ kind: "back", name, g, namespace: jobs.namespaces.back })),
    ...Object.entries(jobs.periodic).map(([name, g]) => ({ kind: "periodic", name, g, namespace: jobs.namespaces.periodic })),
  ];
  const coloured = Object.entries(jobs.back).filter(([, g]) => g.release === "blueGreen");
  /** The web services that enqueue into a colour's namespace: a blue/green group names them. */
  const followed = new Set(coloured.flatMap(([, g]) => g.enqueuedBy));
  const colourServices = coloured.flatMap(([name]) => COLOURS.map((c) => `jobs-back-${name}-service-${c}`));

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

  it.each(coloured.map(([name, g]) => [name, g] as const))(
    "blue/green group back.%s: a service and task definition per colour on its own namespace; blue live, green at 0; the release owns revision, count and capacity",
    (name, g) => {
      const plan = s.plan();
      const definitions = COLOURS.map((c) => named(plan, `jobs-back-${name}-task-def-${c}`));
      COLOURS.forEach((c, i) => {
        const service = named(plan, `jobs-back-${name}-service-${c}`);
        const live = c === "blue";
        expect(service.inputs).toMatchObject({
          name: `${s.config.name}-back-${name}-${c}`,
          desiredCount: live ? (g.desiredCount ?? g.autoscaling?.minCount ?? 1) : 0,
          deploymentController: { type: "ECS" },
          deploymentCircuitBreaker: { enable: true, rollback: true },
        });
        expect(service.inputs.capacityProviderStrategies).toMatchObject(expectedStrategy(g.capacity));
        expect(service.options.ignoreChanges).toEqual(["desiredCount", "taskDefinition"]);
        expect(definitions[i]!.inputs.family).toBe(`${s.config.name}-back-${name}-${c}`);
        expect(service.inputs.taskDefinition).toMatch(new RegExp(`:task-definition/${s.config.name}-back-${name}-${c}:\\d+$`));
        const scaling = plan.resources.filter((r) => r.name === `jobs-back-${name}-scaling-${c}-target`);
        const bounds = g.autoscaling ? (live ? [g.autoscaling.minCount, g.autoscaling.maxCount] : [0, 0]) : undefined;
        expect(scaling.map((r) => [r.inputs.minCapacity, r.inputs.maxCapacity])).toEqual(bounds ? [bounds] : []);
        for (const r of scaling) expect(r.options.ignoreChanges).toEqual(["maxCapacity", "minCapacity"]);
      });
      // The two colours differ in their namespace only.
      const [blue, green] = definitions.map((d) => jsonInput<ContainerDefinition[]>(d, "containerDefinitions"));
      expect(blue![0]!.environment).toContainEqual({ name: "REDIS_NAMESPACE", value: `${jobs.namespaces.back}-blue` });
      expect(green![0]!.environment).toContainEqual({ name: "REDIS_NAMESPACE", value: `${jobs.namespaces.back}-green` });
      expect(withoutNamespace(green!)).toEqual(withoutNamespace(blue!));
      expect(blue![0]!.command).toEqual(g.command);
      expect(blue![0]!.image).toBe(g.image);
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
    expect(group.options.protect).toBe(s.config.protectData === true);
    expect(group.inputs).toMatchObject({
      numCacheClusters: jobs.redis.nodes ?? REDIS_DEFAULTS.nodes,
      multiAzEnabled: jobs.redis.multiAz ?? REDIS_DEFAULTS.multiAz,
      transitEncryptionEnabled: true,
    });
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
      ...colourServices,
      "jobs-scheduler-service",
    ].sort();
    expect(members).toEqual(expected);
    const ingress = byType(plan, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.inputs.securityGroupId === "jobs-redis-sg-id");
    expect(ingress.map((r) => [r.inputs.referencedSecurityGroupId, r.inputs.fromPort, r.inputs.toPort])).toEqual([["jobs-redis-clients-sg-id", 6379, 6379]]);
  });

  it("has every web service enqueue on the back namespace, or per colour on its colour's when blue/green workers follow it, with the token as a secret", () => {
    for (const key of Object.keys(s.config.services)) {
      const variants = followed.has(key)
        ? COLOURS.map((c) => [`${key}-task-def-${c}`, `${jobs.namespaces.back}-${c}`])
        : [[`${key}-task-def`, jobs.namespaces.back]];
      const apps = variants.map(([resource, namespace]) => {
        const [app] = jsonInput<ContainerDefinition[]>(named(s.plan(), resource!), "containerDefinitions");
        expect(app!.environment).toContainEqual({ name: "REDIS_NAMESPACE", value: namespace });
        expect(app!.environment!.find((e) => e.name === "REDIS_URL")!.value).toMatch(/^rediss:\/\//);
        expect(app!.secrets!.map((x) => x.name)).toContain("REDIS_AUTH_TOKEN");
        return app!;
      });
      // A web service's colours differ in their namespace only: same image, same settings.
      for (const app of apps) expect(withoutNamespace([app])).toEqual(withoutNamespace([apps[0]!]));
    }
  });
}
