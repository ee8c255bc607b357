import type { Problem } from "../problems";

/**
 * Target group health checks tuned for fast releases. With AWS's defaults (30 s interval,
 * 5 healthy checks) a new task needs 150 s to take traffic; with these (10 s, 2 checks) about 20 s.
 */
export interface TargetHealthCheckArgs {
  /** Path of the health endpoint; starts with `/`. @default "/healthz" */
  readonly path?: string;
  /** Seconds between checks (5-300). @default 10 */
  readonly intervalSeconds?: number;
  /** Seconds before a check fails (2-120, less than the interval). @default 5 */
  readonly timeoutSeconds?: number;
  /** Consecutive successes to become healthy (2-10). @default 2 */
  readonly healthyThreshold?: number;
  /** Consecutive failures to become unhealthy (2-10). @default 2 */
  readonly unhealthyThreshold?: number;
  /** HTTP codes that count as healthy (`200`, `200-299`, `200,204`). @default "200-399" */
  readonly matcher?: string;
}

export const HEALTH_CHECK_DEFAULTS = {
  path: "/healthz",
  intervalSeconds: 10,
  timeoutSeconds: 5,
  healthyThreshold: 2,
  unhealthyThreshold: 2,
  matcher: "200-399",
} as const satisfies Required<TargetHealthCheckArgs>;

const MATCHER = /^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/;

const between = (value: number | undefined, min: number, max: number) => value === undefined || (Number.isInteger(value) && value >= min && value <= max);

/** Problems of a health check, each naming the field; shared with the stack config. */
export function healthCheckProblems(check: TargetHealthCheckArgs): Problem[] {
  const problems: Problem[] = [];
  if (check.path !== undefined && !check.path.startsWith("/")) problems.push({ field: "path", message: `${JSON.stringify(check.path)} must start with /` });
  if (!between(check.intervalSeconds, 5, 300)) problems.push({ field: "intervalSeconds", message: `${check.intervalSeconds} is out of range (5-300)` });
  if (!between(check.timeoutSeconds, 2, 120)) problems.push({ field: "timeoutSeconds", message: `${check.timeoutSeconds} is out of range (2-120)` });
  const interval = check.intervalSeconds ?? HEALTH_CHECK_DEFAULTS.intervalSeconds;
  const timeout = check.timeoutSeconds ?? HEALTH_CHECK_DEFAULTS.timeoutSeconds;
  if (timeout >= interval) problems.push({ field: "timeoutSeconds", message: `${timeout} must be less than intervalSeconds ${interval}` });
  if (!between(check.healthyThreshold, 2, 10)) problems.push({ field: "healthyThreshold", message: `${check.healthyThreshold} is out of range (2-10)` });
  if (!between(check.unhealthyThreshold, 2, 10)) problems.push({ field: "unhealthyThreshold", message: `${check.unhealthyThreshold} is out of range (2-10)` });
  if (check.matcher !== undefined && !MATCHER.test(check.matcher))
    problems.push({ field: "matcher", message: `${JSON.stringify(check.matcher)} is not HTTP codes like 200, 200-299 or 200,204` });
  return problems;
}
