import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A small ECS and CloudWatch Logs for the task and shell tools: it does what the real services do
 * with the requests those tools send, no more. RunTask checks what ECS checks (the task
 * definition exists, awsvpc needs a network, launchType or a capacity strategy, the override
 * names a container of the task definition, startedBy's characters); a task moves
 * PROVISIONING → PENDING → RUNNING → STOPPED one step per DescribeTasks, writing its script's log
 * lines while it runs; GetLogEvents pages forward with tokens like the real one (the same token at
 * the end of a stream, ResourceNotFoundException before the stream exists).
 */

/** An AWS error as the SDK raises it: its name, message and fault. */
export class FakeAwsError extends Error {
  readonly $fault = "client";
  readonly $metadata = { httpStatusCode: 400 };
  constructor(
    override readonly name: string,
    message: string,
  ) {
    super(message);
  }
}

/** What a started task does: its log lines, its exit code (undefined: it never ran), how many polls it runs. */
export interface TaskScript {
  readonly lines?: readonly string[];
  readonly exitCode?: number;
  readonly stopReason?: string;
  /** DescribeTasks answers RUNNING this many times before STOPPED. @default 2 */
  readonly runningPolls?: number;
  /** The task keeps running until it is stopped (a shell's `sleep`). */
  readonly untilStopped?: boolean;
  /** ECS Exec's agent reports PENDING this many looks after the task runs, as it starts after the container. @default 0 */
  readonly agentPendingPolls?: number;
  /** A sidecar container listed before the task's own, its agent running with the task (a Datadog agent, say). */
  readonly sidecar?: string;
}

interface FakeTask {
  readonly arn: string;
  readonly taskDefinitionArn: string;
  readonly container: string;
  readonly script: TaskScript;
  readonly request: Record<string, unknown>;
  status: string;
  polls: number;
  stoppedReason?: string;
  exitCode?: number;
}

type Json = Record<string, unknown>;

export interface FakeTaskDefinition {
  readonly arn: string;
  readonly container: string;
  /** Empty: the container has no log configuration (its output goes nowhere CloudWatch can show). */
  readonly logGroup: string;
  readonly streamPrefix: string;
  /** INACTIVE: deregistered; ECS still describes it and refuses to start a task from it. @default "ACTIVE" */
  readonly status?: "ACTIVE" | "INACTIVE";
  /** The container's image, as DescribeTaskDefinition answers it. @default none */
  readonly image?: string;
  /**
   * The task definition as it was registered (`containerDefinitions`, `executionRoleArn`...):
   * DescribeTaskDefinition answers it whole, with the ARN and status. @default the fields above
   */
  readonly registered?: Json;
}

const STATUSES = ["PROVISIONING", "PENDING", "RUNNING"] as const;
const LOG_PAGE = 2;

/**
 * A service. `desiredCount` / `runningCount` default to 1. A service of ECS's own rolling
 * deployments (no task set) moves one step per DescribeServices after an UpdateService: the new
 * deployment IN_PROGRESS, then COMPLETED with every task running (or FAILED with `failRollout`).
 */
export interface FakeService {
  taskDefinition: string;
  network: Json;
  /** Deployed by CodeDeploy: a PRIMARY task set, and UpdateService may not change its task definition. */
  taskSet: boolean;
  strategy: Json[];
  desiredCount?: number;
  runningCount?: number;
  rollout?: "IN_PROGRESS" | "COMPLETED" | "FAILED";
  /** The reason a rollout of this service fails (the circuit breaker's), when it should. */
  failRollout?: string;
  /** A rollout that never ends (tasks that never become healthy, no circuit breaker verdict yet). */
  stuck?: boolean;
  previousTaskDefinition?: string;
  /** The target group its tasks (with a task set: the PRIMARY one's) are registered with. @default none */
  targetGroupArn?: string;
  /** With a task set: CodeDeploy's deployment in progress has started a second (ACTIVE) one. @default false */
  replacementTaskSet?: boolean;
}

export class FakeEcs {
  readonly calls: { operation: string; input: Json }[] = [];
  readonly taskDefinitions: FakeTaskDefinition[] = [];
  /** By service name: its task definition, and a primary task set's when CodeDeploy deploys it. */
  readonly services = new Map<string, FakeService>();
  readonly tasks: FakeTask[] = [];
  readonly streams = new Map<string, { timestamp: number; message: string }[]>();
  /** Operations refused to the caller, as IAM would: `ecs:RunTask`. */
  readonly denied = new Set<string>();
  script: TaskScript = { lines: [], exitCode: 0 };
  /** Every rollout that completed, in order. */
  readonly rollouts: string[] = [];
  /** Scripts of the next tasks started, in order; `script` once they are used up. */
  readonly scripts: TaskScript[] = [];
  private next = 1;

  constructor(
    readonly region = "ap-northeast-1",
    readonly account = "222222222222",
    readonly cluster = "shop-stg",
  ) {}

  /** Answers one operation (`ecs:RunTask`, `logs:GetLogEvents`) as the service would, or throws its error. */
  handle(operation: string, input: Json): Json {
    this.calls.push({ operation, input });
    if (this.denied.has(operation)) {
      throw new FakeAwsError(
        "AccessDeniedException",
        `User: arn:aws:sts::${this.account}:assumed-role/developer/alice is not authorized to perform: ${operation} on resource: arn:aws:ecs:${this.region}:${this.account}:task-definition/* because no identity-based policy allows the ${operation} action`,
      );
    }
    switch (operation) {
      case "ecs:DescribeServices":
        return this.describeServices(input);
      case "ecs:UpdateService":
        return this.updateService(input);
      case "ecs:DescribeTaskDefinition":
        return this.describeTaskDefinition(input);
      case "ecs:RunTask":
        return this.runTask(input);
      case "ecs:DescribeTasks":
        return this.describeTasks(input);
      case "ecs:StopTask":
        return this.stopTask(input);
      case "logs:GetLogEvents":
        return this.getLogEvents(input);
      default:
        throw new FakeAwsError("UnknownOperationException", `${operation} is not served here`);
    }
  }

  private definition(ref: string): FakeTaskDefinition | undefined {
    // A family name means its latest active revision, as in ECS.
    return this.taskDefinitions.filter((d) => d.arn === ref || d.arn.split("/")[1]?.split(":")[0] === ref).at(-1);
  }

  private describeServices(input: Json): Json {
    const names = input.services as string[];
    const found = names.flatMap((n): Json[] => {
      const s = this.services.get(n);
      if (!s) return [];
      const loadBalancers = s.targetGroupArn ? [{ targetGroupArn: s.targetGroupArn, containerName: "app", containerPort: 8080 }] : [];
      const common = {
        serviceName: n,
        status: "ACTIVE",
        runningCount: s.runningCount ?? 1,
        desiredCount: s.desiredCount ?? 1,
        pendingCount: 0,
        deploymentController: { type: s.taskSet ? "CODE_DEPLOY" : "ECS" },
      };
      if (s.taskSet) {
        const set = { taskDefinition: s.taskDefinition, networkConfiguration: s.network, capacityProviderStrategy: s.strategy, loadBalancers };
        return [
          {
            ...common,
            taskSets: [{ status: "PRIMARY", ...set }, ...(s.replacementTaskSet ? [{ status: "ACTIVE", ...set }] : [])],
          },
        ];
      }
      const rollout = s.rollout ?? "COMPLETED";
      const deployments = [
        { status: "PRIMARY", taskDefinition: s.taskDefinition, rolloutState: rollout, ...(rollout === "FAILED" ? { rolloutStateReason: s.failRollout } : {}) },
        ...(rollout === "IN_PROGRESS" && s.previousTaskDefinition
          ? [{ status: "ACTIVE", taskDefinition: s.previousTaskDefinition, rolloutState: "COMPLETED" }]
          : []),
      ];
      const answer = {
        ...common,
        taskDefinition: s.taskDefinition,
        networkConfiguration: s.network,
        capacityProviderStrategy: s.strategy,
        deployments,
        ...(loadBalancers.length > 0 ? { loadBalancers } : {}),
      };
      this.step(s);
      return [answer];
    });
    const failures = names
      .filter((n) => !this.services.has(n))
      .map((n) => ({ arn: `arn:aws:ecs:${this.region}:${this.account}:service/${this.cluster}/${n}`, reason: "MISSING" }));
    return { services: found, failures };
  }

  /**
   * After a look: a rollout in progress first starts its tasks (running reaches desired, the old
   * deployment still there), then ends at the next look (completed, or failed by the circuit
   * breaker); outside a rollout the running count follows the desired one.
   */
  private step(s: FakeService): void {
    if (s.rollout === "IN_PROGRESS") {
      if (s.stuck) return;
      if (s.failRollout) {
        s.rollout = "FAILED";
        s.taskDefinition = s.previousTaskDefinition ?? s.taskDefinition;
        return;
      }
      if (s.runningCount !== (s.desiredCount ?? 1)) {
        s.runningCount = s.desiredCount ?? 1;
        return;
      }
      s.rollout = "COMPLETED";
      s.previousTaskDefinition = undefined;
      this.rollouts.push(`rollout of ${s.taskDefinition.split("/")[1]!} COMPLETED`);
      return;
    }
    s.runningCount = s.desiredCount ?? 1;
  }

  private updateService(input: Json): Json {
    const name = input.service as string;
    const s = this.services.get(name);
    if (!s) throw new FakeAwsError("ServiceNotFoundException", "Service not found.");
    const taskDefinition = input.taskDefinition as string | undefined;
    if (taskDefinition !== undefined) {
      if (s.taskSet)
        throw new FakeAwsError(
          "InvalidParameterException",
          "Unable to update task definition on services with a CODE_DEPLOY deployment controller. Use AWS CodeDeploy to trigger a new deployment.",
        );
      const d = this.definition(taskDefinition);
      if (!d) throw new FakeAwsError("ClientException", "TaskDefinition not found.");
      if (d.status === "INACTIVE") throw new FakeAwsError("ClientException", "TaskDefinition is inactive");
      if (d.arn !== s.taskDefinition) {
        s.previousTaskDefinition = s.taskDefinition;
        s.taskDefinition = d.arn;
        s.rollout = "IN_PROGRESS";
      }
    }
    const desired = input.desiredCount as number | undefined;
    if (desired !== undefined) {
      if (!Number.isInteger(desired) || desired < 0) throw new FakeAwsError("InvalidParameterException", "desiredCount must be a whole number, at least 0.");
      s.desiredCount = desired;
    }
    return { service: { serviceName: name, taskDefinition: s.taskDefinition, desiredCount: s.desiredCount ?? 1 } };
  }

  private describeTaskDefinition(input: Json): Json {
    const d = this.definition(input.taskDefinition as string);
    if (!d) throw new FakeAwsError("ClientException", "Unable to describe task definition.");
    if (d.registered) return { taskDefinition: { ...d.registered, taskDefinitionArn: d.arn, status: d.status ?? "ACTIVE" } };
    return {
      taskDefinition: {
        taskDefinitionArn: d.arn,
        status: d.status ?? "ACTIVE",
        containerDefinitions: [
          {
            name: d.container,
            ...(d.image ? { image: d.image } : {}),
            ...(d.logGroup
              ? { logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": d.logGroup, "awslogs-stream-prefix": d.streamPrefix } } }
              : {}),
          },
        ],
      },
    };
  }

  private runTask(input: Json): Json {
    const d = this.definition(input.taskDefinition as string);
    if (!d) throw new FakeAwsError("ClientException", "TaskDefinition not found.");
    if (d.status === "INACTIVE") throw new FakeAwsError("ClientException", "TaskDefinition is inactive");
    const startedBy = input.startedBy as string | undefined;
    if (startedBy !== undefined && !/^[A-Za-z0-9_/-]{1,128}$/.test(startedBy)) {
      throw new FakeAwsError(
        "InvalidParameterException",
        "startedBy may only contain letters, numbers, hyphens, forward slashes and underscores, up to 128 characters.",
      );
    }
    if (!(input.networkConfiguration as Json | undefined)?.awsvpcConfiguration) {
      throw new FakeAwsError("InvalidParameterException", "Network Configuration must be provided when networkMode 'awsvpc' is specified.");
    }
    if (input.launchType && input.capacityProviderStrategy) {
      throw new FakeAwsError("InvalidParameterException", "Specifying both a launch type and capacity provider strategy is not supported.");
    }
    for (const override of ((input.overrides as Json | undefined)?.containerOverrides ?? []) as Json[]) {
      if (override.name !== d.container)
        throw new FakeAwsError("InvalidParameterException", `Override for container named ${String(override.name)} is not a container in the TaskDefinition.`);
    }
    const arn = `arn:aws:ecs:${this.region}:${this.account}:task/${this.cluster}/${(this.next++).toString(16).padStart(32, "0")}`;
    const script = this.scripts.shift() ?? this.script;
    this.tasks.push({ arn, taskDefinitionArn: d.arn, container: d.container, script, request: input, status: "PROVISIONING", polls: 0 });
    return { tasks: [{ taskArn: arn, lastStatus: "PROVISIONING" }], failures: [] };
  }

  private task(arn: string): FakeTask {
    const task = this.tasks.find((t) => t.arn === arn);
    if (!task) throw new FakeAwsError("InvalidParameterException", "The referenced task was not found.");
    return task;
  }

  private describeTasks(input: Json): Json {
    const tasks = (input.tasks as string[]).map((arn) => {
      const t = this.task(arn);
      this.advance(t);
      const agent = (pending: number) =>
        t.status === "RUNNING" ? [{ name: "ExecuteCommandAgent", lastStatus: t.polls < pending ? "PENDING" : "RUNNING" }] : [];
      return {
        taskArn: t.arn,
        lastStatus: t.status,
        ...(t.stoppedReason ? { stoppedReason: t.stoppedReason } : {}),
        containers: [
          ...(t.script.sidecar ? [{ name: t.script.sidecar, managedAgents: agent(0) }] : []),
          {
            name: t.container,
            managedAgents: agent(t.script.agentPendingPolls ?? 0),
            ...(t.exitCode !== undefined ? { exitCode: t.exitCode } : {}),
            ...(t.status === "STOPPED" && t.script.exitCode === undefined ? { reason: t.script.stopReason } : {}),
          },
        ],
      };
    });
    return { tasks, failures: [] };
  }

  /** One step of the task's life per look at it. */
  private advance(t: FakeTask): void {
    if (t.status === "STOPPED") return;
    const s = t.script;
    if (t.status !== "RUNNING") {
      // As ECS: the task says it failed to start, its container says why (the script's reason).
      if (s.exitCode === undefined && !s.untilStopped && t.status === "PENDING") return this.stop(t, "Task failed to start");
      t.status = STATUSES[STATUSES.indexOf(t.status as (typeof STATUSES)[number]) + 1] ?? "RUNNING";
      if (t.status === "RUNNING") this.write(t, s.lines?.slice(0, 1) ?? []);
      return;
    }
    t.polls += 1;
    if (!s.untilStopped && t.polls >= (s.runningPolls ?? 2)) {
      this.write(t, s.lines?.slice(1) ?? []);
      t.exitCode = s.exitCode;
      this.stop(t, "Essential container in task exited");
    }
  }

  private stop(t: FakeTask, reason: string): void {
    t.status = "STOPPED";
    t.stoppedReason = reason;
  }

  private write(t: FakeTask, lines: readonly string[]): void {
    const d = this.definition(t.taskDefinitionArn)!;
    const key = `${d.logGroup}|${d.streamPrefix}/${d.container}/${t.arn.split("/").pop()}`;
    const events = this.streams.get(key) ?? [];
    for (const message of lines) events.push({ timestamp: Date.now(), message: `${message}\n` });
    this.streams.set(key, events);
  }

  private stopTask(input: Json): Json {
    const t = this.task(input.task as string);
    if (t.status !== "STOPPED") this.stop(t, (input.reason as string | undefined) ?? "Task stopped by user");
    return { task: { taskArn: t.arn, lastStatus: "STOPPED" } };
  }

  private getLogEvents(input: Json): Json {
    const events = this.streams.get(`${String(input.logGroupName)}|${String(input.logStreamName)}`);
    if (!events) throw new FakeAwsError("ResourceNotFoundException", "The specified log stream does not exist.");
    const token = input.nextToken as string | undefined;
    // Without a token, GetLogEvents starts at the stream's head only when asked to; otherwise it
    // answers its latest events.
    const from = token ? Number(token.replace(/^f\//, "")) : input.startFromHead === true ? 0 : Math.max(0, events.length - LOG_PAGE);
    const page = events.slice(from, from + LOG_PAGE);
    return { events: page, nextForwardToken: `f/${from + page.length}`, nextBackwardToken: `b/${from}` };
  }
}

const TARGETS: Record<string, string> = {
  AmazonEC2ContainerServiceV20141113: "ecs",
  Logs_20140328: "logs",
  AmazonEC2ContainerRegistry_V20150921: "ecr",
  secretsmanager: "secretsmanager",
  AmazonSSM: "ssm",
  CodeDeploy_20141006: "codedeploy",
  AnyScaleFrontendService: "application-autoscaling",
};

/** The query protocol's services, told apart by the API version they send. */
const QUERY_VERSIONS: Record<string, string> = { "2010-05-08": "iam", "2010-03-31": "sns", "2015-12-01": "elasticloadbalancing", "2016-11-15": "ec2" };

/** Answers one AWS operation (`ecs:RunTask`, `iam:SimulatePrincipalPolicy`) or throws the service's error. */
export type FakeHandler = (operation: string, input: Json) => Json;

/** IAM and SNS speak the query protocol: a form in, XML out. */
function queryRequest(body: string): { service: string; action: string; input: Json } {
  const form = new URLSearchParams(body);
  const input: Record<string, unknown> = {};
  for (const [key, value] of form) {
    const list = /^(\w+)\.member\.\d+$/.exec(key);
    // EC2's filters: Filter.1.Name=subnet-id, Filter.1.Value.1=subnet-a, ...
    const filter = /^Filter\.(\d+)\.(Name|Value\.\d+)$/.exec(key);
    if (list) input[list[1]!] = [...((input[list[1]!] as string[] | undefined) ?? []), value];
    else if (filter) {
      const filters = ((input.Filters as { Name: string; Values: string[] }[] | undefined) ??= []);
      const f = (filters[Number(filter[1]) - 1] ??= { Name: "", Values: [] });
      if (filter[2] === "Name") f.Name = value;
      else f.Values.push(value);
    } else if (key !== "Action" && key !== "Version") input[key] = value;
  }
  return { service: QUERY_VERSIONS[form.get("Version") ?? ""] ?? "iam", action: form.get("Action") ?? "", input };
}

const xmlEscape = (v: unknown) => String(v).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

function toXml(value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => `<member>${toXml(v)}</member>`).join("");
  if (value && typeof value === "object")
    return Object.entries(value)
      .map(([k, v]) => `<${k}>${toXml(v)}</${k}>`)
      .join("");
  return xmlEscape(value);
}

/** EC2's own XML: lowerCamel names, a list `Subnets` as `<subnetSet><item>`. */
function toEc2Xml(value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => `<item>${toEc2Xml(v)}</item>`).join("");
  if (value && typeof value === "object")
    return Object.entries(value)
      .map(([k, v]) => {
        const name = `${k[0]!.toLowerCase()}${k.slice(1)}`.replace(/s$/, Array.isArray(v) ? "Set" : "s");
        return `<${name}>${toEc2Xml(v)}</${name}>`;
      })
      .join("");
  return xmlEscape(value);
}

/**
 * Fakes as an AWS-compatible endpoint (`AWS_ENDPOINT_URL`): the JSON 1.1 protocol of ECS, CloudWatch
 * Logs, ECR, Secrets Manager, SSM, CodeDeploy and Application Auto Scaling, the query
 * protocol of IAM, SNS and Elastic Load Balancing, and EC2's.
 */
export async function serveFake(fake: FakeEcs | FakeHandler): Promise<{ endpoint: string; server: Server }> {
  const handle: FakeHandler = typeof fake === "function" ? fake : (operation, input) => fake.handle(operation, input);
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      if (String(req.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")) {
        const { service, action, input } = queryRequest(body);
        if (service === "ec2") {
          try {
            const result = handle(`ec2:${action}`, input);
            res.writeHead(200, { "content-type": "text/xml" });
            res.end(`<${action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>fake</requestId>${toEc2Xml(result)}</${action}Response>`);
          } catch (error) {
            const e = error as Error;
            res.writeHead(400, { "content-type": "text/xml" });
            res.end(
              `<Response><Errors><Error><Code>${e.name}</Code><Message>${xmlEscape(e.message)}</Message></Error></Errors><RequestID>fake</RequestID></Response>`,
            );
          }
          return;
        }
        try {
          const result = handle(`${service}:${action}`, input);
          res.writeHead(200, { "content-type": "text/xml" });
          res.end(
            `<${action}Response xmlns="https://${service}.amazonaws.com/doc/"><${action}Result>${toXml(result)}</${action}Result><ResponseMetadata><RequestId>fake</RequestId></ResponseMetadata></${action}Response>`,
          );
        } catch (error) {
          const e = error as Error;
          res.writeHead(e.name.startsWith("Throttl") ? 400 : e.name === "AccessDeniedException" ? 403 : 404, { "content-type": "text/xml" });
          res.end(
            `<ErrorResponse xmlns="https://${service}.amazonaws.com/doc/"><Error><Type>Sender</Type><Code>${e.name.replace(/Exception$/, "")}</Code><Message>${xmlEscape(e.message)}</Message></Error><RequestId>fake</RequestId></ErrorResponse>`,
          );
        }
        return;
      }
      const [prefix, action] = String(req.headers["x-amz-target"] ?? "").split(".");
      const reply = (status: number, json: Json) => {
        res.writeHead(status, { "content-type": "application/x-amz-json-1.1" });
        res.end(JSON.stringify(json));
      };
      try {
        reply(200, handle(`${TARGETS[prefix ?? ""] ?? prefix}:${action}`, JSON.parse(body || "{}") as Json));
      } catch (error) {
        const e = error as Error;
        reply(400, { __type: e.name, message: e.message });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}
