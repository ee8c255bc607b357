import { describe, expect, it } from "vitest";
import { laterResources } from "../../../components/component";
import { Release, releaseProblems, releaseToolCommand } from "../../../components/deploy/release";
import { ReleasePlatform } from "../../../components/deploy/release-platform";
import { parseTarget } from "../../../release-tool/target";
import { BlueGreenWorkers } from "../../../components/ecs/blue-green-workers";
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
    // The whole service first (its roles' policies are resources of their own), not only what the target reads.
    const service = named(plan, "web").urn;
    expect(prepare.options.dependsOn).toEqual([service]);
    expect(deploy.options.dependsOn).toEqual([prepare.urn, service, named(plan, "other").urn].sort());
    // Deploy continues prepare's release run, which prepare's --json result names.
    expect(prepare.inputs.create).toMatch(/ prepare --json$/);
    expect((deploy.inputs.environment as Record<string, unknown>).INFRA_RELEASE_PREPARED).toBe("offline plan: web-release-prepare did not run");
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

  it("a service with a ready wait hands the tool its gate: the wait and where the test listener answers; one without hands none", async () => {
    const targetOf = async (readyWaitMinutes: number) => {
      const plan = await planOf(() => {
        const platform = new ReleasePlatform("release");
        const service = webService({ deployment: { readyWaitMinutes } });
        new Release("web-release", { stack: "test", serviceKey: "web", service, image: IMAGE, region: "ap-northeast-1", platform });
      });
      const env = named(plan, "web-release-prepare").inputs.environment as Record<string, string>;
      return { target: parseTarget(JSON.parse(env.INFRA_RELEASE_TARGET!), "plan") };
    };
    const gated = await targetOf(30);
    expect(gated.target.gate).toEqual({
      timeoutMinutes: 30,
      onTimeout: "rollback",
      testUrl: expect.stringMatching(/^https:\/\/web-lb-alb-[0-9a-f]+\.ap-northeast-1\.elb\.amazonaws\.com:8443\/$/) as unknown,
    });
    expect("gate" in (await targetOf(0)).target).toBe(false);
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

describe("Release with blue/green back workers", () => {
  const workers = () =>
    new BlueGreenWorkers("back", {
      serviceName: "shop-back-default",
      cluster: { clusterArn: "arn:aws:ecs:ap-northeast-1:123456789012:cluster/shop", clusterName: "shop" },
      vpcId: "vpc-1",
      subnetIds: ["private-a"],
      task: { family: "shop-back-default", cpu: 512, memory: 1024, container: { image: IMAGE, command: ["sidekiq"] } },
      colours: { blue: { REDIS_NAMESPACE: "back-blue" }, green: { REDIS_NAMESPACE: "back-green" } },
      autoscaling: { minCount: 2, maxCount: 8 },
    });
  const coloured = (web: ReturnType<typeof webService>) => {
    const platform = new ReleasePlatform("release", { protectData: true });
    return new Release("web-release", {
      stack: "test",
      serviceKey: "web",
      service: web,
      image: IMAGE,
      region: "ap-northeast-1",
      platform,
      colourGroups: [{ group: "default", workers: workers(), drain: { command: ["bin/jobs-drained"] } }],
    });
  };
  const variants = { blue: { REDIS_NAMESPACE: "back-blue" }, green: { REDIS_NAMESPACE: "back-green" } };

  it("is triggered by every colour's revision and hands the tool both colours and the group's drain check (30 min, every 30 s)", async () => {
    const plan = await planOf(() =>
      coloured(webService({ task: { family: "shop-web", cpu: 512, memory: 1024, container: { image: IMAGE, port: 8080 }, variants } })),
    );
    const prepare = named(plan, "web-release-prepare");
    const families = (prepare.inputs.triggers as string[]).map((arn) => arn.split("/")[1]!.split(":")[0]);
    expect(families).toEqual(["shop-web-blue", "shop-web-green", "shop-back-default-blue", "shop-back-default-green"]);
    const target = parseTarget(JSON.parse((prepare.inputs.environment as Record<string, string>).INFRA_RELEASE_TARGET!), "plan");
    expect(target.colours).toMatchObject({
      groups: [
        {
          group: "default",
          serviceNames: { blue: "shop-back-default-blue", green: "shop-back-default-green" },
          desiredCount: 2,
          autoscaling: { minCount: 2, maxCount: 8 },
          drain: { command: ["bin/jobs-drained"], timeoutMinutes: 30, intervalSeconds: 30 },
        },
      ],
    });
    expect(target.colours!.taskDefinitionArns.green).toMatch(/:task-definition\/shop-web-green:\d+$/);
  });

  it("refuses colour groups for a service with one task definition, and a drain interval out of range", async () => {
    const { message } = await planAttempt(() => coloured(webService()));
    expect(message).toBe('Release "web-release": colourGroups need the service\'s task to have the blue and green variants (task.variants)');
    expect(releaseProblems({ colourGroups: [{ group: "default", drain: { command: [""], intervalSeconds: 1 } }] })).toEqual([
      { field: "colourGroups.default.drain.command", message: "must be a non-empty list of non-empty words" },
      { field: "colourGroups.default.drain.intervalSeconds", message: "1 is out of range (5-600)" },
    ]);
  });
});

describe("Release of a service ECS releases", () => {
  const ecsRelease = (deployment: object = {}) => {
    const platform = new ReleasePlatform("release", { protectData: true });
    const migration = laterResources();
    const service = webService({ deployment: { controller: "ecs", ...deployment }, rolloutAfter: migration.resources });
    const r = new Release("web-release", { stack: "test", serviceKey: "web", service, image: IMAGE, region: "ap-northeast-1", platform });
    migration.resolve([...r.rolloutAfter]);
    return r;
  };

  it("prepares before the service rolls (it waits for the revision and the tasks' group only), and deploys after the service", async () => {
    const plan = await planOf(() => ecsRelease());
    const prepare = named(plan, "web-release-prepare");
    const deploy = named(plan, "web-release-deploy");
    expect(prepare.options.dependsOn).toEqual([named(plan, "web-task").urn, named(plan, "web-task-sg").urn].sort());
    // The service's update is the deployment: after the migration; the tool follows it after.
    expect(named(plan, "web-service").options.dependsOn).toContain(prepare.urn);
    expect(deploy.options.dependsOn).toEqual([prepare.urn, named(plan, "web").urn].sort());
  });

  it("hands the tool an ECS target: the controller and strategy, no CodeDeploy names, the gate and what it does unanswered", async () => {
    const plan = await planOf(() => ecsRelease({ strategy: "canary", readyWaitMinutes: 45, readyTimeoutAction: "continue", terminationWaitMinutes: 30 }));
    const env = named(plan, "web-release-prepare").inputs.environment as Record<string, string>;
    const raw = JSON.parse(env.INFRA_RELEASE_TARGET!) as Record<string, unknown>;
    expect(raw).not.toHaveProperty("applicationName");
    expect(raw).not.toHaveProperty("deploymentGroupName");
    expect(parseTarget(raw, "plan")).toMatchObject({
      controller: "ecs",
      strategy: "canary",
      serviceName: "shop-web",
      terminationWaitMinutes: 30,
      gate: { timeoutMinutes: 45, onTimeout: "continue" },
    });
  });

  it("hands a CodeDeploy service the target it had before the ECS controller: no controller, no strategy", async () => {
    const plan = await planOf(() => release());
    const raw = JSON.parse((named(plan, "web-release-prepare").inputs.environment as Record<string, string>).INFRA_RELEASE_TARGET!) as Record<string, unknown>;
    expect(Object.keys(raw)).not.toContain("controller");
    expect(Object.keys(raw)).not.toContain("strategy");
    expect(raw.applicationName).toMatch(/^web-app-/);
  });

  it("with blue/green back workers: the tool sets the idle colour's revision, so the service ignores it; prepare still comes first", async () => {
    const variants = { blue: { REDIS_NAMESPACE: "back-blue" }, green: { REDIS_NAMESPACE: "back-green" } };
    const plan = await planOf(() => {
      const platform = new ReleasePlatform("release");
      const service = webService({
        deployment: { controller: "ecs" },
        task: { family: "shop-web", cpu: 512, memory: 1024, container: { image: IMAGE, port: 8080 }, variants },
      });
      const workers = new BlueGreenWorkers("back", {
        serviceName: "shop-back",
        cluster: { clusterArn: "arn:aws:ecs:ap-northeast-1:123456789012:cluster/shop", clusterName: "shop" },
        vpcId: "vpc-1",
        subnetIds: ["private-a"],
        task: { family: "shop-back", cpu: 512, memory: 1024, container: { image: IMAGE, command: ["sidekiq"] } },
        colours: variants,
      });
      new Release("web-release", {
        stack: "test",
        serviceKey: "web",
        service,
        image: IMAGE,
        region: "ap-northeast-1",
        platform,
        colourGroups: [{ group: "default", workers, drain: { command: ["bin/jobs-drained"] } }],
      });
    });
    expect(named(plan, "web-service").options.ignoreChanges).toEqual(["taskDefinition"]);
    expect(named(plan, "web-release-prepare").options.dependsOn).toEqual(
      [named(plan, "back").urn, named(plan, "web-task").urn, named(plan, "web-task-sg").urn].sort(),
    );
    const target = parseTarget(JSON.parse((named(plan, "web-release-prepare").inputs.environment as Record<string, string>).INFRA_RELEASE_TARGET!), "plan");
    expect(target).toMatchObject({ controller: "ecs", colours: { groups: [{ group: "default" }] } });
  });
});

describe("releaseProblems", () => {
  it("refuses a wait other than for completion or the switch", () => {
    expect(releaseProblems({ settings: { waitFor: "healthy" as never } })).toEqual([
      { field: "settings.waitFor", message: '"healthy" is not one of "completed", "switched"' },
    ]);
  });

  it("accepts the bounds", () => {
    expect(releaseProblems({ settings: { holdMinutes: 0, timeoutMinutes: 1440, pollSeconds: 1 }, migration: { command: ["a"], timeoutMinutes: 1 } })).toEqual(
      [],
    );
  });
});

describe("releaseToolCommand", () => {
  it("runs the TypeScript tool through tsx from this repository's sources, by a path relative to the project", () => {
    expect(releaseToolCommand("deploy", ROOT)).toBe("node --import tsx release-tool/cli.ts deploy");
  });

  it("runs both commands from commandDirectory when given, the tool's path relative to it; from the program's directory otherwise", async () => {
    const away = await planOf(() => release({ commandDirectory: ROOT }));
    for (const step of ["prepare", "deploy"]) {
      expect(named(away, `web-release-${step}`).inputs).toMatchObject({
        dir: ROOT,
        create: `node --import tsx release-tool/cli.ts ${step}${step === "prepare" ? " --json" : ""}`,
      });
    }
    const here = await planOf(() => release());
    expect(named(here, "web-release-prepare").inputs).not.toHaveProperty("dir");
  });
});

describe("Release and ReleasePlatform transform", () => {
  it("changes both commands of a release as asked", async () => {
    const plan = await planOf(() => release({ transform: { command: { interpreter: ["/bin/bash", "-c"] } } }));
    expect(named(plan, "web-release-prepare").inputs.interpreter).toEqual(["/bin/bash", "-c"]);
    expect(named(plan, "web-release-deploy").inputs.interpreter).toEqual(["/bin/bash", "-c"]);
  });

  it("changes the lock table and the topic as asked, the table kept when the data is", async () => {
    const plan = await planOf(
      () =>
        new ReleasePlatform("release", {
          protectData: true,
          transform: { lockTable: { tableClass: "STANDARD_INFREQUENT_ACCESS" }, topic: { displayName: "Releases" } },
        }),
    );
    expect(named(plan, "release-locks").inputs).toMatchObject({ tableClass: "STANDARD_INFREQUENT_ACCESS", hashKey: "pk" });
    expect(named(plan, "release-locks").options).toMatchObject({ protect: true, retainOnDelete: true });
    expect(named(plan, "release-events").inputs.displayName).toBe("Releases");
  });
});
