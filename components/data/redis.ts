import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { InfraComponent, keepOnDelete, type Transform } from "../component";
import { type Problem, throwIfProblems, notOneOf } from "../problems";
import { windowProblems } from "./windows";

export const REDIS_ENGINES = ["valkey", "redis"] as const;
export type RedisEngine = (typeof REDIS_ENGINES)[number];

/** Arguments of a {@link Redis}. */
export interface RedisArgs {
  /** The VPC of the cache's security groups. */
  readonly vpcId: pulumi.Input<string>;
  /** Isolated subnets (no route out), one per AZ. */
  readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** Valkey or Redis OSS. @default "valkey" */
  readonly engine?: RedisEngine;
  /** The engine version. @default "8.0" for valkey, "7.1" for redis */
  readonly engineVersion?: string;
  /** The ElastiCache node type (`cache.<family>.<size>`). @default "cache.t4g.small" */
  readonly nodeType?: string;
  /** Nodes: a primary and replicas (1-6). @default 1 */
  readonly nodes?: number;
  /** Replicas in other AZs with automatic failover; needs 2 nodes or more. @default false */
  readonly multiAz?: boolean;
  /** Days of daily snapshots kept (0-35). @default 7 */
  readonly snapshotRetentionDays?: number;
  /** Daily snapshot window, UTC. @default "16:00-17:00" (01:00-02:00 JST) */
  readonly snapshotWindow?: string;
  /** Weekly maintenance window, UTC. @default "sun:18:00-sun:19:00" (Monday 03:00-04:00 JST) */
  readonly maintenanceWindow?: string;
  /** `protect` + `retainOnDelete`, and a final snapshot on deletion. @default false */
  readonly protectData?: boolean;
  /** Tags of every child. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  /** Changes to the args of its children before they are created (see {@link Transform}). @default none */
  readonly transform?: {
    readonly replicationGroup?: Transform<aws.elasticache.ReplicationGroupArgs>;
    readonly securityGroup?: Transform<aws.ec2.SecurityGroupArgs>;
    /** The group a client joins to reach the cache (`clientSecurityGroupId`). */
    readonly clientsSecurityGroup?: Transform<aws.ec2.SecurityGroupArgs>;
    /** The cache's ingress rule from its clients' group. */
    readonly securityGroupRule?: Transform<aws.vpc.SecurityGroupIngressRuleArgs>;
    readonly subnetGroup?: Transform<aws.elasticache.SubnetGroupArgs>;
    readonly authToken?: Transform<random.RandomPasswordArgs>;
    readonly authSecret?: Transform<aws.secretsmanager.SecretArgs>;
    readonly authSecretVersion?: Transform<aws.secretsmanager.SecretVersionArgs>;
  };
}

const NODE_TYPE = /^cache\.[a-z0-9]+\.[a-z0-9]+$/;

/** Why a value is not an ElastiCache node type; undefined when it is one. */
export function nodeTypeProblem(nodeType: string): string | undefined {
  return NODE_TYPE.test(nodeType) ? undefined : `${JSON.stringify(nodeType)} is not an ElastiCache node type (like cache.t4g.small)`;
}

/** Every problem of a cache's args, each naming the argument. */
export function redisProblems(args: Omit<RedisArgs, "vpcId" | "subnetIds">): Problem[] {
  const problems: Problem[] = [];
  if (args.engine !== undefined && !REDIS_ENGINES.includes(args.engine)) problems.push({ field: "engine", message: notOneOf(args.engine, REDIS_ENGINES) });
  const nodeType = args.nodeType === undefined ? undefined : nodeTypeProblem(args.nodeType);
  if (nodeType) problems.push({ field: "nodeType", message: nodeType });
  const nodes = args.nodes ?? REDIS_DEFAULTS.nodes;
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 6) problems.push({ field: "nodes", message: `${nodes} is out of range (1-6)` });
  if (args.multiAz && nodes < 2) problems.push({ field: "multiAz", message: `needs at least 2 nodes (a replica to fail over to), got ${nodes}` });
  const retention = args.snapshotRetentionDays;
  if (retention !== undefined && (!Number.isInteger(retention) || retention < 0 || retention > 35))
    problems.push({ field: "snapshotRetentionDays", message: `${retention} is out of range (0-35)` });
  problems.push(...windowProblems(args.maintenanceWindow ?? REDIS_DEFAULTS.maintenanceWindow, args.snapshotWindow ?? REDIS_DEFAULTS.snapshotWindow));
  return problems;
}

/** The cache a Redis gets when its args leave these unset: one node, no failover, its windows at night in Japan. */
export const REDIS_DEFAULTS = {
  engine: "valkey",
  nodeType: "cache.t4g.small",
  nodes: 1,
  multiAz: false,
  snapshotRetentionDays: 7,
  snapshotWindow: "16:00-17:00",
  maintenanceWindow: "sun:18:00-sun:19:00",
} as const satisfies Required<Pick<RedisArgs, "engine" | "nodeType" | "nodes" | "multiAz" | "snapshotRetentionDays" | "snapshotWindow" | "maintenanceWindow">>;
export const REDIS_PORT = 6379;

