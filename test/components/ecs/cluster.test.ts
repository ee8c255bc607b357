import { describe, expect, it } from "vitest";
import { ServiceAutoscaling } from "../../../components/ecs/autoscaling";
import { Cluster } from "../../../components/ecs/cluster";
import { cpuMemoryProblems, FARGATE_MEMORY_BY_CPU } from "../../../components/ecs/fargate";
import { input, named, planOf, planAttempt } from "../../helpers/plan";

describe("Cluster", () => {
  it("turns on Container Insights and audits every ECS Exec session to its own log group", async () => {
    const plan = await planOf(() => new Cluster("ecs", { clusterName: "shop-prd" }));
    const cluster = named(plan, "ecs-cluster");
    expect(cluster.inputs).toMatchObject({
      name: "shop-prd",
      settings: [{ name: "containerInsights", value: "enhanced" }],
      configuration: {
        executeCommandConfiguration: {
          logging: "OVERRIDE",
          logConfiguration: { cloudWatchLogGroupName: expect.stringMatching(/^ecs-exec-audit-[0-9a-f]{7}$/) as string },
        },
      },
    });
    expect(input<number>(named(plan, "ecs-exec-audit"), "retentionInDays")).toBe(365);
  });

  it("offers FARGATE and FARGATE_SPOT, on-demand by default", async () => {
    const plan = await planOf(() => new Cluster("ecs", { clusterName: "shop-prd" }));
    expect(named(plan, "ecs-capacity").inputs).toEqual({
      clusterName: "shop-prd",
      capacityProviders: ["FARGATE", "FARGATE_SPOT"],
      defaultCapacityProviderStrategies: [{ capacityProvider: "FARGATE", weight: 1, base: 1 }],
    });
  });

  it("rejects a bad name or strategy, naming the argument", async () => {
    const { message, plan } = await planAttempt(() => {
      new Cluster("ecs", { clusterName: "shop prd", defaultCapacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 0 }] });
    });
    expect(message).toBe(
      'Cluster "ecs": clusterName "shop prd" must be 1-255 letters, digits, - or _; defaultCapacityProviderStrategy needs at least one provider with a weight above 0',
    );
    expect(plan.resources).toEqual([]);
  });

  it("rejects a capacity provider Fargate does not have, naming the entry", async () => {
    const { message, plan } = await planAttempt(() => {
      new Cluster("ecs", {
        clusterName: "shop",
        defaultCapacityProviderStrategy: [
          { capacityProvider: "FARGATE", weight: 1 },
          { capacityProvider: "EC2" as never, weight: 1 },
        ],
      });
    });
    expect(message).toBe('Cluster "ecs": defaultCapacityProviderStrategy[1].capacityProvider "EC2" is not one of "FARGATE", "FARGATE_SPOT"');
    expect(plan.resources).toEqual([]);
  });

  it("rejects an unknown Container Insights mode and a retention CloudWatch refuses", async () => {
    const { message, plan } = await planAttempt(() => {
      new Cluster("ecs", { clusterName: "shop", containerInsights: "full" as never, execLogRetentionInDays: 45 as never });
    });
    expect(message).toBe(
      'Cluster "ecs": containerInsights "full" is not one of "disabled", "enabled", "enhanced"; execLogRetentionInDays 45 is not one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653',
    );
    expect(plan.resources).toEqual([]);
  });
});

describe("ServiceAutoscaling", () => {
  it("refuses a request target of 0", async () => {
    const { message } = await planAttempt(() => {
      new ServiceAutoscaling("scaling", {
        clusterName: "c",
        serviceName: "s",
        minCount: 1,
        maxCount: 2,
        requests: { requestsPerTarget: 0, loadBalancerArnSuffix: "app/x/1", targetGroupArnSuffixes: [] },
      });
    });
    expect(message).toBe('ServiceAutoscaling "scaling": requests.requestsPerTarget 0 must be above 0');
  });

  it("refuses an owner of the capacity other than the live or the idle colour, before registering anything", async () => {
    const { message, plan } = await planAttempt(() => {
      new ServiceAutoscaling("scaling", { clusterName: "c", serviceName: "s", minCount: 1, maxCount: 2, releaseOwned: "blue" as never });
    });
    expect(message).toBe('ServiceAutoscaling "scaling": releaseOwned "blue" is not one of "live", "idle"');
    expect(plan.resources).toEqual([]);
  });
});

describe("Fargate sizes", () => {
  it("accepts every size of AWS's table and nothing between", () => {
    for (const [cpu, memories] of Object.entries(FARGATE_MEMORY_BY_CPU)) {
      for (const memory of memories) expect(cpuMemoryProblems(Number(cpu), memory)).toEqual([]);
      expect(cpuMemoryProblems(Number(cpu), memories[0]! - 1)).toHaveLength(1);
    }
    expect(FARGATE_MEMORY_BY_CPU[4096]).toHaveLength(23);
    expect(FARGATE_MEMORY_BY_CPU[16384]![FARGATE_MEMORY_BY_CPU[16384]!.length - 1]).toBe(122880);
  });
});

describe("Cluster and ServiceAutoscaling transform", () => {
  it("changes the cluster and its audit log group as asked", async () => {
    const key = "arn:aws:kms:ap-northeast-1:123456789012:key/6f1c2a4e-0d3b-4c5a-9e8f-7a6b5c4d3e2f";
    const plan = await planOf(
      () =>
        new Cluster("ecs", {
          clusterName: "shop-prd",
          transform: {
            cluster: (a) => {
              a.serviceConnectDefaults = { namespace: "arn:aws:servicediscovery:ap-northeast-1:123456789012:namespace/ns-shop" };
            },
            execLogGroup: { kmsKeyId: key },
          },
        }),
    );
    expect(named(plan, "ecs-cluster").inputs).toMatchObject({
      name: "shop-prd",
      serviceConnectDefaults: { namespace: expect.stringContaining("ns-shop") as string },
    });
    expect(named(plan, "ecs-cluster").parent).toMatch(/::ecs$/);
    expect(named(plan, "ecs-exec-audit").inputs).toMatchObject({ kmsKeyId: key, retentionInDays: 365 });
  });

  it("changes the scalable target and every policy as asked", async () => {
    const plan = await planOf(
      () =>
        new ServiceAutoscaling("scaling", {
          clusterName: "shop",
          serviceName: "shop-web",
          minCount: 2,
          maxCount: 4,
          requests: { requestsPerTarget: 500, loadBalancerArnSuffix: "app/lb/1", targetGroupArnSuffixes: ["targetgroup/b/1"] },
          transform: { target: { suspendedState: { dynamicScalingInSuspended: true } }, policy: (a, _o, name) => ({ ...a, name }) },
        }),
    );
    expect(named(plan, "scaling-target").inputs).toMatchObject({ suspendedState: { dynamicScalingInSuspended: true }, minCapacity: 2 });
    expect(named(plan, "scaling-cpu").inputs.name).toBe("scaling-cpu");
    expect(named(plan, "scaling-requests").inputs.name).toBe("scaling-requests");
  });
});
