import * as pulumi from "@pulumi/pulumi";
import { InfraComponent } from "../component";
import { Redis, type RedisArgs, redisProblems } from "../data/redis";
import type { ServiceClusterRef, ServiceTransform } from "../ecs/service-base";
import type { CapacityProviderStrategyItem } from "../ecs/capacity";
import type { FargateTaskDefinitionArgs } from "../ecs/task-definition";
import { BlueGreenWorkers } from "../ecs/blue-green-workers";
import type { Colour } from "../ecs/service-base";
import { type WorkerAutoscalingArgs, WorkerService, type WorkerServiceArgs, workerSettingsProblems } from "../ecs/worker-service";
import { notAShortName, type Problem, SHORT_NAME, throwIfProblems, under } from "../problems";

/** The task of a job process; the platform adds the Redis variables and secret. */
export type JobTaskArgs = Omit<FargateTaskDefinitionArgs, "tags" | "executeCommandLogGroupArn">;

/** A group of worker tasks. */
export interface WorkerGroupArgs {
  readonly task: JobTaskArgs;
  /** @default 1 */
  readonly desiredCount?: number;
  /** @default none */
  readonly autoscaling?: WorkerAutoscalingArgs;
  /** FARGATE_SPOT allowed. @default FARGATE only */
  readonly capacityProviderStrategy?: readonly CapacityProviderStrategyItem[];
  /** Seconds to finish the current job after SIGTERM (at most 120). @default 60 */
  readonly stopTimeoutSeconds?: number;
  /**
   * Released blue/green with the web service that enqueues into it (back workers only): two
   * colours, each on its own namespace (`<back>-blue`, `<back>-green`), see {@link BlueGreenWorkers}.
   * @default false: a rolling service on the `back` namespace
   */
  readonly blueGreen?: boolean;
  /** Changes to the args of the group's service(s) and security group (see {@link ServiceTransform}; the task's: `task.transform`). @default none */
  readonly transform?: ServiceTransform;
}

/**
 * The scheduler: it only enqueues periodic jobs. Its count and capacity are fixed (1, on-demand
 * Fargate); the fields exist so that a caller who sets them is told why they cannot change.
 */
export interface SchedulerArgs {
  readonly task: JobTaskArgs;
  /** Always 1: two schedulers would both enqueue outside a rolling update. */
  readonly desiredCount?: 1;
  /** Always on-demand: a Spot interruption would leave no scheduler. */
  readonly spot?: false;
  /** @default 60 */
  readonly stopTimeoutSeconds?: number;
  /** Changes to the args of the scheduler's service and security group (see {@link ServiceTransform}). @default none */
  readonly transform?: ServiceTransform;
}

/** Redis namespaces (key prefixes) of the two kinds of job. */
export interface JobNamespaces {
  /** Jobs the web service enqueues. @default "back" */
  readonly back?: string;
  /** Jobs the scheduler enqueues. @default "periodic" */
  readonly periodic?: string;
}

/** Arguments of a {@link JobPlatform}. */
export interface JobPlatformArgs {
  /** Prefix of the services' names: `<prefix>-scheduler`, `<prefix>-back-<group>`, ... */
  readonly namePrefix: string;
  /** The cluster the workers and the scheduler run in. */
  readonly cluster: ServiceClusterRef;
  /** The VPC of the tasks and the cache. */
  readonly vpcId: pulumi.Input<string>;
  /** Private subnets of the tasks. */
  readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** Isolated subnets of the cache. */
  readonly dataSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** The cache's settings. @default one valkey node, with Redis's defaults */
  readonly redis?: Omit<RedisArgs, "vpcId" | "subnetIds" | "tags">;
  /** The Redis namespaces of the two kinds of job. @default { back: "back", periodic: "periodic" } */
  readonly namespaces?: JobNamespaces;
  /** Back workers by group name; they process the `back` namespace. */
  readonly backWorkers: Readonly<Record<string, WorkerGroupArgs>>;
  /** The one task that enqueues the periodic jobs. */
  readonly scheduler: SchedulerArgs;
  /** Periodic workers by group name; they process the `periodic` namespace. @default {} */
  readonly periodicWorkers?: Readonly<Record<string, WorkerGroupArgs>>;
  /** Tags of every child. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  /**
   * What every worker and the scheduler wait for before they roll to a new revision: a release's
   * migration, so that no new code runs on an old schema. The scheduler also waits for the
   * workers, so that no job is enqueued that only new workers can run. @default nothing
   */
  readonly rolloutAfter?: pulumi.Input<pulumi.Input<pulumi.Resource>[]>;
}

