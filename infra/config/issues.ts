import { z } from "zod";
import type { Problem } from "../../components/problems";
import { configKey, show } from "./errors";

/**
 * Zod's messages say "Invalid input"; ours name the value and what is allowed. This map is passed
 * to every parse of the stack config; schemas with a check of their own give their own message.
 */
export const describeIssue: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return "is required";
      return `expected ${issue.expected === "int" ? "an integer" : issue.expected}, got ${show(issue.input)}`;
    case "invalid_value":
      return `${show(issue.input)} is not one of ${issue.values.map((v) => show(v)).join(", ")}`;
    case "unrecognized_keys": {
      const shape = (issue.inst as { _zod?: { def?: { shape?: object } } } | undefined)?._zod?.def?.shape;
      return `allowed keys: ${Object.keys(shape ?? {}).join(", ")}`;
    }
    case "invalid_key":
      // A record key that fails its own check: its messages say why.
      return issue.issues.map((i) => i.message).join("; ");
    case "too_small":
      return issue.origin === "array"
        ? `has ${(issue.input as unknown[]).length} items; at least ${issue.minimum} required`
        : `${show(issue.input)} is less than ${issue.minimum}`;
    case "too_big":
      return issue.origin === "array"
        ? `has ${(issue.input as unknown[]).length} items; at most ${issue.maximum} allowed`
        : `${show(issue.input)} is more than ${issue.maximum}`;
    default:
      return undefined;
  }
};

/** Keys a stack file may still carry under their old name → the name they have now (the component's). */
const RENAMED_KEYS: Readonly<Record<string, string>> = {
  accessLogRetentionDays: "accessLogRetentionInDays",
  execLogRetentionDays: "execLogRetentionInDays",
  logRetentionDays: "logRetentionInDays",
  retentionDays: "retentionInDays",
};

/**
 * One line per problem: `<key>: <message>`. An unknown key gets a line of its own naming it
 * (a typo must not be ignored): `infra:network.natStratgy: unknown key (allowed keys: ...)`.
 */
export function formatIssues(namespace: string, issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.flatMap((issue) => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((k) =>
        RENAMED_KEYS[k] !== undefined
          ? `${configKey(namespace, [...issue.path, k])}: renamed to ${RENAMED_KEYS[k]} (the name its component gives it; CHANGELOG, Upgrading)`
          : `${configKey(namespace, [...issue.path, k])}: unknown key (${issue.message})`,
      );
    }
    return [`${configKey(namespace, issue.path)}: ${issue.message}`];
  });
}

/** Adds a component check's problems to a zod refinement, each at its field's path. */
export function addProblems(ctx: z.core.$RefinementCtx, problems: readonly Problem[], input: unknown): void {
  for (const p of problems) {
    ctx.addIssue({ code: "custom", path: p.field.split("."), message: p.message, input });
  }
}

/** A number checked by a component's own check (one source of truth for the rule and its words). */
export const checkedNumber = (problemOf: (value: number) => string | undefined) =>
  z.number().superRefine((value, ctx) => {
    const problem = problemOf(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem, input: value });
  });

/** A string checked by a component's own check (one source of truth for the rule and its words). */
export const checked = (problemOf: (value: string) => string | undefined) =>
  z.string().superRefine((value, ctx) => {
    const problem = problemOf(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem, input: value });
  });
