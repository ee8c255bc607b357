import { describe, expect, it } from "vitest";
import { Redis, type RedisArgs } from "../../../components/data/redis";
import { maintenanceWindowInJst, snapshotWindowInJst } from "../../../components/data/windows";
import { byType, input, named, planOf, planAttempt } from "../../helpers/plan";

const planRedis = (extra: Partial<RedisArgs> = {}) => planOf(() => new Redis("cache", { vpcId: "vpc-1", subnetIds: ["isolated-a", "isolated-c"], ...extra }));

describe("Redis", () => {
  it("encrypts in transit and at rest, authenticates with a generated token, in the isolated subnets", async () => {
    const plan = await planRedis();
    expect(named(plan, "cache-group").inputs).toMatchObject({
      engine: "valkey",
      engineVersion: "8.0",
      transitEncryptionEnabled: true,
      atRestEncryptionEnabled: true,
      authToken: "[secret]",
      port: 6379,
      numCacheClusters: 1,
      automaticFailoverEnabled: false,
      multiAzEnabled: false,
      securityGroupIds: ["cache-sg-id"],
      snapshotRetentionLimit: 7,
    });
    expect(named(plan, "cache-subnets").inputs.subnetIds).toEqual(["isolated-a", "isolated-c"]);
    expect(named(plan, "cache-auth-token").inputs).toEqual({ length: 64, special: false });
    expect(named(plan, "cache-auth-value").inputs).toEqual({ secretId: "cache-auth-id", secretString: "[secret]" });
  });

  it("admits 6379 from its client group only, and has no other rule", async () => {
    const plan = await planRedis();
    const rules = [
      ...byType(plan, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"),
      ...byType(plan, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"),
    ];
    expect(rules.map((r) => r.inputs)).toEqual([
      {
        securityGroupId: "cache-sg-id",
        referencedSecurityGroupId: "cache-clients-sg-id",
        ipProtocol: "tcp",
        fromPort: 6379,
        toPort: 6379,
        description: "From the cache's clients",
        tags: {},
      },
    ]);
  });

  it("runs multi-AZ with automatic failover when asked", async () => {
    expect(named(await planRedis({ nodes: 2, multiAz: true }), "cache-group").inputs).toMatchObject({
      numCacheClusters: 2,
      automaticFailoverEnabled: true,
      multiAzEnabled: true,
    });
  });

  it("keeps its maintenance and snapshots at night in Japan", async () => {
    const group = named(await planRedis(), "cache-group");
    expect(maintenanceWindowInJst(input<string>(group, "maintenanceWindow"))).toBe("mon 03:00-mon 04:00 JST");
    expect(snapshotWindowInJst(input<string>(group, "snapshotWindow"))).toBe("01:00-02:00 JST");
  });

  it("protects the cache and its secret and takes a final snapshot when asked", async () => {
    const plan = await planRedis({ protectData: true });
    expect(named(plan, "cache-group").options).toMatchObject({ protect: true, retainOnDelete: true });
    expect(named(plan, "cache-auth").options).toMatchObject({ protect: true, retainOnDelete: true });
    expect(named(plan, "cache-group").inputs.finalSnapshotIdentifier).toBe("cache-final");
    expect(named(await planRedis(), "cache-group").inputs.finalSnapshotIdentifier).toBeUndefined();
  });

  it.each<[string, Partial<RedisArgs>, string]>([
    ["multi-AZ on one node", { multiAz: true }, "multiAz needs at least 2 nodes (a replica to fail over to), got 1"],
    ["too many nodes", { nodes: 7 }, "nodes 7 is out of range (1-6)"],
    ["a node type that is none", { nodeType: "t4g.small" }, 'nodeType "t4g.small" is not an ElastiCache node type (like cache.t4g.small)'],
    [
      "a short maintenance window",
      { maintenanceWindow: "sun:18:00-sun:18:30" },
      'maintenanceWindow "sun:18:00-sun:18:30" is 30 minutes; ElastiCache needs at least 60',
    ],
    ["a snapshot window in JST words", { snapshotWindow: "1am-2am" }, 'snapshotWindow "1am-2am" is not hh:mm-hh:mm (UTC)'],
  ])("rejects %s", async (_case, extra, problem) => {
    const { message, plan } = await planAttempt(() => {
      new Redis("cache", { vpcId: "vpc-1", subnetIds: ["isolated-a"], ...extra });
    });
    expect(message).toBe(`Redis "cache": ${problem}`);
    expect(plan.resources).toEqual([]);
  });
});

describe("Redis transform", () => {
  it("changes the replication group and the cache's security group as asked, keeping what protects the data", async () => {
    const topic = "arn:aws:sns:ap-northeast-1:123456789012:cache-events";
    const plan = await planRedis({
      protectData: true,
      transform: { replicationGroup: { notificationTopicArn: topic }, securityGroup: (a) => ({ ...a, description: "Cache: from its clients" }) },
    });
    expect(named(plan, "cache-group").inputs).toMatchObject({ notificationTopicArn: topic, transitEncryptionEnabled: true });
    expect(named(plan, "cache-group").options).toMatchObject({ protect: true, retainOnDelete: true });
    expect(named(plan, "cache-sg").inputs.description).toBe("Cache: from its clients");
  });
});
