import { describe, expect, it } from "vitest";
import { Release, releaseProblems, releaseToolCommand } from "../../../components/deploy/release";
import { ReleasePlatform } from "../../../components/deploy/release-platform";
import { parseTarget } from "../../../components/deploy/release-tool/target";
import { byType, named, planAttempt, planOf, ROOT } from "../../helpers/plan";
import { IMAGE, webService } from "../../helpers/web";

function release(extra: Partial<ConstructorParameters<typeof Release>[1]> = {}) {
  const service = webService();
  const platform = new ReleasePlatform("release", { protectData: true });
  return new Release("web-release", { stack: "test", serviceKey: "web", service, image: IMAGE, region: "ap-northeast-1", platform, ...extra });
}

describe("Release", () => {
  it("runs prepare, then deploy after it and after what must roll first, both triggered by the task definition", async () => {
    const plan = await planOf(() => {
      const worker = new ReleasePlatform("other");
      release({ deployAfter: [worker] });
    });
    const prepare = named(plan, "web-release-prepare");
    const deploy = named(plan, "web-release-deploy");
    expect(prepare.parent).toBe(named(plan, "web-release").urn);
    expect(prepare.inputs.triggers).toEqual([named(plan, "web-service").inputs.taskDefinition]);
    expect(deploy.inputs.triggers).toEqual(prepare.inputs.triggers);
    expect(prepare.options.dependsOn).toEqual([]);
    expect(deploy.options.dependsOn).toEqual([prepare.urn, named(plan, "other").urn].sort());
  });

  it("hands the tool a target it accepts, with the defaults: no hold, 60 min, until completed, 15 s polls", async () => {
    const plan = await planOf(() => release({ migration: { command: ["db:migrate"] } }));
    const env = named(plan, "web-release-prepare").inputs.environment as Record<string, string>;
    expect(parseTarget(JSON.parse(env.INFRA_RELEASE_TARGET!), "plan")).toMatchObject({
      stack: "test",
      service: "web",
      cluster: "shop",
      serviceName: "shop-web",
      containerName: "app",
      containerPort: 8080,
      subnetIds: ["private-a", "private-c"],
      securityGroupIds: ["web-task-sg-id"],
      capacityProviderStrategy: [{ capacityProvider: "FARGATE", weight: 1, base: 0 }],
      holdMinutes: 0,
      timeoutMinutes: 60,
      waitFor: "completed",
      pollSeconds: 15,
      terminationWaitMinutes: 2,
      migration: { command: ["db:migrate"], timeoutMinutes: 30 },
    });
  });

  it("protects the lock table when asked", async () => {
    const plan = await planOf(() => release());
    expect(named(plan, "release-locks").options).toMatchObject({ protect: true, retainOnDelete: true });
    expect(byType(plan, "aws:sns/topic:Topic")[0]!.inputs.kmsMasterKeyId).toBe("alias/aws/sns");
  });

  it("refuses bad settings before anything is created, naming each", async () => {
    const { message, plan } = await planAttempt(() =>
      release({ settings: { holdMinutes: -1, pollSeconds: 0 }, migration: { command: [] }, postRelease: { command: ["x"], timeoutMinutes: 0 } }),
    );
    expect(message).toBe(
      'Release "web-release": settings.holdMinutes -1 is out of range (0-1440); settings.pollSeconds 0 is out of range (1-300); migration.command must be a non-empty list of non-empty words; postRelease.timeoutMinutes 0 is out of range (1-1440)',
    );
    expect(byType(plan, "infra:deploy:Release")).toEqual([]);
  });
});

describe("releaseProblems", () => {
  it("accepts the bounds", () => {
    expect(releaseProblems({ settings: { holdMinutes: 0, timeoutMinutes: 1440, pollSeconds: 1 }, migration: { command: ["a"], timeoutMinutes: 1 } })).toEqual(
      [],
    );
  });
});

describe("releaseToolCommand", () => {
  it("runs the TypeScript tool through tsx from this repository's sources, by a path relative to the project", () => {
    expect(releaseToolCommand("deploy", ROOT)).toBe("node --import tsx components/deploy/release-tool/cli.ts deploy");
  });
});
