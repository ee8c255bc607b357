import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type LogRetentionDays, retentionProblems } from "../aws-limits";
import { InfraComponent, type Transform } from "../component";
import { notAShortName, type Problem, SHORT_NAME, throwIfProblems, under, notOneOf } from "../problems";
import { policyJson, serviceTrustPolicy, STAR_ONLY } from "../iam";
import {
  type AppContainerSpec,
  buildContainerDefinitions,
  type ContainerHealthCheck,
  type DatadogSidecarSpec,
  type LogRouterSpec,
  plaintextSecretProblems,
  secretArnProblem,
  secretArnsOf,
  secretResources,
} from "./container";
import { CPU_ARCHITECTURES, type CpuArchitecture, cpuMemoryProblems, stopTimeoutProblem } from "./fargate";

/** The application container of a task. */
export interface AppContainerArgs {
  /** Image reference, e.g. `<account>.dkr.ecr.<region>.amazonaws.com/web:1.4.2`. */
  readonly image: pulumi.Input<string>;
  /** Container name. @default "app" */
  readonly name?: string;
  /** The port the app listens on (1-65535). @default none (a worker listens on nothing) */
  readonly port?: number;
  /** Overrides the image's CMD. @default the image's */
  readonly command?: readonly string[];
  /** Overrides the image's ENTRYPOINT. @default the image's */
  readonly entryPoint?: readonly string[];
  /** Plaintext variables; a name that looks secret (`DB_PASSWORD`, `stripe_api_key`, ...) or a URL with a password is refused. @default {} */
  readonly environment?: Readonly<Record<string, pulumi.Input<string>>>;
  /**
   * Variable → ARN of a Secrets Manager secret or SSM parameter; only these are readable. An ARN
   * given as text is checked at once; one given as an output comes from a resource.
   * @default {}
   */
  readonly secrets?: Readonly<Record<string, pulumi.Input<string>>>;
  /** Container health check. @default none (the load balancer's check decides) */
  readonly healthCheck?: ContainerHealthCheck;
  /** Seconds between SIGTERM and SIGKILL (2-120, Fargate's maximum). @default 30 */
  readonly stopTimeoutSeconds?: number;
  /** Mount the root filesystem read-only. @default false */
  readonly readonlyRootFilesystem?: boolean;
}

/** The Datadog agent sidecar. */
export interface DatadogSidecarArgs {
  /** ARN of the secret holding the Datadog API key. */
  readonly apiKeySecretArn: string;
  /** Unified service tags. */
  readonly env: string;
  readonly service: string;
  /** @default "datadoghq.com" */
  readonly site?: string;
  /** @default "public.ecr.aws/datadog/agent:7" */
  readonly image?: string;
}

/** The FireLens log router sidecar. */
export interface LogRouterArgs {
  /** Fluent Bit output options (`Name`, `Host`, ...) of the app's `awsfirelens` log driver. */
  readonly options: Readonly<Record<string, string>>;
  /** Output option → secret ARN (API keys). @default {} */
  readonly secretOptions?: Readonly<Record<string, string>>;
  /** @default "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable" */
  readonly image?: string;
}

