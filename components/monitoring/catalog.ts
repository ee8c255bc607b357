import { longestGapHours } from "./cron-gaps";
import { AWS_EVALUATION_DELAY_SECONDS, AWS_METRICS as M, scope } from "./metrics";

/** The ids a workload's monitors are scoped by, resolved. */
export type Ids<K extends string> = Readonly<Record<K, string>>;

/** Every workload kind the catalog watches, with what its monitors need to know. */
export type Workload =
  | {
      readonly kind: "web";
      readonly name: string;
      /** `deploymentGroup`: CodeDeploy's group, or under the ECS controller the service (whose deployments ECS reports). */
      readonly ids: Ids<"loadBalancer" | "cluster" | "service" | "deploymentGroup">;
      /** Who releases it: where a failed release is reported. @default "codeDeploy" */
      readonly releasedBy?: "codeDeploy" | "ecs";
      /** The web ACL in front of its load balancer, when it has one. */
      readonly waf?: WafWatch;
    }
  | { readonly kind: "worker"; readonly name: string; readonly ids: Ids<"cluster" | "service"> }
  | { readonly kind: "scheduler"; readonly name: string; readonly ids: Ids<"cluster" | "service"> }
  | { readonly kind: "batch"; readonly name: string; readonly schedule: string; readonly enabled: boolean; readonly ids: Ids<"stateMachineArn"> }
  | { readonly kind: "redis"; readonly name: string; readonly replicas: number; readonly ids: Ids<"replicationGroupId"> }
  | { readonly kind: "queue"; readonly name: string; readonly ids: Ids<"queueName"> };

export type WorkloadKind = Workload["kind"];

/** What the catalog watches of a web ACL: its metric name, its mode, when many blocked requests alert. */
export interface WafWatch {
  readonly aclName: string;
  readonly mode: "count" | "block";
  /** Blocked (in count mode: counted) requests in 10 minutes that alert. @default 1000 */
  readonly alertPer10Minutes?: number;
}

/** Blocked requests in 10 minutes that alert when a watch names no limit. */
export const WAF_ALERT_PER_10_MINUTES = 1000;

/** The web ACL's requests, all rules together (`Rule=ALL` in CloudWatch): blocked in block mode, counted in count mode. */
export function wafScope(waf: WafWatch): string {
  return scope({ webacl: waf.aclName, rule: "ALL" });
}

/** A sudden rise of blocked requests: an attack, or a rule misfiring on real users. Never paging: a person looks. */
function wafMonitor(name: string, waf: WafWatch): MonitorSpec {
  const what = waf.mode === "block" ? "blocked" : "counted";
  const limit = waf.alertPer10Minutes ?? WAF_ALERT_PER_10_MINUTES;
  return {
    key: `${name}-waf`,
    name: `[${name}] WAF ${what} more than ${limit} requests in 10 minutes`,
    type: "query alert",
    query: `sum(last_10m):sum:${waf.mode === "block" ? M.wafBlocked : M.wafCounted}${wafScope(waf)}.as_count() > ${limit}`,
    comparator: ">",
    critical: limit,
    ...aws,
    priority: 2,
    pages: false,
    description:
      "Many requests hit the web ACL's rules: an attack (the WAF logs name the client IPs and the rule), or a rule misfiring on real users after a release (move it to countRules in infra:waf).",
  };
}

/** One monitor, as the catalog describes it; `monitorBody` turns it into Datadog's API body. */
export interface MonitorSpec {
  /** Unique in a stack: `<workload>-<what>`; the child resource's name. */
  readonly key: string;
  readonly name: string;
  readonly type: "query alert" | "event-v2 alert" | "slo alert";
  /** Ends with `<comparator> <critical>`, as Datadog requires. */
  readonly query: string;
  readonly comparator: ">" | "<";
  readonly critical: number;
  readonly warning?: number;
  readonly criticalRecovery?: number;
  readonly warningRecovery?: number;
  /** AWS integration metrics arrive late: seconds to wait before evaluating. */
  readonly evaluationDelaySeconds?: number;
  /** Silence is an alert: notify when no data arrives for this many minutes. */
  readonly noDataMinutes?: number;
  /** Re-notify while it stays critical, every this many minutes. */
  readonly renotifyMinutes?: number;
  /** Datadog priority, 1 (highest) to 5. */
  readonly priority: 1 | 2 | 3 | 4 | 5;
  /** Whether a critical pages (through the stack's pager, when it has one). */
  readonly pages: boolean;
  /** What it means and what to look at first. */
  readonly description: string;
}

