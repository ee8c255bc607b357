import type { CatalogContext, MonitorSpec, WorkloadKind } from "./catalog";
import { monitorTags } from "./catalog";
import { type AlertRouting, notificationBlock } from "./routing";

/** A monitor's message: what it means, the runbook, and who hears each state. */
export function monitorMessage(spec: MonitorSpec, ctx: CatalogContext, routing: AlertRouting): string {
  return `${spec.description}\n\nRunbook: ${ctx.runbookUrl}#${spec.key}\n\n${notificationBlock(routing, spec.pages)}`;
}

/** The monitor as Datadog's API takes it (snake_case): what the provider sends, and what the tests read with Datadog's own models. */
export function monitorBody(spec: MonitorSpec, ctx: CatalogContext, routing: AlertRouting, workload: string, kind: WorkloadKind) {
  const thresholds = {
    critical: spec.critical,
    ...(spec.warning !== undefined ? { warning: spec.warning } : {}),
    ...(spec.criticalRecovery !== undefined ? { critical_recovery: spec.criticalRecovery } : {}),
    ...(spec.warningRecovery !== undefined ? { warning_recovery: spec.warningRecovery } : {}),
  };
  return {
    name: spec.name,
    type: spec.type,
    query: spec.query,
    message: monitorMessage(spec, ctx, routing),
    priority: spec.priority,
    tags: monitorTags(ctx, workload, kind),
    options: {
      thresholds,
      ...(spec.evaluationDelaySeconds !== undefined ? { evaluation_delay: spec.evaluationDelaySeconds } : {}),
      notify_no_data: spec.noDataMinutes !== undefined,
      ...(spec.noDataMinutes !== undefined ? { no_data_timeframe: spec.noDataMinutes } : {}),
      ...(spec.renotifyMinutes !== undefined ? { renotify_interval: spec.renotifyMinutes } : {}),
      include_tags: true,
      require_full_window: false,
    },
  };
}

export type MonitorBody = ReturnType<typeof monitorBody>;
