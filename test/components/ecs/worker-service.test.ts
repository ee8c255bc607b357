import type { ContainerDefinition } from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import { WorkerService, type WorkerServiceArgs } from "../../../components/ecs/worker-service";
import { byType, jsonInput, named, planOf, planAttempt } from "../../helpers/plan";
import { IMAGE } from "../../helpers/web";

const args = (extra: Partial<WorkerServiceArgs> = {}): WorkerServiceArgs => ({
  serviceName: "shop-back",
  cluster: { clusterArn: "arn:aws:ecs:ap-northeast-1:123456789012:cluster/shop", clusterName: "shop" },
  vpcId: "vpc-1",
  subnetIds: ["private-a"],
  task: { family: "shop-back", cpu: 512, memory: 1024, container: { image: IMAGE, command: ["bundle", "exec", "sidekiq"] } },
  ...extra,
});
const planWorker = (extra: Partial<WorkerServiceArgs> = {}) => planOf(() => new WorkerService("back", args(extra)));

describe("WorkerService", () => {
  it("rolls with the ECS controller, circuit breaker with rollback, 100 %/200 % by default, no load balancer", async () => {
    const service = named(await planWorker(), "back-service");
    expect(service.inputs).toMatchObject({
      name: "shop-back",
      deploymentController: { type: "ECS" },
      deploymentCircuitBreaker: { enable: true, rollback: true },
      deploymentMinimumHealthyPercent: 100,
      deploymentMaximumPercent: 200,
      desiredCount: 1,
      enableExecuteCommand: true,
      networkConfiguration: { assignPublicIp: false, subnets: ["private-a"], securityGroups: ["back-sg-id"] },
      capacityProviderStrategies: [{ capacityProvider: "FARGATE", weight: 1, base: 0 }],
    });
    expect(service.inputs.loadBalancers).toBeUndefined();
    expect(service.options.ignoreChanges).toEqual([]);
  });

  it("takes custom rolling settings and Spot", async () => {
    const service = named(
      await planWorker({
        minimumHealthyPercent: 50,
        maximumPercent: 150,
        capacityProviderStrategy: [
          { capacityProvider: "FARGATE", weight: 1, base: 2 },
          { capacityProvider: "FARGATE_SPOT", weight: 3 },
        ],
      }),
      "back-service",
    );
    expect(service.inputs).toMatchObject({
      deploymentMinimumHealthyPercent: 50,
      deploymentMaximumPercent: 150,
      capacityProviderStrategies: [
        { capacityProvider: "FARGATE", weight: 1, base: 2 },
        { capacityProvider: "FARGATE_SPOT", weight: 3, base: 0 },
      ],
    });
  });

  it("gives a job 60 s after SIGTERM by default", async () => {
    const [app] = jsonInput<ContainerDefinition[]>(named(await planWorker(), "back-task-def"), "containerDefinitions");
    expect(app!.stopTimeout).toBe(60);
    expect(app!.portMappings).toBeUndefined();
    const [custom] = jsonInput<ContainerDefinition[]>(named(await planWorker({ stopTimeoutSeconds: 120 }), "back-task-def"), "containerDefinitions");
    expect(custom!.stopTimeout).toBe(120);
  });

  it("has a security group with no ingress at all", async () => {
    const plan = await planWorker();
    expect(byType(plan, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")).toEqual([]);
    expect(named(plan, "back-sg").inputs.ingress).toBeUndefined();
    expect(named(plan, "back-egress").inputs).toMatchObject({ securityGroupId: "back-sg-id", ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" });
  });

  it("scales on CPU and then ignores its desired count", async () => {
    const plan = await planWorker({ autoscaling: { minCount: 2, maxCount: 8 } });
    expect(named(plan, "back-service").options.ignoreChanges).toEqual(["desiredCount"]);
    expect(named(plan, "back-service").inputs.desiredCount).toBe(2);
    expect(named(plan, "back-scaling-target").inputs).toMatchObject({ minCapacity: 2, maxCapacity: 8, resourceId: "service/shop/shop-back" });
    expect(byType(plan, "aws:appautoscaling/policy:Policy").map((p) => p.name)).toEqual(["back-scaling-cpu"]);
  });

  it.each<[string, Partial<WorkerServiceArgs>, string]>([
    ["a stop timeout past Fargate's 120 s", { stopTimeoutSeconds: 121 }, "stopTimeoutSeconds 121 is out of range (2-120, Fargate's maximum)"],
    ["a stop timeout too short", { stopTimeoutSeconds: 1 }, "stopTimeoutSeconds 1 is out of range (2-120, Fargate's maximum)"],
    [
      "no room to roll",
      { minimumHealthyPercent: 100, maximumPercent: 100 },
      "maximumPercent 100 with minimumHealthyPercent 100 leaves a rolling update no room to start a task",
    ],
    ["a maximum above 200 %", { maximumPercent: 250 }, "maximumPercent 250 is out of range (100-200)"],
    [
      "a port",
      { task: { family: "f", cpu: 256, memory: 512, container: { image: IMAGE, port: 8080 } } },
      "task.container.port 8080: a worker takes no traffic; use a BlueGreenService",
    ],
    ["min above max", { autoscaling: { minCount: 4, maxCount: 2 } }, "autoscaling.minCount 4 is greater than maxCount 2"],
    [
      "a first count outside the bounds",
      { desiredCount: 10, autoscaling: { minCount: 2, maxCount: 8 } },
      "desiredCount 10 is outside the autoscaling bounds 2-8",
    ],
    [
      "an image tag that moves (its rolling update would never start)",
      { task: { family: "f", cpu: 256, memory: 512, container: { image: "ghcr.io/shop/worker:latest" } } },
      'task.container.image "ghcr.io/shop/worker:latest" moves with every push: name one version (ghcr.io/shop/worker:2026.11.20-1) or a digest (@sha256:...)',
    ],
  ])("rejects %s", async (_case, extra, problem) => {
    const { message, plan } = await planAttempt(() => {
      new WorkerService("back", args(extra));
    });
    expect(message).toBe(`WorkerService "back": ${problem}`);
    expect(plan.resources).toEqual([]);
  });
});

describe("WorkerService transform", () => {
  it("changes its service and security group as asked, and a task's through task.transform", async () => {
    const plan = await planWorker({
      transform: { service: { availabilityZoneRebalancing: "ENABLED" }, securityGroup: { revokeRulesOnDelete: true } },
      task: { ...args().task, transform: { taskDefinition: { skipDestroy: true } } },
    });
    expect(named(plan, "back-service").inputs).toMatchObject({ availabilityZoneRebalancing: "ENABLED", name: "shop-back" });
    expect(named(plan, "back-sg").inputs).toMatchObject({ revokeRulesOnDelete: true });
    expect(named(plan, "back-task-def").inputs).toMatchObject({ skipDestroy: true });
  });
});
