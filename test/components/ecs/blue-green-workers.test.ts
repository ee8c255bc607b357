import type { ContainerDefinition } from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import { BlueGreenWorkers, type BlueGreenWorkersArgs } from "../../../components/ecs/blue-green-workers";
import { FargateTaskDefinition, type FargateTaskDefinitionArgs } from "../../../components/ecs/task-definition";
import { byType, jsonInput, named, planAttempt, planOf } from "../../helpers/plan";
import { IMAGE } from "../../helpers/web";

const args = (extra: Partial<BlueGreenWorkersArgs> = {}): BlueGreenWorkersArgs => ({
  serviceName: "shop-back-default",
  cluster: { clusterArn: "arn:aws:ecs:ap-northeast-1:123456789012:cluster/shop", clusterName: "shop" },
  vpcId: "vpc-1",
  subnetIds: ["private-a"],
  task: {
    family: "shop-back-default",
    cpu: 512,
    memory: 1024,
    container: { image: IMAGE, command: ["bundle", "exec", "sidekiq"], environment: { RAILS_ENV: "production" } },
  },
  colours: { blue: { REDIS_NAMESPACE: "back-blue" }, green: { REDIS_NAMESPACE: "back-green" } },
  ...extra,
});
const plan = (extra: Partial<BlueGreenWorkersArgs> = {}) => planOf(() => new BlueGreenWorkers("back", args(extra)));
const app = (p: Awaited<ReturnType<typeof plan>>, name: string) => jsonInput<ContainerDefinition[]>(named(p, name), "containerDefinitions")[0]!;

describe("BlueGreenWorkers", () => {
  it("a service and a task definition per colour: blue live with the count, green at 0; only the namespace differs", async () => {
    const p = await plan({ desiredCount: 2 });
    expect(named(p, "back-service-blue").inputs).toMatchObject({
      name: "shop-back-default-blue",
      desiredCount: 2,
      deploymentController: { type: "ECS" },
      deploymentCircuitBreaker: { enable: true, rollback: true },
      networkConfiguration: { securityGroups: ["back-sg-id"] },
    });
    expect(named(p, "back-service-green").inputs).toMatchObject({ name: "shop-back-default-green", desiredCount: 0 });
    expect(named(p, "back-service-blue").inputs.taskDefinition).toMatch(/:task-definition\/shop-back-default-blue:\d+$/);
    expect(named(p, "back-service-green").inputs.taskDefinition).toMatch(/:task-definition\/shop-back-default-green:\d+$/);
    const blue = app(p, "back-task-def-blue");
    const green = app(p, "back-task-def-green");
    expect(blue.environment).toEqual([
      { name: "RAILS_ENV", value: "production" },
      { name: "REDIS_NAMESPACE", value: "back-blue" },
    ]);
    expect({ ...green, environment: blue.environment }).toEqual(blue);
    // One task, two revisions families: the roles and the log group are shared.
    expect(byType(p, "aws:iam/role:Role")).toHaveLength(2);
    expect(byType(p, "aws:cloudwatch/logGroup:LogGroup")).toHaveLength(1);
    expect(named(p, "back-task-def-blue").inputs.executionRoleArn).toBe(named(p, "back-task-def-green").inputs.executionRoleArn);
  });

  it("belongs to the release after creation: revision and count ignored on both services, capacity on both scalable targets (green 0-0)", async () => {
    const p = await plan({ autoscaling: { minCount: 2, maxCount: 8 } });
    for (const c of ["blue", "green"]) {
      expect(named(p, `back-service-${c}`).options.ignoreChanges).toEqual(["desiredCount", "taskDefinition"]);
      expect(named(p, `back-scaling-${c}-target`).options.ignoreChanges).toEqual(["maxCapacity", "minCapacity"]);
      expect(named(p, `back-scaling-${c}-cpu`).inputs).toMatchObject({ policyType: "TargetTrackingScaling" });
    }
    expect(named(p, "back-scaling-blue-target").inputs).toMatchObject({ minCapacity: 2, maxCapacity: 8, resourceId: "service/shop/shop-back-default-blue" });
    expect(named(p, "back-scaling-green-target").inputs).toMatchObject({ minCapacity: 0, maxCapacity: 0, resourceId: "service/shop/shop-back-default-green" });
    expect(named(p, "back-service-blue").inputs.desiredCount).toBe(2);
  });

  it.each<[string, Partial<BlueGreenWorkersArgs>, string]>([
    [
      "colours other than blue and green",
      { colours: { blue: {}, red: {} } as unknown as BlueGreenWorkersArgs["colours"] },
      'colours ["blue","red"] must be exactly ["blue","green"]: a release switches between the two colours',
    ],
    ["task variants of its own", { task: { ...args().task, variants: { a: {} } } }, "task.variants is set from colours; leave it out"],
    ["a service name too long for its colours", { serviceName: "s".repeat(250) }, `serviceName makes ${"s".repeat(250)}-green longer than 255 characters`],
    [
      "a port",
      { task: { ...args().task, container: { image: IMAGE, port: 8080 } } },
      "task.container.port 8080: a worker takes no traffic; use a BlueGreenService",
    ],
  ])("rejects %s before creating anything", async (_case, extra, problem) => {
    const { message, plan: p } = await planAttempt(() => {
      new BlueGreenWorkers("back", args(extra));
    });
    expect(message).toBe(`BlueGreenWorkers "back": ${problem}`);
    expect(p.resources).toEqual([]);
  });
});

