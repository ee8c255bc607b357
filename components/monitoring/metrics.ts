/**
 * The AWS integration metrics the monitors read, as Datadog names them (its AWS integration
 * crawls CloudWatch: ALB, ECS, Step Functions, SQS, ElastiCache, WAF), with the tag each is scoped by.
 * A query may only use these: a misspelt metric is a monitor that never fires.
 */
export const AWS_METRICS = {
  albRequests: "aws.applicationelb.request_count",
  albTarget5xx: "aws.applicationelb.httpcode_target_5xx",
  albElb5xx: "aws.applicationelb.httpcode_elb_5xx",
  albLatencyP95: "aws.applicationelb.target_response_time.p95",
  albUnhealthyHosts: "aws.applicationelb.un_healthy_host_count",
  ecsRunning: "aws.ecs.service.running",
  ecsDesired: "aws.ecs.service.desired",
  ecsCpu: "aws.ecs.cpuutilization",
  ecsMemory: "aws.ecs.memory_utilization",
  sfnSucceeded: "aws.states.executions_succeeded",
  sfnFailed: "aws.states.executions_failed",
  sfnTimedOut: "aws.states.executions_timed_out",
  sfnAborted: "aws.states.executions_aborted",
  sqsVisible: "aws.sqs.approximate_number_of_messages_visible",
  redisCpu: "aws.elasticache.engine_cpuutilization",
  redisMemory: "aws.elasticache.database_memory_usage_percentage",
  redisEvictions: "aws.elasticache.evictions",
  redisReplicationLag: "aws.elasticache.replication_lag",
  redisConnections: "aws.elasticache.curr_connections",
  wafAllowed: "aws.wafv2.allowed_requests",
  wafBlocked: "aws.wafv2.blocked_requests",
  wafCounted: "aws.wafv2.counted_requests",
} as const;

export const KNOWN_METRICS: ReadonlySet<string> = new Set(Object.values(AWS_METRICS));

/**
 * The tag keys Datadog puts on those metrics. A load balancer is scoped by `loadbalancer`
 * (`app/<name>/<id>`), never by target group: a blue/green release swaps target groups.
 */
export const SCOPE_TAGS = [
  "loadbalancer",
  "clustername",
  "servicename",
  "statemachinearn",
  "queuename",
  "replication_group_id",
  "webacl",
  "rule",
  "env",
] as const;

/**
 * CloudWatch metrics reach Datadog minutes late; a monitor that evaluates the latest minutes
 * would see gaps and flap. Every AWS metric monitor waits this long (Datadog's advice: 15 min).
 */
export const AWS_EVALUATION_DELAY_SECONDS = 900;

/** `{key:value,key:value}`: a scope, values lower-cased as Datadog stores tag values. */
export function scope(tags: Readonly<Record<string, string>>): string {
  return `{${Object.entries(tags)
    .map(([k, v]) => `${k}:${v.toLowerCase()}`)
    .join(",")}}`;
}

/** Every metric name a query reads. */
export function metricsIn(query: string): string[] {
  return [...query.matchAll(/(?:avg|sum|min|max):([a-z0-9_.]+)\{/g)].map((m) => m[1]!);
}

/** Every tag key a query scopes by. */
export function scopeKeysIn(query: string): string[] {
  return [...query.matchAll(/\{([^}]*)\}/g)].flatMap((m) => m[1]!.split(",").map((t) => t.split(":")[0]!.trim()));
}