/** Arguments of a {@link FargateTaskDefinition}. */
export interface FargateTaskDefinitionArgs {
  /** Task definition family (1-255 letters, digits, `-`, `_`); revisions accumulate under it. */
  readonly family: string;
  /** CPU units: 256, 512, 1024, 2048, 4096, 8192 or 16384. */
  readonly cpu: number;
  /** Memory in MiB, one Fargate allows for `cpu`. */
  readonly memory: number;
  /** The CPU architecture of the tasks. @default "ARM64" (Graviton: cheaper for the same work) */
  readonly architecture?: CpuArchitecture;
  /** The app container. */
  readonly container: AppContainerArgs;
  /** A Datadog agent sidecar. @default no Datadog agent */
  readonly datadog?: DatadogSidecarArgs;
  /** A FireLens log router sidecar. @default no log router: the app logs to CloudWatch Logs */
  readonly logRouter?: LogRouterArgs;
  /** Days the containers' logs are kept. @default 30 */
  readonly logRetentionInDays?: LogRetentionDays;
  /** Statements of the task role: what the app itself may do. @default none */
  readonly taskRoleStatements?: readonly aws.iam.PolicyStatement[];
  /**
   * Lets ECS Exec open sessions into the task: the task role gets the four `ssmmessages`
   * actions the SSM agent needs (they take no resource, so `*`).
   * @default true
   */
  readonly enableExecuteCommand?: boolean;
  /**
   * The cluster's ECS Exec audit log group (`Cluster.execLogGroupArn`): the SSM agent writes each
   * session there with the task role, which then gets exactly that permission.
   * @default none (sessions are not logged by the task)
   */
  readonly executeCommandLogGroupArn?: pulumi.Input<string>;
  /**
   * Variants of the task by name: one task definition each, family `<family>-<variant>`,
   * identical but for these variables (set over `container.environment`); the roles and the
   * log group are shared. The colours of a blue/green worker group use it: `{ blue: {
   * REDIS_NAMESPACE: "back-blue" }, green: { ... } }`. The first variant is `taskDefinitionArn`.
   * @default none: one task definition, family `<family>`
   */
  readonly variants?: Readonly<Record<string, Readonly<Record<string, pulumi.Input<string>>>>>;
  /** Tags of every child. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  /** Changes to the args of its children before they are created (see {@link Transform}; `taskDefinition` applies to each variant). @default none */
  readonly transform?: TaskDefinitionTransform;
}

/** The children of a {@link FargateTaskDefinition} a caller may transform. */
export interface TaskDefinitionTransform {
  readonly taskDefinition?: Transform<aws.ecs.TaskDefinitionArgs>;
  readonly logGroup?: Transform<aws.cloudwatch.LogGroupArgs>;
  readonly executionRole?: Transform<aws.iam.RoleArgs>;
  readonly taskRole?: Transform<aws.iam.RoleArgs>;
  /** The execution role's policy: pull the images, read the secrets, write the logs. */
  readonly executionPolicy?: Transform<aws.iam.RolePolicyArgs>;
  /** The task role's policy (when it has statements). */
  readonly taskPolicy?: Transform<aws.iam.RolePolicyArgs>;
}

/** Validated args, with every default filled. */
export interface NormalizedTaskDefinitionArgs {
  readonly family: string;
  readonly cpu: number;
  readonly memory: number;
  readonly architecture: CpuArchitecture;
  readonly image: pulumi.Input<string>;
  readonly app: Omit<AppContainerSpec, "image" | "environment" | "secrets">;
  readonly environment: Readonly<Record<string, pulumi.Input<string>>>;
  readonly secrets: Readonly<Record<string, pulumi.Input<string>>>;
  readonly datadog?: DatadogSidecarSpec;
  readonly logRouter?: LogRouterSpec;
  readonly logRetentionInDays: LogRetentionDays;
  readonly taskRoleStatements: readonly aws.iam.PolicyStatement[];
  readonly enableExecuteCommand: boolean;
  readonly executeCommandLogGroupArn?: pulumi.Input<string>;
  /** Variant name → its own variables; `{ "": {} }` when the task has no variant. */
  readonly variants: Readonly<Record<string, Readonly<Record<string, pulumi.Input<string>>>>>;
  readonly tags: Readonly<Record<string, string>>;
  readonly transform: TaskDefinitionTransform;
}

/** The Datadog agent's image when a sidecar names none. */
export const DATADOG_AGENT_IMAGE = "public.ecr.aws/datadog/agent:7";

const FAMILY = /^[A-Za-z0-9_-]{1,255}$/;
const CONTAINER_NAME = /^[A-Za-z0-9_-]{1,255}$/;

