import * as datadog from "@pulumi/datadog";
import * as pagerduty from "@pulumi/pagerduty";
import * as pulumi from "@pulumi/pulumi";
import type { BlueGreenService } from "../components/ecs/blue-green-service";
import type { JobPlatform } from "../components/jobs/job-platform";
import type { LoadBalancer } from "../components/loadbalancing/load-balancer";
import { PagerDutyRouting } from "../components/monitoring/pagerduty-routing";
import { stackRouting } from "../components/monitoring/routing";
import { ServiceSlo } from "../components/monitoring/service-slo";
import { StackDashboard } from "../components/monitoring/stack-dashboard";
import { WorkloadMonitors, type WorkloadInput } from "../components/monitoring/workload-monitors";
import type { StackConfig } from "../infra/config/schema";
import type { Batches } from "./batches";

/** What the stack runs, as the monitoring sees it. */
export interface Watched {
  readonly web: Readonly<Record<string, { service: BlueGreenService; loadBalancer: LoadBalancer }>>;
  readonly jobs: JobPlatform | undefined;
  readonly batches: Batches | undefined;
}

/** Every workload of the stack, in the order the dashboard shows them. */
export function workloadsOf(config: StackConfig, watched: Watched): WorkloadInput[] {
  const ecs = (name: string, s: { serviceName: pulumi.Input<string> }, kind: "worker" | "scheduler"): WorkloadInput => ({
    kind,
    name,
    ids: { cluster: config.name, service: s.serviceName },
  });
  const jobs = watched.jobs;
  return [
    ...Object.entries(watched.web).map(([key, w]): WorkloadInput => ({
      kind: "web",
      name: key,
      ids: {
        loadBalancer: w.loadBalancer.arnSuffix,
        cluster: config.name,
        service: w.service.serviceName,
        deploymentGroup: w.service.deploymentGroupName ?? w.service.serviceName,
      },
      ...(w.service.controller === "ecs" ? { releasedBy: "ecs" as const } : {}),
      waf: { aclName: w.loadBalancer.webAcl.aclName, mode: w.loadBalancer.webAcl.mode, alertPer10Minutes: config.waf.alertPer10Minutes },
    })),
    ...(jobs
      ? [
          ...Object.entries(jobs.backWorkers).map(([g, w]) => ecs(`back-${g}`, w, "worker")),
          // Both colours as one workload: the idle colour runs 0 of 0 tasks and may report nothing.
          ...Object.entries(jobs.blueGreenBackWorkers).map(([g, w]) => ecs(`back-${g}`, { serviceName: w.serviceNamePattern }, "worker")),
          ...Object.entries(jobs.periodicWorkers).map(([g, w]) => ecs(`periodic-${g}`, w, "worker")),
          ecs("scheduler", jobs.scheduler, "scheduler"),
          {
            kind: "redis",
            name: "redis",
            replicas: jobs.redis.nodeCount - 1,
            ids: { replicationGroupId: jobs.redis.replicationGroupId },
          } satisfies WorkloadInput,
        ]
      : []),
    ...Object.entries(watched.batches?.batches ?? {}).map(([key, b]): WorkloadInput => ({
      kind: "batch",
      name: `batch-${key}`,
      schedule: config.batches[key]!.schedule,
      enabled: b.enabled,
      ids: { stateMachineArn: b.stateMachineArn },
    })),
    ...(watched.batches
      ? [{ kind: "queue", name: "batch-dlq", ids: { queueName: watched.batches.platform.deadLetterQueueName } } satisfies WorkloadInput]
      : []),
  ];
}

/**
 * Monitoring of `infra:monitoring` (none: nothing is created): explicit Datadog and PagerDuty
 * providers, paging where the stack configures PagerDuty, the monitors of every workload, an
 * availability SLO per web service and the stack's dashboard.
 */
export function createMonitoring(config: StackConfig, stack: string, watched: Watched, opts: pulumi.ComponentResourceOptions): void {
  const m = config.monitoring;
  if (!m) return;
  // Keys from the stack's secrets (pulumi config set --secret datadog:apiKey ...) or, when unset,
  // the provider's environment variables (DATADOG_API_KEY, DATADOG_APP_KEY, PAGERDUTY_TOKEN).
  const ddConfig = new pulumi.Config("datadog");
  const dd = new datadog.Provider("datadog", {
    ...(ddConfig.getSecret("apiKey") ? { apiKey: ddConfig.getSecret("apiKey") } : {}),
    ...(ddConfig.getSecret("appKey") ? { appKey: ddConfig.getSecret("appKey") } : {}),
    ...(ddConfig.get("apiUrl") ? { apiUrl: ddConfig.get("apiUrl") } : {}),
  });
  const withDatadog: pulumi.ComponentResourceOptions = { ...opts, providers: { ...(opts.providers as Record<string, pulumi.ProviderResource>), datadog: dd } };
  let pager: string | undefined;
  if (m.pagerduty) {
    const token = new pulumi.Config("pagerduty").getSecret("token");
    // The provider's own fallback to PAGERDUTY_TOKEN, made explicit (its args require a token).
    const pd = new pagerduty.Provider("pagerduty", { token: token ?? pulumi.secret(process.env.PAGERDUTY_TOKEN ?? "") });
    const routing = new PagerDutyRouting(
      "pagerduty",
      { ...m.pagerduty, serviceName: m.pagerduty.serviceName ?? config.name },
      { ...withDatadog, providers: { ...(withDatadog.providers as Record<string, pulumi.ProviderResource>), pagerduty: pd } },
    );
    pager = routing.handle;
  }
  const routing = stackRouting(m.chat, pager);
  const context = { env: config.tags.env ?? stack, team: m.team, runbookUrl: m.runbookUrl };
  const workloads = workloadsOf(config, watched);
  for (const workload of workloads) new WorkloadMonitors(`monitors-${workload.name}`, { workload, routing, context }, withDatadog);
  for (const [key, w] of Object.entries(watched.web)) {
    new ServiceSlo(`slo-${key}`, { service: key, loadBalancer: w.loadBalancer.arnSuffix, routing, context, slo: m.slo }, withDatadog);
  }
  new StackDashboard("dashboard", { title: `${config.name} (${context.env})`, env: context.env, workloads }, withDatadog);
}
