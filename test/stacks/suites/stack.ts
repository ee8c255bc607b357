import { expect, it } from "vitest";
import { AUTONAME_SUFFIX_LENGTH, NAME_LIMITS } from "../../../components/aws-limits";
import { NAME_PATTERNS } from "../../helpers/aws-names";
import { program } from "../../../infra/program";
import { planSchema } from "../../../tools/plan/plan-file";
import { runPlan } from "../../../tools/plan/run";
import { serializePlan } from "../../../offline-plan/text";
import { VPC_DEFAULTS } from "../../../components/network/vpc";
import { byType } from "../../helpers/plan";
import type { StackUnderTest } from "./context";

/** What every stack is, whatever its config: the plan's shape, the provider, names, the network. */
export function stackInvariants(s: StackUnderTest): void {
  it("plans, in the JSON shape of docs/architecture.md", () => {
    const json = JSON.parse(serializePlan(s.plan())) as unknown;
    expect(planSchema.parse(json)).toEqual(json);
    expect(s.plan().project).toBe("infra");
    expect(s.plan().stack).toBe(s.stack);
  });

  it("is deterministic: a second plan serializes to the same bytes", async () => {
    expect(serializePlan(await runPlan(s.stack, s.raw, program))).toBe(serializePlan(s.plan()));
  });

  it("exports what a product team's program needs: the cluster's ARN and name, the VPC and its subnets, the batch platform's topic, queue and run table", () => {
    const o = s.plan().outputs as Record<string, unknown>;
    expect(o.clusterArn).toBe(`arn:aws:ecs:${s.config.region}:${s.config.accountId}:cluster/${s.config.name}`);
    expect(o.clusterName).toBe(s.config.name);
    expect(o.vpcId).toEqual(expect.any(String));
    for (const key of ["publicSubnetIds", "privateSubnetIds", "isolatedSubnetIds"]) expect((o[key] as unknown[]).length, key).toBe(s.config.network.azs.length);
    if (Object.keys(s.config.batches).length > 0) {
      expect(Object.keys(o.batches as object).sort()).toEqual([
        "deadLetterQueueArn",
        "deadLetterQueueName",
        "runTableArn",
        "runTableName",
        "stateMachines",
        "topicArn",
      ]);
    } else {
      expect(o.batches).toBeUndefined();
    }
  });

  it("uses one AWS provider, locked to the stack's account and region, tagging with the stack's tags", () => {
    const providers = byType(s.plan(), "pulumi:providers:aws");
    expect(providers).toHaveLength(1);
    const inputs = providers[0]!.inputs;
    expect(JSON.parse(inputs.allowedAccountIds as string)).toEqual([s.config.accountId]);
    expect(inputs.region).toBe(s.config.region);
    expect(JSON.parse(inputs.defaultTags as string)).toEqual({ tags: s.config.tags });
  });

  it("names every child after its parent component and parents it", () => {
    const byUrn = new Map(s.plan().resources.map((r) => [r.urn, r]));
    for (const r of s.plan().resources) {
      if (!r.parent) continue;
      const parent = byUrn.get(r.parent);
      expect(parent, `${r.name}'s parent`).toBeDefined();
      expect(r.name.startsWith(`${parent!.name}-`), `${r.name} under ${parent!.name}`).toBe(true);
    }
  });

  it("fits every physical name in AWS's limit and character rules (explicit names, and generated ones: logical name + 8)", () => {
    const checked = s.plan().resources.filter((r) => r.type in NAME_LIMITS);
    expect(checked.length).toBeGreaterThan(0);
    for (const r of checked) {
      const limit = NAME_LIMITS[r.type as keyof typeof NAME_LIMITS];
      const physical = typeof r.inputs.name === "string" ? r.inputs.name : `${r.name}-${"a".repeat(AUTONAME_SUFFIX_LENGTH - 1)}`;
      expect(physical.length, `${r.type} ${physical}`).toBeLessThanOrEqual(limit);
      const pattern = NAME_PATTERNS[r.type as keyof typeof NAME_LIMITS];
      if (pattern) expect(physical, r.type).toMatch(pattern);
    }
  });

  it("has three subnets per AZ, NAT gateways as the strategy says, and the endpoints the config lists", () => {
    const { azs, natStrategy, interfaceEndpoints, gatewayEndpoints } = { ...VPC_DEFAULTS, ...s.config.network };
    const plan = s.plan();
    expect(byType(plan, "aws:ec2/subnet:Subnet")).toHaveLength(3 * azs.length);
    const nats = { perAz: azs.length, single: 1, none: 0 }[natStrategy];
    expect(byType(plan, "aws:ec2/natGateway:NatGateway")).toHaveLength(nats);
    const endpoints = byType(plan, "aws:ec2/vpcEndpoint:VpcEndpoint");
    expect(endpoints.filter((e) => e.inputs.vpcEndpointType === "Interface")).toHaveLength(interfaceEndpoints.length);
    expect(endpoints.filter((e) => e.inputs.vpcEndpointType === "Gateway")).toHaveLength(gatewayEndpoints.length);
    const [vpc] = byType(plan, "aws:ec2/vpc:Vpc");
    expect(vpc!.inputs.cidrBlock).toBe(s.config.network.cidr);
  });
}
