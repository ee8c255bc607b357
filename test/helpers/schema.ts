// A Pulumi package schema in one form, whoever printed it. The committed schema is what
// ComponentProvider infers (`npm run schema`); the CLI's `pulumi package get-schema` prints the
// same schema after a round trip through Pulumi's Go PackageSpec, which orders keys its own way,
// leaves out empty fields and drops ComponentProvider's `optional` marker (not a schema field:
// optionality is `required` / `requiredInputs`).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./plan";

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function normalise(value: Json): Json | undefined {
  if (Array.isArray(value)) return value.length === 0 ? undefined : value.map((item) => normalise(item) ?? null);
  if (value === null || typeof value !== "object") return value;
  const entries = Object.keys(value)
    .filter((key) => key !== "optional")
    .sort()
    .flatMap((key) => {
      const item = normalise(value[key] as Json);
      return item === undefined ? [] : [[key, item] as const];
    });
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

/** The schema's text in one form: keys sorted, empty fields and `optional` left out, indented. */
export function normalisedSchema(text: string): string {
  return `${JSON.stringify(normalise(JSON.parse(text) as Json) ?? {}, null, 2)}\n`;
}

/** The committed schema, plugin/schema.json. */
export const COMMITTED_SCHEMA = join(ROOT, "plugin", "schema.json");

export function committedSchema(): string {
  return normalisedSchema(readFileSync(COMMITTED_SCHEMA, "utf8"));
}
