import * as datadog from "@pulumi/datadog";
import * as pulumi from "@pulumi/pulumi";
import { InfraComponent, type Transform } from "../component";
import { throwIfProblems, under } from "../problems";
import { type MonitorBody, monitorBody } from "./body";
import { type CatalogContext, monitorsFor, type Workload } from "./catalog";
import { type AlertRouting, routingProblems } from "./routing";

/** Datadog's API names of thresholds → the Pulumi provider's. */
const PROVIDER_THRESHOLD = { critical: "critical", warning: "warning", critical_recovery: "criticalRecovery", warning_recovery: "warningRecovery" } as const;

type WithInputIds<W> = W extends { readonly ids: infer I } ? Omit<W, "ids"> & { readonly ids: { readonly [K in keyof I]: pulumi.Input<string> } } : never;

/** A workload whose ids may be outputs of the resources it watches. */
export type WorkloadInput = WithInputIds<Workload>;

/** Arguments of {@link WorkloadMonitors}. */
export interface WorkloadMonitorsArgs {
  /** The workload watched: its kind, settings and resources' ids. */
  readonly workload: WorkloadInput;
  /** Where its alerts go: who is notified, who is paged. */
  readonly routing: AlertRouting;
  /** The stack's environment, team and runbook. */
  readonly context: CatalogContext;
  /** Changes to the args of each monitor before it is created (see {@link Transform}). @default none */
  readonly transform?: { readonly monitor?: Transform<datadog.MonitorArgs> };
}

/**
 * The Datadog monitors of one workload, from the catalog of its kind: which monitors exist
 * depends only on the workload's settings; their queries are scoped by its resources' ids.
 */
export class WorkloadMonitors extends InfraComponent {
  /** Monitor key → its id, for the dashboard. */
  public readonly monitorIds: Readonly<Record<string, pulumi.Output<string>>>;

  constructor(name: string, args: WorkloadMonitorsArgs, opts?: pulumi.ComponentResourceOptions) {
    throwIfProblems("WorkloadMonitors", name, under("routing", routingProblems(args.routing)));
    super("infra:monitoring:WorkloadMonitors", name, opts);
    const w = args.workload;
    // The catalog's shape with placeholder ids: the same monitors, whatever the ids resolve to.
    const shape = monitorsFor({ ...w, ids: Object.fromEntries(Object.keys(w.ids).map((k) => [k, "id"])) } as Workload);
    const bodies = pulumi
      .output(w.ids)
      .apply((ids) => new Map(monitorsFor({ ...w, ids } as Workload).map((spec) => [spec.key, monitorBody(spec, args.context, args.routing, w.name, w.kind)])));
    const ids: Record<string, pulumi.Output<string>> = {};
    for (const spec of shape) {
      const body = monitorBody(spec, args.context, args.routing, w.name, w.kind);
      const monitor = this.child(
        datadog.Monitor,
        spec.key.slice(w.name.length + 1),
        {
          name: body.name,
          type: body.type,
          query: bodies.apply((m) => (m.get(spec.key) as MonitorBody).query),
          message: body.message,
          priority: String(body.priority),
          tags: body.tags,
          // The API body's thresholds, in the provider's names.
          monitorThresholds: Object.fromEntries(
            Object.entries(body.options.thresholds).map(([k, v]) => [PROVIDER_THRESHOLD[k as keyof typeof PROVIDER_THRESHOLD], String(v)]),
          ),
          // The API body's other options, in the provider's (camelCase) names.
          ...Object.fromEntries(
            Object.entries(body.options)
              .filter(([k]) => k !== "thresholds")
              .map(([k, v]) => [k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()), v]),
          ),
        },
        args.transform?.monitor,
      );
      ids[spec.key] = monitor.id;
    }
    this.monitorIds = ids;
    this.registerOutputs({ monitorIds: ids });
  }
}