/** What every monitor of a stack shares. */
export interface CatalogContext {
  readonly env: string;
  readonly team: string;
  /** Base URL of the runbooks; each monitor links `<runbookUrl>#<key>`. */
  readonly runbookUrl: string;
}

const ecsScope = (ids: Ids<"cluster" | "service">) => scope({ clustername: ids.cluster, servicename: ids.service });
const aws = { evaluationDelaySeconds: AWS_EVALUATION_DELAY_SECONDS } as const;

/** Tasks running below the desired count for 15 minutes: tasks that cannot start or keep dying. */
function runningBelowDesired(name: string, ids: Ids<"cluster" | "service">, pages: boolean): MonitorSpec {
  const s = ecsScope(ids);
  return {
    key: `${name}-running`,
    name: `[${name}] running tasks below desired`,
    type: "query alert",
    query: `min(last_15m):avg:${M.ecsDesired}${s} - avg:${M.ecsRunning}${s} > 0`,
    comparator: ">",
    critical: 0,
    ...aws,
    noDataMinutes: 30,
    renotifyMinutes: 60,
    priority: pages ? 1 : 2,
    pages,
    description: "Fewer tasks run than ECS wants for 15 minutes: look at the service's events and the stopped tasks' reasons.",
  };
}

/** CPU and memory of a service's tasks: never paging, a capacity warning. */
function utilisation(name: string, ids: Ids<"cluster" | "service">): MonitorSpec[] {
  const s = ecsScope(ids);
  return (
    [
      ["cpu", M.ecsCpu, "CPU"],
      ["memory", M.ecsMemory, "memory"],
    ] as const
  ).map(([what, metric, label]) => ({
    key: `${name}-${what}`,
    name: `[${name}] ${label} above 90 %`,
    type: "query alert",
    query: `avg(last_15m):avg:${metric}${s} > 90`,
    comparator: ">",
    critical: 90,
    warning: 80,
    criticalRecovery: 85,
    warningRecovery: 70,
    ...aws,
    priority: 3,
    pages: false,
    description: `The tasks' ${label} stays high: scale out (autoscaling bounds) or look for a leak.`,
  }));
}

function webMonitors(name: string, ids: Ids<"loadBalancer" | "cluster" | "service" | "deploymentGroup">, releasedBy: "codeDeploy" | "ecs"): MonitorSpec[] {
  // Each controller's failed deployments reach Datadog as events of its own integration.
  const source = releasedBy === "ecs" ? "amazon_ecs" : "codedeploy";
  // The load balancer, never a target group: a blue/green release swaps the target groups.
  const lb = scope({ loadbalancer: ids.loadBalancer });
  return [
    {
      key: `${name}-5xx`,
      name: `[${name}] 5xx ratio above 5 %`,
      type: "query alert",
      query: `sum(last_5m):(sum:${M.albTarget5xx}${lb}.as_count() + sum:${M.albElb5xx}${lb}.as_count()) / sum:${M.albRequests}${lb}.as_count() > 0.05`,
      comparator: ">",
      critical: 0.05,
      warning: 0.02,
      criticalRecovery: 0.03,
      warningRecovery: 0.01,
      ...aws,
      renotifyMinutes: 30,
      priority: 1,
      pages: true,
      description: "More than 5 % of requests fail at the load balancer or the app: check the last release (npm run release:status) and the app's errors.",
    },
    {
      key: `${name}-latency`,
      name: `[${name}] p95 latency above 2 s`,
      type: "query alert",
      query: `avg(last_10m):avg:${M.albLatencyP95}${lb} > 2`,
      comparator: ">",
      critical: 2,
      warning: 1,
      criticalRecovery: 1.5,
      warningRecovery: 0.8,
      ...aws,
      priority: 2,
      pages: true,
      description: "Responses are slow: check the database, the cache and the tasks' CPU.",
    },
    {
      key: `${name}-unhealthy`,
      name: `[${name}] unhealthy targets for 10 minutes`,
      type: "query alert",
      query: `min(last_10m):max:${M.albUnhealthyHosts}${lb} > 0`,
      comparator: ">",
      critical: 0,
      ...aws,
      priority: 2,
      pages: true,
      description:
        "Targets fail the health check for 10 minutes (a release's new tasks are healthy within minutes): check the health check path and the tasks' logs.",
    },
    runningBelowDesired(name, ids, true),
    ...utilisation(name, ids),
    {
      key: `${name}-deployment`,
      name: `[${name}] release failed or rolled back`,
      type: "event-v2 alert",
      query: `events("source:${source} status:error ${ids.deploymentGroup}").rollup("count").last("30m") > 0`,
      comparator: ">",
      critical: 0,
      priority: 2,
      pages: false,
      description: `A${releasedBy === "ecs" ? "n ECS" : " CodeDeploy"} deployment of this service failed and rolled back: production runs the previous revision; read the reason (npm run release:status) before releasing again.`,
    },
  ];
}

