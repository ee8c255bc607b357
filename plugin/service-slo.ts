import * as pulumi from "@pulumi/pulumi";
import { ServiceSlo as LibraryServiceSlo, type ServiceSloArgs as LibraryServiceSloArgs, type SloTimeframe } from "../components/monitoring/service-slo";
import type { MonitoringContext, Routing } from "./workload";
import { absentArgs, checkedByComponent, publish, TRANSFORM_ABSENT } from "./values";

/** The availability objective of a ServiceSlo. */
export interface SloSettings {
  /** Percent of requests answered without a 5xx. Default: 99.9. */
  target?: number;
  /** The SLO's window: 7d, 30d or 90d. Default: 30d. */
  timeframe?: string;
}

/** Arguments of a ServiceSlo. */
export interface ServiceSloArgs {
  /** The web service's name, in the SLO's and the monitors' titles. */
  service: string;
  /** The load balancer's ARN suffix (`app/<name>/<id>`), the metrics' scope. */
  loadBalancer: pulumi.Input<string>;
  /** Where its burn-rate alerts go. */
  routing: Routing;
  /** The stack's environment, team and runbook. */
  context: MonitoringContext;
  /** The objective. Default: 99.9 % over 30 days. */
  slo?: SloSettings;
}

/** The library's args of a ServiceSlo that the plugin does not take, and why. */
export const SERVICE_SLO_ABSENT_ARGS = absentArgs<LibraryServiceSloArgs, ServiceSloArgs>({
  transform: TRANSFORM_ABSENT,
});

/** An availability SLO of a web service with its fast (paging) and slow burn-rate monitors: the library's ServiceSlo, for every Pulumi language. */
export class ServiceSlo extends pulumi.ComponentResource {
  /** The SLO's id. */
  sloId!: pulumi.Output<string>;
  /** Burn-rate monitor key → its id. */
  monitorIds!: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: ServiceSloArgs, opts?: pulumi.ComponentResourceOptions) {
    super("infra:index:ServiceSlo", name, {}, opts);
    const slo = args.slo && { ...args.slo, timeframe: checkedByComponent<SloTimeframe>(args.slo.timeframe) };
    const service = new LibraryServiceSlo(name, { ...args, slo }, { parent: this });
    this.registerOutputs(publish(this, { sloId: service.sloId, monitorIds: pulumi.output(service.monitorIds) }));
  }
}
