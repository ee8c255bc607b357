import * as pulumi from "@pulumi/pulumi";
import { StackDashboard as LibraryStackDashboard, type StackDashboardArgs as LibraryStackDashboardArgs } from "../components/monitoring";
import { throwIfProblems } from "../components/problems";
import { libraryWorkload, type MonitoredWorkload, workloadProblems } from "./workload";
import { absentArgs, publish, TRANSFORM_ABSENT } from "./values";

/** Arguments of a StackDashboard. */
export interface StackDashboardArgs {
  /** The dashboard's title. */
  title: string;
  /** The stack's environment (`prd`), its widgets' scope. */
  env: string;
  /** The workloads shown, the same as the monitors'. */
  workloads: MonitoredWorkload[];
}

/** The library's args of a StackDashboard that the plugin does not take, and why. */
export const STACK_DASHBOARD_ABSENT_ARGS = absentArgs<LibraryStackDashboardArgs, StackDashboardArgs>({
  transform: TRANSFORM_ABSENT,
});

/** One Datadog dashboard for a stack, generated from the same workloads as the monitors: the library's StackDashboard, for every Pulumi language. */
export class StackDashboard extends pulumi.ComponentResource {
  /** The dashboard's id. */
  dashboardId!: pulumi.Output<string>;

  constructor(name: string, args: StackDashboardArgs, opts?: pulumi.ComponentResourceOptions) {
    super("infra:index:StackDashboard", name, {}, opts);
    throwIfProblems(
      "StackDashboard",
      name,
      args.workloads.flatMap((w, i) => workloadProblems(`workloads[${i}]`, w)),
    );
    const dashboard = new LibraryStackDashboard(name, { ...args, workloads: args.workloads.map(libraryWorkload) }, { parent: this });
    this.registerOutputs(publish(this, { dashboardId: dashboard.dashboardId }));
  }
}
