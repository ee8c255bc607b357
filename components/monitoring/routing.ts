import type { Problem } from "../problems";

/** Where each severity of a stack goes: Datadog notification handles. */
export interface AlertRouting {
  /** Criticals of the monitors that page (`@pagerduty-shop-prd`, or the chat handle where nothing pages). */
  readonly page: readonly string[];
  /** Warnings, criticals of monitors that never page, and no-data of those. */
  readonly notify: readonly string[];
  /** Recoveries: where the alert was heard, never a pager. */
  readonly recovery: readonly string[];
}

/** A Datadog notification handle: `@slack-<channel>`, `@pagerduty-<service>`, `@opsgenie-<team>`, `@team-<handle>`, or an e-mail. */
const HANDLE = /^@(?:(?:slack|pagerduty|opsgenie|webhook|teams|team)-[A-Za-z0-9_.-]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)$/;

/** Why a handle would not reach anyone, or undefined. */
export function handleProblem(handle: string): string | undefined {
  return HANDLE.test(handle)
    ? undefined
    : `"${handle}" is not a Datadog handle (@slack-<channel>, @pagerduty-<service>, @opsgenie-<team>, @webhook-<name>, @teams-<channel>, @team-<handle>, @<e-mail>)`;
}

/** Every handle of a routing that is not one, naming where it is. */
export function routingProblems(routing: AlertRouting): Problem[] {
  return (["page", "notify", "recovery"] as const).flatMap((field) =>
    routing[field].flatMap((handle, i) => {
      const problem = handleProblem(handle);
      return problem ? [{ field: `${field}[${i}]`, message: problem }] : [];
    }),
  );
}

/** Routing of a stack: its chat handle for everything, and its pager (if any) for criticals that page. */
export function stackRouting(chat: string, pager?: string): AlertRouting {
  return { page: [pager ?? chat], notify: [chat], recovery: [chat] };
}

/**
 * The notification part of a monitor's message: Datadog's conditional variables send each
 * state to its handles. A monitor that does not page sends its criticals where warnings go.
 */
export function notificationBlock(routing: AlertRouting, pages: boolean): string {
  const critical = (pages ? routing.page : routing.notify).join(" ");
  return [
    `{{#is_alert}}${critical}{{/is_alert}}`,
    `{{#is_no_data}}${critical}{{/is_no_data}}`,
    `{{#is_warning}}${routing.notify.join(" ")}{{/is_warning}}`,
    `{{#is_recovery}}${routing.recovery.join(" ")}{{/is_recovery}}`,
  ].join("\n");
}
