import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { program } from "../../examples/product-service/index";
import { recordProgram } from "../../components/offline-plan/record";
import { readStackFile, toPulumiConfig } from "../../components/offline-plan/stack-file";
import { byType, named, TEST_LOCATION } from "../helpers/plan";

describe("examples/product-service", () => {
  it("plans a blue/green service on an existing VPC and cluster with a few lines", async () => {
    const raw = readStackFile("dev", resolve(__dirname, "../../examples/product-service"));
    const plan = await recordProgram(
      { project: "product-service", stack: "dev", location: { ...TEST_LOCATION, accountId: "111111111111" }, config: toPulumiConfig(raw) },
      program,
    );
    expect(byType(plan, "aws:ec2/vpc:Vpc")).toEqual([]);
    expect(byType(plan, "aws:ecs/cluster:Cluster")).toEqual([]);
    expect(named(plan, "catalog-service").inputs).toMatchObject({
      cluster: "arn:aws:ecs:ap-northeast-1:111111111111:cluster/shop-prd",
      deploymentController: { type: "CODE_DEPLOY" },
      networkConfiguration: { subnets: ["subnet-0bbb0000000000001", "subnet-0bbb0000000000002"] },
    });
    expect(named(plan, "catalog-deployment-group").inputs).toMatchObject({ ecsService: { clusterName: "shop-prd", serviceName: "catalog" } });
    expect(byType(plan, "aws:lb/targetGroup:TargetGroup")).toHaveLength(2);
    expect(plan.outputs).toMatchObject({ deploymentGroupName: "catalog", url: expect.stringMatching(/^https:\/\/catalog-lb-alb-/) as string });
  });
});
