/**
 * A tool's clock, log and identity for tests: time moves only when the tool sleeps (or the test
 * advances it), and every progress line is kept in order.
 */
export function fakeClock(start: Date) {
  let now = start.getTime();
  const lines: string[] = [];
  return {
    lines,
    advance: (ms: number) => (now += ms),
    base: {
      log: (line: string) => void lines.push(line),
      now: () => new Date(now),
      sleep: (ms: number) => {
        now += ms;
        return Promise.resolve();
      },
      who: "alice@laptop",
    },
  };
}

/** The error a promise is rejected with; fails the test when it is not rejected. */
export async function failure(run: Promise<unknown>): Promise<Error> {
  try {
    await run;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a failure");
}
