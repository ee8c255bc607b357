import { z } from "zod";
import type { Plan } from "../../offline-plan/plan";

/** A plan file that is not a plan; its message is meant for the terminal. */
export class PlanFileError extends Error {
  override readonly name = "PlanFileError";
}

const optionsSchema = z.strictObject({
  ignoreChanges: z.array(z.string()),
  dependsOn: z.array(z.string()),
  protect: z.boolean(),
  retainOnDelete: z.boolean(),
  deleteBeforeReplace: z.boolean(),
  aliases: z.array(z.string()).optional(),
});

/** The JSON shape of a plan (docs/architecture.md, "The offline plan"); tests hold every plan to it. */
export const planSchema = z.strictObject({
  project: z.string(),
  stack: z.string(),
  resources: z.array(
    z.strictObject({
      urn: z.string().regex(/^urn:pulumi:[^:]+::[^:]+::.+::.+$/),
      type: z.string(),
      name: z.string(),
      parent: z.string().nullable(),
      custom: z.boolean(),
      inputs: z.record(z.string(), z.unknown()),
      options: optionsSchema,
    }),
  ),
  outputs: z.record(z.string(), z.unknown()),
});

/** Parses a plan written by `npm run plan -- <stack> --json FILE`. */
export function parsePlanFile(file: string, text: string): Plan {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new PlanFileError(`${file} is not JSON`);
  }
  const parsed = planSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new PlanFileError(`${file} is not a plan: ${first?.path.join(".") ?? ""} ${first?.message ?? ""}`.trim());
  }
  return parsed.data;
}

/** Two plans of different stacks or projects diff to nonsense: refused unless forced. */
export function checkSameStack(base: Plan, head: Plan, force: boolean): void {
  if (force || (base.stack === head.stack && base.project === head.project)) return;
  throw new PlanFileError(
    `the plans are of ${base.project}/${base.stack} and ${head.project}/${head.stack}: a diff across stacks is meaningless (--force to diff anyway)`,
  );
}
