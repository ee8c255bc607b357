import { PREPARED_VARIABLE, type ReleaseTarget, releaseTargetSchema } from "./contract";

/** The release run of a prepare's `--json` result, or why there is none. */
export function preparedRun(raw: string | undefined): string {
  if (!raw)
    throw new Error(`${PREPARED_VARIABLE} is not set: deploy continues the release run of its prepare, whose --json result it holds (the program sets it)`);
  let run: unknown;
  try {
    run = (JSON.parse(raw) as { run?: unknown }).run;
  } catch {
    throw new Error(`${PREPARED_VARIABLE} is not prepare's --json result: ${JSON.stringify(raw.slice(0, 80))}`);
  }
  if (typeof run !== "string" || !/^[0-9a-f-]{36}$/.test(run))
    throw new Error(`${PREPARED_VARIABLE} names no release run: ${JSON.stringify(raw.slice(0, 80))}`);
  return run;
}

/** A target from JSON, every problem named; the tool stops before any AWS call when it is wrong. */
export function parseTarget(json: unknown, where: string): ReleaseTarget {
  const parsed = releaseTargetSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "(target)"}: ${i.message}`);
  throw new Error(`${where} is not a release target: ${problems.join("; ")}`);
}
