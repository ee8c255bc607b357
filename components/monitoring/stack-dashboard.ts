import * as datadog from "@pulumi/datadog";
import * as pulumi from "@pulumi/pulumi";
import { InfraComponent, type Transform } from "../component";
import { type Workload, wafScope } from "./catalog";
import { AWS_METRICS as M, scope } from "./metrics";
import type { WorkloadInput } from "./workload-monitors";

/** The key metrics of a workload on the dashboard: a title and the queries drawn together. */
function keyMetrics(w: Workload): { title: string; queries: string[] }[] {
  switch (w.kind) {
    case "web": {
      const lb = scope({ loadbalancer: w.ids.loadBalancer });
      return [
        {
          title: "requests and 5xx",
          queries: [`sum:${M.albRequests}${lb}.as_count()`, `sum:${M.albTarget5xx}${lb}.as_count() + sum:${M.albElb5xx}${lb}.as_count()`],
        },
        { title: "p95 latency (s)", queries: [`avg:${M.albLatencyP95}${lb}`] },
        { title: "tasks running / desired", queries: ecs(w.ids, [M.ecsRunning, M.ecsDesired]) },
        ...(w.waf
          ? [
              {
                title: `WAF: allowed vs ${w.waf.mode === "block" ? "blocked" : "counted"}`,
                queries: [M.wafAllowed, w.waf.mode === "block" ? M.wafBlocked : M.wafCounted].map((m) => `sum:${m}${wafScope(w.waf!)}.as_count()`),
              },
            ]
          : []),
      ];
    }
    case "worker":
    case "scheduler":
      return [
        { title: "tasks running / desired", queries: ecs(w.ids, [M.ecsRunning, M.ecsDesired]) },
        { title: "CPU and memory (%)", queries: ecs(w.ids, [M.ecsCpu, M.ecsMemory]) },
      ];
    case "batch": {
      const sm = scope({ statemachinearn: w.ids.stateMachineArn });
      return [{ title: "runs: succeeded, failed, timed out", queries: [M.sfnSucceeded, M.sfnFailed, M.sfnTimedOut].map((m) => `sum:${m}${sm}.as_count()`) }];
    }
    case "redis": {
      const s = scope({ replication_group_id: w.ids.replicationGroupId });
      return [
        { title: "engine CPU and memory (%)", queries: [`avg:${M.redisCpu}${s}`, `avg:${M.redisMemory}${s}`] },
        { title: "evictions", queries: [`sum:${M.redisEvictions}${s}.as_count()`] },
      ];
    }
    case "queue":
      return [{ title: "undelivered events", queries: [`max:${M.sqsVisible}${scope({ queuename: w.ids.queueName })}`] }];
  }
}

function ecs(ids: { cluster: string; service: string }, metrics: string[]): string[] {
  return metrics.map((m) => `avg:${m}${scope({ clustername: ids.cluster, servicename: ids.service })}`);
}

/**
 * The dashboard as Datadog's API takes it: a group per workload with its key metrics and the
 * status of its monitors (found by their `service` and `env` tags), in the catalog's order.
 */
export function dashboardBody(title: string, env: string, workloads: readonly Workload[]) {
  return {
    title,
    description: "Generated from the stack config by the monitoring catalog (components/monitoring); changes here are overwritten.",
    layout_type: "ordered" as const,
    widgets: workloads.map((w) => ({
      definition: {
        type: "group" as const,
        title: `${w.name} (${w.kind})`,
        layout_type: "ordered" as const,
        widgets: [
          ...keyMetrics(w).map((k) => ({
            definition: { type: "timeseries" as const, title: k.title, requests: k.queries.map((q) => ({ q, display_type: "line" as const })) },
          })),
          {
            definition: {
              type: "manage_status" as const,
              title: "monitors",
              query: `tag:(service:${w.name} AND env:${env})`,
              summary_type: "monitors" as const,
              display_format: "countsAndList" as const,
            },
          },
        ],
      },
    })),
  };
}

/** Arguments of {@link StackDashboard}. */
export interface StackDashboardArgs {
  /** The dashboard's title. */
  readonly title: string;
  /** The stack's environment (`prd`), its widgets' scope. */
  readonly env: string;
  /** The workloads shown, the same as the monitors'. */
  readonly workloads: readonly WorkloadInput[];
  /** Changes to the dashboard's args before it is created (see {@link Transform}). @default none */
  readonly transform?: { readonly dashboard?: Transform<datadog.DashboardJsonArgs> };
}

/** One dashboard for a stack, generated from the same workloads as the monitors: a new workload appears on it too. */
export class StackDashboard extends InfraComponent {
  /** The dashboard's id. */
  public readonly dashboardId: pulumi.Output<string>;

  constructor(name: string, args: StackDashboardArgs, opts?: pulumi.ComponentResourceOptions) {
    super("infra:monitoring:StackDashboard", name, opts);
    const resolved = pulumi.output(args.workloads.map((w) => pulumi.output(w.ids).apply((ids) => ({ ...w, ids }) as Workload)));
    const dashboard = this.child(
      datadog.DashboardJson,
      "dashboard",
      { dashboard: resolved.apply((workloads) => JSON.stringify(dashboardBody(args.title, args.env, workloads))) },
      args.transform?.dashboard,
    );
    this.dashboardId = dashboard.id;
    this.registerOutputs({ dashboardId: this.dashboardId });
  }
}