/**
 * How long a batch may go without a success before it counts as silently stopped: its period
 * plus a grace, from its schedule. `undefined` when that window would pass a week: a metric
 * monitor's evaluation window is kept within 7 days here, so a weekly or monthly batch is watched
 * by its failure monitor and the schedule's dead-letter queue only (see the README).
 */
export function silenceWindowHours(schedule: string): number | undefined {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(schedule);
  if (rate) {
    const hours = Number(rate[1]) * { minute: 1 / 60, minutes: 1 / 60, hour: 1, hours: 1, day: 24, days: 24 }[rate[2] as "hour"];
    const window = Math.ceil(hours * 1.5 + 1);
    return window <= MAX_WINDOW_HOURS ? window : undefined;
  }
  const gap = longestGapHours(schedule);
  if (gap === undefined) return undefined;
  // The longest gap between two runs, a tenth more (at least an hour) for a run's own length.
  const window = Math.ceil(gap + Math.max(1, gap / 10));
  return window <= MAX_WINDOW_HOURS ? window : undefined;
}

/** The longest evaluation window a silence monitor uses. */
const MAX_WINDOW_HOURS = 7 * 24;

function batchMonitors(name: string, schedule: string, enabled: boolean, ids: Ids<"stateMachineArn">): MonitorSpec[] {
  const sm = scope({ statemachinearn: ids.stateMachineArn });
  const monitors: MonitorSpec[] = [
    {
      key: `${name}-failed`,
      name: `[${name}] run failed, timed out or was aborted`,
      type: "query alert",
      query: `sum(last_1h):sum:${M.sfnFailed}${sm}.as_count() + sum:${M.sfnTimedOut}${sm}.as_count() + sum:${M.sfnAborted}${sm}.as_count() > 0`,
      comparator: ">",
      critical: 0,
      ...aws,
      priority: 2,
      pages: true,
      description: "A run of this batch failed: the execution's failure notification says why; re-run it with npm run batch once fixed.",
    },
  ];
  const hours = silenceWindowHours(schedule);
  if (enabled && hours !== undefined) {
    monitors.push({
      key: `${name}-silent`,
      name: `[${name}] no successful run in ${hours} h`,
      type: "query alert",
      // A threshold alone cannot see silence: CloudWatch sends no datapoint for a period with no
      // success, so the count over the window is absent, not 0. No data over the same window is
      // the alert; a count below 1 (some other datapoint, none a success) is one too.
      query: `sum(last_${hours}h):sum:${M.sfnSucceeded}${sm}.as_count() < 1`,
      comparator: "<",
      critical: 1,
      ...aws,
      noDataMinutes: hours * 60,
      priority: 2,
      pages: true,
      description: `No successful run within its schedule (${schedule}) plus a grace: the schedule may be off, its target broken, or every run failing.`,
    });
  }
  return monitors;
}

