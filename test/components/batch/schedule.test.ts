import { describe, expect, it } from "vitest";
import { scheduleProblem, timezoneProblem } from "../../../components/batch/schedule";

describe("scheduleProblem", () => {
  it.each([
    "cron(5 0 * * ? *)",
    "cron(0 3 1 * ? *)",
    "cron(0 * * * ? *)",
    "cron(0/15 9-18 ? * MON-FRI *)",
    "cron(0 0 L * ? *)",
    "cron(0 10 ? * 2#1 2026-2030)",
    "rate(1 hour)",
    "rate(5 minutes)",
    "at(2026-12-01T03:00:00)",
  ])("accepts %s", (expression) => {
    expect(scheduleProblem(expression)).toBeUndefined();
  });

  it.each([
    ["every day", '"every day" is not cron(...), rate(...) or at(...)'],
    ["cron(5 0 * * *)", '"cron(5 0 * * *)": has 5 fields; EventBridge Scheduler cron takes 6: minutes hours day-of-month month day-of-week year'],
    ["cron(5 0 * * * *)", '"cron(5 0 * * * *)": day-of-month "*" and day-of-week "*": exactly one of them must be "?"'],
    ["cron(5 0 ? * ? *)", '"cron(5 0 ? * ? *)": day-of-month "?" and day-of-week "?": exactly one of them must be "?"'],
    ["cron(60 0 * * ? *)", '"cron(60 0 * * ? *)": minutes "60" is out of range (0-59)'],
    ["cron(0 24 * * ? *)", '"cron(0 24 * * ? *)": hours "24" is out of range (0-23)'],
    ["cron(0 0 32 * ? *)", '"cron(0 0 32 * ? *)": day-of-month "32" is out of range (1-31)'],
    ["cron(0 0 * 13 ? *)", '"cron(0 0 * 13 ? *)": month "13" is out of range (1-12 or JAN-DEC)'],
    ["cron(0 0 ? * FOO *)", '"cron(0 0 ? * FOO *)": day-of-week "FOO" is out of range (1-7 or SUN-SAT)'],
    ["cron(0 0 * * ? 1969)", '"cron(0 0 * * ? 1969)": year "1969" is out of range (1970-2199)'],
    ["cron(0/0 * * * ? *)", '"cron(0/0 * * * ? *)": minutes "0/0": step "0" must be a whole number, at least 1'],
    ["rate(1 hours)", '"rate(1 hours)": unit "hours" must be singular for 1'],
    ["rate(2 day)", '"rate(2 day)": unit "day" must be plural for 2'],
    ["rate(0 minutes)", '"rate(0 minutes)": value 0 must be at least 1'],
    ["rate(5 weeks)", '"rate(5 weeks)": must be rate(<value> <unit>) with unit minute(s), hour(s) or day(s)'],
    ["at(2026-02-30T03:00:00)", '"at(2026-02-30T03:00:00)": "2026-02-30T03:00:00" is not a date and time'],
    ["at(2026-12-01 03:00)", '"at(2026-12-01 03:00)": must be at(yyyy-mm-ddThh:mm:ss)'],
  ])("rejects %s", (expression, message) => {
    expect(scheduleProblem(expression)).toBe(message);
  });
});

describe("timezoneProblem", () => {
  it.each(["Asia/Tokyo", "UTC", "America/Argentina/Buenos_Aires", "Etc/GMT-9"])("accepts %s", (tz) => {
    expect(timezoneProblem(tz)).toBeUndefined();
  });

  it.each(["Asia/Tokio", "JST", "+09:00", "", "Tokyo"])("rejects %j", (tz) => {
    expect(timezoneProblem(tz)).toBe(`${JSON.stringify(tz)} is not an IANA time zone (like Asia/Tokyo)`);
  });

  it("answers the same when asked again (the zones accepted are remembered, the refused ones are not)", () => {
    for (const tz of ["Europe/Paris", "Europe/Pariss", "Europe/Paris", "Europe/Pariss"]) timezoneProblem(tz);
    expect(timezoneProblem("Europe/Paris")).toBeUndefined();
    expect(timezoneProblem("Europe/Pariss")).toBe('"Europe/Pariss" is not an IANA time zone (like Asia/Tokyo)');
  });
});
