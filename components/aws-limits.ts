import { notOneOf } from "./problems";
import type { Problem } from "./problems";

/**
 * AWS limits that the provider checks only at deploy time. Components validate against them so
 * that a bad value fails in `pulumi preview` (and in the offline plan), not halfway through an up.
 */

/** Retention values CloudWatch Logs accepts (PutRetentionPolicy). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;
export type LogRetentionDays = (typeof LOG_RETENTION_DAYS)[number];

/** A retention CloudWatch Logs refuses, on `field`; empty when unset or accepted. */
export function retentionProblems(field: string, days: number | undefined): Problem[] {
  if (days === undefined || (LOG_RETENTION_DAYS as readonly number[]).includes(days)) return [];
  return [{ field, message: notOneOf(days, LOG_RETENTION_DAYS) }];
}

/**
 * Maximum length of the physical name of each kind of resource. A name Pulumi generates is the
 * logical name plus `-` and 7 random characters, so a logical name must leave 8 characters free.
 */
export const NAME_LIMITS = {
  "aws:lb/targetGroup:TargetGroup": 32,
  "aws:lb/loadBalancer:LoadBalancer": 32,
  "aws:iam/role:Role": 64,
  "aws:iam/policy:Policy": 128,
  "aws:iam/rolePolicy:RolePolicy": 128,
  "aws:cloudwatch/logGroup:LogGroup": 512,
  "aws:cloudwatch/metricAlarm:MetricAlarm": 255,
  "aws:ec2/securityGroup:SecurityGroup": 255,
  "aws:ecs/cluster:Cluster": 255,
  "aws:ecs/service:Service": 255,
  "aws:ecs/taskDefinition:TaskDefinition": 255,
  "aws:codedeploy/application:Application": 100,
  "aws:codedeploy/deploymentGroup:DeploymentGroup": 100,
  "aws:sfn/stateMachine:StateMachine": 80,
  "aws:scheduler/schedule:Schedule": 64,
  "aws:dynamodb/table:Table": 255,
  "aws:sqs/queue:Queue": 80,
  "aws:sns/topic:Topic": 256,
  "aws:s3/bucketV2:BucketV2": 63,
  "aws:s3/bucket:Bucket": 63,
  "aws:elasticache/replicationGroup:ReplicationGroup": 40,
  "aws:elasticache/subnetGroup:SubnetGroup": 255,
  "aws:secretsmanager/secret:Secret": 512,
  "aws:appautoscaling/policy:Policy": 255,
} as const satisfies Record<string, number>;

/** Characters Pulumi appends to a logical name when it generates a physical name. */
export const AUTONAME_SUFFIX_LENGTH = 8;

/** Pulumi's autoname: logical name, a dash and 7 characters (here derived, not random). */
export function autoName(logicalName: string, suffix: string): string {
  return `${logicalName}-${suffix.slice(0, AUTONAME_SUFFIX_LENGTH - 1)}`;
}
