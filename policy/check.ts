import type { PlannedResource } from "../offline-plan/plan";
import { type EnforcementLevel, type PolicyConfig, type PolicyResource, RULES, type Rule } from "./rules";

/** One violation: the rule, its level, the resource and what to fix. */
export interface Violation {
  readonly rule: string;
  readonly level: Exclude<EnforcementLevel, "disabled">;
  readonly resource: string;
  readonly type: string;
  readonly message: string;
}

/** Runs every rule over every resource of a stack (a plan's, or a preview's); levels may be overridden per rule. */
export function checkResources(
  resources: readonly PolicyResource[],
  config: PolicyConfig = {},
  levels: Readonly<Record<string, EnforcementLevel>> = {},
  rules: readonly Rule[] = RULES,
): Violation[] {
  const out: Violation[] = [];
  for (const rule of rules) {
    const level = levels[rule.name] ?? rule.enforcementLevel;
    if (level === "disabled") continue;
    for (const r of resources.filter((x) => rule.types.includes(x.type))) {
      for (const message of rule.validate(r, resources, config)) out.push({ rule: rule.name, level, resource: r.name, type: r.type, message });
    }
  }
  return out;
}

/** Violations as lines for a person, grouped by rule. */
export function formatViolations(violations: readonly Violation[]): string {
  if (violations.length === 0) return "no violation\n";
  const lines: string[] = [];
  for (const rule of [...new Set(violations.map((v) => v.rule))]) {
    const of = violations.filter((v) => v.rule === rule);
    lines.push(`${rule} (${of[0]!.level}): ${RULES.find((r) => r.name === rule)?.description ?? ""}`);
    for (const v of of) lines.push(`  ${v.type} ${v.resource}: ${v.message}`);
  }
  const mandatory = violations.filter((v) => v.level === "mandatory").length;
  lines.push("", `${mandatory} mandatory, ${violations.length - mandatory} advisory`);
  return `${lines.join("\n")}\n`;
}

/** A resource of an offline plan, as the rules see it. */
export function fromPlan(r: PlannedResource): PolicyResource {
  return { type: r.type, name: r.name, urn: r.urn, parent: r.parent, inputs: r.inputs, protect: r.options.protect };
}
