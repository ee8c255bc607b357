import { z } from "zod";
import { LOG_RETENTION_DAYS } from "../../components/aws-limits";
import { type ManagedRuleGroupName, WAF_MODES, webAclProblems } from "../../components/loadbalancing/web-acl";

/** A component field (`managedRuleGroups[0].countRules[1]`) as a zod path. */
const pathOf = (field: string) =>
  field
    .split(/\.|\[(\d+)\]/)
    .filter((part) => part !== undefined && part !== "")
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));

/**
 * `infra:waf`: the web application firewall in front of every internet-facing load balancer.
 * @default block mode, IP reputation + common rule set + known bad inputs, 2000 requests per IP per 5 minutes
 */
export const wafSchema = z
  .strictObject({
    /** `block`, or `count` to observe what the rules would block (a new stack, a new rule set). @default "block" */
    mode: z.enum(WAF_MODES).optional(),
    /** AWS managed rule groups, in priority order, each with the rules that only count. */
    managedRuleGroups: z
      .array(
        z.strictObject({
          /** An AWS managed rule group (`MANAGED_RULE_GROUPS`); checked by the component, with every other problem. */
          // Typed as the component's names: the object's check below refuses any other.
          name: z.string().transform((name) => name as ManagedRuleGroupName),
          /** Rules of the group moved to count (they misfire on the product's traffic). @default [] */
          countRules: z.array(z.string()).default([]),
        }),
      )
      .optional(),
    /** Requests one client IP may send in 5 minutes; the test listener's CIDRs are exempt. @default 2000 */
    rateLimitPer5Minutes: z.number().optional(),
    /** Days the WAF logs are kept. @default 90 */
    logRetentionInDays: z.literal(LOG_RETENTION_DAYS).optional(),
    /** Blocked (in count mode: counted) requests in 10 minutes that alert the chat channel. @default 1000 */
    alertPer10Minutes: z.number().int().min(1).optional(),
  })
  .superRefine((waf, ctx) => {
    const problems = webAclProblems({
      // The name is the stack's; its checks are the component's and are made there.
      aclName: "acl",
      loadBalancerArn: "",
      mode: waf.mode,
      managedRuleGroups: waf.managedRuleGroups,
      rateLimitPer5Minutes: waf.rateLimitPer5Minutes,
      // Every load balancer exempts its test listener's CIDRs (at least one): count the IP set's WCU.
      rateLimitExemptCidrs: ["10.0.0.0/8"],
    });
    for (const p of problems) ctx.addIssue({ code: "custom", path: pathOf(p.field), message: p.message, input: waf });
  })
  .prefault({});

export type WafConfig = z.output<typeof wafSchema>;
