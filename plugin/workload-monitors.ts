import * as pulumi from "@pulumi/pulumi";
import { WorkloadMonitors as LibraryWorkloadMonitors, type WorkloadMonitorsArgs as LibraryWorkloadMonitorsArgs } from "../components/monitoring";
import { throwIfProblems } from "../components/problems";
import { libraryWorkload, type MonitoredWorkload, type MonitoringContext, type Routing, workloadProblems } from "./workload";
import { absentArgs, publish, TRANSFORM_ABSENT } from "./values";

/** Arguments of a WorkloadMonitors. */
export interface WorkloadMonitorsArgs {
  /** The workload watched: its kind, settings and resources' ids. */
  workload: MonitoredWorkload;
  /** Where its alerts go: who is notified, who is paged. */
  routing: Routing;
  /** The stack's environment, team and runbook. */
  context: MonitoringContext;
}

/** The library's args of a WorkloadMonitors that the plugin does not take, and why. */
export const WORKLOAD_MONITORS_ABSENT_ARGS = absentArgs<LibraryWorkloadMonitorsArgs, WorkloadMonitorsArgs>({
  transform: TRANSFORM_ABSENT,
});

/**
 * The Datadog monitors of one workload, from the catalog of its kind (which monitors exist depends
 * only on its settings; their queries are scoped by its resources' ids): the library's
 * WorkloadMonitors, for every Pulumi language.
 */
export class WorkloadMonitors extends pulumi.ComponentResource {
  /** Monitor key → its id. */
  monitorIds!: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: WorkloadMonitorsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("infra:index:WorkloadMonitors", name, {}, opts);
    throwIfProblems("WorkloadMonitors", name, workloadProblems("workload", args.workload));
    const monitors = new LibraryWorkloadMonitors(name, { ...args, workload: libraryWorkload(args.workload) }, { parent: this });
    this.registerOutputs(publish(this, { monitorIds: pulumi.output(monitors.monitorIds) }));
  }
}
