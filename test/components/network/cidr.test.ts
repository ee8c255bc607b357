import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { contains, formatIpv4Cidr, layoutProblem, overlaps, parseIpv4Cidr, planSubnets, vpcCidrProblem } from "../../../components/network/cidr";

const azNames = (n: number) => Array.from({ length: n }, (_, i) => `ap-northeast-1${"abcdef"[i]}`);

/** A random aligned VPC CIDR with a prefix AWS accepts, and an AZ count. */
const layoutInput = fc
  .record({ address: fc.integer({ min: 0, max: 2 ** 32 - 1 }), prefix: fc.integer({ min: 16, max: 28 }), azs: fc.integer({ min: 1, max: 6 }) })
  .map(({ address, prefix, azs }) => {
    const size = 2 ** (32 - prefix);
    return { cidr: formatIpv4Cidr({ base: address - (address % size), prefix }), prefix, azs };
  });

describe("parseIpv4Cidr / formatIpv4Cidr", () => {
  it("round-trips every address and prefix", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 32 }), (base, prefix) => {
        const text = formatIpv4Cidr({ base, prefix });
        expect(parseIpv4Cidr(text)).toEqual({ base, prefix });
      }),
    );
  });

  it.each(["10.0.0.0/33", "10.0.0/16", "256.0.0.0/16", "10.0.0.0", "a.b.c.d/16", " 10.0.0.0/16"])("rejects %j", (text) => {
    expect(parseIpv4Cidr(text)).toBeUndefined();
  });
});

describe("vpcCidrProblem", () => {
  it("accepts an aligned /16 to /28", () => {
    expect(vpcCidrProblem("10.50.0.0/16")).toBeUndefined();
    expect(vpcCidrProblem("192.168.1.16/28")).toBeUndefined();
  });
  it("names what is wrong", () => {
    expect(vpcCidrProblem("10.0.0.0/33")).toBe('"10.0.0.0/33" is not an IPv4 CIDR');
    expect(vpcCidrProblem("10.0.0.0/8")).toBe('"10.0.0.0/8" has prefix /8; AWS allows /16 to /28 for a VPC');
    expect(vpcCidrProblem("10.50.1.0/16")).toBe('"10.50.1.0/16" has host bits set; the network address is "10.50.0.0/16"');
  });
});

describe("planSubnets", () => {
  it("lays out a /16 over 3 AZs: private /19 in the first half, public and isolated /21 after", () => {
    expect(planSubnets("10.50.0.0/16", azNames(3))).toEqual([
      { availabilityZone: "ap-northeast-1a", private: "10.50.0.0/19", public: "10.50.128.0/21", isolated: "10.50.160.0/21" },
      { availabilityZone: "ap-northeast-1b", private: "10.50.32.0/19", public: "10.50.136.0/21", isolated: "10.50.168.0/21" },
      { availabilityZone: "ap-northeast-1c", private: "10.50.64.0/19", public: "10.50.144.0/21", isolated: "10.50.176.0/21" },
    ]);
  });

  it("keeps every existing subnet when an AZ is appended (up to 4)", () => {
    const two = planSubnets("10.60.0.0/16", azNames(2));
    const three = planSubnets("10.60.0.0/16", azNames(3));
    expect(three.slice(0, 2)).toEqual(two);
  });

  it("property: every subnet lies in the VPC, none overlap, one per tier per AZ", () => {
    fc.assert(
      fc.property(
        layoutInput.filter(({ cidr, azs }) => layoutProblem(cidr, azs) === undefined),
        ({ cidr, azs }) => {
          const vpc = parseIpv4Cidr(cidr)!;
          const layout = planSubnets(cidr, azNames(azs));
          expect(layout.map((l) => l.availabilityZone)).toEqual(azNames(azs));
          const blocks = layout.flatMap((l) => [l.public, l.private, l.isolated]).map((t) => parseIpv4Cidr(t)!);
          expect(blocks).toHaveLength(3 * azs);
          for (const block of blocks) {
            expect(contains(vpc, block)).toBe(true);
            expect(block.prefix).toBeLessThanOrEqual(28);
          }
          for (let i = 0; i < blocks.length; i++) {
            for (let j = i + 1; j < blocks.length; j++) expect(overlaps(blocks[i]!, blocks[j]!)).toBe(false);
          }
          // Private subnets are the large ones: 4x a public subnet.
          for (const l of layout) expect(parseIpv4Cidr(l.private)!.prefix).toBe(parseIpv4Cidr(l.public)!.prefix - 2);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("property: a layout is impossible exactly when the smallest subnet would pass /28, and says so", () => {
    fc.assert(
      fc.property(layoutInput, ({ cidr, prefix, azs }) => {
        const smallest = prefix + 3 + (azs <= 4 ? 2 : 3);
        const problem = layoutProblem(cidr, azs);
        if (smallest <= 28) {
          expect(problem).toBeUndefined();
        } else {
          expect(problem).toMatch(
            new RegExp(`^a /${prefix} VPC is too small for ${azs} AZ${azs === 1 ? "" : "s"}: public and isolated subnets would be /${smallest}`),
          );
          expect(() => planSubnets(cidr, azNames(azs))).toThrow(`cannot lay out subnets: ${problem}`);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("gives the exact message for a VPC too small", () => {
    expect(layoutProblem("10.0.0.0/24", 3)).toBe(
      "a /24 VPC is too small for 3 AZs: public and isolated subnets would be /29, AWS's smallest subnet is /28; use a /23 or larger VPC",
    );
    expect(layoutProblem("10.0.0.0/16", 7)).toBe("7 AZs is not supported; use 1 to 6");
    expect(layoutProblem("10.0.0.0/16", 0)).toBe("0 AZs is not supported; use 1 to 6");
  });
});