/** The variables a job process (or a client that enqueues) receives. */
export const REDIS_URL = "REDIS_URL";
export const REDIS_NAMESPACE = "REDIS_NAMESPACE";
export const REDIS_AUTH_TOKEN = "REDIS_AUTH_TOKEN";
const INJECTED = [REDIS_URL, REDIS_NAMESPACE, REDIS_AUTH_TOKEN];

const NAMESPACE = /^[A-Za-z0-9:_-]{1,64}$/;

/** The scheduler's fixed rolling-update settings: never zero schedulers, at most two for a moment. */
export const SCHEDULER_DEPLOYMENT = { desiredCount: 1, minimumHealthyPercent: 100, maximumPercent: 200 } as const;

function groupProblems(kind: string, groups: Readonly<Record<string, WorkerGroupArgs>>): Problem[] {
  return Object.entries(groups).flatMap(([group, g]) => {
    const problems: Problem[] = [];
    if (!SHORT_NAME.test(group)) problems.push({ field: `${kind}.${group}`, message: notAShortName("group") });
    // The scheduler enqueues periodic jobs and rolls: there is no colour for them to follow.
    if (g.blueGreen && kind !== "backWorkers")
      problems.push({ field: `${kind}.${group}.blueGreen`, message: "only back workers go blue/green (they follow the web service that enqueues into them)" });
    problems.push(...injectedProblems(`${kind}.${group}`, g.task));
    problems.push(...under(`${kind}.${group}`, workerSettingsProblems(g)));
    return problems;
  });
}

/** A job task may not set the variables the platform provides (its value would be lost). */
export function injectedProblems(field: string, task: { readonly container: { readonly environment?: object; readonly secrets?: object } }): Problem[] {
  const given = [...Object.keys(task.container.environment ?? {}), ...Object.keys(task.container.secrets ?? {})];
  return given
    .filter((name) => INJECTED.includes(name))
    .map((name) => ({ field: `${field}.task.container`, message: `sets ${name}, which the platform provides` }));
}

/** The namespaces a platform uses when its args name none. */
export const NAMESPACE_DEFAULTS = { back: "back", periodic: "periodic" } as const satisfies Required<JobNamespaces>;

/** Problems of the namespaces: well-formed, and different (shared keys would mix the two kinds of job). */
export function namespaceProblems(namespaces: JobNamespaces | undefined): Problem[] {
  const problems: Problem[] = [];
  const back = namespaces?.back ?? NAMESPACE_DEFAULTS.back;
  const periodic = namespaces?.periodic ?? NAMESPACE_DEFAULTS.periodic;
  for (const [field, ns] of [
    ["namespaces.back", back],
    ["namespaces.periodic", periodic],
  ] as const) {
    if (!NAMESPACE.test(ns)) problems.push({ field, message: `${JSON.stringify(ns)} must be 1-64 letters, digits, :, _ or -` });
  }
  // Shared keys would let a release of the back workers touch the schedule.
  if (back === periodic) problems.push({ field: "namespaces.periodic", message: `${JSON.stringify(periodic)} is the back namespace too; the two must differ` });
  return problems;
}

/** Problems of the scheduler's fixed settings: what a caller may not change, and why. */
export function schedulerProblems(scheduler: { readonly desiredCount?: unknown; readonly spot?: unknown }): Problem[] {
  const problems: Problem[] = [];
  if (scheduler.desiredCount !== undefined && scheduler.desiredCount !== 1) {
    problems.push({
      field: "desiredCount",
      message: `${JSON.stringify(scheduler.desiredCount)}: the scheduler runs exactly 1 task (two would enqueue every tick twice outside a rolling update)`,
    });
  }
  if (scheduler.spot !== undefined && scheduler.spot !== false) {
    problems.push({
      field: "spot",
      message: "the scheduler runs on on-demand Fargate only (a Spot interruption would leave no scheduler and skip ticks)",
    });
  }
  return problems;
}

