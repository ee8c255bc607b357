/**
 * EventBridge Scheduler expressions and time zones, checked as AWS documents them ("Schedule
 * types on EventBridge Scheduler"), so a bad schedule fails in the plan, not in `pulumi up`.
 */

/** `cron(minutes hours day-of-month month day-of-week year)`, `rate(n unit)` or `at(yyyy-mm-ddThh:mm:ss)`. */
export type ScheduleExpression = `cron(${string})` | `rate(${string})` | `at(${string})`;

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Names allowed instead of numbers (months, days). */
  readonly names?: readonly string[];
  /** Special characters allowed besides `, - * /`. */
  readonly special: RegExp;
}

const FIELDS: readonly CronField[] = [
  { name: "minutes", min: 0, max: 59, special: /^$/ },
  { name: "hours", min: 0, max: 23, special: /^$/ },
  { name: "day-of-month", min: 1, max: 31, special: /^(\?|L|LW|\d{1,2}W)$/ },
  { name: "month", min: 1, max: 12, names: MONTHS, special: /^$/ },
  { name: "day-of-week", min: 1, max: 7, names: DAYS, special: /^(\?|L|[1-7]L|[1-7]#[1-5]|(SUN|MON|TUE|WED|THU|FRI|SAT)#[1-5])$/ },
  { name: "year", min: 1970, max: 2199, special: /^$/ },
];

/** The number a cron value stands for, or undefined when it is not one of the field's. */
function cronValue(field: CronField, text: string): number | undefined {
  const named = field.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return named + 1;
  if (!/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return value >= field.min && value <= field.max ? value : undefined;
}

/** Why one cron field is wrong, or undefined. */
function cronFieldProblem(field: CronField, text: string): string | undefined {
  if (field.special.test(text) || text === "*") return undefined;
  for (const part of text.split(",")) {
    const [range = "", step] = part.split("/");
    if (step !== undefined && (!/^\d+$/.test(step) || Number(step) < 1)) return `${field.name} "${text}": step "${step}" must be a whole number, at least 1`;
    if (range === "*") continue;
    const bounds = range.split("-");
    if (bounds.length > 2 || bounds.some((b) => cronValue(field, b) === undefined)) {
      const names = field.names ? ` or ${field.names[0]}-${field.names[field.names.length - 1]}` : "";
      return `${field.name} "${text}" is out of range (${field.min}-${field.max}${names})`;
    }
  }
  return undefined;
}

function cronProblem(body: string): string | undefined {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) {
    return `has ${fields.length} fields; EventBridge Scheduler cron takes 6: minutes hours day-of-month month day-of-week year`;
  }
  const dom = fields[2] as string;
  const dow = fields[4] as string;
  if ((dom === "?") === (dow === "?")) return `day-of-month "${dom}" and day-of-week "${dow}": exactly one of them must be "?"`;
  for (const [i, field] of FIELDS.entries()) {
    const problem = cronFieldProblem(field, fields[i] as string);
    if (problem) return problem;
  }
  return undefined;
}

function rateProblem(body: string): string | undefined {
  const match = /^(\d+) (minute|minutes|hour|hours|day|days)$/.exec(body.trim());
  if (!match) return "must be rate(<value> <unit>) with unit minute(s), hour(s) or day(s)";
  const value = Number(match[1]);
  const unit = match[2] as string;
  if (value < 1) return `value ${value} must be at least 1`;
  const plural = unit.endsWith("s");
  if (value === 1 && plural) return `unit "${unit}" must be singular for 1`;
  if (value > 1 && !plural) return `unit "${unit}" must be plural for ${value}`;
  return undefined;
}

function atProblem(body: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(body);
  if (!match) return "must be at(yyyy-mm-ddThh:mm:ss)";
  const [y, mo, d, h, mi, s] = match.slice(1).map(Number) as [number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return `"${body}" is not a date and time`;
  return undefined;
}

/** Why a schedule expression would be refused by EventBridge Scheduler, or undefined. */
export function scheduleProblem(expression: string): string | undefined {
  const match = /^(cron|rate|at)\((.*)\)$/.exec(expression);
  const quoted = JSON.stringify(expression);
  if (!match) return `${quoted} is not cron(...), rate(...) or at(...)`;
  const [, kind, body = ""] = match;
  const problem = kind === "cron" ? cronProblem(body) : kind === "rate" ? rateProblem(body) : atProblem(body);
  return problem ? `${quoted}: ${problem}` : undefined;
}

/** IANA names are `Area/Location` (or UTC, Etc/...); ICU also accepts abbreviations like JST, which Scheduler does not. */
const IANA_SHAPE = /^(UTC|Etc\/[A-Za-z0-9+-]+|[A-Z][A-Za-z_]+(\/[A-Za-z0-9_+-]+)+)$/;

/** Zones the time zone database already accepted: building a formatter costs about a millisecond, asked for every batch of every plan. */
const KNOWN_ZONES = new Set<string>();

/** Why a time zone is not an IANA name, or undefined. */
export function timezoneProblem(timezone: string): string | undefined {
  const problem = `${JSON.stringify(timezone)} is not an IANA time zone (like Asia/Tokyo)`;
  if (!IANA_SHAPE.test(timezone)) return problem;
  if (KNOWN_ZONES.has(timezone)) return undefined;
  try {
    // Throws a RangeError for a name the time zone database Node ships does not know.
    new Intl.DateTimeFormat("en-US", { timeZone: timezone });
    KNOWN_ZONES.add(timezone);
    return undefined;
  } catch {
    return problem;
  }
}
