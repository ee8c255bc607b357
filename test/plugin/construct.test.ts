import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import { beforeAll, describe, expect, it } from "vitest";
import { Cluster as LibraryCluster } from "../../components/ecs/cluster";
import { BlueGreenService as LibraryBlueGreenService } from "../../components/ecs/blue-green-service";
import { FargateTaskDefinition as LibraryTaskDefinition } from "../../components/ecs/task-definition";
import { LoadBalancer as LibraryLoadBalancer } from "../../components/loadbalancing/load-balancer";
import { Vpc as LibraryVpc } from "../../components/network/vpc";
import { Redis as LibraryRedis } from "../../components/data/redis";
import { WorkerService as LibraryWorkerService } from "../../components/ecs/worker-service";
import { ServiceAutoscaling as LibraryServiceAutoscaling } from "../../components/ecs/autoscaling";
import { WebAcl as LibraryWebAcl } from "../../components/loadbalancing/web-acl";
import { BatchPlatform as LibraryBatchPlatform } from "../../components/batch/batch-platform";
import { CronBatch as LibraryCronBatch } from "../../components/batch/cron-batch";
import { PagerDutyRouting as LibraryPagerDutyRouting } from "../../components/monitoring/pagerduty-routing";
import { stackRouting } from "../../components/monitoring/routing";
import { ServiceSlo as LibraryServiceSlo } from "../../components/monitoring/service-slo";
import { StackDashboard as LibraryStackDashboard } from "../../components/monitoring/stack-dashboard";
import { WorkloadMonitors as LibraryWorkloadMonitors } from "../../components/monitoring/workload-monitors";
import { WORKLOADS } from "../components/monitoring/fixtures";
import { JobPlatform as LibraryJobPlatform } from "../../components/jobs/job-platform";
import { Release as LibraryRelease } from "../../components/deploy/release";
import { ReleasePlatform as LibraryReleasePlatform } from "../../components/deploy/release-platform";
import type { Plan, PlannedResource } from "../../offline-plan/plan";
import { pluginProvider, PLUGIN_COMPONENTS, schemaText } from "../../plugin/provider";
import { planAttempt, planOf, ROOT } from "../helpers/plan";
import { CERT, DB_SECRET, IMAGE } from "../helpers/web";

// What a C#, Python or Go program gets: the engine asks the plugin to construct `infra:index:<X>`
// with the inputs the generated SDK sends. Each case builds the same thing twice, once as a
// TypeScript team writes it with the library and once through ComponentProvider.construct with
// the schema's inputs, and compares every resource registered (type, name, parent, inputs,
// options), the plugin's component aside: it adds one level (infra:index:X) above the library's.

let provider: ComponentProvider;
beforeAll(async () => {
  provider = pluginProvider();
  schema = JSON.parse(await provider.getSchema()) as typeof schema;
}, 60_000);

type Inputs = Record<string, unknown>;
type Outputs = Record<string, pulumi.Output<unknown>>;
type Construct = Awaited<ReturnType<ComponentProvider["construct"]>>;

let schema: { resources: Record<string, { properties: Record<string, unknown> }> };

/** What a constructed component returns, as outputs another component's inputs may take (the keys are the schema's). */
function outputsOf(type: string, result: Promise<Construct>): Outputs {
  const keys = Object.keys(schema.resources[`infra:index:${type}`]?.properties ?? {});
  return Object.fromEntries(keys.map((key) => [key, pulumi.output(result.then((r): unknown => r.state[key]))]));
}

/** Plans the construction of plugin components, in order; each may use the outputs of those before. */
async function planConstructs(steps: readonly ((previous: Outputs[]) => [string, string, Inputs])[]): Promise<{ plan: Plan; results: Promise<Construct>[] }> {
  const outputs: Outputs[] = [];
  const results: Promise<Construct>[] = [];
  const plan = await planOf(() => {
    for (const step of steps) {
      const [type, name, inputs] = step(outputs);
      // construct creates the component before its first await; its state (the outputs) follows.
      const result = provider.construct(name, `infra:index:${type}`, inputs, {});
      results.push(result);
      outputs.push(outputsOf(type, result));
    }
  });
  return { plan, results };
}

