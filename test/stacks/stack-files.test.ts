import { describe, expect, it } from "vitest";
import { loadStackConfig } from "../../infra/config/load";
import { overlaps, parseIpv4Cidr } from "../../components/network/cidr";
import { readStackFile } from "../../offline-plan/stack-file";
import { ROOT, stackNames } from "../helpers/plan";
import { describeStack } from "./suites";

// Every stack file of the project, whatever it holds: the invariants follow its config.
const stacks = stackNames();
for (const stack of stacks) describeStack(stack, readStackFile(stack, ROOT));

describe("the project's stacks together", () => {
  it("include prd and stg", () => {
    expect(stacks).toEqual(expect.arrayContaining(["prd", "stg"]));
  });

  it("have VPCs that do not overlap (they may be peered or share a transit gateway)", () => {
    const cidrs = stacks.map((stack) => ({ stack, cidr: parseIpv4Cidr(loadStackConfig(readStackFile(stack, ROOT)).network.cidr)! }));
    for (const [i, a] of cidrs.entries()) {
      for (const b of cidrs.slice(i + 1)) expect(overlaps(a.cidr, b.cidr), `${a.stack} and ${b.stack}`).toBe(false);
    }
  });

  it("share no physical name prefix", () => {
    const names = stacks.map((stack) => loadStackConfig(readStackFile(stack, ROOT)).name);
    expect(new Set(names).size).toBe(names.length);
  });
});
