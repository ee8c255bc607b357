// AWS's rules for the characters of each kind of resource's physical name: the provider's own
// checks, which run neither under mocks nor in the offline plan, so the stack suites check every
// name a plan chooses against them.
import type { NAME_LIMITS } from "../../components/aws-limits";

/**
 * Characters AWS accepts in the physical name of each kind of resource (the provider's own
 * checks, which do not run in the offline plan).
 */
export const NAME_PATTERNS: Partial<Record<keyof typeof NAME_LIMITS, RegExp>> = {
  // Letters, digits and hyphens; no hyphen at either end.
  "aws:lb/targetGroup:TargetGroup": /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/,
  "aws:lb/loadBalancer:LoadBalancer": /^(?!internal-)[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/,
  "aws:iam/role:Role": /^[\w+=,.@-]+$/,
  "aws:ecs/cluster:Cluster": /^[A-Za-z0-9_-]+$/,
  "aws:ecs/service:Service": /^[A-Za-z0-9_-]+$/,
  "aws:sfn/stateMachine:StateMachine": /^[A-Za-z0-9_-]+$/,
  "aws:scheduler/schedule:Schedule": /^[0-9a-zA-Z_.-]+$/,
  "aws:sqs/queue:Queue": /^[A-Za-z0-9_-]+$/,
  "aws:dynamodb/table:Table": /^[A-Za-z0-9_.-]{3,}$/,
  // Lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit.
  "aws:s3/bucket:Bucket": /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
  // A letter first, then lowercase letters, digits and single hyphens, no hyphen at the end.
  "aws:elasticache/replicationGroup:ReplicationGroup": /^[a-z](?!.*--)[a-z0-9-]*[a-z0-9]$/,
  "aws:cloudwatch/logGroup:LogGroup": /^[\w/.#-]+$/,
};
