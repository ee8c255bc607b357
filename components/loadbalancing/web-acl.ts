import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { type LogRetentionDays, retentionProblems } from "../aws-limits";
import { InfraComponent, type Transform } from "../component";
import { formatIpv4Cidr, networkOf, parseIpv4Cidr } from "../network/cidr";
import { type Problem, throwIfProblems, notOneOf } from "../problems";

/**
 * AWS managed rule groups a web ACL may use: their capacity in WCUs (fixed by AWS) and the names
 * of their rules (a rule moved to count must be one of them: WAF ignores an override that names
 * no rule, so a typo would silently keep blocking). When AWS adds a rule, add its name here.
 */
export const MANAGED_RULE_GROUPS = {
  AWSManagedRulesCommonRuleSet: {
    capacity: 700,
    rules: [
      "NoUserAgent_HEADER",
      "UserAgent_BadBots_HEADER",
      "SizeRestrictions_QUERYSTRING",
      "SizeRestrictions_Cookie_HEADER",
      "SizeRestrictions_BODY",
      "SizeRestrictions_URIPATH",
      "EC2MetaDataSSRF_BODY",
      "EC2MetaDataSSRF_COOKIE",
      "EC2MetaDataSSRF_URIPATH",
      "EC2MetaDataSSRF_QUERYARGUMENTS",
      "GenericLFI_QUERYARGUMENTS",
      "GenericLFI_URIPATH",
      "GenericLFI_BODY",
      "RestrictedExtensions_URIPATH",
      "RestrictedExtensions_QUERYARGUMENTS",
      "GenericRFI_QUERYARGUMENTS",
      "GenericRFI_BODY",
      "GenericRFI_URIPATH",
      "CrossSiteScripting_COOKIE",
      "CrossSiteScripting_QUERYARGUMENTS",
      "CrossSiteScripting_BODY",
      "CrossSiteScripting_URIPATH",
    ],
  },
  AWSManagedRulesKnownBadInputsRuleSet: {
    capacity: 200,
    rules: [
      "JavaDeserializationRCE_HEADER",
      "JavaDeserializationRCE_BODY",
      "JavaDeserializationRCE_URIPATH",
      "JavaDeserializationRCE_QUERYSTRING",
      "Host_localhost_HEADER",
      "PROPFIND_METHOD",
      "ExploitablePaths_URIPATH",
      "Log4JRCE_HEADER",
      "Log4JRCE_QUERYSTRING",
      "Log4JRCE_BODY",
      "Log4JRCE_URIPATH",
    ],
  },
  AWSManagedRulesAmazonIpReputationList: { capacity: 25, rules: ["AWSManagedIPReputationList", "AWSManagedReconnaissanceList", "AWSManagedIPDDoSList"] },
  AWSManagedRulesAnonymousIpList: { capacity: 50, rules: ["AnonymousIPList", "HostingProviderIPList"] },
  AWSManagedRulesSQLiRuleSet: {
    capacity: 200,
    rules: ["SQLiExtendedPatterns_QUERYARGUMENTS", "SQLi_QUERYARGUMENTS", "SQLi_BODY", "SQLi_COOKIE", "SQLi_URIPATH"],
  },
  AWSManagedRulesLinuxRuleSet: { capacity: 200, rules: ["LFI_URIPATH", "LFI_QUERYSTRING", "LFI_HEADER"] },
  AWSManagedRulesUnixRuleSet: { capacity: 100, rules: ["UNIXShellCommandsVariables_QUERYSTRING", "UNIXShellCommandsVariables_BODY"] },
  AWSManagedRulesWindowsRuleSet: {
    capacity: 200,
    rules: [
      "WindowsShellCommands_COOKIE",
      "WindowsShellCommands_QUERYARGUMENTS",
      "WindowsShellCommands_BODY",
      "PowerShellCommands_COOKIE",
      "PowerShellCommands_QUERYARGUMENTS",
      "PowerShellCommands_BODY",
    ],
  },
  AWSManagedRulesPHPRuleSet: {
    capacity: 100,
    rules: ["PHPHighRiskMethodsVariables_HEADER", "PHPHighRiskMethodsVariables_QUERYSTRING", "PHPHighRiskMethodsVariables_BODY"],
  },
  AWSManagedRulesAdminProtectionRuleSet: { capacity: 100, rules: ["AdminProtection_URIPATH"] },
} as const satisfies Record<string, { capacity: number; rules: readonly string[] }>;

