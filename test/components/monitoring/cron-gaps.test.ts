import { describe, expect, it } from "vitest";
import { longestGapHours } from "../../../components/monitoring/cron-gaps";

const NAMES: Record<string, number> = { JAN: 1, FEB: 2, MAR: 3, APR: 4, MAY: 5, JUN: 6, JUL: 7, AUG: 8, SEP: 9, OCT: 10, NOV: 11, DEC: 12 };
const DOW: Record<string, number> = { SUN: 1, MON: 2, TUE: 3, WED: 4, THU: 5, FRI: 6, SAT: 7 };

/** Whether a cron field matches a value, read the plain way: a list of `*`, `n`, `a-b`, each with an optional `/step`. */
function matches(field: string, value: number, min: number, max: number, names: Record<string, number> = {}): boolean {
  const number = (text: string) => names[text.toUpperCase()] ?? Number(text);
  return field.split(",").some((part) => {
    const [range = "", step] = part.split("/");
    const [a = "", b] = range.split("-");
    const from = range === "*" || range === "?" ? min : number(a);
    const to = range === "*" || range === "?" ? max : b !== undefined ? number(b) : step !== undefined ? max : from;
    return value >= from && value <= to && (value - from) % Number(step ?? 1) === 0;
  });
}

/** The reference: every minute of the same fortnight tested one by one. */
function minuteByMinute(schedule: string): number | undefined {
  const [mi = "", h = "", dom = "", mon = "", dow = ""] = /^cron\((.*)\)$/.exec(schedule)![1]!.split(" ");
  const start = Date.UTC(2026, 0, 5);
  const fortnight = 14 * 86_400_000;
  const runs: number[] = [];
  for (let t = start; t < start + fortnight; t += 60_000) {
    const d = new Date(t);
    if (
      matches(mi, d.getUTCMinutes(), 0, 59) &&
      matches(h, d.getUTCHours(), 0, 23) &&
      matches(mon, d.getUTCMonth() + 1, 1, 12, NAMES) &&
      (dom === "?" || matches(dom, d.getUTCDate(), 1, 31)) &&
      (dow === "?" || matches(dow, d.getUTCDay() + 1, 1, 7, DOW))
    ) {
      runs.push(t);
    }
  }
  if (runs.length < 2) return undefined;
  return Math.max(...runs.map((t, i) => (runs[i + 1] ?? runs[0]! + fortnight) - t)) / 3_600_000;
}

describe("the longest gap between a cron schedule's runs", () => {
  it.each([
    "cron(5 0 * * ? *)",
    "cron(0 * * * ? *)",
    "cron(0/15 9-18 ? * MON-FRI *)",
    "cron(30 2,14 * * ? *)",
    "cron(0 14,2 * * ? *)",
    "cron(50,5 8 * * ? *)",
    "cron(0 9 ? * MON *)",
    "cron(0 9 ? * MON,THU *)",
    "cron(10,40 */6 * * ? *)",
    "cron(59 23 * * ? *)",
    "cron(0 0 1,8,15 * ? *)",
    "cron(0 12 ? JAN SUN-SAT *)",
    "cron(0 12 ? FEB * *)",
    "cron(45 5-70 * * ? *)",
    "cron(0-5 3 * * ? *)",
    "cron(7/20 1/5 ? * 2-6 *)",
  ])("%s: as testing every minute of the fortnight finds", (schedule) => {
    expect(longestGapHours(schedule)).toBe(minuteByMinute(schedule));
  });

  it("reads the runs of the fortnight in order, the last one wrapping to the first", () => {
    expect(longestGapHours("cron(0 9 ? * MON,THU *)")).toBe(96); // Thursday 09:00 to Monday 09:00
    expect(longestGapHours("cron(0/15 9-18 ? * MON-FRI *)")).toBe(62.25);
    expect(longestGapHours("cron(59 23 * * ? *)")).toBe(24);
  });

  it("cannot tell for fewer than two runs, syntax it does not follow, or what is not a cron expression", () => {
    expect(longestGapHours("cron(0 12 ? FEB * *)")).toBeUndefined(); // no run in January
    expect(longestGapHours("cron(0 3 L * ? *)")).toBeUndefined();
    expect(longestGapHours("cron(0 3 ? * 2#1 *)")).toBeUndefined();
    expect(longestGapHours("cron(0 3 ? * */0 *)")).toBeUndefined();
    expect(longestGapHours("rate(1 hour)")).toBeUndefined();
  });
});
