import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { program } from "../../examples/product-service/index";
import { recordProgram } from "../../offline-plan/record";
import { readStackFile, toPulumiConfig } from "../../offline-plan/stack-file";
import { program as infraProgram } from "../../infra/program";
import { runPlan } from "../../tools/plan/run";
import { byType, named, ROOT, TEST_LOCATION } from "../helpers/plan";

const EXAMPLE = resolve(__dirname, "../../examples/product-service");

describe("examples/product-service", () => {
  it("plans a blue/green service on the SRE stack's VPC and cluster, read through a StackReference, in a few lines", async () => {
    const raw = readStackFile("dev", EXAMPLE);
    // What `pulumi stack output --json` of this repository's prd stack prints: its plan's outputs.
    const prd = await runPlan("prd", readStackFile("prd", ROOT), infraProgram);
    const outputs = prd.outputs as { vpcId: string; privateSubnetIds: string[]; publicSubnetIds: string[]; clusterArn: string; clusterName: string };
    const plan = await recordProgram(
      {
        project: "product-service",
        stack: "dev",
        location: { ...TEST_LOCATION, accountId: "111111111111" },
        config: toPulumiConfig(raw),
        stackOutputs: { [String(raw["product-service:infraStack"])]: outputs },
      },
      program,
    );
    expect(byType(plan, "aws:ec2/vpc:Vpc")).toEqual([]);
    expect(byType(plan, "aws:ecs/cluster:Cluster")).toEqual([]);
    expect(named(plan, "catalog-service").inputs).toMatchObject({
      cluster: outputs.clusterArn,
      deploymentController: { type: "CODE_DEPLOY" },
      networkConfiguration: { subnets: outputs.privateSubnetIds },
    });
    expect(named(plan, "catalog-lb-alb").inputs).toMatchObject({ subnets: outputs.publicSubnetIds });
    expect(named(plan, "catalog-deployment-group").inputs).toMatchObject({ ecsService: { clusterName: outputs.clusterName, serviceName: "catalog" } });
    expect(byType(plan, "aws:lb/targetGroup:TargetGroup")).toHaveLength(2);
    expect(plan.outputs).toMatchObject({ deploymentGroupName: "catalog", url: expect.stringMatching(/^https:\/\/catalog-lb-alb-/) as string });
  });

  it("without the referenced stack's outputs: refused by the stack's name, saying how to give them, nothing planned", async () => {
    const raw = readStackFile("dev", EXAMPLE);
    const plan = recordProgram(
      { project: "product-service", stack: "dev", location: { ...TEST_LOCATION, accountId: "111111111111" }, config: toPulumiConfig(raw) },
      program,
    );
    await expect(plan).rejects.toThrow(
      'StackReference "shop-sre/infra/prd": the offline plan has no outputs of that stack (none given); give them with --stack-outputs shop-sre/infra/prd=<file>, the file written by: pulumi stack output --json --show-secrets -s shop-sre/infra/prd > <file>',
    );
  });
});