/** Every problem of a task's args, each naming the argument; empty when they are usable. */
export function taskDefinitionProblems(args: FargateTaskDefinitionArgs): Problem[] {
  const problems: Problem[] = [];
  const c = args.container;
  if (!FAMILY.test(args.family)) problems.push({ field: "family", message: `${JSON.stringify(args.family)} must be 1-255 letters, digits, - or _` });
  problems.push(...cpuMemoryProblems(args.cpu, args.memory));
  if (args.architecture !== undefined && !CPU_ARCHITECTURES.includes(args.architecture)) {
    problems.push({ field: "architecture", message: notOneOf(args.architecture, CPU_ARCHITECTURES) });
  }
  if (c.name !== undefined && !CONTAINER_NAME.test(c.name))
    problems.push({ field: "container.name", message: `${JSON.stringify(c.name)} must be 1-255 letters, digits, - or _` });
  if (c.port !== undefined && (!Number.isInteger(c.port) || c.port < 1 || c.port > 65535))
    problems.push({ field: "container.port", message: `${c.port} is not a port (1-65535)` });
  const stop = c.stopTimeoutSeconds === undefined ? undefined : stopTimeoutProblem(c.stopTimeoutSeconds);
  if (stop) problems.push({ field: "container.stopTimeoutSeconds", message: stop });
  problems.push(...under("container.environment", plaintextSecretProblems(c.environment ?? {})));
  for (const [name, arn] of Object.entries(c.secrets ?? {})) {
    const problem = typeof arn === "string" ? secretArnProblem(arn) : undefined;
    if (problem) problems.push({ field: `container.secrets.${name}`, message: problem });
  }
  if (args.datadog) {
    const problem = secretArnProblem(args.datadog.apiKeySecretArn);
    if (problem) problems.push({ field: "datadog.apiKeySecretArn", message: problem });
  }
  for (const [name, arn] of Object.entries(args.logRouter?.secretOptions ?? {})) {
    const problem = secretArnProblem(arn);
    if (problem) problems.push({ field: `logRouter.secretOptions.${name}`, message: problem });
  }
  problems.push(...retentionProblems("logRetentionInDays", args.logRetentionInDays));
  problems.push(...variantProblems(args.family, args.variants));
  return problems;
}

/** Variants: named like a family's suffix, within the family's length, their variables not secrets. */
function variantProblems(family: string, variants: FargateTaskDefinitionArgs["variants"]): Problem[] {
  if (variants === undefined) return [];
  const names = Object.keys(variants);
  if (names.length === 0) return [{ field: "variants", message: "is empty; leave it out for one task definition" }];
  return names.flatMap((name) => {
    const field = `variants.${name}`;
    if (!SHORT_NAME.test(name)) return [{ field, message: notAShortName("variant") }];
    const problems = under(`${field}.environment`, plaintextSecretProblems(variants[name]!));
    if (family.length + 1 + name.length > 255) problems.push({ field, message: `makes the family ${family}-${name} longer than 255 characters` });
    return problems;
  });
}

/** What a task definition gets when its args leave these unset (every ECS workload's task). */
export const TASK_DEFAULTS = { architecture: "ARM64", enableExecuteCommand: true } as const satisfies Required<
  Pick<FargateTaskDefinitionArgs, "architecture" | "enableExecuteCommand">
>;

/** Validates and fills defaults; throws one error listing every problem, naming the component. */
export function normalizeTaskDefinitionArgs(name: string, args: FargateTaskDefinitionArgs): NormalizedTaskDefinitionArgs {
  throwIfProblems("FargateTaskDefinition", name, taskDefinitionProblems(args));
  const c = args.container;
  return {
    family: args.family,
    cpu: args.cpu,
    memory: args.memory,
    architecture: args.architecture ?? TASK_DEFAULTS.architecture,
    image: c.image,
    environment: c.environment ?? {},
    secrets: c.secrets ?? {},
    app: {
      name: c.name ?? "app",
      ...(c.port !== undefined ? { port: c.port } : {}),
      ...(c.command ? { command: c.command } : {}),
      ...(c.entryPoint ? { entryPoint: c.entryPoint } : {}),
      ...(c.healthCheck ? { healthCheck: c.healthCheck } : {}),
      stopTimeoutSeconds: c.stopTimeoutSeconds ?? 30,
      readonlyRootFilesystem: c.readonlyRootFilesystem ?? false,
    },
    ...(args.datadog
      ? {
          datadog: {
            apiKeySecretArn: args.datadog.apiKeySecretArn,
            env: args.datadog.env,
            service: args.datadog.service,
            site: args.datadog.site ?? "datadoghq.com",
            image: args.datadog.image ?? DATADOG_AGENT_IMAGE,
          },
        }
      : {}),
    ...(args.logRouter
      ? {
          logRouter: {
            options: args.logRouter.options,
            secretOptions: args.logRouter.secretOptions ?? {},
            image: args.logRouter.image ?? "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable",
          },
        }
      : {}),
    logRetentionInDays: args.logRetentionInDays ?? 30,
    taskRoleStatements: args.taskRoleStatements ?? [],
    enableExecuteCommand: args.enableExecuteCommand ?? TASK_DEFAULTS.enableExecuteCommand,
    ...(args.executeCommandLogGroupArn ? { executeCommandLogGroupArn: args.executeCommandLogGroupArn } : {}),
    variants: args.variants ?? { "": {} },
    tags: args.tags ?? {},
    transform: args.transform ?? {},
  };
}

