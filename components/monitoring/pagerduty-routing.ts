import * as datadog from "@pulumi/datadog";
import * as pagerduty from "@pulumi/pagerduty";
import type * as pulumi from "@pulumi/pulumi";
import { InfraComponent, type Transform } from "../component";
import { notOneOf, type Problem, throwIfProblems } from "../problems";

/** Who an escalation reaches: a PagerDuty schedule or user, by id. */
export interface EscalationTarget {
  readonly type: (typeof ESCALATION_TARGET_TYPES)[number];
  /** PagerDuty's id (`PABC123`). */
  readonly id: string;
}

/** Arguments of {@link PagerDutyRouting}. */
export interface PagerDutyRoutingArgs {
  /** The PagerDuty service's name, and the handle: `@pagerduty-<serviceName>`. */
  readonly serviceName: string;
  /** Who is paged, in order; at least one. */
  readonly targets: readonly EscalationTarget[];
  /** Minutes before the next level (and the next loop). @default 30 */
  readonly escalationDelayMinutes?: number;
  /** Times the escalation repeats when nobody acknowledges. @default 2 */
  readonly loops?: number;
  /** Changes to the args of its children before they are created (see {@link Transform}). @default none */
  readonly transform?: {
    readonly escalationPolicy?: Transform<pagerduty.EscalationPolicyArgs>;
    readonly service?: Transform<pagerduty.ServiceArgs>;
    /** The service's Datadog integration (its key pages the service). */
    readonly integration?: Transform<pagerduty.ServiceIntegrationArgs>;
    /** The integration as Datadog knows it (`@pagerduty-<service>`). */
    readonly datadogService?: Transform<datadog.pagerduty.ServiceObjectArgs>;
  };
}

const PD_ID = /^P[A-Z0-9]{6}$/;

/** What an escalation rule may page: an on-call schedule or a user. */
export const ESCALATION_TARGET_TYPES = ["schedule_reference", "user_reference"] as const;
const SERVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/;

/** Every problem of the routing's args, each naming the argument. */
export function pagerDutyProblems(args: PagerDutyRoutingArgs): Problem[] {
  const problems: Problem[] = [];
  if (!SERVICE_NAME.test(args.serviceName))
    problems.push({ field: "serviceName", message: `"${args.serviceName}" cannot follow @pagerduty- in a handle (letters, digits, _.-)` });
  if (args.targets.length === 0) problems.push({ field: "targets", message: "is empty: a stack that pages needs someone to page (a schedule or a user)" });
  args.targets.forEach((t, i) => {
    // Typed in TypeScript, but a JavaScript caller or another language (plugin/) passes any string.
    if (!ESCALATION_TARGET_TYPES.includes(t.type)) problems.push({ field: `targets[${i}].type`, message: notOneOf(t.type, ESCALATION_TARGET_TYPES) });
    if (!PD_ID.test(t.id)) problems.push({ field: `targets[${i}].id`, message: `"${t.id}" is not a PagerDuty id (P and 6 letters or digits)` });
  });
  const delay = args.escalationDelayMinutes ?? 30;
  if (!Number.isInteger(delay) || delay < 1) problems.push({ field: "escalationDelayMinutes", message: `${delay} is not a whole number of minutes above 0` });
  const loops = args.loops ?? 2;
  if (!Number.isInteger(loops) || loops < 0 || loops > 9) problems.push({ field: "loops", message: `${loops} is out of range (0-9)` });
  return problems;
}

/**
 * Paging for a stack: a PagerDuty service with its escalation policy, a Datadog integration on it
 * (the vendor looked up by name), and Datadog's PagerDuty service object, so that
 * `@pagerduty-<serviceName>` in a monitor's message opens an incident there.
 */
export class PagerDutyRouting extends InfraComponent {
  /** The handle a monitor's message uses to page. */
  public readonly handle: string;
  /** The PagerDuty service's id. */
  public readonly serviceId: pulumi.Output<string>;

  constructor(name: string, args: PagerDutyRoutingArgs, opts?: pulumi.ComponentResourceOptions) {
    throwIfProblems("PagerDutyRouting", name, pagerDutyProblems(args));
    super("infra:monitoring:PagerDutyRouting", name, opts);
    const policy = this.child(
      pagerduty.EscalationPolicy,
      "escalation",
      {
        name: `${args.serviceName} escalation`,
        numLoops: args.loops ?? 2,
        rules: [{ escalationDelayInMinutes: args.escalationDelayMinutes ?? 30, targets: args.targets.map((t) => ({ type: t.type, id: t.id })) }],
      },
      args.transform?.escalationPolicy,
    );
    const service = this.child(
      pagerduty.Service,
      "service",
      { name: args.serviceName, escalationPolicy: policy.id, alertCreation: "create_alerts_and_incidents", autoResolveTimeout: "null" },
      args.transform?.service,
    );
    const vendor = pagerduty.getVendorOutput({ name: "Datadog" }, { parent: this });
    const integration = this.child(
      pagerduty.ServiceIntegration,
      "datadog",
      { name: "Datadog", service: service.id, vendor: vendor.id },
      args.transform?.integration,
    );
    this.child(
      datadog.pagerduty.ServiceObject,
      "datadog-service",
      { serviceName: args.serviceName, serviceKey: integration.integrationKey },
      args.transform?.datadogService,
    );
    this.handle = `@pagerduty-${args.serviceName}`;
    this.serviceId = service.id;
    this.registerOutputs({ serviceId: this.serviceId });
  }
}
