import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { BlueGreenService } from "../../../components/ecs/blue-green-service";
import { LoadBalancer } from "../../../components/loadbalancing/load-balancer";
import { TLS12_SSL_POLICIES } from "../../../components/loadbalancing/policies";
import { byType, input, jsonInput, named, planOf, planAttempt } from "../../helpers/plan";
import { DB_SECRET, EXISTING_ALB, lbArgs, serviceArgs, webService } from "../../helpers/web";

interface Rule {
  securityGroupId: string;
  ipProtocol: string;
  fromPort?: number;
  toPort?: number;
  cidrIpv4?: string;
  cidrIpv6?: string;
  referencedSecurityGroupId?: string;
}
interface Statement {
  Sid?: string;
  Action: string | string[];
  Resource: string | string[];
}

describe("BlueGreenService on an existing load balancer", () => {
  it("creates its listeners on the given ALB, lets that ALB's group reach the tasks, and alarms on its metrics", async () => {
    const plan = await planOf(() => new BlueGreenService("web", serviceArgs(EXISTING_ALB)));
    expect(byType(plan, "aws:lb/loadBalancer:LoadBalancer")).toEqual([]);
    for (const [name, port] of [
      ["web-https", 443],
      ["web-test", 8443],
    ] as const) {
      expect(named(plan, name).inputs).toMatchObject({
        loadBalancerArn: EXISTING_ALB.loadBalancerArn,
        port,
        protocol: "HTTPS",
        certificateArn: EXISTING_ALB.certificateArn,
        sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
      });
    }
    expect(named(plan, "web-alb-to-tasks").inputs).toMatchObject({ securityGroupId: EXISTING_ALB.securityGroupId, fromPort: 8080, toPort: 8080 });
    expect(named(plan, "web-from-alb").inputs).toMatchObject({ referencedSecurityGroupId: EXISTING_ALB.securityGroupId, fromPort: 8080 });
    expect(input<Record<string, string>>(named(plan, "web-5xx-blue"), "dimensions").LoadBalancer).toBe(EXISTING_ALB.arnSuffix);
  });

  it("takes its TLS policy and test port", async () => {
    const plan = await planOf(
      () => new BlueGreenService("web", serviceArgs({ ...EXISTING_ALB, sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-2021-06", testPort: 9443 })),
    );
    expect(named(plan, "web-test").inputs).toMatchObject({ port: 9443, sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-2021-06" });
  });

  it("refuses a policy below TLS 1.2 and a test port of the public listeners, with nothing registered", async () => {
    const { message, plan } = await planAttempt(
      () => new BlueGreenService("web", serviceArgs({ ...EXISTING_ALB, sslPolicy: "ELBSecurityPolicy-2016-08" as never, testPort: 443 })),
    );
    expect(message).toBe(
      `BlueGreenService "web": loadBalancer.sslPolicy "ELBSecurityPolicy-2016-08" is not a TLS 1.2+ policy; allowed: ${TLS12_SSL_POLICIES.join(", ")}; loadBalancer.testPort 443 must be a port (1-65535) other than 80 and 443`,
    );
    expect(plan.resources).toEqual([]);
  });
});

/** The value of an output once the plan resolved it. */
const valueOf = <T>(output: pulumi.Output<T>): Promise<T> => new Promise((resolve) => output.apply(resolve));

describe("BlueGreenService outputs", () => {
  it("names its two target groups, blue then green, as the deployment group has them", async () => {
    let service: BlueGreenService | undefined;
    const plan = await planOf(() => (service = webService()));
    const names = await valueOf(pulumi.all(service?.targetGroupNames ?? []));
    const pair = input<{ targetGroupPairInfo: { targetGroups: { name: string }[] } }>(named(plan, "web-deployment-group"), "loadBalancerInfo");
    expect(names).toEqual(pair.targetGroupPairInfo.targetGroups.map((g) => g.name));
    expect(names).toEqual([expect.stringMatching(/^web-blue-/), expect.stringMatching(/^web-green-/)]);
  });

  it("lets a one-off task or a shell open ECS Exec unless the task turned it off", async () => {
    let on: BlueGreenService | undefined;
    let off: BlueGreenService | undefined;
    await planOf(() => {
      on = webService();
      off = new BlueGreenService(
        "quiet",
        serviceArgs(new LoadBalancer("quiet-lb", lbArgs()), {
          serviceName: "shop-quiet",
          task: { ...serviceArgs(EXISTING_ALB).task, enableExecuteCommand: false },
        }),
      );
    });
    expect([on?.oneOffTask.executeCommand, off?.oneOffTask.executeCommand]).toEqual([true, false]);
  });
});

describe("BlueGreenService wiring", () => {
  it("names the two target groups, both listeners, the service and the cluster in the deployment group", async () => {
    const plan = await planOf(() => webService());
    const group = named(plan, "web-deployment-group");
    const blue = named(plan, "web-blue");
    const green = named(plan, "web-green");
    expect(input<string>(blue, "targetType")).toBe("ip");
    expect(group.inputs).toMatchObject({
      deploymentGroupName: "shop-web",
      deploymentConfigName: "CodeDeployDefault.ECSAllAtOnce",
      deploymentStyle: { deploymentType: "BLUE_GREEN", deploymentOption: "WITH_TRAFFIC_CONTROL" },
      ecsService: { clusterName: "shop", serviceName: "shop-web" },
      loadBalancerInfo: {
        targetGroupPairInfo: {
          targetGroups: [
            { name: expect.stringMatching(/^web-blue-[0-9a-f]{7}$/) as string },
            { name: expect.stringMatching(/^web-green-[0-9a-f]{7}$/) as string },
          ],
          prodTrafficRoute: { listenerArns: [expect.stringContaining("listener/app/web-https-") as string] },
          testTrafficRoute: { listenerArns: [expect.stringContaining("listener/app/web-test-") as string] },
        },
      },
      blueGreenDeploymentConfig: {
        deploymentReadyOption: { actionOnTimeout: "CONTINUE_DEPLOYMENT" },
        terminateBlueInstancesOnDeploymentSuccess: { action: "TERMINATE", terminationWaitTimeInMinutes: 2 },
      },
      autoRollbackConfiguration: { enabled: true, events: ["DEPLOYMENT_FAILURE", "DEPLOYMENT_STOP_ON_ALARM"] },
    });
    expect(group.inputs.appName).toMatch(/^web-app-[0-9a-f]{7}$/);
    expect(blue.name).not.toBe(green.name);
  });

  it("runs the service with CODE_DEPLOY, attached to the blue group only, in private subnets without public IP", async () => {
    const plan = await planOf(() => webService());
    const service = named(plan, "web-service");
    expect(service.inputs).toMatchObject({
      name: "shop-web",
      cluster: "arn:aws:ecs:ap-northeast-1:123456789012:cluster/shop",
      deploymentController: { type: "CODE_DEPLOY" },
      networkConfiguration: { subnets: ["private-a", "private-c"], securityGroups: ["web-task-sg-id"], assignPublicIp: false },
      enableExecuteCommand: true,
      propagateTags: "SERVICE",
      healthCheckGracePeriodSeconds: 30,
      desiredCount: 2,
    });
    const loadBalancers = input<{ targetGroupArn: string; containerName: string; containerPort: number }[]>(service, "loadBalancers");
    expect(loadBalancers).toHaveLength(1);
    expect(loadBalancers[0]).toMatchObject({ containerName: "app", containerPort: 8080 });
    expect(loadBalancers[0]!.targetGroupArn).toContain(":targetgroup/web-blue-");
    expect(input<string>(service, "taskDefinition")).toBe("arn:aws:ecs:ap-northeast-1:123456789012:task-definition/shop-web:1");
    expect(service.options.dependsOn).toEqual([named(plan, "web-https").urn, named(plan, "web-test").urn]);
  });

  it("forwards the production (443) and test listeners to the blue group, with the certificate and a TLS 1.2+ policy", async () => {
    const plan = await planOf(() => webService());
    const [attachment] = input<{ targetGroupArn: string }[]>(named(plan, "web-service"), "loadBalancers");
    for (const [name, port] of [
      ["web-https", 443],
      ["web-test", 8443],
    ] as const) {
      const listener = named(plan, name);
      expect(listener.inputs).toMatchObject({
        port,
        protocol: "HTTPS",
        sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
        certificateArn: expect.stringContaining(":certificate/") as string,
      });
      expect(listener.inputs.loadBalancerArn).toContain("loadbalancer/app/web-lb-alb-");
      expect(input<{ type: string; targetGroupArn: string }[]>(listener, "defaultActions")).toEqual([
        { type: "forward", targetGroupArn: attachment!.targetGroupArn },
      ]);
    }
  });

  it("watches the 5xx and unhealthy-host alarms of both groups", async () => {
    const plan = await planOf(() => webService());
    const alarms = byType(plan, "aws:cloudwatch/metricAlarm:MetricAlarm");
    expect(alarms.map((a) => a.name).sort()).toEqual(["web-5xx-blue", "web-5xx-green", "web-unhealthy-blue", "web-unhealthy-green"]);
    const watched = input<{ enabled: boolean; alarms: string[] }>(named(plan, "web-deployment-group"), "alarmConfiguration");
    expect(watched.enabled).toBe(true);
    expect(watched.alarms.map((a) => a.replace(/-[0-9a-f]{7}$/, "")).sort()).toEqual(alarms.map((a) => a.name).sort());
    expect(named(plan, "web-5xx-green").inputs).toMatchObject({
      namespace: "AWS/ApplicationELB",
      metricName: "HTTPCode_Target_5XX_Count",
      dimensions: {
        TargetGroup: expect.stringMatching(/^targetgroup\/web-green-/) as string,
        LoadBalancer: expect.stringMatching(/^app\/web-lb-alb-/) as string,
      },
      threshold: 10,
    });
  });

  it("gives CodeDeploy a role scoped to this service, its listeners and its task roles, that only CodeDeploy of this account assumes", async () => {
    const plan = await planOf(() => webService());
    const service = "arn:aws:ecs:ap-northeast-1:123456789012:service/shop/shop-web";
    expect(jsonInput<{ Statement: Statement[] }>(named(plan, "web-codedeploy-policy"), "policy").Statement).toEqual([
      {
        Sid: "TaskSetsOfThisService",
        Effect: "Allow",
        Action: ["ecs:DescribeServices", "ecs:CreateTaskSet", "ecs:UpdateServicePrimaryTaskSet", "ecs:DeleteTaskSet"],
        Resource: [service, "arn:aws:ecs:ap-northeast-1:123456789012:task-set/shop/shop-web/*"],
      },
      {
        Sid: "SwitchItsListeners",
        Effect: "Allow",
        Action: ["elasticloadbalancing:ModifyListener", "elasticloadbalancing:ModifyRule"],
        Resource: [
          expect.stringMatching(/^arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:listener\/app\/web-https-/) as string,
          expect.stringMatching(/^arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:listener\/app\/web-test-/) as string,
          expect.stringMatching(/^arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:listener-rule\/app\/web-https-.*\/\*$/) as string,
          expect.stringMatching(/^arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:listener-rule\/app\/web-test-.*\/\*$/) as string,
        ],
      },
      {
        Sid: "Reads",
        Effect: "Allow",
        Action: ["elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeRules"],
        Resource: "*",
      },
      // The alarms it watches, by ARN (DescribeAlarms takes them): not every alarm of the account.
      {
        Sid: "ReadItsAlarms",
        Effect: "Allow",
        Action: "cloudwatch:DescribeAlarms",
        Resource: (named(plan, "web-deployment-group").inputs.alarmConfiguration as { alarms: string[] }).alarms.map(
          (alarm) => `arn:aws:cloudwatch:ap-northeast-1:123456789012:alarm:${alarm}`,
        ),
      },
      {
        Sid: "PassTheTaskRoles",
        Effect: "Allow",
        Action: "iam:PassRole",
        Resource: [expect.stringMatching(/:role\/web-task-task-role-/) as string, expect.stringMatching(/:role\/web-task-execution-role-/) as string],
        Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
      },
    ]);
    expect(jsonInput(named(plan, "web-codedeploy-role"), "assumeRolePolicy")).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: "codedeploy.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
        },
      ],
    });
    expect(named(plan, "web-deployment-group").options.dependsOn).toEqual([named(plan, "web-codedeploy-policy").urn]);
  });
});

describe("BlueGreenService survives CodeDeploy's drift", () => {
  it("ignores exactly the fields ECS refuses to update on a CODE_DEPLOY service (ECS Exec too: a shell toggle must not fail an up)", async () => {
    const plan = await planOf(() => webService());
    expect(named(plan, "web-service").options.ignoreChanges).toEqual([
      "capacityProviderStrategies",
      "enableExecuteCommand",
      "loadBalancers",
      "networkConfiguration",
      "platformVersion",
      "taskDefinition",
    ]);
  });

  it("also ignores the desired count when autoscaled", async () => {
    const plan = await planOf(() => webService({ autoscaling: { minCount: 3, maxCount: 12 } }));
    expect(named(plan, "web-service").options.ignoreChanges).toEqual([
      "capacityProviderStrategies",
      "desiredCount",
      "enableExecuteCommand",
      "loadBalancers",
      "networkConfiguration",
      "platformVersion",
      "taskDefinition",
    ]);
    expect(input<number>(named(plan, "web-service"), "desiredCount")).toBe(3);
  });

  it("ignores the default actions of both listeners, and of nothing else", async () => {
    const plan = await planOf(() => webService());
    expect(named(plan, "web-https").options.ignoreChanges).toEqual(["defaultActions"]);
    expect(named(plan, "web-test").options.ignoreChanges).toEqual(["defaultActions"]);
    expect(named(plan, "web-lb-http").options.ignoreChanges).toEqual([]);
    const others = plan.resources.filter((r) => !["web-service", "web-https", "web-test"].includes(r.name));
    for (const r of others) expect(r.options.ignoreChanges, r.name).toEqual([]);
  });
});

describe("BlueGreenService security", () => {
  const rules = (plan: Awaited<ReturnType<typeof planOf>>, group: string) =>
    [...byType(plan, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"), ...byType(plan, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule")]
      .filter((r) => r.inputs.securityGroupId === group)
      .map((r) => ({ type: r.type.endsWith("IngressRule") ? "in" : "out", ...(r.inputs as unknown as Rule) }));

  it("admits traffic to the tasks only from the load balancer's group, on the container port", async () => {
    const plan = await planOf(() => webService());
    const ingress = rules(plan, "web-task-sg-id").filter((r) => r.type === "in");
    expect(ingress).toEqual([
      {
        type: "in",
        securityGroupId: "web-task-sg-id",
        referencedSecurityGroupId: "web-lb-sg-id",
        ipProtocol: "tcp",
        fromPort: 8080,
        toPort: 8080,
        description: "From the load balancer",
        tags: {},
      },
    ]);
    expect(named(plan, "web-task-sg").inputs.ingress).toBeUndefined();
  });

  it("opens the load balancer to 443 and 80 from the internet and the test port from internal CIDRs only", async () => {
    const plan = await planOf(() => webService({}, { testListener: { allowedCidrs: ["203.0.113.0/24", "10.50.0.0/16"] } }));
    const ingress = rules(plan, "web-lb-sg-id")
      .filter((r) => r.type === "in")
      .map((r) => [r.fromPort, r.toPort, r.cidrIpv4 ?? r.cidrIpv6]);
    expect(ingress).toEqual([
      [80, 80, "0.0.0.0/0"],
      [80, 80, "::/0"],
      [443, 443, "0.0.0.0/0"],
      [443, 443, "::/0"],
      [8443, 8443, "10.50.0.0/16"],
      [8443, 8443, "203.0.113.0/24"],
    ]);
    const egress = rules(plan, "web-lb-sg-id").filter((r) => r.type === "out");
    expect(egress.map((r) => [r.referencedSecurityGroupId, r.fromPort, r.toPort])).toEqual([["web-task-sg-id", 8080, 8080]]);
  });

  it("lets the execution role read exactly the listed secrets", async () => {
    const plan = await planOf(() => webService());
    const policy = jsonInput<{ Statement: Statement[] }>(named(plan, "web-task-execution-policy"), "policy");
    const secrets = policy.Statement.filter((s) => JSON.stringify(s.Action).includes("secretsmanager"));
    expect(secrets).toEqual([{ Sid: "Secrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: [DB_SECRET] }]);
  });
});

describe("BlueGreenService release speed defaults", () => {
  it("counts a new task healthy after 2 checks 10 s apart, and drains old ones in 30 s", async () => {
    const plan = await planOf(() => webService());
    expect(named(plan, "web-green").inputs).toMatchObject({
      deregistrationDelay: 30,
      healthCheck: { path: "/healthz", interval: 10, timeout: 5, healthyThreshold: 2, unhealthyThreshold: 2, matcher: "200-399" },
    });
  });

  it("takes canary presets, a ready wait and a termination wait", async () => {
    const plan = await planOf(() =>
      webService({ deployment: { config: "CodeDeployDefault.ECSCanary10Percent5Minutes", readyWaitMinutes: 30, terminationWaitMinutes: 60 } }),
    );
    expect(named(plan, "web-deployment-group").inputs).toMatchObject({
      deploymentConfigName: "CodeDeployDefault.ECSCanary10Percent5Minutes",
      blueGreenDeploymentConfig: {
        deploymentReadyOption: { actionOnTimeout: "STOP_DEPLOYMENT", waitTimeInMinutes: 30 },
        terminateBlueInstancesOnDeploymentSuccess: { action: "TERMINATE", terminationWaitTimeInMinutes: 60 },
      },
    });
  });
});

describe("BlueGreenService autoscaling", () => {
  it("tracks CPU and requests per task summed over both target groups", async () => {
    const plan = await planOf(() => webService({ autoscaling: { minCount: 3, maxCount: 12, cpuTargetPercent: 55, requestsPerTarget: 800 } }));
    expect(named(plan, "web-scaling-target").inputs).toMatchObject({
      resourceId: "service/shop/shop-web",
      scalableDimension: "ecs:service:DesiredCount",
      minCapacity: 3,
      maxCapacity: 12,
    });
    expect(named(plan, "web-scaling-cpu").inputs).toMatchObject({
      policyType: "TargetTrackingScaling",
      targetTrackingScalingPolicyConfiguration: { targetValue: 55, predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" } },
    });
    const requests = input<{
      targetValue: number;
      customizedMetricSpecification: {
        metrics: { id: string; expression?: string; returnData: boolean; metricStat?: { metric: { dimensions: { name: string; value: string }[] } } }[];
      };
    }>(named(plan, "web-scaling-requests"), "targetTrackingScalingPolicyConfiguration");
    expect(requests.targetValue).toBe(800);
    const metrics = requests.customizedMetricSpecification.metrics;
    expect(metrics.map((m) => [m.id, m.returnData, m.expression])).toEqual([
      ["m0", false, undefined],
      ["m1", false, undefined],
      ["requests", true, "FILL(m0, 0) + FILL(m1, 0)"],
    ]);
    expect(metrics[0]!.metricStat!.metric.dimensions[0]!.value).toMatch(/^targetgroup\/web-blue-/);
    expect(metrics[1]!.metricStat!.metric.dimensions[0]!.value).toMatch(/^targetgroup\/web-green-/);
  });

  it("creates no scaling without autoscaling args", async () => {
    const plan = await planOf(() => webService());
    expect(byType(plan, "aws:appautoscaling/target:Target")).toEqual([]);
  });
});

describe("BlueGreenService errors", () => {
  const attempt = planAttempt;

  it.each([
    [
      "a bad size",
      { task: { family: "f", cpu: 1024, memory: 1024, container: { image: "i:1.0", port: 80 } } },
      'BlueGreenService "web": task.memory 1024 is not allowed with cpu 1024 (1 vCPU); allowed: 2048 to 8192 in steps of 1024',
    ],
    [
      "no container port",
      { task: { family: "f", cpu: 256, memory: 512, container: { image: "i:1.0" } } },
      'BlueGreenService "web": task.container.port is required: the load balancer sends traffic to it',
    ],
    ["a health path without /", { healthCheck: { path: "healthz" } }, 'BlueGreenService "web": healthCheck.path "healthz" must start with /'],
    ["min above max", { autoscaling: { minCount: 5, maxCount: 2 } }, 'BlueGreenService "web": autoscaling.minCount 5 is greater than maxCount 2'],
    [
      "a termination wait too long",
      { deployment: { terminationWaitMinutes: 2881 } },
      'BlueGreenService "web": deployment.terminationWaitMinutes 2881 is out of range (0-2880)',
    ],
    [
      "a plaintext secret",
      { task: { family: "f", cpu: 256, memory: 512, container: { image: "i:1.0", port: 80, environment: { DB_PASSWORD: "hunter2" } } } },
      'BlueGreenService "web": task.container.environment.DB_PASSWORD looks like a secret (its name says PASSWORD); pass it in secrets as a Secrets Manager or SSM parameter ARN',
    ],
    [
      "an image tag that moves (a release would never pick up a push)",
      { task: { family: "f", cpu: 256, memory: 512, container: { image: "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/web:latest", port: 80 } } },
      'BlueGreenService "web": task.container.image "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/web:latest" moves with every push: name one version (123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/web:2026.11.20-1) or a digest (@sha256:...)',
    ],
    [
      "an image without a tag",
      { task: { family: "f", cpu: 256, memory: 512, container: { image: "nginx", port: 80 } } },
      'BlueGreenService "web": task.container.image "nginx" has no tag, which means latest: name one version (nginx:2026.11.20-1) or a digest (@sha256:...)',
    ],
  ])("rejects %s with nothing registered", async (_case, extra, message) => {
    const { message: got, plan } = await attempt(() => new BlueGreenService("web", serviceArgs(undefined as never, extra)));
    expect(got).toBe(message);
    expect(plan.resources).toEqual([]);
  });

  it("refuses a second service on the same load balancer, before creating it", async () => {
    let lb: LoadBalancer | undefined;
    const { message, plan } = await attempt(() => {
      lb = new LoadBalancer("web-lb", lbArgs());
      new BlueGreenService("web", serviceArgs(lb));
      new BlueGreenService("admin", serviceArgs(lb, { serviceName: "shop-admin" }));
    });
    expect(message).toBe(
      'LoadBalancer "web-lb" already serves BlueGreenService "web"; "admin" needs a load balancer of its own (CodeDeploy moves traffic by rewriting the production listener\'s default action)',
    );
    expect(plan.resources.filter((r) => r.name.startsWith("admin"))).toEqual([]);
  });
});

describe("BlueGreenService transform", () => {
  it("changes both target groups, both listeners, the service and the deployment group as asked", async () => {
    const plan = await planOf(() =>
      webService({
        transform: {
          targetGroup: { slowStart: 60 },
          listener: (a, _o, name) => ({ ...a, tags: { listener: name } }),
          service: { availabilityZoneRebalancing: "ENABLED" },
          deploymentGroup: { tags: { owner: "web" } },
        },
      }),
    );
    expect(byType(plan, "aws:lb/targetGroup:TargetGroup").map((t) => [t.name, t.inputs.slowStart])).toEqual([
      ["web-blue", 60],
      ["web-green", 60],
    ]);
    expect(named(plan, "web-https").inputs).toMatchObject({ tags: { listener: "web-https" }, port: 443 });
    expect(named(plan, "web-test").inputs).toMatchObject({ tags: { listener: "web-test" }, port: 8443 });
    expect(named(plan, "web-service").inputs).toMatchObject({ availabilityZoneRebalancing: "ENABLED", deploymentController: { type: "CODE_DEPLOY" } });
    expect(named(plan, "web-deployment-group").inputs).toMatchObject({ tags: { owner: "web" }, deploymentGroupName: "shop-web" });
    // The transform changed what the service is, not the options that keep CodeDeploy in charge.
    expect(named(plan, "web-service").options.ignoreChanges).toEqual(expect.arrayContaining(["taskDefinition", "loadBalancers"]));
  });
});