const ECR_IMAGE = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com\/([^:@]+)/;

/** ARNs of the private ECR repositories these images come from (public images need no permission). */
export function ecrRepositoryArns(images: readonly string[]): string[] {
  const arns = images.flatMap((image) => {
    const m = ECR_IMAGE.exec(image);
    return m ? [`arn:aws:ecr:${m[2]}:${m[1]}:repository/${m[3]}`] : [];
  });
  return [...new Set(arns)].sort();
}

/**
 * A Fargate task definition and what it needs: its log group, an execution role that can pull
 * its images and read exactly its secrets, and a task role with no permission unless given.
 * Every ECS workload of the library (web services, workers, batches) builds its task with it.
 */
export class FargateTaskDefinition extends InfraComponent {
  /** The revision ARN (the first variant's when there are variants). */
  public readonly taskDefinitionArn: pulumi.Output<string>;
  /** The family (the first variant's when there are variants). */
  public readonly family: string;
  /** The app container's name. */
  public readonly containerName: string;
  /** The port the app container listens on, when it has one. */
  public readonly containerPort: number | undefined;
  /** The containers' log group. */
  public readonly logGroupName: pulumi.Output<string>;
  /** The execution role: pulls the images, writes the logs, reads the secrets. */
  public readonly executionRoleArn: pulumi.Output<string>;
  /** The task role: what the app itself may do. */
  public readonly taskRoleArn: pulumi.Output<string>;
  /** Per variant (none: empty), its task definition ARN and family. */
  public readonly variants: Readonly<Record<string, { readonly taskDefinitionArn: pulumi.Output<string>; readonly family: string }>>;

