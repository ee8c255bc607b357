import { createHash } from "node:crypto";

/** Where the offline plan pretends to run: the stack's own account and region. */
export interface MockLocation {
  readonly accountId: string;
  readonly region: string;
}

/** A stable 7-character stand-in for the random part of a generated name or id. */
export function stableSuffix(seed: string): string {
  return createHash("sha256").update(seed).digest("hex").slice(0, 7);
}

type ArnBuilder = (name: string, where: MockLocation, seed: string) => string;

const regional =
  (service: string, path: (name: string, seed: string) => string): ArnBuilder =>
  (name, where, seed) =>
    `arn:aws:${service}:${where.region}:${where.accountId}:${path(name, seed)}`;

/**
 * ARN shapes of the resources the library creates, as AWS documents them, so that references
 * in the plan (and checks on policies) see realistic ARNs. Other types get a generic regional ARN.
 */
const ARNS: Record<string, ArnBuilder> = {
  "aws:iam/role:Role": (name, where) => `arn:aws:iam::${where.accountId}:role/${name}`,
  "aws:iam/policy:Policy": (name, where) => `arn:aws:iam::${where.accountId}:policy/${name}`,
  "aws:s3/bucketV2:BucketV2": (name) => `arn:aws:s3:::${name}`,
  "aws:s3/bucket:Bucket": (name) => `arn:aws:s3:::${name}`,
  "aws:cloudwatch/logGroup:LogGroup": regional("logs", (name) => `log-group:${name}`),
  "aws:lb/loadBalancer:LoadBalancer": regional("elasticloadbalancing", (name, seed) => `loadbalancer/app/${name}/${seed}`),
  "aws:lb/targetGroup:TargetGroup": regional("elasticloadbalancing", (name, seed) => `targetgroup/${name}/${seed}`),
  "aws:lb/listener:Listener": regional("elasticloadbalancing", (name, seed) => `listener/app/${name}/${seed}/${seed}`),
  "aws:lb/listenerRule:ListenerRule": regional("elasticloadbalancing", (name, seed) => `listener-rule/app/${name}/${seed}/${seed}/${seed}`),
  "aws:ecs/cluster:Cluster": regional("ecs", (name) => `cluster/${name}`),
  "aws:ecs/taskDefinition:TaskDefinition": regional("ecs", (name) => `task-definition/${name}:1`),
  "aws:ecs/service:Service": regional("ecs", (name) => `service/${name}`),
  "aws:sfn/stateMachine:StateMachine": regional("states", (name) => `stateMachine:${name}`),
  "aws:sns/topic:Topic": regional("sns", (name) => name),
  "aws:sqs/queue:Queue": regional("sqs", (name) => name),
  "aws:lambda/function:Function": regional("lambda", (name) => `function:${name}`),
  "aws:dynamodb/table:Table": regional("dynamodb", (name) => `table/${name}`),
  "aws:secretsmanager/secret:Secret": regional("secretsmanager", (name, seed) => `secret:${name}-${seed.slice(0, 6)}`),
  "aws:scheduler/schedule:Schedule": regional("scheduler", (name) => `schedule/default/${name}`),
  "aws:codedeploy/application:Application": regional("codedeploy", (name) => `application:${name}`),
  "aws:codedeploy/deploymentGroup:DeploymentGroup": regional("codedeploy", (name) => `deploymentgroup:${name}`),
  "aws:elasticache/replicationGroup:ReplicationGroup": regional("elasticache", (name) => `replicationgroup:${name}`),
  "aws:kms/key:Key": regional("kms", (_name, seed) => `key/${seed}`),
  "aws:cloudwatch/metricAlarm:MetricAlarm": regional("cloudwatch", (name) => `alarm:${name}`),
};

/** The ARN AWS would give a resource of this type and physical name. */
export function mockArn(type: string, name: string, where: MockLocation, seed: string): string {
  const build = ARNS[type];
  if (build) return build(name, where, seed);
  const [, module = "resource", kind = "Resource"] = /^aws:([^/]+)\/[^:]+:(.+)$/.exec(type) ?? [];
  return `arn:aws:${module}:${where.region}:${where.accountId}:${kind.toLowerCase()}/${name}`;
}

/**
 * `arnSuffix` of a load balancer or target group, the form CloudWatch metrics use as a dimension
 * (`app/<name>/<id>`, `targetgroup/<name>/<id>`).
 */
export function mockArnSuffix(arn: string): string {
  return arn
    .split(":")
    .slice(5)
    .join(":")
    .replace(/^loadbalancer\//, "");
}
