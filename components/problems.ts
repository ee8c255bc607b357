/**
 * A problem with one argument: `field` is its path (`healthCheck.path`), `message` says what is
 * wrong with the value and what is allowed. Components and the stack config share the checks
 * that return these, so both give the same words: a component as `<field> <message>`, the
 * config as `infra:<key>.<field>: <message>`.
 */
export interface Problem {
  readonly field: string;
  readonly message: string;
}

/**
 * The rule of the short names that prefix others' (workloads, worker groups, task variants): they
 * end up in AWS names of bounded length, so they stay short, lowercase, a letter first.
 */
export const SHORT_NAME = /^[a-z][a-z0-9-]{0,15}$/;

/** What a name refused by {@link SHORT_NAME} is told: `is not a group name (1-16 ...)`. */
export const notAShortName = (kind: string) => `is not a ${kind} name (1-16 lowercase letters, digits, -; starts with a letter)`;

/** Prefixes the fields of nested problems: `healthCheck` + `path` → `healthCheck.path`. */
export function under(prefix: string, problems: readonly Problem[]): Problem[] {
  return problems.map((p) => ({ field: `${prefix}.${p.field}`, message: p.message }));
}

/** `<field> <message>`, the way a component's error states a problem. */
export function describeProblem(p: Problem): string {
  return `${p.field} ${p.message}`;
}

/** Throws one error naming the component and listing every problem; does nothing when there are none. */
export function throwIfProblems(kind: string, name: string, problems: readonly Problem[]): void {
  if (problems.length > 0) throw new Error(`${kind} "${name}": ${problems.map(describeProblem).join("; ")}`);
}

/** `"x" is not one of "a", "b"`: a value outside its allowed set, in the config loader's words. */
export function notOneOf(value: unknown, allowed: readonly unknown[]): string {
  const show = (v: unknown) => (typeof v === "string" ? JSON.stringify(v) : String(v));
  return `${show(value)} is not one of ${allowed.map(show).join(", ")}`;
}

/**
 * A number argument that breaks `rule` (`"must be a whole number, at least 1"`), as a message: a
 * missing one is required, one given as text is shown as text (`"4"`, from JavaScript or YAML
 * quotes), so that the message says what is wrong with it.
 */
export function badNumber(value: unknown, rule: string): string {
  if (value === undefined || value === null) return "is required";
  if (typeof value === "string") return `${JSON.stringify(value)} is text, not a number`;
  return `${typeof value === "number" || typeof value === "boolean" ? String(value) : JSON.stringify(value)} ${rule}`;
}