  constructor(name: string, args: FargateTaskDefinitionArgs, opts?: pulumi.ComponentResourceOptions) {
    const n = normalizeTaskDefinitionArgs(name, args);
    super("infra:ecs:FargateTaskDefinition", name, opts);
    this.containerName = n.app.name;
    this.containerPort = n.app.port;

    const logGroup = this.child(aws.cloudwatch.LogGroup, "logs", { retentionInDays: n.logRetentionInDays, tags: n.tags }, n.transform.logGroup);
    const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
    const region = aws.getRegionOutput({}, { parent: this }).region;
    const executionRole = this.createExecutionRole(n, logGroup, account);
    const taskRole = this.createTaskRole(n, account);

    const definitions = Object.entries(n.variants).map(([variant, variables]) => {
      const family = variant === "" ? n.family : `${n.family}-${variant}`;
      const environment = pulumi.output({ ...n.environment, ...variables });
      const containerDefinitions = pulumi
        .all([n.image, logGroup.name, region, environment, pulumi.output(n.secrets)])
        .apply(([image, logGroupName, r, env, secrets]) =>
          JSON.stringify(
            buildContainerDefinitions({
              app: { ...n.app, image, environment: env, secrets },
              logGroupName,
              region: r,
              ...(n.datadog ? { datadog: n.datadog } : {}),
              ...(n.logRouter ? { logRouter: n.logRouter } : {}),
            }),
          ),
        );
      const definition = this.child(
        aws.ecs.TaskDefinition,
        variant === "" ? "def" : `def-${variant}`,
        {
          family,
          requiresCompatibilities: ["FARGATE"],
          networkMode: "awsvpc",
          cpu: String(n.cpu),
          memory: String(n.memory),
          runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: n.architecture },
          executionRoleArn: executionRole.arn,
          taskRoleArn: taskRole.arn,
          containerDefinitions,
          // Every change replaces a task definition, and the provider's delete deregisters the old
          // revision (INACTIVE: ECS starts no task from it) at the end of the up. A rollback, a
          // drain and a one-off task of the old colour all need the revisions before: keep them.
          skipDestroy: true,
          tags: n.tags,
        },
        n.transform.taskDefinition,
      );
      return [variant, { taskDefinitionArn: definition.arn, family }] as const;
    });
    this.taskDefinitionArn = definitions[0]![1].taskDefinitionArn;
    this.family = definitions[0]![1].family;
    this.variants = Object.fromEntries(definitions.filter(([variant]) => variant !== ""));
    this.logGroupName = logGroup.name;
    this.executionRoleArn = executionRole.arn;
    this.taskRoleArn = taskRole.arn;
    this.registerOutputs({ taskDefinitionArn: this.taskDefinitionArn, family: this.family });
  }

  /** Pulls the images, writes the logs, reads exactly the listed secrets: nothing else. */
  private createExecutionRole(n: NormalizedTaskDefinitionArgs, logGroup: aws.cloudwatch.LogGroup, account: pulumi.Output<string>): aws.iam.Role {
    const role = this.child(
      aws.iam.Role,
      "execution-role",
      { assumeRolePolicy: serviceTrustPolicy("ecs-tasks.amazonaws.com", account), tags: n.tags },
      n.transform.executionRole,
    );
    const sidecarImages = [n.datadog?.image, n.logRouter?.image].filter((i): i is string => i !== undefined);
    const policy = pulumi.all([n.image, logGroup.arn, pulumi.output(n.secrets)]).apply(([image, logGroupArn, secrets]) => {
      const { secretsManager, ssm } = secretResources(
        secretArnsOf({
          app: { ...n.app, image, environment: {}, secrets },
          ...(n.datadog ? { datadog: n.datadog } : {}),
          ...(n.logRouter ? { logRouter: n.logRouter } : {}),
        }),
      );
      const repositories = ecrRepositoryArns([image, ...sidecarImages]);
      const statements: aws.iam.PolicyStatement[] = [
        { Sid: "Logs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${logGroupArn}:*` },
      ];
      if (repositories.length > 0) {
        // GetAuthorizationToken has no resource-level permission: AWS requires "*".
        statements.push({ Sid: "EcrAuth", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" });
        statements.push({
          Sid: "EcrPull",
          Effect: "Allow",
          Action: ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
          Resource: repositories,
        });
      }
      if (secretsManager.length > 0) statements.push({ Sid: "Secrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: secretsManager });
      if (ssm.length > 0) statements.push({ Sid: "Parameters", Effect: "Allow", Action: "ssm:GetParameters", Resource: ssm });
      return JSON.stringify({ Version: "2012-10-17", Statement: statements });
    });
    this.child(aws.iam.RolePolicy, "execution-policy", { role: role.id, policy }, n.transform.executionPolicy);
    return role;
  }

  /** What the app itself may do: the given statements, plus ECS Exec's channel when on. */
  private createTaskRole(n: NormalizedTaskDefinitionArgs, account: pulumi.Output<string>): aws.iam.Role {
    const role = this.child(
      aws.iam.Role,
      "task-role",
      { assumeRolePolicy: serviceTrustPolicy("ecs-tasks.amazonaws.com", account), tags: n.tags },
      n.transform.taskRole,
    );
    const statements: aws.iam.PolicyStatement[] = [...n.taskRoleStatements];
    if (n.enableExecuteCommand) {
      statements.push({
        Sid: "EcsExec",
        Effect: "Allow",
        // The SSM agent's channel actions take no resource: AWS requires "*".
        Action: [...STAR_ONLY.ecsExecChannels],
        Resource: "*",
      });
      if (n.executeCommandLogGroupArn) {
        statements.push({
          Sid: "EcsExecAudit",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          Resource: pulumi.interpolate`${n.executeCommandLogGroupArn}:*`,
        });
        // The agent checks that the group exists; DescribeLogGroups takes no resource: AWS requires "*".
        statements.push({ Sid: "EcsExecAuditLookup", Effect: "Allow", Action: "logs:DescribeLogGroups", Resource: "*" });
      }
    }
    if (statements.length > 0) {
      this.child(
        aws.iam.RolePolicy,
        "task-policy",
        { role: role.id, policy: policyJson({ Version: "2012-10-17", Statement: statements }) },
        n.transform.taskPolicy,
      );
    }
    return role;
  }
}
