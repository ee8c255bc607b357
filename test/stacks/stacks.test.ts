import { describe, expect, it } from "vitest";
import { AUTONAME_SUFFIX_LENGTH, NAME_LIMITS, NAME_PATTERNS } from "../../components/aws-limits";
import { overlaps, parseIpv4Cidr } from "../../components/network/cidr";
import { planSchema } from "../../tools/plan/plan-file";
import { serializePlan } from "../../tools/plan/text";
import { byType, named, planStack } from "../helpers/plan";

const STACKS = ["prd", "stg"] as const;

describe.each(STACKS)("stack %s", (stack) => {
  it("plans, in the JSON shape of DESIGN.md §4", async () => {
    const plan = await planStack(stack);
    expect(planSchema.parse(JSON.parse(serializePlan(plan)))).toEqual(JSON.parse(serializePlan(plan)));
    expect(plan.project).toBe("infra");
    expect(plan.stack).toBe(stack);
    expect(plan.resources.length).toBeGreaterThan(20);
  });

  it("is deterministic: two plans serialize to the same bytes", async () => {
    const first = serializePlan(await planStack(stack));
    const second = serializePlan(await planStack(stack));
    expect(second).toBe(first);
  });

  it("uses one AWS provider locked to the stack's account, with its tags", async () => {
    const plan = await planStack(stack);
    const providers = byType(plan, "pulumi:providers:aws");
    expect(providers).toHaveLength(1);
    const tags = JSON.parse(providers[0]!.inputs.defaultTags as string) as { tags: Record<string, string> };
    expect(tags.tags).toMatchObject({ env: stack, team: "sre" });
    expect(JSON.parse(providers[0]!.inputs.allowedAccountIds as string)).toEqual([stack === "prd" ? "111111111111" : "222222222222"]);
  });

  it("names every child after its parent component and parents it", async () => {
    const plan = await planStack(stack);
    const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
    for (const r of plan.resources) {
      if (!r.parent) continue;
      const parent = byUrn.get(r.parent);
      expect(parent, `${r.name}'s parent`).toBeDefined();
      expect(r.name.startsWith(`${parent!.name}-`), `${r.name} under ${parent!.name}`).toBe(true);
    }
  });

  it("fits every physical name in AWS's limit and character rules (explicit names, and generated ones: logical name + 8)", async () => {
    const plan = await planStack(stack);
    const checked = plan.resources.filter((r) => r.type in NAME_LIMITS);
    expect(checked.length).toBeGreaterThan(0);
    for (const r of checked) {
      const limit = NAME_LIMITS[r.type as keyof typeof NAME_LIMITS];
      const physical = typeof r.inputs.name === "string" ? r.inputs.name : `${r.name}-${"a".repeat(AUTONAME_SUFFIX_LENGTH - 1)}`;
      expect(physical.length, `${r.type} ${physical}`).toBeLessThanOrEqual(limit);
      const pattern = NAME_PATTERNS[r.type as keyof typeof NAME_LIMITS];
      if (pattern) expect(physical, r.type).toMatch(pattern);
    }
  });
});

describe("stack differences are data", () => {
  it("prd: 3 AZs, a NAT per AZ, interface endpoints; stg: 2 AZs, a single NAT, none", async () => {
    const prd = await planStack("prd");
    const stg = await planStack("stg");
    expect(byType(prd, "aws:ec2/subnet:Subnet")).toHaveLength(9);
    expect(byType(prd, "aws:ec2/natGateway:NatGateway")).toHaveLength(3);
    expect(byType(prd, "aws:ec2/vpcEndpoint:VpcEndpoint").filter((e) => e.inputs.vpcEndpointType === "Interface")).toHaveLength(7);
    expect(byType(stg, "aws:ec2/subnet:Subnet")).toHaveLength(6);
    expect(byType(stg, "aws:ec2/natGateway:NatGateway")).toHaveLength(1);
    expect(byType(stg, "aws:ec2/vpcEndpoint:VpcEndpoint").filter((e) => e.inputs.vpcEndpointType === "Interface")).toHaveLength(0);
  });

  it("the two stacks' VPCs do not overlap", async () => {
    const prd = parseIpv4Cidr(named(await planStack("prd"), "network-vpc").inputs.cidrBlock as string);
    const stg = parseIpv4Cidr(named(await planStack("stg"), "network-vpc").inputs.cidrBlock as string);
    expect(prd && stg && overlaps(prd, stg)).toBe(false);
  });
});
