import * as datadog from "@pulumi/datadog";
import * as pulumi from "@pulumi/pulumi";
import { InfraComponent, type Transform } from "../component";
import { type Problem, throwIfProblems, notOneOf, under } from "../problems";
import { type CatalogContext, monitorTags } from "./catalog";
import { AWS_METRICS as M, scope } from "./metrics";
import { type AlertRouting, notificationBlock } from "./routing";

/** The windows Datadog offers for an SLO. */
export const SLO_TIMEFRAMES = ["7d", "30d", "90d"] as const;
export type SloTimeframe = (typeof SLO_TIMEFRAMES)[number];

/** An availability objective. */
export interface SloSettings {
  /** Percent of good requests, e.g. 99.9. @default 99.9 */
  readonly target?: number;
  /** @default "30d" */
  readonly timeframe?: SloTimeframe;
}

/** Arguments of {@link ServiceSlo}. */
export interface ServiceSloArgs {
  /** The web service's name (`web`). */
  readonly service: string;
  /** `app/<name>/<id>` of its load balancer. */
  readonly loadBalancer: pulumi.Input<string>;
  /** Where its alerts go: who is notified, who is paged. */
  readonly routing: AlertRouting;
  /** The stack's environment, team and runbook. */
  readonly context: CatalogContext;
  /** The objective and its timeframe. @default 99.9 % over 30 days */
  readonly slo?: SloSettings;
  /** Changes to the args of its children before they are created (see {@link Transform}; `burnMonitor` applies to both). @default none */
  readonly transform?: {
    readonly slo?: Transform<datadog.ServiceLevelObjectiveArgs>;
    readonly burnMonitor?: Transform<datadog.MonitorArgs>;
  };
}

/**
 * Multi-window burn rates (Google SRE workbook): the fast one spends 2 % of a 30-day budget in an
 * hour and pages; the slow one spends 5 % in 6 hours and warns. Each needs its short window to
 * still burn, so that an alert stops soon after the burning does.
 */
export const BURN_RATES = [
  { key: "fast", long: "1h", short: "5m", rate: 14.4, pages: true },
  { key: "slow", long: "6h", short: "30m", rate: 6, pages: false },
] as const;

/** Why an objective cannot be created, naming each field. */
export function sloProblems(slo: SloSettings | undefined): Problem[] {
  const problems: Problem[] = [];
  const target = slo?.target ?? 99.9;
  if (!(target > 0 && target < 100)) problems.push({ field: "target", message: `${target} is not a percentage between 0 and 100 (exclusive)` });
  if (slo?.timeframe !== undefined && !SLO_TIMEFRAMES.includes(slo.timeframe)) {
    problems.push({ field: "timeframe", message: notOneOf(slo.timeframe, SLO_TIMEFRAMES) });
  }
  return problems;
}

/** The SLO as Datadog's API takes it: good = requests that the load balancer and the app did not answer with a 5xx. */
export function sloBody(args: { service: string; loadBalancer: string; context: CatalogContext; slo?: SloSettings }) {
  const lb = scope({ loadbalancer: args.loadBalancer });
  const target = args.slo?.target ?? 99.9;
  return {
    name: `[${args.service}] availability`,
    type: "metric" as const,
    description: `Requests answered without a 5xx at ${args.service}'s load balancer.`,
    query: {
      numerator: `sum:${M.albRequests}${lb}.as_count() - sum:${M.albTarget5xx}${lb}.as_count() - sum:${M.albElb5xx}${lb}.as_count()`,
      denominator: `sum:${M.albRequests}${lb}.as_count()`,
    },
    // The warning sits halfway between the target and 100 %: a budget half spent.
    thresholds: [{ timeframe: args.slo?.timeframe ?? "30d", target, warning: Number((target + (100 - target) / 2).toFixed(4)) }],
    tags: monitorTags(args.context, args.service, "web"),
  };
}

/** An availability SLO for a web service, with its fast (paging) and slow burn-rate monitors. */
export class ServiceSlo extends InfraComponent {
  /** The SLO's id. */
  public readonly sloId: pulumi.Output<string>;
  /** The burn rate monitors' ids, by key. */
  public readonly monitorIds: Readonly<Record<string, pulumi.Output<string>>>;

  constructor(name: string, args: ServiceSloArgs, opts?: pulumi.ComponentResourceOptions) {
    throwIfProblems("ServiceSlo", name, under("slo", sloProblems(args.slo)));
    super("infra:monitoring:ServiceSlo", name, opts);
    const shape = sloBody({ ...args, loadBalancer: "lb" });
    const body = pulumi.output(args.loadBalancer).apply((loadBalancer) => sloBody({ ...args, loadBalancer }));
    const slo = this.child(
      datadog.ServiceLevelObjective,
      "slo",
      {
        name: shape.name,
        type: shape.type,
        description: shape.description,
        query: { numerator: body.apply((b) => b.query.numerator), denominator: body.apply((b) => b.query.denominator) },
        thresholds: shape.thresholds.map((t) => ({ timeframe: t.timeframe, target: t.target, warning: t.warning })),
        tags: shape.tags,
      },
      args.transform?.slo,
    );
    const timeframe = shape.thresholds[0]!.timeframe;
    const monitorIds: Record<string, pulumi.Output<string>> = {};
    for (const burn of BURN_RATES) {
      const monitor = this.child(
        datadog.Monitor,
        `${burn.key}-burn`,
        {
          name: `[${args.service}] error budget burning ${burn.rate}x (${burn.long})`,
          type: "slo alert",
          query: pulumi.interpolate`burn_rate("${slo.id}").over("${timeframe}").long_window("${burn.long}").short_window("${burn.short}") > ${burn.rate}`,
          message: `${args.service} spends its error budget ${burn.rate} times too fast over ${burn.long}.\n\nRunbook: ${args.context.runbookUrl}#${args.service}-slo\n\n${notificationBlock(args.routing, burn.pages)}`,
          monitorThresholds: { critical: String(burn.rate) },
          priority: burn.pages ? "1" : "3",
          tags: monitorTags(args.context, args.service, "web"),
        },
        args.transform?.burnMonitor,
      );
      monitorIds[`${args.service}-${burn.key}-burn`] = monitor.id;
    }
    this.sloId = slo.id;
    this.monitorIds = monitorIds;
    this.registerOutputs({ sloId: this.sloId });
  }
}
