import { describe, expect, it } from "vitest";
import { checkEveryMutation } from "../helpers/config-mutations";

// Half of the mutations of stg (the other half is in the other file: two files run on two cores).
describe("stack config: every one-value change either fails validation or plans (shard 2 of 2)", () => {
  it("never lets a value through that a component then refuses", { timeout: 600_000 }, async () => {
    const { refused, planned } = await checkEveryMutation("stg", 1, 2);
    expect(refused).toBeGreaterThan(500);
    expect(planned).toBeGreaterThan(100);
  });
});