/** The plan as the library alone would have registered it: the plugin's components removed, and their level taken out of every URN. */
function withoutPluginLevel(plan: Plan): unknown {
  const pluginUrns = new Set(plan.resources.filter((r) => r.type.startsWith("infra:index:")).map((r) => r.urn));
  const strip = (urn: string) => urn.replace(/infra:index:[A-Za-z]+\$/g, "");
  const resources = JSON.parse(
    JSON.stringify(
      plan.resources.filter((r) => !pluginUrns.has(r.urn)).map((r) => ({ ...r, parent: r.parent !== null && pluginUrns.has(r.parent) ? null : r.parent })),
    ).replace(/urn:pulumi:[^"]*/g, strip),
  ) as PlannedResource[];
  // In the plan's own order (by URN), which the removed level changed.
  return resources.sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
}

const library = (plan: Plan) => JSON.parse(JSON.stringify(plan.resources)) as unknown;

const VPC_INPUTS = {
  cidrBlock: "10.20.0.0/16",
  availabilityZones: ["ap-northeast-1a", "ap-northeast-1c"],
  natStrategy: "single",
  interfaceEndpoints: ["ecr.api", "ecr.dkr", "logs"],
  flowLogs: { retentionInDays: 30, trafficType: "REJECT" },
  tags: { team: "shop" },
};

const TASK_INPUTS = {
  family: "shop-web",
  cpu: 512,
  memory: 1024,
  container: { image: IMAGE, port: 8080, secrets: { DATABASE_URL: DB_SECRET }, healthCheck: { command: ["CMD-SHELL", "true"] } },
  datadog: { apiKeySecretArn: DB_SECRET, env: "stg", service: "shop-web" },
  taskRoleStatements: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::shop-assets/*"] }],
};

/** TASK_INPUTS as a TypeScript team writes them for the library (IAM's own statement shape). */
const LIBRARY_TASK = {
  family: "shop-web",
  cpu: 512,
  memory: 1024,
  container: { image: IMAGE, port: 8080, secrets: { DATABASE_URL: DB_SECRET }, healthCheck: { command: ["CMD-SHELL", "true"] } },
  datadog: { apiKeySecretArn: DB_SECRET, env: "stg", service: "shop-web" },
  taskRoleStatements: [{ Effect: "Allow" as const, Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::shop-assets/*"] }],
};

const LB_INPUTS = {
  vpcId: "vpc-1",
  subnetIds: ["public-a", "public-c"],
  certificateArn: CERT,
  testListener: { port: 9443, allowedCidrs: ["203.0.113.0/24"] },
  webAcl: { mode: "count", rateLimitPer5Minutes: 500 },
};

const CLUSTER = { clusterArn: "arn:aws:ecs:ap-northeast-1:123456789012:cluster/shop", clusterName: "shop" };

describe("the plugin's components, constructed as another language's program asks", () => {
  it("infers the schema committed in plugin/schema.json (npm run schema writes it)", async () => {
    expect(await schemaText(provider)).toBe(readFileSync(join(ROOT, "plugin", "schema.json"), "utf8"));
  });

  it("serves every component it lists, each under infra:index:<class>", () => {
    expect(Object.keys(schema.resources).sort()).toEqual(PLUGIN_COMPONENTS.map((c) => `infra:index:${c.name}`).sort());
  });

  it("Vpc: the same resources as the library's Vpc, and its outputs in the state", async () => {
    const direct = await planOf(
      () =>
        new LibraryVpc("main", {
          cidrBlock: "10.20.0.0/16",
          availabilityZones: ["ap-northeast-1a", "ap-northeast-1c"],
          natStrategy: "single",
          interfaceEndpoints: ["ecr.api", "ecr.dkr", "logs"],
          flowLogs: { retentionInDays: 30, trafficType: "REJECT" },
          tags: { team: "shop" },
        }),
    );
    const { plan, results } = await planConstructs([() => ["Vpc", "main", VPC_INPUTS]]);
    expect(withoutPluginLevel(plan)).toEqual(library(direct));
    const { urn, state } = (await results[0]) as Construct;
    expect(await new Promise((resolve) => pulumi.output(urn).apply(resolve))).toMatch(/\$infra:index:Vpc::main$/);
    expect(Object.keys(state).sort()).toEqual(["isolatedSubnetIds", "privateSubnetIds", "publicSubnetIds", "vpcId"]);
  });

  it("Vpc without flow logs: flowLogsEnabled false is the library's flowLogs: false", async () => {
    const direct = await planOf(() => new LibraryVpc("main", { cidrBlock: "10.20.0.0/16", availabilityZones: ["ap-northeast-1a"], flowLogs: false }));
    const { plan } = await planConstructs([
      () => ["Vpc", "main", { cidrBlock: "10.20.0.0/16", availabilityZones: ["ap-northeast-1a"], flowLogsEnabled: false }],
    ]);
    expect(withoutPluginLevel(plan)).toEqual(library(direct));
    expect(plan.resources.some((r) => r.type === "aws:ec2/flowLog:FlowLog")).toBe(false);
  });

  it("Cluster: the same resources as the library's Cluster", async () => {
    const direct = await planOf(
      () =>
        new LibraryCluster("shop", {
          clusterName: "shop",
          containerInsights: "enabled",
          execLogRetentionInDays: 30,
          defaultCapacityProviderStrategy: [
            { capacityProvider: "FARGATE_SPOT", weight: 3 },
            { capacityProvider: "FARGATE", weight: 1, base: 1 },
          ],
        }),
    );
    const { plan } = await planConstructs([
      () => [
        "Cluster",
        "shop",
        {
          clusterName: "shop",
          containerInsights: "enabled",
          execLogRetentionInDays: 30,
          defaultCapacityProviderStrategy: [
            { capacityProvider: "FARGATE_SPOT", weight: 3 },
            { capacityProvider: "FARGATE", weight: 1, base: 1 },
          ],
        },
      ],
    ]);
    expect(withoutPluginLevel(plan)).toEqual(library(direct));
  });

  it("FargateTaskDefinition: the same resources as the library's, statements in IAM's own shape", async () => {
    const direct = await planOf(() => new LibraryTaskDefinition("web", LIBRARY_TASK));
    const { plan } = await planConstructs([() => ["FargateTaskDefinition", "web", TASK_INPUTS]]);
    expect(withoutPluginLevel(plan)).toEqual(library(direct));
  });

  it("LoadBalancer and BlueGreenService: the service on the plugin ALB's outputs is the library's service on its LoadBalancer", async () => {
    const direct = await planOf(() => {
      const alb = new LibraryLoadBalancer("edge", {
        vpcId: "vpc-1",
        subnetIds: ["public-a", "public-c"],
        certificateArn: CERT,
        testListener: { port: 9443, allowedCidrs: ["203.0.113.0/24"] },
        webAcl: { mode: "count", rateLimitPer5Minutes: 500 },
      });
      new LibraryBlueGreenService("web", {
        serviceName: "shop-web",
        cluster: CLUSTER,
        loadBalancer: alb,
        vpcId: "vpc-1",
        subnetIds: ["private-a", "private-c"],
        task: LIBRARY_TASK,
        autoscaling: { minCount: 2, maxCount: 6, requestsPerTarget: 1000 },
        deployment: { config: "CodeDeployDefault.ECSCanary10Percent5Minutes", terminationWaitMinutes: 10 },
        alarms: { target5xxPerMinute: 5 },
      });
    });
    const { plan } = await planConstructs([
      () => ["LoadBalancer", "edge", LB_INPUTS],
      ([alb]) => [
        "BlueGreenService",
        "web",
        {
          serviceName: "shop-web",
          cluster: CLUSTER,
          // The LoadBalancer's outputs, as the other language's program passes them on.
          loadBalancer: {
            loadBalancerArn: alb?.loadBalancerArn,
            arnSuffix: alb?.arnSuffix,
            securityGroupId: alb?.securityGroupId,
            certificateArn: alb?.certificateArn,
            // Plain in the schema: the port the program gave the LoadBalancer.
            testPort: 9443,
          },
          vpcId: "vpc-1",
          subnetIds: ["private-a", "private-c"],
          task: TASK_INPUTS,
          autoscaling: { minCount: 2, maxCount: 6, requestsPerTarget: 1000 },
          deployment: { config: "CodeDeployDefault.ECSCanary10Percent5Minutes", terminationWaitMinutes: 10 },
          alarms: { target5xxPerMinute: 5 },
        },
      ],
    ]);
    expect(withoutPluginLevel(plan)).toEqual(library(direct));
  });
});

describe("the plugin's releases, constructed as another language's program asks", () => {
  const SERVICE = { serviceName: "shop-web", cluster: CLUSTER, vpcId: "vpc-1", subnetIds: ["private-a", "private-c"] };
  const RELEASE = {
    stack: "stg",
    image: IMAGE,
    region: "ap-northeast-1",
    holdMinutes: 5,
    waitFor: "switched" as const,
    migration: { command: ["bin/rails", "db:migrate"] },
  };

  it("a BlueGreenService with release: the library's service and Release, its commands run from the repository's root", async () => {
    const direct = await planOf(() => {
      const alb = new LibraryLoadBalancer("edge", {
        vpcId: "vpc-1",
        subnetIds: ["public-a"],
        certificateArn: CERT,
        testListener: { allowedCidrs: ["203.0.113.0/24"] },
      });
      const platform = new LibraryReleasePlatform("release", { protectData: true });
      const service = new LibraryBlueGreenService("web", { ...SERVICE, loadBalancer: alb, task: LIBRARY_TASK });
      new LibraryRelease("web-release", {
        stack: "stg",
        serviceKey: "shop-web",
        service,
        image: IMAGE,
        region: "ap-northeast-1",
        platform,
        settings: { holdMinutes: 5, waitFor: "switched" },
        migration: { command: ["bin/rails", "db:migrate"] },
        commandDirectory: ROOT,
      });
    });
    const { plan, results } = await planConstructs([
      () => ["LoadBalancer", "edge", { vpcId: "vpc-1", subnetIds: ["public-a"], certificateArn: CERT, testListener: { allowedCidrs: ["203.0.113.0/24"] } }],
      () => ["ReleasePlatform", "release", { protectData: true }],
      ([alb, platform]) => [
        "BlueGreenService",
        "web",
        {
          ...SERVICE,
          loadBalancer: {
            loadBalancerArn: alb?.loadBalancerArn,
            arnSuffix: alb?.arnSuffix,
            securityGroupId: alb?.securityGroupId,
            certificateArn: alb?.certificateArn,
          },
          task: TASK_INPUTS,
          release: { ...RELEASE, platform: { lockTableName: platform?.lockTableName, topicArn: platform?.topicArn } },
        },
      ],
    ]);
    expect(withoutPluginLevel(plan)).toEqual(library(direct));
    const prepare = plan.resources.find((r) => r.name === "web-release-prepare");
    const [script] = /\S+\.ts/.exec(String(prepare?.inputs.create)) ?? [];
    expect(prepare?.inputs.dir).toBe(ROOT);
    expect(existsSync(join(ROOT, script ?? "none"))).toBe(true);
    const state = ((await results[2]) as Construct).state as Record<string, pulumi.Output<string>>;
    const target = JSON.parse(await new Promise<string>((resolve) => state.releaseTarget?.apply(resolve))) as Record<string, unknown>;
    expect(target).toMatchObject({
      stack: "stg",
      service: "shop-web",
      waitFor: "switched",
      holdMinutes: 5,
      migration: { command: ["bin/rails", "db:migrate"] },
    });
  });

  it("a wait the release tool does not know: the library's message, before the service is created", async () => {
    let rejected: unknown;
    const plan = await planOf(() => {
      const release = { ...RELEASE, waitFor: "healthy", platform: { lockTableName: "locks", topicArn: "arn:aws:sns:ap-northeast-1:123456789012:releases" } };
      const loadBalancer = { loadBalancerArn: "arn:lb", arnSuffix: "app/x/1", securityGroupId: "sg-1", certificateArn: CERT };
      provider.construct("web", "infra:index:BlueGreenService", { ...SERVICE, loadBalancer, task: TASK_INPUTS, release }, {}).catch((error: unknown) => {
        rejected = error;
      });
    });
    expect((rejected as Error).message).toBe('Release "web-release": settings.waitFor "healthy" is not one of "completed", "switched"');
    expect(plan.resources.map((r) => r.type)).toEqual(["infra:index:BlueGreenService"]);
  });
});

describe("the plugin's workers and cache, constructed as another language's program asks", () => {
  it("Redis and a WorkerService that joins its client group: the library's resources", async () => {
    const direct = await planOf(() => {
      const redis = new LibraryRedis("jobs", {
        vpcId: "vpc-1",
        subnetIds: ["isolated-a", "isolated-c"],
        engine: "redis",
        nodes: 2,
        multiAz: true,
        protectData: true,
      });
      new LibraryWorkerService("mailer", {
        serviceName: "shop-mailer",
        cluster: CLUSTER,
        vpcId: "vpc-1",
        subnetIds: ["private-a", "private-c"],
        task: { family: "shop-mailer", cpu: 256, memory: 512, container: { image: IMAGE, secrets: { REDIS_TOKEN: redis.authTokenSecretArn } } },
        autoscaling: { minCount: 1, maxCount: 4 },
        stopTimeoutSeconds: 90,
        capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
        extraSecurityGroupIds: [redis.clientSecurityGroupId],
      });
    });
    const { plan } = await planConstructs([
      () => ["Redis", "jobs", { vpcId: "vpc-1", subnetIds: ["isolated-a", "isolated-c"], engine: "redis", nodes: 2, multiAz: true, protectData: true }],
      ([redis]) => [
        "WorkerService",
        "mailer",
        {
          serviceName: "shop-mailer",
          cluster: CLUSTER,
          vpcId: "vpc-1",
          subnetIds: ["private-a", "private-c"],
          task: { family: "shop-mailer", cpu: 256, memory: 512, container: { image: IMAGE, secrets: { REDIS_TOKEN: redis?.authTokenSecretArn } } },
          autoscaling: { minCount: 1, maxCount: 4 },
          stopTimeoutSeconds: 90,
          capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT", weight: 1 }],
          extraSecurityGroupIds: [redis?.clientSecurityGroupId],
        },
      ],
    ]);
    expect(withoutPluginLevel(plan)).toEqual(library(direct));
  });
});

describe("the plugin's job platform, constructed as another language's program asks", () => {
  it("JobPlatform with back and periodic workers, a scheduler and its cache: the library's resources and the client's outputs", async () => {
    const task = (family: string) => ({ family, cpu: 256, memory: 512, container: { image: IMAGE, command: ["bundle", "exec", family] } });
    const jobs = {
      namePrefix: "shop",
      cluster: CLUSTER,
      vpcId: "vpc-1",
      subnetIds: ["private-a"],
      dataSubnetIds: ["isolated-a"],
      redis: { nodes: 2, multiAz: true, engine: "redis" as const },
      namespaces: { back: "jobs" },
      backWorkers: { default: { task: task("back"), desiredCount: 2, capacityProviderStrategy: [{ capacityProvider: "FARGATE_SPOT" as const, weight: 1 }] } },
      scheduler: { task: task("scheduler"), stopTimeoutSeconds: 90 },
      periodicWorkers: { reports: { task: task("periodic"), autoscaling: { minCount: 1, maxCount: 3 } } },
    };
    const direct = await planOf(() => new LibraryJobPlatform("jobs", jobs));
    const { plan, results } = await planConstructs([() => ["JobPlatform", "jobs", jobs]]);
    expect(withoutPluginLevel(plan)).toEqual(library(direct));
    const state = ((await results[0]) as Construct).state as Record<string, pulumi.Output<unknown>>;
    const values = await Promise.all(
      ["backNamespace", "schedulerServiceName", "backWorkerServiceNames", "clientEnvironment"].map(
        (key) => new Promise((resolve) => state[key]?.apply(resolve)),
      ),
    );
    expect(values.slice(0, 3)).toEqual(["jobs", "shop-scheduler", { default: "shop-back-default" }]);
    expect(values[3]).toMatchObject({ REDIS_NAMESPACE: "jobs" });
  });
});

describe("the plugin's batches, scaling and firewall, constructed as another language's program asks", () => {
  const BATCH = {
    batchName: "shop-clearing",
    schedule: "cron(5 0 * * ? *)" as const,
    cluster: CLUSTER,
    vpcId: "vpc-1",
    subnetIds: ["private-a", "private-c"],
    command: ["./batch-cli", "clearing"],
    parameters: { TARGET_DATE: "" },
    timeoutSeconds: 3600,
    infrastructureRetry: { attempts: 5 },
    overlap: "allow" as const,
  };
  const BATCH_TASK = { family: "shop-clearing", cpu: 512, memory: 1024, container: { image: IMAGE, secrets: { DATABASE_URL: DB_SECRET } } };
  const EXISTING = {
    taskDefinitionArn: "arn:aws:ecs:ap-northeast-1:123456789012:task-definition/shop-web:7",
    family: "shop-web",
    containerName: "app",
    taskRoleArn: "arn:aws:iam::123456789012:role/shop-web-task",
    executionRoleArn: "arn:aws:iam::123456789012:role/shop-web-exec",
  };

  it("BatchPlatform and two CronBatches, one with its own task and one on an existing task: the library's resources", async () => {
    const direct = await planOf(() => {
      const platform = new LibraryBatchPlatform("batch", { protectData: true, deadLetterRetentionDays: 7 });
      new LibraryCronBatch("clearing", { ...BATCH, platform, task: BATCH_TASK });
      new LibraryCronBatch("report", { ...BATCH, batchName: "shop-report", platform, task: { existing: EXISTING } });
    });
    const platformRef = (p: Outputs | undefined) => ({
      runTableName: p?.runTableName,
      runTableArn: p?.runTableArn,
      topicArn: p?.topicArn,
      deadLetterQueueArn: p?.deadLetterQueueArn,
    });
    const { plan } = await planConstructs([
      () => ["BatchPlatform", "batch", { protectData: true, deadLetterRetentionDays: 7 }],
      ([platform]) => ["CronBatch", "clearing", { ...BATCH, platform: platformRef(platform), task: BATCH_TASK }],
      ([platform]) => ["CronBatch", "report", { ...BATCH, batchName: "shop-report", platform: platformRef(platform), existingTask: EXISTING }],
    ]);
    expect(withoutPluginLevel(plan)).toEqual(library(direct));
  });

  it.each([
    ["both", { task: BATCH_TASK, existingTask: EXISTING }, 'CronBatch "clearing": existingTask cannot be given with task'],
    ["neither", {}, 'CronBatch "clearing": task is required unless existingTask is given'],
  ])("CronBatch with %s of task and existingTask: refused before anything of its own", async (_case, tasks, expected) => {
    let rejected: unknown;
    const platform = {
      runTableName: "t",
      runTableArn: "arn:aws:dynamodb:ap-northeast-1:123456789012:table/t",
      topicArn: "arn:aws:sns:ap-northeast-1:123456789012:b",
      deadLetterQueueArn: "arn:aws:sqs:ap-northeast-1:123456789012:d",
    };
    const plan = await planOf(() => {
      provider.construct("clearing", "infra:index:CronBatch", { ...BATCH, platform, ...tasks }, {}).catch((error: unknown) => {
        rejected = error;
      });
    });
    expect((rejected as Error).message).toBe(expected);
    expect(plan.resources.map((r) => r.type)).toEqual(["infra:index:CronBatch"]);
  });

  it("ServiceAutoscaling on requests and a WebAcl in count mode: the library's resources", async () => {
    const scaling = {
      clusterName: "shop",
      serviceName: "shop-web",
      minCount: 2,
      maxCount: 8,
      requests: { requestsPerTarget: 900, loadBalancerArnSuffix: "app/shop/1", targetGroupArnSuffixes: ["targetgroup/blue/1", "targetgroup/green/2"] },
      releaseOwned: "live" as const,
    };
    const acl = {
      aclName: "shop-stg-web",
      loadBalancerArn: "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/app/shop/1",
      mode: "count" as const,
      managedRuleGroups: [{ name: "AWSManagedRulesCommonRuleSet" as const, countRules: ["SizeRestrictions_BODY"] }],
      rateLimitExemptCidrs: ["203.0.113.0/24"],
    };
    const direct = await planOf(() => {
      new LibraryServiceAutoscaling("web", scaling);
      new LibraryWebAcl("waf", acl);
    });
    const { plan } = await planConstructs([() => ["ServiceAutoscaling", "web", scaling], () => ["WebAcl", "waf", acl]]);
    expect(withoutPluginLevel(plan)).toEqual(library(direct));
  });
});

describe("the plugin's monitors, constructed as another language's program asks", () => {
  const CONTEXT = { env: "test", team: "sre", runbookUrl: "https://runbooks.example.com/shop" };
  const ROUTING = stackRouting("@slack-shop-alerts", "@pagerduty-shop-test");

  it("WorkloadMonitors of every kind, a ServiceSlo, a StackDashboard and PagerDutyRouting: the library's resources", async () => {
    const targets = [{ type: "schedule_reference" as const, id: "PSCHED1" }];
    const slo = { service: "web", loadBalancer: "app/web-lb/0123abcd", routing: ROUTING, context: CONTEXT, slo: { target: 99.5, timeframe: "7d" as const } };
    const direct = await planOf(() => {
      for (const w of WORKLOADS) new LibraryWorkloadMonitors(`monitors-${w.name}`, { workload: w, routing: ROUTING, context: CONTEXT });
      new LibraryServiceSlo("slo-web", slo);
      new LibraryStackDashboard("dashboard", { title: "shop test", env: "test", workloads: WORKLOADS });
      new LibraryPagerDutyRouting("pagerduty", { serviceName: "shop-test", targets, loops: 3 });
    });
    const { plan } = await planConstructs([
      ...WORKLOADS.map((w) => (): [string, string, Inputs] => ["WorkloadMonitors", `monitors-${w.name}`, { workload: w, routing: ROUTING, context: CONTEXT }]),
      () => ["ServiceSlo", "slo-web", slo],
      () => ["StackDashboard", "dashboard", { title: "shop test", env: "test", workloads: WORKLOADS }],
      () => ["PagerDutyRouting", "pagerduty", { serviceName: "shop-test", escalation: { targets, loops: 3 } }],
    ]);
    expect(withoutPluginLevel(plan)).toEqual(library(direct));
  });

  it.each<[string, Inputs, string]>([
    [
      "a kind the catalog does not have",
      { kind: "lambda", name: "f", ids: {} },
      'workload.kind "lambda" is not one of "web", "worker", "scheduler", "batch", "redis", "queue"',
    ],
    ["a worker without its service", { kind: "worker", name: "w", ids: { cluster: "shop" } }, "workload.ids.service is required for a worker"],
    ["a batch without its schedule", { kind: "batch", name: "b", ids: { stateMachineArn: "arn" } }, "workload.schedule is required for a batch"],
    [
      "a WAF watch in a mode WAF does not have",
      { ...WORKLOADS[0], waf: { aclName: "shop-web", mode: "log", alertPer10Minutes: 10 } },
      'workload.waf.mode "log" is not one of "count", "block"',
    ],
  ])("WorkloadMonitors refuses %s, naming the field, before anything of its own", async (_case, workload, expected) => {
    let rejected: unknown;
    const plan = await planOf(() => {
      provider.construct("monitors", "infra:index:WorkloadMonitors", { workload, routing: ROUTING, context: CONTEXT }, {}).catch((error: unknown) => {
        rejected = error;
      });
    });
    expect((rejected as Error).message).toBe(`WorkloadMonitors "monitors": ${expected}`);
    expect(plan.resources.map((r) => r.type)).toEqual(["infra:index:WorkloadMonitors"]);
  });

  it("StackDashboard names the workload by its index", async () => {
    let rejected: unknown;
    await planOf(() => {
      provider
        .construct("dashboard", "infra:index:StackDashboard", { title: "t", env: "test", workloads: [WORKLOADS[1], { kind: "redis", name: "r", ids: {} }] }, {})
        .catch((error: unknown) => {
          rejected = error;
        });
    });
    expect((rejected as Error).message).toBe('StackDashboard "dashboard": workloads[1].ids.replicationGroupId is required for a redis');
  });
});

describe("the plugin's components refuse bad input as the library does", () => {
  it("a VPC CIDR out of range: the library's message, and no resource but the plugin's component", async () => {
    const direct = await planAttempt(() => new LibraryVpc("main", { cidrBlock: "10.0.0.0/8", availabilityZones: ["ap-northeast-1a"] }));
    expect(direct.message).toBe('Vpc "main": cidrBlock "10.0.0.0/8" has prefix /8; AWS allows /16 to /28 for a VPC');
    let rejected: unknown;
    const plan = await planOf(() => {
      provider.construct("main", "infra:index:Vpc", { cidrBlock: "10.0.0.0/8", availabilityZones: ["ap-northeast-1a"] }, {}).catch((error: unknown) => {
        rejected = error;
      });
    });
    expect((rejected as Error).message).toBe(direct.message);
    expect(plan.resources.map((r) => r.type)).toEqual(["infra:index:Vpc"]);
  });

  it("a NAT strategy the schema carries as a string: the library's list of allowed values", async () => {
    const direct = await planAttempt(
      () => new LibraryVpc("main", { cidrBlock: "10.20.0.0/16", availabilityZones: ["ap-northeast-1a"], natStrategy: "twice" as "single" }),
    );
    let rejected: unknown;
    await planOf(() => {
      provider
        .construct("main", "infra:index:Vpc", { cidrBlock: "10.20.0.0/16", availabilityZones: ["ap-northeast-1a"], natStrategy: "twice" }, {})
        .catch((error: unknown) => {
          rejected = error;
        });
    });
    expect(direct.message).toBe('Vpc "main": natStrategy "twice" is not one of "perAz", "single", "none"');
    expect((rejected as Error).message).toBe(direct.message);
  });

  // The schema carries these as strings (plugin/values.ts: the component checks them): each one's
  // refusal names the field and the bad value, whatever the language.
  const BAD = "bogus";
  it.each<[string, Inputs, string]>([
    ["Vpc", { ...VPC_INPUTS, gatewayEndpoints: [BAD] }, `gatewayEndpoints[0] "${BAD}" is not one of`],
    ["Vpc", { ...VPC_INPUTS, interfaceEndpoints: [BAD] }, `interfaceEndpoints[0] "${BAD}" is not one of`],
    ["Vpc", { ...VPC_INPUTS, flowLogs: { trafficType: BAD } }, `flowLogs.trafficType "${BAD}" is not one of`],
    ["Cluster", { clusterName: "shop", containerInsights: BAD }, `containerInsights "${BAD}" is not one of`],
    [
      "Cluster",
      { clusterName: "shop", defaultCapacityProviderStrategy: [{ capacityProvider: BAD, weight: 1 }] },
      `[0].capacityProvider "${BAD}" is not one of`,
    ],
    ["LoadBalancer", { ...LB_INPUTS, sslPolicy: BAD }, "sslPolicy"],
    ["LoadBalancer", { ...LB_INPUTS, webAcl: { mode: BAD } }, `webAcl.mode "${BAD}" is not one of`],
    ["FargateTaskDefinition", { ...TASK_INPUTS, architecture: BAD }, `architecture "${BAD}" is not one of`],
    ["Redis", { vpcId: "vpc-1", subnetIds: ["isolated-a"], engine: BAD }, `engine "${BAD}" is not one of`],
    [
      "JobPlatform",
      {
        namePrefix: "shop",
        cluster: CLUSTER,
        vpcId: "v",
        subnetIds: ["p"],
        dataSubnetIds: ["i"],
        redis: { engine: BAD },
        backWorkers: {},
        scheduler: { task: TASK_INPUTS },
      },
      `redis.engine "${BAD}" is not one of`,
    ],
    ["ServiceAutoscaling", { clusterName: "shop", serviceName: "web", minCount: 1, maxCount: 2, releaseOwned: BAD }, `releaseOwned "${BAD}" is not one of`],
    ["WebAcl", { aclName: "waf", loadBalancerArn: "arn", managedRuleGroups: [{ name: BAD }] }, `managedRuleGroups[0].name "${BAD}" is not one of`],
    ["PagerDutyRouting", { serviceName: "shop", escalation: { targets: [{ type: BAD, id: "PSCHED1" }] } }, `targets[0].type "${BAD}" is not one of`],
    [
      "ServiceSlo",
      {
        service: "web",
        loadBalancer: "app/x/1",
        routing: { page: ["@slack-a"], notify: ["@slack-a"], recovery: ["@slack-a"] },
        context: { env: "t", team: "t", runbookUrl: "https://r" },
        slo: { timeframe: BAD },
      },
      `slo.timeframe "${BAD}" is not one of`,
    ],
  ])("%s refuses a string outside the component's list: %j", async (type, inputs, expected) => {
    let rejected: unknown;
    const plan = await planOf(() => {
      provider.construct("bad", `infra:index:${type}`, inputs, {}).catch((error: unknown) => {
        rejected = error;
      });
    });
    expect((rejected as Error | undefined)?.message).toContain(expected);
    expect((rejected as Error).message).toContain(BAD);
    expect(plan.resources.map((r) => r.type)).toEqual([`infra:index:${type}`]);
  });
});
