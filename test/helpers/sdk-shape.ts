/**
 * Checks a value against the AWS SDK's own model of a structure (the Smithy schemas a v3 client
 * serializes with): every key a member of its structure, every required member present, lists
 * where lists go, strings, numbers and booleans where the model has them, and, where the model
 * names an enum, a value of it. The caller says how the provider's names and values differ from
 * the API's (WAF's members are capitalised; ECS takes some minute counts as strings).
 */

/** A Smithy schema as the SDK exports it: a simple type's number, a list or structure tuple, or a thunk of one. */
export type Schema = number | (() => Schema) | readonly unknown[];

/** How the provider's inputs differ from the API's shapes. */
export interface ShapeOptions {
  /** The API's member name of a provider key. @default the key itself */
  readonly apiName?: (key: string) => string;
  /** Members the API models as numbers and the provider takes as strings of digits (ECS's minute counts). @default none */
  readonly numericStrings?: ReadonlySet<string>;
  /** A member's allowed values (the SDK's enum objects), by member name: a string, or each string of a list. @default none */
  readonly enums?: Readonly<Record<string, readonly string[]>>;
  /** More problems of a structure, by its name (a rule the model does not carry). @default none */
  readonly structureRules?: Readonly<Record<string, (value: Record<string, unknown>, path: string) => string[]>>;
}

function resolve(schema: Schema): Schema {
  return typeof schema === "function" ? resolve(schema()) : schema;
}

function check(schema: Schema, value: unknown, path: string, member: string, options: ShapeOptions, problems: string[]): void {
  const s = resolve(schema);
  const allowed = options.enums?.[member];
  if (s === 64) {
    // A list of strings.
    if (!Array.isArray(value)) return void problems.push(`${path}: expected a list`);
    return value.forEach((v, i) => check(0, v, `${path}[${i}]`, member, options, problems));
  }
  if (typeof s === "number") {
    // Smithy's simple types: 0 string, 1 number, 2 boolean; others (documents, timestamps) not checked.
    let v = value;
    if (s === 1 && typeof v === "string" && options.numericStrings?.has(member)) {
      if (!/^\d+$/.test(v)) return void problems.push(`${path}: expected a whole number as a string, got ${JSON.stringify(v)}`);
      v = Number(v);
    }
    const expected = s === 0 ? "string" : s === 1 ? "number" : s === 2 ? "boolean" : undefined;
    if (expected && typeof v !== expected) return void problems.push(`${path}: expected a ${expected}, got ${JSON.stringify(value)}`);
    if (allowed && typeof v === "string" && !allowed.includes(v)) problems.push(`${path}: ${JSON.stringify(v)} is not one of ${allowed.join(", ")}`);
    return;
  }
  if (typeof s === "function") return;
  const [kind] = s as [number];
  if (kind === 1) {
    // A list: [1, namespace, name, traits, member]
    if (!Array.isArray(value)) return void problems.push(`${path}: expected a list`);
    return value.forEach((v, i) => check(s[4] as Schema, v, `${path}[${i}]`, member, options, problems));
  }
  if (kind === 3) {
    // A structure: [3, namespace, name, traits, member names, member schemas, required count]
    const [, , name, , members, schemas, required] = s as [number, string, string, unknown, string[], Schema[], number | undefined];
    if (typeof value !== "object" || value === null || Array.isArray(value)) return void problems.push(`${path}: expected a ${name} structure`);
    const apiName = options.apiName ?? ((key: string) => key);
    const given = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    for (const [key, v] of given) {
      const at = members.indexOf(apiName(key));
      if (at < 0) problems.push(`${path}.${key}: ${apiName(key)} is not a member of ${name} (${members.join(", ")})`);
      else check(schemas[at]!, v, `${path}.${key}`, members[at]!, options, problems);
    }
    for (const m of members.slice(0, required ?? 0)) {
      if (!given.some(([key]) => apiName(key) === m)) problems.push(`${path}: ${name} requires ${m}`);
    }
    problems.push(...(options.structureRules?.[name]?.(value as Record<string, unknown>, path) ?? []));
  }
}

/** Problems of `value` against `schema`, reported under `path`; empty when the API would take it. */
export function shapeProblems(schema: Schema, value: unknown, path: string, options: ShapeOptions = {}): string[] {
  const problems: string[] = [];
  check(schema, value, path, "", options, problems);
  return problems;
}
