import { z } from "zod";
import { describe, expect, it } from "vitest";
import { ConfigError, show } from "../../infra/config/errors";
import { checkedNumber, describeIssue, formatIssues } from "../../infra/config/issues";

// The words of the config's error lines, on schemas this test owns: what each kind of zod issue becomes.
const lines = (schema: z.ZodType, value: unknown): string[] => {
  const parsed = schema.safeParse(value, { error: describeIssue });
  return parsed.success ? [] : formatIssues("infra", parsed.error.issues);
};

describe("the config's error lines", () => {
  it("a wrong type names what was expected and what was given; an integer is called one", () => {
    expect(lines(z.object({ count: z.number() }), { count: "2" })).toEqual(['infra:count: expected number, got "2"']);
    expect(lines(z.object({ count: z.number().int() }), { count: 3.5 })).toEqual(["infra:count: expected an integer, got 3.5"]);
    expect(lines(z.object({ count: z.number() }), {})).toEqual(["infra:count: is required"]);
  });

  it("a list too short or too long counts its items; a number out of bounds names the bound", () => {
    const azs = z.object({ azs: z.array(z.string()).min(2).max(3) });
    expect(lines(azs, { azs: ["a"] })).toEqual(["infra:azs: has 1 items; at least 2 required"]);
    expect(lines(azs, { azs: ["a", "b", "c", "d"] })).toEqual(["infra:azs: has 4 items; at most 3 allowed"]);
    const count = z.object({ count: z.number().min(1).max(10) });
    expect(lines(count, { count: 0 })).toEqual(["infra:count: 0 is less than 1"]);
    expect(lines(count, { count: 11 })).toEqual(["infra:count: 11 is more than 10"]);
  });

  it("a map key that fails its own checks gives each reason; other issues keep zod's words", () => {
    const tags = z.object({
      tags: z.record(
        z
          .string()
          .min(3, "is shorter than 3")
          .regex(/^[a-z]+$/, "is not lowercase"),
        z.string(),
      ),
    });
    expect(lines(tags, { tags: { A: "x" } })).toEqual(["infra:tags.A: is shorter than 3; is not lowercase"]);
    expect(lines(z.object({ email: z.email() }), { email: "x" })).toEqual(["infra:email: Invalid email address"]);
  });

  it("a component's check adds a problem only when there is one", () => {
    const small = checkedNumber((n) => (n > 5 ? `${n} is more than 5` : undefined));
    expect(lines(small, 3)).toEqual([]);
    expect(lines(small, 6)).toEqual(["infra:: 6 is more than 5"]);
  });

  it("shows a value as the YAML holds it, cut past 80 characters; its error is a ConfigError", () => {
    expect(show(undefined)).toBe("undefined");
    expect(show("x".repeat(78))).toBe(`"${"x".repeat(78)}"`);
    expect(show("x".repeat(79))).toBe(`"${"x".repeat(76)}...`);
    const error = new ConfigError(["infra:name: is required"]);
    expect(error.name).toBe("ConfigError");
    expect(error.message).toBe("invalid stack configuration:\n  infra:name: is required");
  });
});
