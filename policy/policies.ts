import type { PolicyResource as PackResource, ReportViolation, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { type PolicyConfig, type PolicyResource, type Rule, RULES } from "./rules";

/** A resource of a preview, as the rules see it (the same shape as an offline plan's). */
export function fromPack(r: PackResource): PolicyResource {
  return {
    type: r.type,
    name: r.name,
    urn: r.urn,
    parent: r.parent?.urn ?? null,
    inputs: r.props as Record<string, unknown>,
    protect: r.opts?.protect === true,
  };
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
    // `protectData: true` in a stack's pack config (prd), as `infra:protectData` says offline.
    configSchema: { properties: { protectData: { type: "boolean", default: false } } },
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
      const resources = args.resources.map(fromPack);
      const config = args.getConfig<PolicyConfig>();
      for (const r of resources.filter((x) => rule.types.includes(x.type))) {
        for (const message of rule.validate(r, resources, config)) reportViolation(`${r.type} ${r.name}: ${message}`, r.urn);
      }
    },
  };
}

/** The pack's policies: the same rules `npm run policy` runs offline. */
export const policies: StackValidationPolicy[] = RULES.map(asStackPolicy);
