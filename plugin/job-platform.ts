import * as pulumi from "@pulumi/pulumi";
import { JobPlatform as LibraryJobPlatform, type JobPlatformArgs as LibraryJobPlatformArgs, type WorkerGroupArgs } from "../components/jobs";
import { type CacheSettings, libraryCacheSettings } from "./redis";
import { type CapacityProviderStrategy, type ClusterRef, libraryStrategy } from "./shared";
import { libraryTaskArgs, type TaskSettings } from "./task-definition";
import { absentArgs, publish } from "./values";
import type { WorkerAutoscaling } from "./worker-service";

/** A group of worker tasks of a JobPlatform, rolled on each new revision. */
export interface WorkerGroup {
  /** The task of the group's workers; the platform adds the Redis variables and secret. */
  task: TaskSettings;
  /** Tasks when not autoscaled, or the first count when autoscaled. Default: 1. */
  desiredCount?: number;
  /** Target tracking bounds. Default: no autoscaling. */
  autoscaling?: WorkerAutoscaling;
  /** Where the tasks run; FARGATE_SPOT is allowed. Default: FARGATE only. */
  capacityProviderStrategy?: CapacityProviderStrategy[];
  /** Seconds to finish the current job after SIGTERM (at most 120). Default: 60. */
  stopTimeoutSeconds?: number;
}

/** The scheduler of a JobPlatform: one on-demand task that only enqueues the periodic jobs. */
export interface Scheduler {
  /** The scheduler's task; the platform adds the Redis variables and secret. */
  task: TaskSettings;
  /** Seconds to finish after SIGTERM (at most 120). Default: 60. */
  stopTimeoutSeconds?: number;
}

/** The Redis namespaces (key prefixes) of the two kinds of job. */
export interface JobNamespaces {
  /** Jobs the web service enqueues. Default: back. */
  back?: string;
  /** Jobs the scheduler enqueues. Default: periodic. */
  periodic?: string;
}

/** Arguments of a JobPlatform. */
export interface JobPlatformArgs {
  /** Prefix of the services' names: `<prefix>-scheduler`, `<prefix>-back-<group>`, ... */
  namePrefix: string;
  /** The cluster the workers and the scheduler run in. */
  cluster: ClusterRef;
  /** The VPC of the tasks and the cache. */
  vpcId: pulumi.Input<string>;
  /** Private subnets of the tasks. */
  subnetIds: pulumi.Input<string>[];
  /** Isolated subnets of the cache. */
  dataSubnetIds: pulumi.Input<string>[];
  /** The cache's settings. Default: one valkey node. */
  redis?: CacheSettings;
  /** The Redis namespaces of the two kinds of job. Default: back and periodic. */
  namespaces?: JobNamespaces;
  /** Back workers by group name (1-16 lowercase letters, digits, -); they process the back namespace. */
  backWorkers: Record<string, WorkerGroup>;
  /** The one task that enqueues the periodic jobs. */
  scheduler: Scheduler;
  /** Periodic workers by group name; they process the periodic namespace. Default: none. */
  periodicWorkers?: Record<string, WorkerGroup>;
  /** Tags of every child. Default: none. */
  tags?: Record<string, string>;
}

/** The library's args of a JobPlatform that the plugin does not take, and why. */
export const JOB_PLATFORM_ABSENT_ARGS = absentArgs<LibraryJobPlatformArgs, JobPlatformArgs>({
  rolloutAfter:
    "Resources to wait for are objects of the caller's program; a program in another language orders a job platform after its migration with dependsOn",
});

function libraryGroups(groups: Record<string, WorkerGroup>): Record<string, WorkerGroupArgs> {
  return Object.fromEntries(
    Object.entries(groups).map(([group, g]) => [
      group,
      {
        ...g,
        task: libraryTaskArgs(g.task),
        capacityProviderStrategy: libraryStrategy(g.capacityProviderStrategy),
      },
    ]),
  );
}

/** The library's args of a JobPlatform, from the multi-language ones. */
export function libraryJobPlatformArgs(args: JobPlatformArgs): LibraryJobPlatformArgs {
  return {
    ...args,
    redis: args.redis && libraryCacheSettings(args.redis),
    backWorkers: libraryGroups(args.backWorkers),
    scheduler: { ...args.scheduler, task: libraryTaskArgs(args.scheduler.task) },
    periodicWorkers: args.periodicWorkers && libraryGroups(args.periodicWorkers),
  };
}

/**
 * Async work on its own Redis: back workers for the jobs the web service enqueues, one scheduler
 * that enqueues the periodic jobs and periodic workers that run them, each kind on its own
 * namespace, rolled so that a tick is never skipped nor doubled. The library's JobPlatform, for
 * every Pulumi language (its blue/green back workers follow a release, which only TypeScript
 * programs declare: here every group rolls).
 */
export class JobPlatform extends pulumi.ComponentResource {
  /** `rediss://<primary>:<port>` of the cache. */
  redisUrl!: pulumi.Output<string>;
  /** The secret holding the cache's AUTH token. */
  redisAuthTokenSecretArn!: pulumi.Output<string>;
  /** The group a client (the web service that enqueues) joins to reach the cache. */
  clientSecurityGroupId!: pulumi.Output<string>;
  /** The variables a client that enqueues back jobs sets (the URL and the back namespace). */
  clientEnvironment!: pulumi.Output<Record<string, string>>;
  /** The secrets a client that enqueues back jobs reads (the AUTH token). */
  clientSecrets!: pulumi.Output<Record<string, string>>;
  /** The namespace the web service enqueues into. */
  backNamespace!: pulumi.Output<string>;
  /** The namespace the scheduler enqueues into. */
  periodicNamespace!: pulumi.Output<string>;
  /** The scheduler's ECS service. */
  schedulerServiceName!: pulumi.Output<string>;
  /** The back workers' ECS services, by group. */
  backWorkerServiceNames!: pulumi.Output<Record<string, string>>;
  /** The periodic workers' ECS services, by group. */
  periodicWorkerServiceNames!: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: JobPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super("infra:index:JobPlatform", name, {}, opts);
    const jobs = new LibraryJobPlatform(name, libraryJobPlatformArgs(args), { parent: this });
    const serviceNames = (services: Readonly<Record<string, { serviceName: pulumi.Output<string> }>>) =>
      pulumi.output(Object.fromEntries(Object.entries(services).map(([group, s]) => [group, s.serviceName])));
    this.registerOutputs(
      publish(this, {
        redisUrl: jobs.redis.url,
        redisAuthTokenSecretArn: jobs.redis.authTokenSecretArn,
        clientSecurityGroupId: jobs.client.securityGroupId,
        clientEnvironment: pulumi.output(jobs.client.environment),
        clientSecrets: pulumi.output(jobs.client.secrets),
        backNamespace: pulumi.output(jobs.backNamespace),
        periodicNamespace: pulumi.output(jobs.periodicNamespace),
        schedulerServiceName: jobs.scheduler.serviceName,
        backWorkerServiceNames: serviceNames(jobs.backWorkers),
        periodicWorkerServiceNames: serviceNames(jobs.periodicWorkers),
      }),
    );
  }
}