export type ManagedRuleGroupName = keyof typeof MANAGED_RULE_GROUPS;
export const MANAGED_RULE_GROUP_NAMES = Object.keys(MANAGED_RULE_GROUPS) as ManagedRuleGroupName[];

/** `count`: every rule only counts what it would block (observe a new rule set); `block`: rules block. */
export const WAF_MODES = ["count", "block"] as const;
export type WafMode = (typeof WAF_MODES)[number];

/** The WCUs a regional web ACL may use without a quota increase (ALB, API Gateway). */
export const WEB_ACL_CAPACITY = 1500;
/** WAF's bounds on a rate-based rule's limit, per evaluation window. */
export const RATE_LIMIT_BOUNDS = { min: 10, max: 2_000_000_000 } as const;
/** A rate-based rule costs 2 WCUs, plus its scope-down statement (an IP set match: 1). */
const RATE_RULE_CAPACITY = 2;
const IP_SET_MATCH_CAPACITY = 1;

/** The default protection: the common rule set, known bad inputs, Amazon's IP reputation list. */
export const DEFAULT_MANAGED_RULE_GROUPS: readonly ManagedRuleGroupUse[] = [
  { name: "AWSManagedRulesAmazonIpReputationList" },
  { name: "AWSManagedRulesCommonRuleSet" },
  { name: "AWSManagedRulesKnownBadInputsRuleSet" },
];

/** One managed rule group in a web ACL. */
export interface ManagedRuleGroupUse {
  readonly name: ManagedRuleGroupName;
  /** Rules of the group that only count (a rule that misfires on the product's real traffic). @default none */
  readonly countRules?: readonly string[];
}

/** Arguments of a {@link WebAcl}. */
export interface WebAclArgs {
  /** The web ACL's name and CloudWatch metric name (1-128 letters, digits, `-`, `_`): `shop-prd-web`. */
  readonly aclName: string;
  /** The internet-facing load balancer it protects. */
  readonly loadBalancerArn: pulumi.Input<string>;
  /** `block`, or `count` to observe what the rules would block. @default "block" */
  readonly mode?: WafMode;
  /** In priority order, after the rate rule. @default IP reputation, common rule set, known bad inputs */
  readonly managedRuleGroups?: readonly ManagedRuleGroupUse[];
  /** Requests one client IP may send in 5 minutes before it is limited. @default 2000 */
  readonly rateLimitPer5Minutes?: number;
  /** Clients never rate-limited: the test listener's internal CIDRs (CI smoke tests, the office). @default [] */
  readonly rateLimitExemptCidrs?: readonly string[];
  /** Days the WAF logs are kept. @default 90 */
  readonly logRetentionInDays?: LogRetentionDays;
  /** Tags of every child. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  /** Changes to the args of its children before they are created (see {@link Transform}). @default none */
  readonly transform?: {
    readonly webAcl?: Transform<aws.wafv2.WebAclArgs>;
    /** The IP set of the clients the rate rule exempts (when there are any). */
    readonly exemptIpSet?: Transform<aws.wafv2.IpSetArgs>;
    readonly association?: Transform<aws.wafv2.WebAclAssociationArgs>;
    readonly logGroup?: Transform<aws.cloudwatch.LogGroupArgs>;
    readonly loggingConfiguration?: Transform<aws.wafv2.WebAclLoggingConfigurationArgs>;
  };
}

// A valid ACL name makes valid metric names too (`<acl>-<rule>`: WAF allows letters, digits and
// `-_#:./`, at most 255, never `All` or `Default_Action`).
/** WAF's limit on a web ACL's name. */
export const WEB_ACL_NAME_LIMIT = 128;

/** What a web ACL does when its args leave these unset. */
export const WEB_ACL_DEFAULTS = {
  mode: "block",
  managedRuleGroups: DEFAULT_MANAGED_RULE_GROUPS,
  rateLimitPer5Minutes: 2000,
  logRetentionInDays: 90,
} as const satisfies Required<Pick<WebAclArgs, "mode" | "managedRuleGroups" | "rateLimitPer5Minutes" | "logRetentionInDays">>;
const NAME = /^[\w-]{1,128}$/;
const RESERVED_METRIC_NAMES = new Set(["All", "Default_Action"]);

/** The rule that limits one client IP: first, so a flood costs no other rule's inspection. */
export const RATE_RULE_NAME = "rate-limit-per-ip";

