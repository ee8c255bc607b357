/**
 * The longest gap between two runs of an EventBridge Scheduler cron expression, found by listing
 * its runs over two weeks (wall-clock time in the schedule's zone: a DST shift moves one gap
 * by an hour, which the silence monitor's grace absorbs). Pure.
 */

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];
const DAY_MS = 86_400_000;

/** The values a field matches, or undefined for syntax this walk does not follow (L, W, #). */
function values(field: string, min: number, max: number, names: readonly string[] = [], base = min): Set<number> | undefined {
  if (/[LW#]/.test(field)) return undefined;
  const out = new Set<number>();
  const value = (v: string) => (names.includes(v.toUpperCase()) ? names.indexOf(v.toUpperCase()) + base : Number(v));
  for (const part of field.split(",")) {
    const [range, step] = part.split("/");
    const every = step === undefined ? 1 : Number(step);
    let from = min;
    let to = max;
    if (range !== "*" && range !== "?") {
      const [a, b] = range!.split("-");
      from = value(a!);
      to = b === undefined ? (step === undefined ? from : max) : value(b);
    }
    if (![from, to, every].every(Number.isInteger) || every < 1) return undefined;
    for (let v = from; v <= to; v += every) out.add(v);
  }
  return out;
}

/** Hours of the longest gap between runs over two weeks; undefined when it cannot tell (fewer than two runs, unsupported syntax). */
export function longestGapHours(schedule: string): number | undefined {
  const cron = /^cron\((\S+) (\S+) (\S+) (\S+) (\S+) (\S+)\)$/.exec(schedule);
  if (!cron) return undefined;
  const [, mi, h, dom, mon, dow] = cron;
  const minutes = values(mi!, 0, 59);
  const hours = values(h!, 0, 23);
  const daysOfMonth = values(dom!, 1, 31);
  const months = values(mon!, 1, 12, MONTHS, 1);
  // AWS numbers days of the week 1-7 from Sunday.
  const daysOfWeek = values(dow!, 1, 7, DAYS, 1);
  if (!minutes || !hours || !daysOfMonth || !months || !daysOfWeek) return undefined;
  const start = Date.UTC(2026, 0, 5); // a Monday
  const runs: number[] = [];
  // Day by day, then the matching hours and minutes in order: the runs come out sorted, without
  // testing each of the fortnight's 20,160 minutes (this runs for every batch of every plan).
  const dayHours = [...hours].filter((hour) => hour >= 0 && hour <= 23).sort((a, b) => a - b);
  const hourMinutes = [...minutes].filter((minute) => minute >= 0 && minute <= 59).sort((a, b) => a - b);
  for (let day = start; day < start + 14 * DAY_MS; day += DAY_MS) {
    const d = new Date(day);
    if (!months.has(d.getUTCMonth() + 1) || (dom !== "?" && !daysOfMonth.has(d.getUTCDate())) || (dow !== "?" && !daysOfWeek.has(d.getUTCDay() + 1))) continue;
    for (const hour of dayHours) for (const minute of hourMinutes) runs.push(day + hour * 3_600_000 + minute * 60_000);
  }
  if (runs.length < 2) return undefined;
  // The walk wraps: the gap from the last run back to the first, a fortnight later, counts too.
  const gaps = runs.map((t, i) => (i + 1 < runs.length ? runs[i + 1]! : runs[0]! + 14 * DAY_MS) - t);
  return Math.max(...gaps) / 3_600_000;
}
