import { REDIS_DEFAULTS } from "../../../components/data/redis";
import { WEB_ACL_DEFAULTS } from "../../../components/loadbalancing/web-acl";
import { expect, it } from "vitest";
import { monitorsFor, type Workload } from "../../../components/monitoring/catalog";
import { workloadsOf } from "../../../stacks/monitoring";
import { byType, named } from "../../helpers/plan";
import type { StackUnderTest } from "./context";

/** The stack's workloads as the catalog sees them, from the config alone (ids do not change which monitors exist). */
function expectedWorkloads(s: StackUnderTest): Workload[] {
  const placeholder = {
    serviceName: "x",
    serviceNamePattern: "x-*",
    deploymentGroupName: "x",
    stateMachineArn: "x",
    arnSuffix: "x",
    replicationGroupId: "x",
    deadLetterQueueName: "x",
  };
  const back = (release: string) => Object.fromEntries(Object.entries(jobs?.back ?? {}).flatMap(([g, c]) => (c.release === release ? [[g, placeholder]] : [])));
  const jobs = s.config.jobs;
  const watched = {
    web: Object.fromEntries(
      Object.keys(s.config.services).map((k) => [
        k,
        { service: placeholder, loadBalancer: { ...placeholder, webAcl: { aclName: "x", mode: s.config.waf.mode ?? WEB_ACL_DEFAULTS.mode } } },
      ]),
    ),
    jobs: jobs
      ? {
          backWorkers: back("rolling"),
          blueGreenBackWorkers: back("blueGreen"),
          periodicWorkers: Object.fromEntries(Object.keys(jobs.periodic).map((g) => [g, placeholder])),
          scheduler: placeholder,
          redis: { ...placeholder, nodeCount: jobs.redis.nodes ?? REDIS_DEFAULTS.nodes },
        }
      : undefined,
    batches: Object.keys(s.config.batches).length
      ? {
          platform: placeholder,
          batches: Object.fromEntries(Object.entries(s.config.batches).map(([k, b]) => [k, { ...placeholder, enabled: b.enabled !== false }])),
        }
      : undefined,
  };
  return workloadsOf(s.config, watched as never) as Workload[];
}

/** Monitoring follows the config: every workload's monitors, paging only where PagerDuty is configured. */
export function monitoringInvariants(s: StackUnderTest): void {
  const m = s.config.monitoring;
  if (!m) {
    it("has no monitoring resource", () => {
      expect(
        s.plan().resources.filter((r) => r.type.startsWith("datadog:") || r.type.startsWith("pagerduty:") || r.type.includes("providers:datadog")),
      ).toEqual([]);
    });
    return;
  }
  const monitors = () => byType(s.plan(), "datadog:index/monitor:Monitor");

  it("has every monitor of every workload's kind, and one SLO with two burn-rate monitors per web service", () => {
    const workloads = expectedWorkloads(s);
    expect(workloads.length).toBeGreaterThan(0);
    const expected = [
      ...workloads.flatMap((w) => monitorsFor(w).map((spec) => `monitors-${w.name}-${spec.key.slice(w.name.length + 1)}`)),
      ...Object.keys(s.config.services).flatMap((k) => [`slo-${k}-fast-burn`, `slo-${k}-slow-burn`]),
    ].sort();
    expect(
      monitors()
        .map((r) => r.name)
        .sort(),
    ).toEqual(expected);
    expect(
      byType(s.plan(), "datadog:index/serviceLevelObjective:ServiceLevelObjective")
        .map((r) => r.name)
        .sort(),
    ).toEqual(
      Object.keys(s.config.services)
        .map((k) => `slo-${k}-slo`)
        .sort(),
    );
  });

  it("tags every monitor with env, service, team and managed-by, and links a runbook", () => {
    const env = s.config.tags.env ?? s.stack;
    for (const r of monitors()) {
      expect(r.inputs.tags, r.name).toEqual(expect.arrayContaining([`env:${env}`, `team:${m.team}`, "managed-by:pulumi"]));
      expect(
        (r.inputs.tags as string[]).some((t) => t.startsWith("service:")),
        r.name,
      ).toBe(true);
      expect(String(r.inputs.message), r.name).toContain(`Runbook: ${m.runbookUrl}#`);
    }
  });

  it(m.pagerduty ? "pages criticals through PagerDuty; warnings and recoveries never page" : "creates no PagerDuty resource and never names @pagerduty", () => {
    const pagerDuty = s.plan().resources.filter((r) => r.type.includes("pagerduty"));
    const handle = `@pagerduty-${m.pagerduty?.serviceName ?? s.config.name}`;
    if (!m.pagerduty) {
      expect(pagerDuty).toEqual([]);
      expect(JSON.stringify(s.plan())).not.toContain("@pagerduty");
      return;
    }
    expect(pagerDuty.map((r) => r.type).sort()).toEqual([
      "datadog:pagerduty/serviceObject:ServiceObject",
      "pagerduty:index/escalationPolicy:EscalationPolicy",
      "pagerduty:index/service:Service",
      "pagerduty:index/serviceIntegration:ServiceIntegration",
      "pulumi:providers:pagerduty",
    ]);
    let paging = 0;
    for (const r of monitors()) {
      const message = String(r.inputs.message);
      expect(message.match(/\{\{#is_warning\}\}(.*)\{\{\/is_warning\}\}/)?.[1], r.name).toBe(m.chat);
      expect(message.match(/\{\{#is_recovery\}\}(.*)\{\{\/is_recovery\}\}/)?.[1], r.name).toBe(m.chat);
      const critical = message.match(/\{\{#is_alert\}\}(.*)\{\{\/is_alert\}\}/)?.[1];
      expect([handle, m.chat], r.name).toContain(critical);
      if (critical === handle) paging++;
    }
    expect(paging).toBeGreaterThan(0);
  });

  it("draws every workload on the stack's dashboard", () => {
    const dashboard = JSON.parse(named(s.plan(), "dashboard-dashboard").inputs.dashboard as string) as { widgets: { definition: { title: string } }[] };
    expect(dashboard.widgets.map((w) => w.definition.title)).toEqual(expectedWorkloads(s).map((w) => `${w.name} (${w.kind})`));
  });
}