/** The WCUs the web ACL's rules need: each managed group's fixed capacity, plus the rate rule. */
export function webAclCapacity(args: Pick<WebAclArgs, "managedRuleGroups" | "rateLimitExemptCidrs">): { total: number; parts: string[] } {
  const groups = (args.managedRuleGroups ?? DEFAULT_MANAGED_RULE_GROUPS).filter((g) => g.name in MANAGED_RULE_GROUPS);
  const rate = RATE_RULE_CAPACITY + ((args.rateLimitExemptCidrs ?? []).length > 0 ? IP_SET_MATCH_CAPACITY : 0);
  const parts = [...groups.map((g) => `${g.name} ${MANAGED_RULE_GROUPS[g.name].capacity}`), `rate rule ${rate}`];
  return { total: groups.reduce((sum, g) => sum + MANAGED_RULE_GROUPS[g.name].capacity, rate), parts };
}

/** Metric name of a rule: the ACL's, then the rule's. */
export const ruleMetricName = (aclName: string, rule: string) => `${aclName}-${rule}`;

/** Every problem of the args, each naming the argument; empty when WAF would take them. */
export function webAclProblems(args: WebAclArgs): Problem[] {
  const problems: Problem[] = [];
  if (!NAME.test(args.aclName) || RESERVED_METRIC_NAMES.has(args.aclName)) {
    problems.push({ field: "aclName", message: `${JSON.stringify(args.aclName)} must be 1-128 letters, digits, - or _ (and not All or Default_Action)` });
  }
  if (args.mode !== undefined && !WAF_MODES.includes(args.mode)) problems.push({ field: "mode", message: notOneOf(args.mode, WAF_MODES) });
  const groups = args.managedRuleGroups ?? DEFAULT_MANAGED_RULE_GROUPS;
  const seen = new Set<string>();
  groups.forEach((g, i) => {
    if (!(g.name in MANAGED_RULE_GROUPS)) {
      problems.push({ field: `managedRuleGroups[${i}].name`, message: notOneOf(g.name, MANAGED_RULE_GROUP_NAMES) });
      return;
    }
    if (seen.has(g.name)) problems.push({ field: `managedRuleGroups[${i}].name`, message: `${g.name} is listed twice` });
    seen.add(g.name);
    const known: readonly string[] = MANAGED_RULE_GROUPS[g.name].rules;
    (g.countRules ?? []).forEach((rule, j) => {
      if (!known.includes(rule)) {
        problems.push({
          field: `managedRuleGroups[${i}].countRules[${j}]`,
          message: `${JSON.stringify(rule)} is not a rule of ${g.name} (${known.join(", ")})`,
        });
      }
    });
  });
  const limit = args.rateLimitPer5Minutes;
  if (limit !== undefined && (!Number.isInteger(limit) || limit < RATE_LIMIT_BOUNDS.min || limit > RATE_LIMIT_BOUNDS.max)) {
    problems.push({
      field: "rateLimitPer5Minutes",
      message: `${limit} is not a whole number from ${RATE_LIMIT_BOUNDS.min} to ${RATE_LIMIT_BOUNDS.max} (WAF's bounds)`,
    });
  }
  (args.rateLimitExemptCidrs ?? []).forEach((cidr, i) => {
    const parsed = parseIpv4Cidr(cidr);
    if (!parsed || parsed.prefix === 0)
      problems.push({ field: `rateLimitExemptCidrs[${i}]`, message: `${JSON.stringify(cidr)} is not an IPv4 CIDR WAF takes (/1 to /32)` });
  });
  const capacity = webAclCapacity(args);
  if (capacity.total > WEB_ACL_CAPACITY) {
    problems.push({
      field: "managedRuleGroups",
      message: `the rules need ${capacity.total} WCUs (${capacity.parts.join(" + ")}); a load balancer's web ACL allows ${WEB_ACL_CAPACITY}`,
    });
  }
  problems.push(...retentionProblems("logRetentionInDays", args.logRetentionInDays));
  return problems;
}

type WebAclRule = aws.types.input.wafv2.WebAclRule;

const visibility = (metricName: string) => ({ cloudwatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true });

/**
 * The web ACL's rules: the rate rule first (priority 0, scoped to everyone but the exempt
 * CIDRs), then each managed group in the given order. In `count` mode the rate rule counts and
 * every group's action is overridden to count; in `block` mode only the listed rules count.
 */
