// The workloads the monitoring components watch, as the schema can carry them: the library's
// Workload is a union discriminated by `kind`, which Pulumi's schema cannot express, so here it
// is one structure whose fields each kind uses or not, checked by kind before anything is created.
import type * as pulumi from "@pulumi/pulumi";
import { WAF_MODES, type WafMode } from "../components/loadbalancing/web-acl";
import type { Workload, WorkloadInput } from "../components/monitoring";
import type { WorkloadKind } from "../components/monitoring/catalog";
import { notOneOf, type Problem } from "../components/problems";

/** What a WAF watch needs of a web workload's web ACL. */
export interface WafWatch {
  /** The web ACL's name (its metrics' dimension). */
  aclName: string;
  /** block or count: which of the WAF's metrics is watched. */
  mode: string;
  /** Requests blocked (or counted) in 10 minutes that alert. */
  alertPer10Minutes: number;
}

/** A workload to watch: its kind, its name, its settings and its resources' ids. */
export interface MonitoredWorkload {
  /** web, worker, scheduler, batch, redis or queue. */
  kind: string;
  /** Its name, in every monitor's title and tags. */
  name: string;
  /**
   * Its resources' ids, by kind: web: loadBalancer (ARN suffix), cluster, service, deploymentGroup;
   * worker and scheduler: cluster, service; batch: stateMachineArn; redis: replicationGroupId;
   * queue: queueName.
   */
  ids: Record<string, pulumi.Input<string>>;
  /** A batch's schedule expression (its silence monitor waits for the longest gap). */
  schedule?: string;
  /** A batch's scheduled runs happen. Default: true. */
  enabled?: boolean;
  /** A Redis's replicas (a replication lag monitor when above 0). Default: 0. */
  replicas?: number;
  /** A web service's web ACL, to alert on what it blocks. Default: none. */
  waf?: WafWatch;
}

/** Where a stack's alerts go: Datadog notification handles. */
export interface Routing {
  /** Criticals of the monitors that page (`@pagerduty-shop-prd`, or the chat handle where nothing pages). */
  page: string[];
  /** Warnings, criticals of monitors that never page, and no-data of those. */
  notify: string[];
  /** Recoveries: where the alert was heard, never a pager. */
  recovery: string[];
}

/** The stack's environment, team and runbook, in every monitor. */
export interface MonitoringContext {
  /** The environment tag (`prd`). */
  env: string;
  /** The owning team's tag. */
  team: string;
  /** The runbook every alert links to. */
  runbookUrl: string;
}

/** The ids each kind of the library's Workload needs: a kind added there fails to compile here until it is listed. */
const IDS = {
  web: ["loadBalancer", "cluster", "service", "deploymentGroup"],
  worker: ["cluster", "service"],
  scheduler: ["cluster", "service"],
  batch: ["stateMachineArn"],
  redis: ["replicationGroupId"],
  queue: ["queueName"],
} as const satisfies { readonly [K in WorkloadKind]: readonly (keyof Extract<Workload, { kind: K }>["ids"])[] };

const isKind = (kind: string): kind is WorkloadKind => Object.hasOwn(IDS, kind);

/** Every problem of a workload for its kind, each naming the field under `field`. */
export function workloadProblems(field: string, w: MonitoredWorkload): Problem[] {
  if (!isKind(w.kind))
    return [
      {
        field: `${field}.kind`,
        message: `"${w.kind}" is not one of ${Object.keys(IDS)
          .map((k) => `"${k}"`)
          .join(", ")}`,
      },
    ];
  const ids: readonly string[] = IDS[w.kind];
  const problems: Problem[] = ids
    .filter((id) => w.ids[id] === undefined)
    .map((id) => ({ field: `${field}.ids.${id}`, message: `is required for a ${w.kind}` }));
  if (w.kind === "batch" && w.schedule === undefined) problems.push({ field: `${field}.schedule`, message: "is required for a batch" });
  const mode = w.waf?.mode;
  if (mode !== undefined && !(WAF_MODES as readonly string[]).includes(mode)) problems.push({ field: `${field}.waf.mode`, message: notOneOf(mode, WAF_MODES) });
  return problems;
}

/** The library's workload, once {@link workloadProblems} found nothing. */
export function libraryWorkload(w: MonitoredWorkload): WorkloadInput {
  const id = (key: string): pulumi.Input<string> => w.ids[key] as pulumi.Input<string>;
  const kind = w.kind as WorkloadKind;
  switch (kind) {
    case "web":
      return {
        kind: "web",
        name: w.name,
        ids: { loadBalancer: id("loadBalancer"), cluster: id("cluster"), service: id("service"), deploymentGroup: id("deploymentGroup") },
        ...(w.waf ? { waf: { ...w.waf, mode: w.waf.mode as WafMode } } : {}),
      };
    case "worker":
    case "scheduler":
      return { kind, name: w.name, ids: { cluster: id("cluster"), service: id("service") } };
    case "batch":
      return { kind: "batch", name: w.name, schedule: w.schedule ?? "", enabled: w.enabled ?? true, ids: { stateMachineArn: id("stateMachineArn") } };
    case "redis":
      return { kind: "redis", name: w.name, replicas: w.replicas ?? 0, ids: { replicationGroupId: id("replicationGroupId") } };
    case "queue":
      return { kind: "queue", name: w.name, ids: { queueName: id("queueName") } };
  }
}
