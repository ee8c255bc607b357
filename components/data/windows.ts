import type { Problem } from "../problems";

/**
 * ElastiCache takes its maintenance and snapshot windows in UTC. Japan is UTC+9 with no daylight
 * saving, so a night in Tokyo is the afternoon before in UTC: these helpers show both.
 */
const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
const MAINTENANCE = /^(sun|mon|tue|wed|thu|fri|sat):([01]\d|2[0-3]):([0-5]\d)-(sun|mon|tue|wed|thu|fri|sat):([01]\d|2[0-3]):([0-5]\d)$/;
const SNAPSHOT = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;
const JST_OFFSET_MINUTES = 9 * 60;
const WEEK = 7 * 24 * 60;

const pad = (n: number) => String(n).padStart(2, "0");

function weekMinute(day: string, hh: string, mm: string): number {
  return DAYS.indexOf(day as (typeof DAYS)[number]) * 1440 + Number(hh) * 60 + Number(mm);
}

function formatWeekMinute(minute: number): string {
  const m = ((minute % WEEK) + WEEK) % WEEK;
  return `${DAYS[Math.floor(m / 1440)]} ${pad(Math.floor((m % 1440) / 60))}:${pad(m % 60)}`;
}

/** `sun:18:00-sun:19:00` (UTC) → `mon 03:00-mon 04:00 JST`. */
export function maintenanceWindowInJst(window: string): string {
  const m = MAINTENANCE.exec(window);
  if (!m) throw new Error(`${JSON.stringify(window)} is not ddd:hh:mm-ddd:hh:mm`);
  const start = weekMinute(m[1] as string, m[2] as string, m[3] as string) + JST_OFFSET_MINUTES;
  const end = weekMinute(m[4] as string, m[5] as string, m[6] as string) + JST_OFFSET_MINUTES;
  return `${formatWeekMinute(start)}-${formatWeekMinute(end)} JST`;
}

/** `16:00-17:00` (UTC) → `01:00-02:00 JST`. */
export function snapshotWindowInJst(window: string): string {
  const m = SNAPSHOT.exec(window);
  if (!m) throw new Error(`${JSON.stringify(window)} is not hh:mm-hh:mm`);
  const shift = (hh: string, mm: string) => {
    const minute = (Number(hh) * 60 + Number(mm) + JST_OFFSET_MINUTES) % 1440;
    return `${pad(Math.floor(minute / 60))}:${pad(minute % 60)}`;
  };
  return `${shift(m[1] as string, m[2] as string)}-${shift(m[3] as string, m[4] as string)} JST`;
}

/** Problems of the two windows: their format, at least 60 minutes each (ElastiCache's minimum). */
export function windowProblems(maintenance: string, snapshot: string): Problem[] {
  const problems: Problem[] = [];
  const m = MAINTENANCE.exec(maintenance);
  if (!m) problems.push({ field: "maintenanceWindow", message: `${JSON.stringify(maintenance)} is not ddd:hh:mm-ddd:hh:mm (UTC)` });
  else {
    const length = (weekMinute(m[4] as string, m[5] as string, m[6] as string) - weekMinute(m[1] as string, m[2] as string, m[3] as string) + WEEK) % WEEK;
    if (length < 60)
      problems.push({ field: "maintenanceWindow", message: `${JSON.stringify(maintenance)} is ${length} minutes; ElastiCache needs at least 60` });
  }
  const s = SNAPSHOT.exec(snapshot);
  if (!s) problems.push({ field: "snapshotWindow", message: `${JSON.stringify(snapshot)} is not hh:mm-hh:mm (UTC)` });
  else {
    const length = (Number(s[3]) * 60 + Number(s[4]) - (Number(s[1]) * 60 + Number(s[2])) + 1440) % 1440;
    if (length < 60) problems.push({ field: "snapshotWindow", message: `${JSON.stringify(snapshot)} is ${length} minutes; ElastiCache needs at least 60` });
  }
  return problems;
}
