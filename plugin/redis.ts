import * as pulumi from "@pulumi/pulumi";
import { Redis as LibraryRedis, type RedisArgs as LibraryRedisArgs, type RedisEngine } from "../components/data/redis";
import { absentArgs, checkedByComponent, publish, TRANSFORM_ABSENT } from "./values";

/** How a Redis cache is sized, kept and maintained. */
export interface CacheSettings {
  /** valkey or redis (Redis OSS). Default: valkey. */
  engine?: string;
  /** The engine version. Default: 8.0 for valkey, 7.1 for redis. */
  engineVersion?: string;
  /** The ElastiCache node type (`cache.<family>.<size>`). Default: cache.t4g.small. */
  nodeType?: string;
  /** Nodes: a primary and replicas (1-6). Default: 1. */
  nodes?: number;
  /** Replicas in other AZs with automatic failover; needs 2 nodes or more. Default: false. */
  multiAz?: boolean;
  /** Days of daily snapshots kept (0-35). Default: 7. */
  snapshotRetentionDays?: number;
  /** Daily snapshot window, UTC. Default: 16:00-17:00 (01:00-02:00 JST). */
  snapshotWindow?: string;
  /** Weekly maintenance window, UTC. Default: sun:18:00-sun:19:00 (Monday 03:00-04:00 JST). */
  maintenanceWindow?: string;
  /** Keep the cache when the stack or the component is deleted, with a final snapshot. Default: false. */
  protectData?: boolean;
}

/** Arguments of a Redis. */
export interface RedisArgs extends CacheSettings {
  /** The VPC of the cache's security groups. */
  vpcId: pulumi.Input<string>;
  /** Isolated subnets (no route out), one per AZ. */
  subnetIds: pulumi.Input<string>[];
  /** Tags of every child. Default: none. */
  tags?: Record<string, string>;
}

/** The library's args of a Redis that the plugin does not take, and why. */
export const REDIS_ABSENT_ARGS = absentArgs<LibraryRedisArgs, RedisArgs>({
  transform: TRANSFORM_ABSENT,
});

/** The library's settings of a cache, from the multi-language ones. */
export function libraryCacheSettings<T extends CacheSettings>(settings: T): Omit<T, "engine"> & { engine?: RedisEngine } {
  return { ...settings, engine: checkedByComponent<RedisEngine>(settings.engine) };
}

/** The library's args of a Redis, from the multi-language ones. */
export function libraryRedisArgs(args: RedisArgs): LibraryRedisArgs {
  return libraryCacheSettings(args);
}

/**
 * A Valkey (or Redis OSS) replication group in isolated subnets, encrypted in transit and at rest,
 * with an AUTH token in Secrets Manager and a client security group: the library's Redis, for
 * every Pulumi language.
 */
export class Redis extends pulumi.ComponentResource {
  /** The primary endpoint's address. */
  primaryEndpoint!: pulumi.Output<string>;
  /** The replication group's id. */
  replicationGroupId!: pulumi.Output<string>;
  /** The port clients connect to. */
  port!: pulumi.Output<number>;
  /** `rediss://<primary>:<port>`, without the token. */
  url!: pulumi.Output<string>;
  /** The secret holding the AUTH token (give it to the tasks as a secret). */
  authTokenSecretArn!: pulumi.Output<string>;
  /** The group a client's tasks join to reach the cache. */
  clientSecurityGroupId!: pulumi.Output<string>;

  constructor(name: string, args: RedisArgs, opts?: pulumi.ComponentResourceOptions) {
    super("infra:index:Redis", name, {}, opts);
    const redis = new LibraryRedis(name, libraryRedisArgs(args), { parent: this });
    this.registerOutputs(
      publish(this, {
        primaryEndpoint: redis.primaryEndpoint,
        replicationGroupId: redis.replicationGroupId,
        port: pulumi.output(redis.port),
        url: redis.url,
        authTokenSecretArn: redis.authTokenSecretArn,
        clientSecurityGroupId: redis.clientSecurityGroupId,
      }),
    );
  }
}