/** Every problem of the platform's args, each naming the argument. */
export function jobPlatformProblems(args: JobPlatformArgs): Problem[] {
  return [
    ...namespaceProblems(args.namespaces),
    ...under("redis", redisProblems(args.redis ?? {})),
    ...groupProblems("backWorkers", args.backWorkers),
    ...groupProblems("periodicWorkers", args.periodicWorkers ?? {}),
    ...under("scheduler", schedulerProblems(args.scheduler)),
    ...injectedProblems("scheduler", args.scheduler.task),
  ];
}

/**
 * Asynchronous work on one Redis: back workers (jobs the web service enqueues, namespace
 * `back`), and the scheduler / worker split (one scheduler that only enqueues periodic jobs,
 * periodic workers that run them, namespace `periodic`). Releasing the back workers never
 * touches the schedule: other services, other keys.
 *
 * The scheduler's two guarantees:
 * - **never skipped**: one task, rolling update with minimum healthy 100 % and maximum 200 %: ECS
 *   starts the new scheduler before it stops the old one, so there is never a moment with none;
 *   on-demand Fargate only (no Spot interruption); the circuit breaker rolls back a scheduler that
 *   cannot start, so the old one keeps running.
 * - **never doubled**: for the moment two schedulers overlap during a rollout, the scheduler's
 *   Redis lock (one enqueue per tick, taken in the `periodic` namespace) makes one of them skip
 *   the tick the other enqueued; outside a rollout there is only one.
 */
export class JobPlatform extends InfraComponent {
  /** The cache the jobs are queued in. */
  public readonly redis: Redis;
  /** The namespace the web service enqueues into (its colours' prefix when blue/green). */
  public readonly backNamespace: string;
  /** The namespace the scheduler enqueues into. */
  public readonly periodicNamespace: string;
  /** The scheduler's service. */
  public readonly scheduler: WorkerService;
  /** Rolling back worker groups, by group. */
  public readonly backWorkers: Readonly<Record<string, WorkerService>>;
  /** Blue/green back worker groups, by group. */
  public readonly blueGreenBackWorkers: Readonly<Record<string, BlueGreenWorkers>>;
  /** The namespace of each colour of the blue/green back workers: what a web service of that colour enqueues into. */
  public readonly colourNamespaces: Readonly<Record<Colour, string>>;
  /** Each colour's own variables (its namespace): the blue/green workers' colours, and the task variants of the web service they follow. */
  public readonly colourVariables: Readonly<Record<Colour, Readonly<Record<string, string>>>>;
  /** The periodic workers by group name. */
  public readonly periodicWorkers: Readonly<Record<string, WorkerService>>;
  /** What a client that enqueues back jobs (the web service) needs: variables, secret, group. */
  public readonly client: {
    readonly environment: Readonly<Record<string, pulumi.Input<string>>>;
    readonly secrets: Readonly<Record<string, pulumi.Input<string>>>;
    readonly securityGroupId: pulumi.Output<string>;
  };