export function webAclRules(args: WebAclArgs & { readonly exemptIpSetArn?: pulumi.Input<string> }): WebAclRule[] {
  const mode = args.mode ?? WEB_ACL_DEFAULTS.mode;
  const rate: WebAclRule = {
    name: RATE_RULE_NAME,
    priority: 0,
    action: mode === "block" ? { block: {} } : { count: {} },
    statement: {
      rateBasedStatement: {
        limit: args.rateLimitPer5Minutes ?? WEB_ACL_DEFAULTS.rateLimitPer5Minutes,
        evaluationWindowSec: 300,
        aggregateKeyType: "IP",
        ...(args.exemptIpSetArn ? { scopeDownStatement: { notStatement: { statement: { ipSetReferenceStatement: { arn: args.exemptIpSetArn } } } } } : {}),
      },
    },
    visibilityConfig: visibility(ruleMetricName(args.aclName, RATE_RULE_NAME)),
  };
  const groups = (args.managedRuleGroups ?? DEFAULT_MANAGED_RULE_GROUPS).map((g, i): WebAclRule => ({
    name: g.name,
    priority: i + 1,
    // `none` keeps the group's own actions; `count` turns every one of them into a count.
    overrideAction: mode === "block" ? { none: {} } : { count: {} },
    statement: {
      managedRuleGroupStatement: {
        vendorName: "AWS",
        name: g.name,
        ...(mode === "block" && (g.countRules ?? []).length > 0
          ? { ruleActionOverrides: (g.countRules ?? []).map((name) => ({ name, actionToUse: { count: {} } })) }
          : {}),
      },
    },
    visibilityConfig: visibility(ruleMetricName(args.aclName, g.name)),
  }));
  return [rate, ...groups];
}

/** Headers a WAF log never shows: sessions and credentials. */
export const REDACTED_HEADERS = ["authorization", "cookie"] as const;

/**
 * A regional WAFv2 web ACL on an internet-facing load balancer: a per-IP rate rule (internal
 * CIDRs exempt) and AWS managed rule groups, in `block` or `count` mode, metrics on every rule,
 * and logs in a CloudWatch log group named `aws-waf-logs-…` (WAF requires the prefix) with
 * the `authorization` and `cookie` headers redacted.
 */
export class WebAcl extends InfraComponent {
  /** The web ACL's ARN. */
  public readonly webAclArn: pulumi.Output<string>;
  /** The ACL's name and CloudWatch metric name: what its metrics are tagged by. */
  public readonly aclName: string;
  /** `block`, or `count` while its rules are observed. */
  public readonly mode: WafMode;
  /** The log group of the WAF's logs. */
  public readonly logGroupName: pulumi.Output<string>;

  constructor(name: string, args: WebAclArgs, opts?: pulumi.ComponentResourceOptions) {
    throwIfProblems("WebAcl", name, webAclProblems(args));
    super("infra:loadbalancing:WebAcl", name, opts);
    const tags = args.tags ?? {};
    const exempt = [...new Set((args.rateLimitExemptCidrs ?? []).map((c) => formatIpv4Cidr(networkOf(parseIpv4Cidr(c)!))))].sort();
    const ipSet =
      exempt.length > 0
        ? this.child(
            aws.wafv2.IpSet,
            "exempt",
            { scope: "REGIONAL", ipAddressVersion: "IPV4", addresses: exempt, description: "Clients the rate rule never limits (internal CIDRs)", tags },
            args.transform?.exemptIpSet,
          )
        : undefined;
    const acl = this.child(
      aws.wafv2.WebAcl,
      "acl",
      {
        name: args.aclName,
        scope: "REGIONAL",
        defaultAction: { allow: {} },
        rules: webAclRules({ ...args, ...(ipSet ? { exemptIpSetArn: ipSet.arn } : {}) }),
        visibilityConfig: visibility(args.aclName),
        tags,
      },
      args.transform?.webAcl,
    );
    this.child(aws.wafv2.WebAclAssociation, "association", { resourceArn: args.loadBalancerArn, webAclArn: acl.arn }, args.transform?.association);
    const logs = this.child(
      aws.cloudwatch.LogGroup,
      "logs",
      { name: `aws-waf-logs-${args.aclName}`, retentionInDays: args.logRetentionInDays ?? WEB_ACL_DEFAULTS.logRetentionInDays, tags },
      args.transform?.logGroup,
    );
    this.child(
      aws.wafv2.WebAclLoggingConfiguration,
      "logging",
      {
        resourceArn: acl.arn,
        logDestinationConfigs: [logs.arn],
        redactedFields: REDACTED_HEADERS.map((header) => ({ singleHeader: { name: header } })),
      },
      args.transform?.loggingConfiguration,
    );
    this.webAclArn = acl.arn;
    this.aclName = args.aclName;
    this.mode = args.mode ?? WEB_ACL_DEFAULTS.mode;
    this.logGroupName = logs.name;
    this.registerOutputs({ webAclArn: this.webAclArn, logGroupName: this.logGroupName });
  }
}
