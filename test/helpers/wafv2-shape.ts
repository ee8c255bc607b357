import { Rule$, VisibilityConfig$ } from "@aws-sdk/client-wafv2";

/**
 * Checks a web ACL's rules against the AWS SDK's own WAFv2 model (the Smithy schemas the client
 * serializes with): every key a member of its structure, every required member present, lists
 * where lists go, and a `Statement` with exactly one statement type, as WAF requires. The
 * provider's camelCase inputs are turned into the API's member names first.
 */

// Where the provider's name is not the API's with a capital first letter.
const API_NAMES: Readonly<Record<string, string>> = {
  cloudwatchMetricsEnabled: "CloudWatchMetricsEnabled",
  ipSetReferenceStatement: "IPSetReferenceStatement",
  arn: "ARN",
  ruleActionOverrides: "RuleActionOverrides",
};

type Schema = number | (() => Schema) | readonly unknown[];

function apiName(key: string): string {
  return API_NAMES[key] ?? key.charAt(0).toUpperCase() + key.slice(1);
}

function resolve(schema: Schema): Schema {
  return typeof schema === "function" ? resolve(schema()) : schema;
}

function check(schema: Schema, value: unknown, path: string, problems: string[]): void {
  const s = resolve(schema);
  if (typeof s === "number") {
    // Smithy's simple types: 0 string, 1 number, 2 boolean; others (blobs, timestamps) not used here.
    const expected = s === 0 ? "string" : s === 1 ? "number" : s === 2 ? "boolean" : undefined;
    if (expected && typeof value !== expected) problems.push(`${path}: expected a ${expected}, got ${JSON.stringify(value)}`);
    return;
  }
  if (typeof s === "function") return;
  const [kind] = s as [number];
  if (kind === 1) {
    // A list: [1, namespace, name, traits, member]
    if (!Array.isArray(value)) return void problems.push(`${path}: expected a list`);
    value.forEach((item, i) => check(s[4] as Schema, item, `${path}[${i}]`, problems));
    return;
  }
  if (kind === 3) {
    // A structure: [3, namespace, name, traits, member names, member schemas, required count]
    const [, , name, , members, schemas, required] = s as [number, string, string, unknown, string[], Schema[], number | undefined];
    if (typeof value !== "object" || value === null || Array.isArray(value)) return void problems.push(`${path}: expected a ${name} structure`);
    const given = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    for (const [key, v] of given) {
      const member = apiName(key);
      const at = members.indexOf(member);
      if (at < 0) problems.push(`${path}.${key}: ${member} is not a member of ${name} (${members.join(", ")})`);
      else check(schemas[at]!, v, `${path}.${key}`, problems);
    }
    for (const member of members.slice(0, required ?? 0)) {
      if (!given.some(([key]) => apiName(key) === member)) problems.push(`${path}: ${name} requires ${member}`);
    }
    if (name === "Statement" && given.length !== 1) problems.push(`${path}: a Statement holds exactly one statement type, found ${given.length}`);
  }
}

/** Problems of a web ACL's `rules` input against WAFv2's Rule model; empty when WAF would parse them. */
export function wafRuleProblems(rules: unknown): string[] {
  const problems: string[] = [];
  if (!Array.isArray(rules)) return ["rules: expected a list"];
  rules.forEach((rule, i) => check(Rule$, rule, `rules[${i}]`, problems));
  return problems;
}

/** Problems of a web ACL's own `visibilityConfig`. */
export function visibilityProblems(config: unknown): string[] {
  const problems: string[] = [];
  check(VisibilityConfig$, config, "visibilityConfig", problems);
  return problems;
}
