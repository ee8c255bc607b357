import * as pulumi from "@pulumi/pulumi";
import type { ESCALATION_TARGET_TYPES } from "../components/monitoring/pagerduty-routing";
import {
  PagerDutyRouting as LibraryPagerDutyRouting,
  type PagerDutyRoutingArgs as LibraryPagerDutyRoutingArgs,
} from "../components/monitoring/pagerduty-routing";
import { absentArgs, checkedByComponent, publish, TRANSFORM_ABSENT } from "./values";

/** Who an escalation level pages. */
export interface EscalationTarget {
  /** schedule_reference or user_reference. */
  type: string;
  /** The schedule's or the user's PagerDuty id (P and 6 letters or digits). */
  id: string;
}

/** Who is paged, and how often. */
export interface Escalation {
  /** Who is paged, one escalation level each, in order. */
  targets: EscalationTarget[];
  /** Minutes before the next level (and the next loop). Default: 30. */
  escalationDelayMinutes?: number;
  /** Times the escalation repeats when nobody acknowledges (0-9). Default: 2. */
  loops?: number;
}

/**
 * Arguments of a PagerDutyRouting. The escalation is one structure, not the library's three
 * top-level args: Pulumi's Go generator writes no input type for a structure that is only ever
 * the item of a plain list of a component's args (`[]EscalationTargetArgs` undefined), and it does
 * for one inside another structure.
 */
export interface PagerDutyRoutingArgs {
  /** The PagerDuty service's name; monitors page it with `@pagerduty-<serviceName>`. */
  serviceName: string;
  /** Who is paged, and how often. */
  escalation: Escalation;
}

/** The library's args of a PagerDutyRouting that the plugin does not take, and why. */
export const PAGER_DUTY_ROUTING_ABSENT_ARGS = absentArgs<LibraryPagerDutyRoutingArgs, PagerDutyRoutingArgs>({
  targets: "Inside `escalation` (see PagerDutyRoutingArgs)",
  escalationDelayMinutes: "Inside `escalation` (see PagerDutyRoutingArgs)",
  loops: "Inside `escalation` (see PagerDutyRoutingArgs)",
  transform: TRANSFORM_ABSENT,
});

/**
 * Paging for a stack: a PagerDuty service and its escalation policy, with the Datadog integration
 * that lets `@pagerduty-<serviceName>` in a monitor open an incident there. The library's
 * PagerDutyRouting, for every Pulumi language.
 */
export class PagerDutyRouting extends pulumi.ComponentResource {
  /** The handle a monitor's message uses to page. */
  handle!: pulumi.Output<string>;
  /** The PagerDuty service's id. */
  serviceId!: pulumi.Output<string>;

  constructor(name: string, args: PagerDutyRoutingArgs, opts?: pulumi.ComponentResourceOptions) {
    super("infra:index:PagerDutyRouting", name, {}, opts);
    const { targets, ...escalation } = args.escalation;
    const routing = new LibraryPagerDutyRouting(
      name,
      {
        serviceName: args.serviceName,
        ...escalation,
        targets: targets.map((t) => ({ ...t, type: checkedByComponent<(typeof ESCALATION_TARGET_TYPES)[number]>(t.type) })),
      },
      { parent: this },
    );
    this.registerOutputs(publish(this, { handle: pulumi.output(routing.handle), serviceId: routing.serviceId }));
  }
}