  constructor(name: string, args: JobPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    throwIfProblems("JobPlatform", name, jobPlatformProblems(args));
    super("infra:jobs:JobPlatform", name, opts);
    const tags = args.tags ?? {};
    this.backNamespace = args.namespaces?.back ?? NAMESPACE_DEFAULTS.back;
    this.periodicNamespace = args.namespaces?.periodic ?? NAMESPACE_DEFAULTS.periodic;
    this.redis = this.child(Redis, "redis", { vpcId: args.vpcId, subnetIds: args.dataSubnetIds, ...args.redis, tags }, undefined);

    const worker = (
      role: string,
      namespace: string,
      settings: Omit<WorkerServiceArgs, "serviceName" | "cluster" | "vpcId" | "subnetIds" | "task" | "tags" | "extraSecurityGroupIds">,
      task: JobTaskArgs,
      dependsOn: pulumi.Input<pulumi.Input<pulumi.Resource>[]> | undefined = args.rolloutAfter,
    ) =>
      this.child(
        WorkerService,
        role,
        {
          serviceName: `${args.namePrefix}-${role}`,
          cluster: args.cluster,
          vpcId: args.vpcId,
          subnetIds: args.subnetIds,
          task: this.withRedis(task, namespace),
          extraSecurityGroupIds: [this.redis.clientSecurityGroupId],
          tags,
          ...settings,
        },
        undefined,
        { ...(dependsOn ? { dependsOn } : {}) },
      );
    const group = (g: WorkerGroupArgs) => ({
      ...(g.desiredCount !== undefined ? { desiredCount: g.desiredCount } : {}),
      ...(g.autoscaling ? { autoscaling: g.autoscaling } : {}),
      ...(g.capacityProviderStrategy ? { capacityProviderStrategy: g.capacityProviderStrategy } : {}),
      ...(g.stopTimeoutSeconds !== undefined ? { stopTimeoutSeconds: g.stopTimeoutSeconds } : {}),
      ...(g.transform ? { transform: g.transform } : {}),
    });
    const back = Object.entries(args.backWorkers);
    this.colourNamespaces = { blue: `${this.backNamespace}-blue`, green: `${this.backNamespace}-green` };
    this.colourVariables = { blue: { [REDIS_NAMESPACE]: this.colourNamespaces.blue }, green: { [REDIS_NAMESPACE]: this.colourNamespaces.green } };
    this.backWorkers = Object.fromEntries(back.filter(([, w]) => !w.blueGreen).map(([g, w]) => [g, worker(`back-${g}`, this.backNamespace, group(w), w.task)]));
    this.blueGreenBackWorkers = Object.fromEntries(
      back
        .filter(([, w]) => w.blueGreen)
        .map(([g, w]) => [
          g,
          this.child(
            BlueGreenWorkers,
            `back-${g}`,
            {
              serviceName: `${args.namePrefix}-back-${g}`,
              cluster: args.cluster,
              vpcId: args.vpcId,
              subnetIds: args.subnetIds,
              task: this.withRedis(w.task, this.backNamespace),
              colours: this.colourVariables,
              extraSecurityGroupIds: [this.redis.clientSecurityGroupId],
              tags,
              ...group(w),
            },
            undefined,
          ),
        ]),
    );
    this.periodicWorkers = Object.fromEntries(
      Object.entries(args.periodicWorkers ?? {}).map(([g, w]) => [g, worker(`periodic-${g}`, this.periodicNamespace, group(w), w.task)]),
    );
    // The scheduler rolls last: a new tick's job must find workers that run the new code.
    const workers = [...Object.values(this.backWorkers), ...Object.values(this.periodicWorkers)];
    this.scheduler = worker(
      "scheduler",
      this.periodicNamespace,
      {
        ...SCHEDULER_DEPLOYMENT,
        capacityProviderStrategy: [{ capacityProvider: "FARGATE", weight: 1 }],
        ...(args.scheduler.stopTimeoutSeconds !== undefined ? { stopTimeoutSeconds: args.scheduler.stopTimeoutSeconds } : {}),
        ...(args.scheduler.transform ? { transform: args.scheduler.transform } : {}),
      },
      args.scheduler.task,
      args.rolloutAfter ? pulumi.output(args.rolloutAfter).apply((after) => [...after, ...workers]) : workers,
    );
    this.client = {
      environment: { [REDIS_URL]: this.redis.url, [REDIS_NAMESPACE]: this.backNamespace },
      secrets: { [REDIS_AUTH_TOKEN]: this.redis.authTokenSecretArn },
      securityGroupId: this.redis.clientSecurityGroupId,
    };
    this.registerOutputs({ redisUrl: this.redis.url, backNamespace: this.backNamespace, periodicNamespace: this.periodicNamespace });
  }

  /** The task with the cache's address, its namespace and the auth token (as a secret). */
  private withRedis(task: JobTaskArgs, namespace: string): JobTaskArgs {
    return {
      ...task,
      container: {
        ...task.container,
        environment: { ...task.container.environment, [REDIS_URL]: this.redis.url, [REDIS_NAMESPACE]: namespace },
        secrets: { ...task.container.secrets, [REDIS_AUTH_TOKEN]: this.redis.authTokenSecretArn },
      },
    };
  }
}
