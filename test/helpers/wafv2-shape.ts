import { Rule$, VisibilityConfig$ } from "@aws-sdk/client-wafv2";
import { shapeProblems } from "./sdk-shape";

/**
 * A web ACL's rules against the AWS SDK's own WAFv2 model: the provider's camelCase inputs as
 * the API's capitalised members, and a `Statement` with exactly one statement type, as WAF requires.
 */

// Where the provider's name is not the API's with a capital first letter.
const API_NAMES: Readonly<Record<string, string>> = {
  cloudwatchMetricsEnabled: "CloudWatchMetricsEnabled",
  ipSetReferenceStatement: "IPSetReferenceStatement",
  arn: "ARN",
  ruleActionOverrides: "RuleActionOverrides",
};

const WAF = {
  apiName: (key: string) => API_NAMES[key] ?? key.charAt(0).toUpperCase() + key.slice(1),
  structureRules: {
    Statement: (value: Record<string, unknown>, path: string) => {
      const given = Object.values(value).filter((v) => v !== undefined).length;
      return given === 1 ? [] : [`${path}: a Statement holds exactly one statement type, found ${given}`];
    },
  },
};

/** Problems of a web ACL's `rules` input against WAFv2's Rule model; empty when WAF would parse them. */
export function wafRuleProblems(rules: unknown): string[] {
  if (!Array.isArray(rules)) return ["rules: expected a list"];
  return rules.flatMap((rule, i) => shapeProblems(Rule$, rule, `rules[${i}]`, WAF));
}

/** Problems of a web ACL's own `visibilityConfig`. */
export function visibilityProblems(config: unknown): string[] {
  return shapeProblems(VisibilityConfig$, config, "visibilityConfig", WAF);
}