/**
 * An ElastiCache replication group (Valkey or Redis OSS) in isolated subnets: TLS in transit,
 * encryption at rest, an auth token kept in Secrets Manager (hand its ARN to tasks as a secret;
 * it never appears in a task definition), daily snapshots, maintenance at night in Japan time.
 *
 * Only the members of its client security group reach port 6379: give that group to exactly the
 * workloads that use the cache (`extraSecurityGroupIds` of a service or worker).
 */
export class Redis extends InfraComponent {
  /** The primary's address: where clients write. */
  public readonly primaryEndpoint: pulumi.Output<string>;
  /** The replication group's id: how CloudWatch and Datadog name the cache in its metrics. */
  public readonly replicationGroupId: pulumi.Output<string>;
  /** The port the cache listens on (6379). */
  public readonly port: number;
  /** Nodes of the replication group: a primary and `nodes - 1` replicas. */
  public readonly nodeCount: number;
  /** `rediss://<primary endpoint>:6379` (TLS). */
  public readonly url: pulumi.Output<string>;
  /** ARN of the secret holding the auth token. */
  public readonly authTokenSecretArn: pulumi.Output<string>;
  /** The group whose members may reach the cache. */
  public readonly clientSecurityGroupId: pulumi.Output<string>;

  constructor(name: string, args: RedisArgs, opts?: pulumi.ComponentResourceOptions) {
    throwIfProblems("Redis", name, redisProblems(args));
    super("infra:data:Redis", name, opts);
    const tags = args.tags ?? {};
    const protect = args.protectData === true;
    const keep = keepOnDelete(protect);

    const clients = this.child(
      aws.ec2.SecurityGroup,
      "clients-sg",
      { vpcId: args.vpcId, description: "Members may reach the cache", tags },
      args.transform?.clientsSecurityGroup,
    );
    const group = this.child(
      aws.ec2.SecurityGroup,
      "sg",
      { vpcId: args.vpcId, description: "Cache: 6379 from its clients only", tags },
      args.transform?.securityGroup,
    );
    this.child(
      aws.vpc.SecurityGroupIngressRule,
      "from-clients",
      {
        securityGroupId: group.id,
        referencedSecurityGroupId: clients.id,
        ipProtocol: "tcp",
        fromPort: REDIS_PORT,
        toPort: REDIS_PORT,
        description: "From the cache's clients",
        tags,
      },
      args.transform?.securityGroupRule,
    );
    const subnets = this.child(
      aws.elasticache.SubnetGroup,
      "subnets",
      { subnetIds: args.subnetIds, description: "Isolated subnets", tags },
      args.transform?.subnetGroup,
    );

    // Letters and digits only: ElastiCache refuses some punctuation in auth tokens.
    const token = this.child(random.RandomPassword, "auth-token", { length: 64, special: false }, args.transform?.authToken);
    const secret = this.child(aws.secretsmanager.Secret, "auth", { description: "Auth token of the cache", tags }, args.transform?.authSecret, keep);
    this.child(aws.secretsmanager.SecretVersion, "auth-value", { secretId: secret.id, secretString: token.result }, args.transform?.authSecretVersion);

    const engine = args.engine ?? REDIS_DEFAULTS.engine;
    const nodes = args.nodes ?? REDIS_DEFAULTS.nodes;
    this.nodeCount = nodes;
    const cache = this.child(
      aws.elasticache.ReplicationGroup,
      "group",
      {
        description: `Cache ${name}`,
        engine,
        engineVersion: args.engineVersion ?? (engine === "valkey" ? "8.0" : "7.1"),
        nodeType: args.nodeType ?? REDIS_DEFAULTS.nodeType,
        numCacheClusters: nodes,
        automaticFailoverEnabled: nodes > 1,
        multiAzEnabled: args.multiAz ?? REDIS_DEFAULTS.multiAz,
        port: REDIS_PORT,
        subnetGroupName: subnets.name,
        securityGroupIds: [group.id],
        transitEncryptionEnabled: true,
        atRestEncryptionEnabled: true,
        authToken: token.result,
        snapshotRetentionLimit: args.snapshotRetentionDays ?? REDIS_DEFAULTS.snapshotRetentionDays,
        snapshotWindow: args.snapshotWindow ?? REDIS_DEFAULTS.snapshotWindow,
        maintenanceWindow: args.maintenanceWindow ?? REDIS_DEFAULTS.maintenanceWindow,
        autoMinorVersionUpgrade: true,
        ...(protect ? { finalSnapshotIdentifier: `${name}-final` } : {}),
        tags,
      },
      args.transform?.replicationGroup,
      keep,
    );
    this.primaryEndpoint = cache.primaryEndpointAddress;
    this.replicationGroupId = cache.id;
    this.port = REDIS_PORT;
    this.url = pulumi.interpolate`rediss://${cache.primaryEndpointAddress}:${REDIS_PORT}`;
    this.authTokenSecretArn = secret.arn;
    this.clientSecurityGroupId = clients.id;
    this.registerOutputs({ primaryEndpoint: this.primaryEndpoint, authTokenSecretArn: this.authTokenSecretArn });
  }
}
