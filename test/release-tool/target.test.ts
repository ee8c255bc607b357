import { describe, expect, it } from "vitest";
import { parseTarget } from "../../release-tool/target";
import { type ReleaseTargetInput } from "../../release-tool/contract";
import { NEW, target } from "./release-fixtures";

/** The fixture's target as JSON, with some fields changed. */
const input = (extra: Record<string, unknown>): ReleaseTargetInput => ({ ...JSON.parse(JSON.stringify(target())), ...extra }) as ReleaseTargetInput;

describe("the release target the program hands the tool", () => {
  it("takes every field at more than its minimum: a lock held 30 min, a two-word migration of 20 min, several security groups, a drain command of several words", () => {
    const group = {
      group: "default",
      serviceNames: { blue: "shop-stg-back-default-blue", green: "shop-stg-back-default-green" },
      taskDefinitionArns: { blue: NEW, green: NEW.replace("shop-stg-web", "shop-stg-web-green") },
      containerName: "app",
      subnetIds: ["subnet-a", "subnet-c"],
      securityGroupIds: ["sg-back", "sg-redis-clients"],
      capacityProviderStrategy: [],
      desiredCount: 2,
      autoscaling: { minCount: 2, maxCount: 8 },
      drain: { command: ["bundle", "exec", "rails", "jobs:drained"], timeoutMinutes: 30, intervalSeconds: 30 },
    };
    const parsed = parseTarget(
      input({
        holdMinutes: 30,
        securityGroupIds: ["sg-web", "sg-redis-clients"],
        migration: { command: ["bin/rails", "db:migrate"], timeoutMinutes: 20 },
        postRelease: { command: ["bin/rails", "cache:clear"], timeoutMinutes: 5 },
        colours: { taskDefinitionArns: { blue: NEW, green: NEW }, groups: [group] },
      }),
      "INFRA_RELEASE_TARGET",
    );
    expect(parsed).toMatchObject({ holdMinutes: 30, migration: { timeoutMinutes: 20 }, platformVersion: "LATEST" });
    expect(parsed.colours?.groups[0]?.drain.command).toHaveLength(4);
  });

  it("names every problem with its field, in one line", () => {
    expect(() => parseTarget(input({ taskDefinitionArn: `${NEW}x`, subnetIds: [], waitFor: "soon" }), "INFRA_RELEASE_TARGET")).toThrow(
      'INFRA_RELEASE_TARGET is not a release target: taskDefinitionArn: is not a task definition revision ARN; subnetIds: Too small: expected array to have >=1 items; waitFor: Invalid option: expected one of "switched"|"completed"',
    );
  });

  it("takes a revision ARN only whole: nothing before it, nothing after its revision", () => {
    for (const arn of [`x${NEW}`, `${NEW}/x`, NEW.replace(":42", "")])
      expect(() => parseTarget(input({ taskDefinitionArn: arn }), "stack outputs")).toThrow(
        "stack outputs is not a release target: taskDefinitionArn: is not a task definition revision ARN",
      );
  });

  it("a value that is not an object at all: the target itself is named", () => {
    expect(() => parseTarget("web", "INFRA_RELEASE_TARGET")).toThrow(
      "INFRA_RELEASE_TARGET is not a release target: (target): Invalid input: expected object, received string",
    );
  });
});
