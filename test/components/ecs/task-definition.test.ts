import type { ContainerDefinition } from "@aws-sdk/client-ecs";
import { describe, expect, it } from "vitest";
import { ecrRepositoryArns, FargateTaskDefinition, type FargateTaskDefinitionArgs } from "../../../components/ecs/task-definition";
import { byType, jsonInput, named, planOf, planAttempt } from "../../helpers/plan";
import { DB_SECRET, IMAGE } from "../../helpers/web";

const DD_KEY = "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:datadog/api-key-GhI789";
const PARAM = "arn:aws:ssm:ap-northeast-1:123456789012:parameter/shop/feature-flags";
const task = (extra: Partial<FargateTaskDefinitionArgs> = {}) =>
  planOf(() => new FargateTaskDefinition("web-task", { family: "shop-web", cpu: 512, memory: 1024, container: { image: IMAGE, port: 8080 }, ...extra }));

interface Statement {
  Sid: string;
  Action: string | string[];
  Resource: string | string[];
}
const statements = (plan: Awaited<ReturnType<typeof task>>, name: string) => jsonInput<{ Statement: Statement[] }>(named(plan, name), "policy").Statement;

describe("FargateTaskDefinition", () => {
  it("is a Fargate awsvpc task on ARM64 by default, with both roles", async () => {
    const plan = await task();
    expect(named(plan, "web-task-def").inputs).toMatchObject({
      family: "shop-web",
      requiresCompatibilities: ["FARGATE"],
      networkMode: "awsvpc",
      cpu: "512",
      memory: "1024",
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "ARM64" },
      // A replaced revision stays ACTIVE for a rollback, a drain, a one-off task of the old colour.
      skipDestroy: true,
    });
    expect(named(plan, "web-task-def").inputs.executionRoleArn).toMatch(/:role\/web-task-execution-role-/);
    expect(named(plan, "web-task-def").inputs.taskRoleArn).toMatch(/:role\/web-task-task-role-/);
  });

  it("builds the app container: port, sorted environment, secrets by ARN, logs to its group", async () => {
    const plan = await task({
      architecture: "X86_64",
      container: { image: IMAGE, port: 8080, command: ["bundle", "exec", "puma"], environment: { B: "2", A: "1" }, secrets: { DATABASE_URL: DB_SECRET } },
    });
    const [app, ...others] = jsonInput<ContainerDefinition[]>(named(plan, "web-task-def"), "containerDefinitions");
    expect(others).toEqual([]);
    expect(app).toEqual({
      name: "app",
      image: IMAGE,
      essential: true,
      command: ["bundle", "exec", "puma"],
      portMappings: [{ containerPort: 8080, protocol: "tcp", name: "app-8080" }],
      environment: [
        { name: "A", value: "1" },
        { name: "B", value: "2" },
      ],
      secrets: [{ name: "DATABASE_URL", valueFrom: DB_SECRET }],
      stopTimeout: 30,
      readonlyRootFilesystem: false,
      logConfiguration: {
        logDriver: "awslogs",
        options: { "awslogs-group": expect.stringMatching(/^web-task-logs-/) as string, "awslogs-region": "ap-northeast-1", "awslogs-stream-prefix": "app" },
      },
    });
    expect(named(plan, "web-task-def").inputs.runtimePlatform).toEqual({ operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" });
  });

  it("adds the Datadog agent (not essential) and the FireLens router (started before the app)", async () => {
    const plan = await task({
      datadog: { apiKeySecretArn: DD_KEY, env: "prd", service: "web" },
      logRouter: { options: { Name: "datadog", Host: "http-intake.logs.datadoghq.com" }, secretOptions: { apikey: DD_KEY } },
    });
    const defs = jsonInput<ContainerDefinition[]>(named(plan, "web-task-def"), "containerDefinitions");
    expect(defs.map((d) => [d.name, d.essential])).toEqual([
      ["app", true],
      ["log-router", true],
      ["datadog-agent", false],
    ]);
    const [app, router, agent] = defs;
    expect(app!.logConfiguration).toEqual({
      logDriver: "awsfirelens",
      options: { Name: "datadog", Host: "http-intake.logs.datadoghq.com" },
      secretOptions: [{ name: "apikey", valueFrom: DD_KEY }],
    });
    expect(app!.dependsOn).toEqual([{ containerName: "log-router", condition: "START" }]);
    expect(app!.environment).toEqual(
      expect.arrayContaining([
        { name: "DD_ENV", value: "prd" },
        { name: "DD_SERVICE", value: "web" },
      ]),
    );
    expect(router!.firelensConfiguration).toEqual({ type: "fluentbit", options: { "enable-ecs-log-metadata": "true" } });
    expect(agent!.secrets).toEqual([{ name: "DD_API_KEY", valueFrom: DD_KEY }]);
  });

  it("lets the execution role pull from its ECR repository, write its logs and read exactly its secrets", async () => {
    const plan = await task({
      container: { image: IMAGE, port: 8080, secrets: { DATABASE_URL: `${DB_SECRET}:url::`, FLAGS: PARAM } },
      datadog: { apiKeySecretArn: DD_KEY, env: "prd", service: "web" },
    });
    const s = statements(plan, "web-task-execution-policy");
    expect(s.map((x) => x.Sid)).toEqual(["Logs", "EcrAuth", "EcrPull", "Secrets", "Parameters"]);
    expect(s.find((x) => x.Sid === "Logs")!.Resource).toMatch(/^arn:aws:logs:ap-northeast-1:123456789012:log-group:web-task-logs-[0-9a-f]{7}:\*$/);
    // GetAuthorizationToken takes no resource: "*" is the only form AWS accepts.
    expect(s.find((x) => x.Sid === "EcrAuth")).toEqual({ Sid: "EcrAuth", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" });
    expect(s.find((x) => x.Sid === "EcrPull")!.Resource).toEqual(["arn:aws:ecr:ap-northeast-1:123456789012:repository/shop-web"]);
    expect(s.find((x) => x.Sid === "Secrets")!.Resource).toEqual([DD_KEY, DB_SECRET]);
    expect(s.find((x) => x.Sid === "Parameters")).toEqual({ Sid: "Parameters", Effect: "Allow", Action: "ssm:GetParameters", Resource: [PARAM] });
  });

  it("gives the task role nothing but ECS Exec's channel (and its audit log) unless given", async () => {
    const plan = await task({ executeCommandLogGroupArn: "arn:aws:logs:ap-northeast-1:123456789012:log-group:exec" });
    expect(statements(plan, "web-task-task-policy")).toEqual([
      {
        Sid: "EcsExec",
        Effect: "Allow",
        Action: ["ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"],
        Resource: "*",
      },
      {
        Sid: "EcsExecAudit",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
        Resource: "arn:aws:logs:ap-northeast-1:123456789012:log-group:exec:*",
      },
      { Sid: "EcsExecAuditLookup", Effect: "Allow", Action: "logs:DescribeLogGroups", Resource: "*" },
    ]);
    const none = await task({ enableExecuteCommand: false });
    expect(byType(none, "aws:iam/rolePolicy:RolePolicy").map((r) => r.name)).toEqual(["web-task-execution-policy"]);
  });

  it("has the roles assumed only by ECS tasks of this account", async () => {
    const plan = await task();
    for (const role of ["web-task-execution-role", "web-task-task-role"]) {
      expect(jsonInput(named(plan, role), "assumeRolePolicy")).toEqual({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "ecs-tasks.amazonaws.com" },
            Action: "sts:AssumeRole",
            Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
          },
        ],
      });
    }
  });

  it("skips ECR permissions for public images", () => {
    expect(ecrRepositoryArns(["public.ecr.aws/datadog/agent:7", "nginx:1", IMAGE, `${IMAGE}-other`])).toEqual([
      "arn:aws:ecr:ap-northeast-1:123456789012:repository/shop-web",
    ]);
  });

  it("keeps ECR's repositories sorted and once each, and takes no image for ECR that only contains an ECR address", () => {
    const other = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/shop-api:1";
    expect(ecrRepositoryArns([IMAGE, other, IMAGE])).toEqual([
      "arn:aws:ecr:ap-northeast-1:123456789012:repository/shop-api",
      "arn:aws:ecr:ap-northeast-1:123456789012:repository/shop-web",
    ]);
    expect(ecrRepositoryArns([`mirror.example.com/${IMAGE}`])).toEqual([]);
  });

  it("a public image and no secret: no ECR, secret or parameter statement; given task role statements come first", async () => {
    const plan = await task({
      container: { image: "public.ecr.aws/nginx/nginx:1.27" },
      taskRoleStatements: [{ Sid: "ReadUploads", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::shop-uploads/*" }],
    });
    expect(statements(plan, "web-task-execution-policy").map((x) => x.Sid)).toEqual(["Logs"]);
    // No exec log group given: the channel, and no audit statement.
    expect(statements(plan, "web-task-task-policy").map((x) => x.Sid)).toEqual(["ReadUploads", "EcsExec"]);
  });

  it("lets the execution role pull a sidecar's private image and read the log router's secrets", async () => {
    const router = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/fluent-bit:3";
    const plan = await task({ logRouter: { image: router, options: { Name: "datadog" }, secretOptions: { apikey: DD_KEY } } });
    const s = statements(plan, "web-task-execution-policy");
    expect(s.find((x) => x.Sid === "EcrPull")!.Resource).toEqual([
      "arn:aws:ecr:ap-northeast-1:123456789012:repository/fluent-bit",
      "arn:aws:ecr:ap-northeast-1:123456789012:repository/shop-web",
    ]);
    expect(s.find((x) => x.Sid === "Secrets")!.Resource).toEqual([DD_KEY]);
  });

  it("fills the sidecars' defaults: Datadog's US1 site, AWS's Fluent Bit image; a container without a port maps none", async () => {
    const plan = await task({
      container: { image: IMAGE, name: "web_app-1" },
      datadog: { apiKeySecretArn: DD_KEY, env: "prd", service: "web" },
      logRouter: { options: { Name: "datadog" } },
    });
    const defs = jsonInput<ContainerDefinition[]>(named(plan, "web-task-def"), "containerDefinitions");
    const byName: Record<string, ContainerDefinition | undefined> = Object.fromEntries(defs.map((d) => [d.name ?? "", d]));
    expect(byName["web_app-1"]!.portMappings ?? []).toEqual([]);
    expect(byName["datadog-agent"]!.environment).toContainEqual({ name: "DD_SITE", value: "datadoghq.com" });
    expect(byName["log-router"]!.image).toBe("public.ecr.aws/aws-observability/aws-for-fluent-bit:stable");
  });

  it("passes the container's entry point and health check through", async () => {
    const command = ["CMD-SHELL", "curl -f http://localhost:8080/healthz || exit 1"];
    const plan = await task({ container: { image: IMAGE, port: 8080, entryPoint: ["/usr/bin/tini", "--"], healthCheck: { command, startPeriodSeconds: 30 } } });
    const [app] = jsonInput<ContainerDefinition[]>(named(plan, "web-task-def"), "containerDefinitions");
    expect(app!.entryPoint).toEqual(["/usr/bin/tini", "--"]);
    expect(app!.healthCheck).toEqual({ command, interval: 10, timeout: 5, retries: 3, startPeriod: 30 });
  });

  it.each([
    ["port", 1, 65535],
    ["stopTimeoutSeconds", 2, 120],
  ] as const)("takes container.%s at its bounds %i and %i", async (field, low, high) => {
    for (const value of [low, high]) {
      const { message } = await planAttempt(() => {
        new FargateTaskDefinition("web-task", { family: "shop-web", cpu: 512, memory: 1024, container: { image: IMAGE, [field]: value } });
      });
      expect(message).toBeUndefined();
    }
  });

  it.each<[string, Partial<FargateTaskDefinitionArgs>, string]>([
    ["port 0", { container: { image: IMAGE, port: 0 } }, "container.port 0 is not a port (1-65535)"],
    ["port 65536", { container: { image: IMAGE, port: 65536 } }, "container.port 65536 is not a port (1-65535)"],
    ["a fractional port", { container: { image: IMAGE, port: 80.5 } }, "container.port 80.5 is not a port (1-65535)"],
    [
      "a stop timeout of 1 s",
      { container: { image: IMAGE, stopTimeoutSeconds: 1 } },
      "container.stopTimeoutSeconds 1 is out of range (2-120, Fargate's maximum)",
    ],
    [
      "a fractional stop timeout",
      { container: { image: IMAGE, stopTimeoutSeconds: 2.5 } },
      "container.stopTimeoutSeconds 2.5 is out of range (2-120, Fargate's maximum)",
    ],
    ["an empty container name", { container: { image: IMAGE, name: "" } }, 'container.name "" must be 1-255 letters, digits, - or _'],
    ["a container name with a space", { container: { image: IMAGE, name: "web app" } }, 'container.name "web app" must be 1-255 letters, digits, - or _'],
  ])("rejects %s", async (_case, extra, problem) => {
    const { message } = await planAttempt(() => {
      new FargateTaskDefinition("web-task", { family: "shop-web", cpu: 512, memory: 1024, container: { image: IMAGE }, ...extra });
    });
    expect(message).toBe(`FargateTaskDefinition "web-task": ${problem}`);
  });

  it.each<[string, Partial<FargateTaskDefinitionArgs>, string]>([
    ["a cpu Fargate lacks", { cpu: 300 }, "cpu 300 is not a Fargate CPU size; allowed: 256, 512, 1024, 2048, 4096, 8192, 16384"],
    ["a memory the cpu does not allow", { cpu: 256, memory: 4096 }, "memory 4096 is not allowed with cpu 256 (0.25 vCPU); allowed: 512, 1024, 2048"],
    ["a port out of range", { container: { image: IMAGE, port: 70000 } }, "container.port 70000 is not a port (1-65535)"],
    [
      "a stop timeout past Fargate's 120 s",
      { container: { image: IMAGE, stopTimeoutSeconds: 300 } },
      "container.stopTimeoutSeconds 300 is out of range (2-120, Fargate's maximum)",
    ],
    [
      "a plaintext token",
      { container: { image: IMAGE, environment: { GITHUB_TOKEN: "x" } } },
      "container.environment.GITHUB_TOKEN looks like a secret (its name says TOKEN); pass it in secrets as a Secrets Manager or SSM parameter ARN",
    ],
    [
      "a secret that is no ARN",
      { container: { image: IMAGE, secrets: { DB: "shop/db" } } },
      "container.secrets.DB a value that is not an ARN (7 characters, not repeated here: it may be the secret itself) is not a Secrets Manager secret ARN nor an SSM parameter ARN",
    ],
    ["a bad family", { family: "shop web" }, 'family "shop web" must be 1-255 letters, digits, - or _'],
    [
      "a malformed ARN, shown (an ARN is no secret)",
      { container: { image: IMAGE, secrets: { DB: "arn:aws:secretsmanager:ap-northeast-1:123:secret:db" } } },
      'container.secrets.DB "arn:aws:secretsmanager:ap-northeast-1:123:secret:db" is not a Secrets Manager secret ARN nor an SSM parameter ARN',
    ],
  ])("rejects %s", async (_case, extra, problem) => {
    const { message, plan } = await planAttempt(() => {
      new FargateTaskDefinition("web-task", { family: "shop-web", cpu: 512, memory: 1024, container: { image: IMAGE }, ...extra });
    });
    expect(message).toBe(`FargateTaskDefinition "web-task": ${problem}`);
    expect(plan.resources).toEqual([]);
  });
});

describe("FargateTaskDefinition: secrets in plain sight", () => {
  it.each([
    ["stripe_api_key", "sk", "API_KEY"],
    ["STRIPE_KEY_ID", "id", "KEY_ID"],
    ["API_CREDENTIALS", "c", "CREDENTIALS"],
    ["db_password", "p", "PASSWORD"],
    ["Github_Token", "t", "TOKEN"],
    ["SIGNING_KEY", "k", "KEY"],
  ])("a variable named %s is refused whatever its case or the word's place", async (name, value, word) => {
    const { message, plan } = await planAttempt(() => {
      new FargateTaskDefinition("web-task", { family: "shop-web", cpu: 512, memory: 1024, container: { image: IMAGE, environment: { [name]: value } } });
    });
    expect(message).toBe(
      `FargateTaskDefinition "web-task": container.environment.${name} looks like a secret (its name says ${word}); pass it in secrets as a Secrets Manager or SSM parameter ARN`,
    );
    expect(plan.resources).toEqual([]);
  });

  it("a bare KEY inside a name is no secret (CACHE_KEY_PREFIX); a URL with a password in it is, and the password is never repeated", async () => {
    const ok = await planAttempt(() => {
      new FargateTaskDefinition("web-task", {
        family: "shop-web",
        cpu: 512,
        memory: 1024,
        container: { image: IMAGE, environment: { CACHE_KEY_PREFIX: "shop:" } },
      });
    });
    expect(ok.message).toBeUndefined();
    const { message, plan } = await planAttempt(() => {
      new FargateTaskDefinition("web-task", {
        family: "shop-web",
        cpu: 512,
        memory: 1024,
        container: { image: IMAGE, environment: { DATABASE_URL: "postgres://app:s3cr3t-pw@db.internal:5432/shop" } },
      });
    });
    expect(message).toBe(
      'FargateTaskDefinition "web-task": container.environment.DATABASE_URL holds a URL with a password in it (not repeated here); pass it in secrets as a Secrets Manager or SSM parameter ARN',
    );
    expect(plan.resources).toEqual([]);
  });

  it("a password pasted where its ARN goes is refused without being repeated", async () => {
    const { message } = await planAttempt(() => {
      new FargateTaskDefinition("web-task", {
        family: "shop-web",
        cpu: 512,
        memory: 1024,
        container: { image: IMAGE, secrets: { DB_PASSWORD: "hunter2-Prod!" } },
      });
    });
    expect(message).toBe(
      'FargateTaskDefinition "web-task": container.secrets.DB_PASSWORD a value that is not an ARN (13 characters, not repeated here: it may be the secret itself) is not a Secrets Manager secret ARN nor an SSM parameter ARN',
    );
    expect(message).not.toContain("hunter2");
  });
});

describe("FargateTaskDefinition transform", () => {
  it("changes the task definition and the task role as asked, every other child as it was", async () => {
    const plan = await task({
      transform: {
        taskDefinition: { ephemeralStorage: { sizeInGib: 50 } },
        taskRole: (a) => {
          a.maxSessionDuration = 7200;
        },
      },
    });
    expect(named(plan, "web-task-def").inputs).toMatchObject({ ephemeralStorage: { sizeInGib: 50 }, family: "shop-web", cpu: "512" });
    expect(named(plan, "web-task-task-role").inputs.maxSessionDuration).toBe(7200);
    expect(named(plan, "web-task-execution-role").inputs.maxSessionDuration).toBeUndefined();
    expect(named(plan, "web-task-def").parent).toMatch(/::web-task$/);
  });
});
