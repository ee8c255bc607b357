import * as pulumi from "@pulumi/pulumi";
import type { PolicyResource as PackResource, ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { type PolicyConfig, type PolicyResource, type Rule, RULES, UNKNOWN } from "./rules";

/**
 * A value of a preview's resource, read through CrossGuard's proxy, as plain data: a value the
 * preview does not know (the proxy throws its UnknownValueError when it is read) becomes
 * {@link UNKNOWN}, so that a rule can judge the rest.
 */
function known(read: () => unknown): unknown {
  let value: unknown;
  try {
    value = read();
  } catch (error) {
    if (error instanceof Error && error.constructor.name === "UnknownValueError") return UNKNOWN;
    throw error;
  }
  if (Array.isArray(value)) return Array.from({ length: value.length }, (_, i) => known(() => (value as unknown[])[i]));
  if (value && typeof value === "object") return Object.fromEntries(Object.keys(value).map((k) => [k, known(() => (value as Record<string, unknown>)[k])]));
  return value;
}

/** A resource of a preview, as the rules see it (the same shape as an offline plan's, unknown values {@link UNKNOWN}). */
export function fromPack(r: PackResource): PolicyResource {
  return {
    type: r.type,
    name: r.name,
    urn: r.urn,
    parent: r.parent?.urn ?? null,
    inputs: known(() => r.props) as Record<string, unknown>,
    protect: r.opts?.protect === true,
  };
}

/**
 * What the rules are told: the pack's config (`--policy-pack-config`) when it says, or else the
 * stack's own `infra:protectData` (Pulumi's Node host hands a policy pack the stack's config, as
 * it does a program), so that a preview of prd needs no config file to judge prd.
 */
export function rulesConfig(pack: { protectData?: boolean }): PolicyConfig {
  if (pack.protectData !== undefined) return { protectData: pack.protectData };
  return { protectData: new pulumi.Config("infra").getBoolean("protectData") ?? false };
}

/**
 * Each rule as a CrossGuard stack policy: it sees every resource of the preview, as some rules
 * need the others (a load balancer's groups, a bucket's settings, the provider's account). The
 * enforcement level is the rule's; a stack changes it in the pack's config
 * (`{ "<rule>": { "enforcementLevel": "advisory" } }`, `--policy-pack-config`).
 */
export function asStackPolicy(rule: Rule): StackValidationPolicy {
  return {
    name: rule.name,
    description: rule.description,
    enforcementLevel: rule.enforcementLevel,
    // `protectData` in the pack's config overrides the stack's `infra:protectData`.
    configSchema: { properties: { protectData: { type: "boolean" } } },
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
      const resources = args.resources.map(fromPack);
      const config = rulesConfig(args.getConfig<PolicyConfig>());
      for (const r of resources.filter((x) => rule.types.includes(x.type))) {
        for (const message of rule.validate(r, resources, config)) reportViolation(`${r.type} ${r.name}: ${message}`, r.urn);
      }
    },
  };
}

/** The pack's policies: the same rules `npm run policy` runs offline. */
export const policies: StackValidationPolicy[] = RULES.map(asStackPolicy);