function redisMonitors(name: string, replicas: number, ids: Ids<"replicationGroupId">): MonitorSpec[] {
  const s = scope({ replication_group_id: ids.replicationGroupId });
  const above = (key: string, label: string, query: string, critical: number, warning: number, pages: boolean, description: string): MonitorSpec => ({
    key: `${name}-${key}`,
    name: `[${name}] ${label}`,
    type: "query alert",
    query: `${query} > ${critical}`,
    comparator: ">",
    critical,
    warning,
    criticalRecovery: warning + (critical - warning) / 2,
    warningRecovery: warning * 0.8,
    ...aws,
    priority: pages ? 2 : 3,
    pages,
    description,
  });
  return [
    above(
      "cpu",
      "engine CPU above 90 %",
      `avg(last_15m):avg:${M.redisCpu}${s}`,
      90,
      75,
      false,
      "Redis's single engine thread is busy: look for slow commands (SLOWLOG) and hot keys.",
    ),
    above(
      "memory",
      "memory above 90 %",
      `avg(last_15m):avg:${M.redisMemory}${s}`,
      90,
      80,
      true,
      "Redis is nearly full: jobs will be evicted or refused; look for a growing queue.",
    ),
    above(
      "evictions",
      "evicting keys",
      `sum(last_15m):sum:${M.redisEvictions}${s}.as_count()`,
      100,
      10,
      true,
      "Redis evicts keys: queued jobs may be lost; free memory or scale the node type.",
    ),
    above(
      "connections",
      "connections near the limit",
      `max(last_10m):max:${M.redisConnections}${s}`,
      60000,
      50000,
      false,
      "Redis accepts at most 65,000 connections: look for a client that leaks them.",
    ),
    ...(replicas > 0
      ? [
          above(
            "replication-lag",
            "replica lag above 30 s",
            `max(last_10m):max:${M.redisReplicationLag}${s}`,
            30,
            10,
            false,
            "The replica is behind: a failover now would lose recent jobs.",
          ),
        ]
      : []),
  ];
}

function queueMonitors(name: string, ids: Ids<"queueName">): MonitorSpec[] {
  return [
    {
      key: `${name}-messages`,
      name: `[${name}] undelivered schedule events`,
      type: "query alert",
      query: `max(last_5m):max:${M.sqsVisible}${scope({ queuename: ids.queueName })} > 0`,
      comparator: ">",
      critical: 0,
      ...aws,
      priority: 2,
      pages: false,
      description: "EventBridge Scheduler gave up starting a batch and left the event here: read it, then re-run the batch with npm run batch.",
    },
  ];
}

/** Every monitor of a workload, by its kind. */
export function monitorsFor(w: Workload): MonitorSpec[] {
  switch (w.kind) {
    case "web":
      return [...webMonitors(w.name, w.ids, w.releasedBy ?? "codeDeploy"), ...(w.waf ? [wafMonitor(w.name, w.waf)] : [])];
    case "worker":
      return [runningBelowDesired(w.name, w.ids, true), ...utilisation(w.name, w.ids)];
    case "scheduler":
      return [
        {
          key: `${w.name}-not-one`,
          name: `[${w.name}] not exactly one scheduler for 10 minutes`,
          type: "query alert",
          // 0 skips ticks, 2 outside a rollout doubles them; a rollout overlaps for a minute or two.
          query: `min(last_10m):abs(avg:${M.ecsRunning}${ecsScope(w.ids)} - 1) > 0`,
          comparator: ">",
          critical: 0,
          ...aws,
          noDataMinutes: 30,
          renotifyMinutes: 60,
          priority: 1,
          pages: true,
          description: "Periodic jobs are skipped (no scheduler) or doubled (two): check the service's events and desired count.",
        },
        ...utilisation(w.name, w.ids),
      ];
    case "batch":
      return batchMonitors(w.name, w.schedule, w.enabled, w.ids);
    case "redis":
      return redisMonitors(w.name, w.replicas, w.ids);
    case "queue":
      return queueMonitors(w.name, w.ids);
  }
}

/** The tags of every monitor of a workload. */
export function monitorTags(ctx: CatalogContext, workload: string, kind: WorkloadKind): string[] {
  return [`env:${ctx.env}`, `service:${workload}`, `team:${ctx.team}`, `kind:${kind}`, "managed-by:pulumi"];
}