describe("FargateTaskDefinition variants", () => {
  const task = (extra: Partial<FargateTaskDefinitionArgs>) =>
    new FargateTaskDefinition("t", { family: "shop-web", cpu: 512, memory: 1024, container: { image: IMAGE, environment: { A: "1" } }, ...extra });

  it("one task definition per variant, family <family>-<variant>, its variables over the shared ones; the first is taskDefinitionArn", async () => {
    let component: FargateTaskDefinition | undefined;
    const p = await planOf(() => (component = task({ variants: { blue: { A: "2", NS: "b" }, green: { NS: "g" } } })));
    expect(byType(p, "aws:ecs/taskDefinition:TaskDefinition").map((d) => d.inputs.family)).toEqual(["shop-web-blue", "shop-web-green"]);
    expect(app(p, "t-def-blue").environment).toEqual([
      { name: "A", value: "2" },
      { name: "NS", value: "b" },
    ]);
    expect(app(p, "t-def-green").environment).toEqual([
      { name: "A", value: "1" },
      { name: "NS", value: "g" },
    ]);
    expect(component!.family).toBe("shop-web-blue");
    expect(Object.keys(component!.variants)).toEqual(["blue", "green"]);
  });

  it.each<[string, FargateTaskDefinitionArgs["variants"], string]>([
    ["no variant", {}, "variants is empty; leave it out for one task definition"],
    ["a variant name with capitals", { Blue: {} }, "variants.Blue is not a variant name (1-16 lowercase letters, digits, -; starts with a letter)"],
    [
      "a variable that looks secret",
      { blue: { DB_PASSWORD: "x" } },
      "variants.blue.environment.DB_PASSWORD looks like a secret (its name says PASSWORD); pass it in secrets as a Secrets Manager or SSM parameter ARN",
    ],
  ])("rejects %s", async (_case, variants, problem) => {
    const { message, plan: p } = await planAttempt(() => {
      task({ variants });
    });
    expect(message).toBe(`FargateTaskDefinition "t": ${problem}`);
    expect(p.resources).toEqual([]);
  });
});

describe("BlueGreenWorkers transform", () => {
  it("applies the service transform to each colour's service, by its own name", async () => {
    const p = await plan({ transform: { service: (a, _o, name) => ({ ...a, tags: { child: name } }) } });
    expect(named(p, "back-service-blue").inputs).toMatchObject({ tags: { child: "back-service-blue" }, desiredCount: 1 });
    expect(named(p, "back-service-green").inputs).toMatchObject({ tags: { child: "back-service-green" }, desiredCount: 0 });
  });
});
