import { describe, expect, it } from "vitest";
import { LoadBalancer } from "../../../components/loadbalancing/load-balancer";
import { type ManagedRuleGroupName, WebAcl, type WebAclArgs } from "../../../components/loadbalancing/web-acl";
import type { PlannedResource } from "../../../offline-plan/plan";
import { byType, named, planAttempt, planOf } from "../../helpers/plan";
import { lbArgs } from "../../helpers/web";
import { visibilityProblems, wafRuleProblems } from "../../helpers/wafv2-shape";

const LB = "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/app/shop-web/0123456789abcdef";
const args = (extra: Partial<WebAclArgs> = {}): WebAclArgs => ({ aclName: "shop-prd-web", loadBalancerArn: LB, ...extra });

interface Rule {
  name: string;
  priority: number;
  action?: object;
  overrideAction?: object;
  statement: { rateBasedStatement?: Record<string, unknown>; managedRuleGroupStatement?: Record<string, unknown> };
  visibilityConfig: { metricName: string; cloudwatchMetricsEnabled: boolean; sampledRequestsEnabled: boolean };
}
const rulesOf = (acl: PlannedResource) => acl.inputs.rules as Rule[];

describe("WebAcl", () => {
  it("is a regional ACL that allows by default, its rules valid for WAFv2 (the SDK's model), priorities unique, metrics on every rule", async () => {
    const plan = await planOf(() => new WebAcl("web-waf", args({ rateLimitExemptCidrs: ["10.60.0.0/16"] })));
    const acl = named(plan, "web-waf-acl");
    expect(acl.inputs).toMatchObject({ name: "shop-prd-web", scope: "REGIONAL", defaultAction: { allow: {} } });
    expect(wafRuleProblems(acl.inputs.rules)).toEqual([]);
    expect(visibilityProblems(acl.inputs.visibilityConfig)).toEqual([]);
    const rules = rulesOf(acl);
    expect(new Set(rules.map((r) => r.priority)).size).toBe(rules.length);
    for (const r of rules) {
      expect(r.visibilityConfig).toEqual({ cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: `shop-prd-web-${r.name}` });
      expect(r.visibilityConfig.metricName).toMatch(/^[\w#:./-]{1,255}$/);
    }
    expect(acl.inputs.visibilityConfig).toEqual({ cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: "shop-prd-web" });
  });

  it("block mode: the rate rule first, then IP reputation, common rule set, known bad inputs, with their own actions", async () => {
    const plan = await planOf(() => new WebAcl("web-waf", args()));
    const rules = rulesOf(named(plan, "web-waf-acl"));
    expect(rules.map((r) => [r.priority, r.name])).toEqual([
      [0, "rate-limit-per-ip"],
      [1, "AWSManagedRulesAmazonIpReputationList"],
      [2, "AWSManagedRulesCommonRuleSet"],
      [3, "AWSManagedRulesKnownBadInputsRuleSet"],
    ]);
    expect(rules[0]).toMatchObject({
      action: { block: {} },
      statement: { rateBasedStatement: { limit: 2000, evaluationWindowSec: 300, aggregateKeyType: "IP" } },
    });
    expect(rules[0]!.statement.rateBasedStatement).not.toHaveProperty("scopeDownStatement");
    for (const r of rules.slice(1)) {
      expect(r.overrideAction).toEqual({ none: {} });
      expect(r.statement.managedRuleGroupStatement).toEqual({ vendorName: "AWS", name: r.name });
    }
  });

  it("block mode with a misfiring rule: only that rule counts", async () => {
    const plan = await planOf(
      () => new WebAcl("web-waf", args({ managedRuleGroups: [{ name: "AWSManagedRulesCommonRuleSet", countRules: ["SizeRestrictions_BODY"] }] })),
    );
    const [, common] = rulesOf(named(plan, "web-waf-acl"));
    expect(common!.overrideAction).toEqual({ none: {} });
    expect(common!.statement.managedRuleGroupStatement).toEqual({
      vendorName: "AWS",
      name: "AWSManagedRulesCommonRuleSet",
      ruleActionOverrides: [{ name: "SizeRestrictions_BODY", actionToUse: { count: {} } }],
    });
  });

  it("count mode: every group's action becomes count and the rate rule counts; nothing is blocked", async () => {
    const plan = await planOf(
      () => new WebAcl("web-waf", args({ mode: "count", managedRuleGroups: [{ name: "AWSManagedRulesSQLiRuleSet", countRules: ["SQLi_BODY"] }] })),
    );
    const rules = rulesOf(named(plan, "web-waf-acl"));
    expect(rules[0]!.action).toEqual({ count: {} });
    expect(rules[1]!.overrideAction).toEqual({ count: {} });
    expect(JSON.stringify(rules)).not.toContain("block");
  });

  it("exempts the internal CIDRs from the rate rule through an IP set (network addresses, each once)", async () => {
    const plan = await planOf(
      () => new WebAcl("web-waf", args({ rateLimitExemptCidrs: ["203.0.113.7/24", "10.60.0.0/16", "203.0.113.0/24"], rateLimitPer5Minutes: 500 })),
    );
    expect(named(plan, "web-waf-exempt").inputs).toMatchObject({ scope: "REGIONAL", ipAddressVersion: "IPV4", addresses: ["10.60.0.0/16", "203.0.113.0/24"] });
    const [rate] = rulesOf(named(plan, "web-waf-acl"));
    expect(rate!.statement.rateBasedStatement).toMatchObject({
      limit: 500,
      scopeDownStatement: { notStatement: { statement: { ipSetReferenceStatement: { arn: expect.stringContaining("web-waf-exempt") as unknown } } } },
    });
    expect(wafRuleProblems(named(plan, "web-waf-acl").inputs.rules)).toEqual([]);
  });

  it("guards the shape check itself: a statement with two types, or a misspelt member, is refused", () => {
    expect(
      wafRuleProblems([
        { name: "x", priority: 0, statement: {}, visibilityConfig: { metricName: "m", cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true } },
      ]),
    ).toEqual(["rules[0].statement: a Statement holds exactly one statement type, found 0"]);
    expect(wafRuleProblems([{ name: "x", priority: 0, statement: { geoMatchStatment: {} }, visibilityConfig: {} }])).toEqual([
      expect.stringMatching(/^rules\[0\]\.statement\.geoMatchStatment: GeoMatchStatment is not a member of Statement/) as unknown,
      "rules[0].visibilityConfig: VisibilityConfig requires SampledRequestsEnabled",
      "rules[0].visibilityConfig: VisibilityConfig requires CloudWatchMetricsEnabled",
      "rules[0].visibilityConfig: VisibilityConfig requires MetricName",
    ]);
  });

  it("associates the ACL with the load balancer and logs to aws-waf-logs-<name>, authorization and cookie redacted", async () => {
    const plan = await planOf(() => new WebAcl("web-waf", args({ logRetentionInDays: 30 })));
    expect(named(plan, "web-waf-association").inputs).toEqual({ resourceArn: LB, webAclArn: expect.stringContaining("webacl/shop-prd-web") as unknown });
    expect(named(plan, "web-waf-logs").inputs).toMatchObject({ name: "aws-waf-logs-shop-prd-web", retentionInDays: 30 });
    expect(named(plan, "web-waf-logging").inputs).toMatchObject({
      logDestinationConfigs: ["arn:aws:logs:ap-northeast-1:123456789012:log-group:aws-waf-logs-shop-prd-web"],
      redactedFields: [{ singleHeader: { name: "authorization" } }, { singleHeader: { name: "cookie" } }],
    });
  });

  it("every load balancer gets one, named after it and its project and stack unless told, its test listener's CIDRs exempt", async () => {
    const plan = await planOf(() => new LoadBalancer("web-lb", lbArgs({ testListener: { allowedCidrs: ["198.51.100.0/24"] }, webAcl: { mode: "count" } })));
    // WAF names are per account and region: two teams' stacks there may both have a "web-lb".
    expect(byType(plan, "aws:wafv2/webAcl:WebAcl").map((r) => r.inputs.name)).toEqual(["infra-test-web-lb"]);
    expect(named(plan, "web-lb-waf-logs").inputs.name).toBe("aws-waf-logs-infra-test-web-lb");
    expect(named(plan, "web-lb-waf-exempt").inputs.addresses).toEqual(["198.51.100.0/24"]);
    expect(named(plan, "web-lb-waf-association").inputs.resourceArn).toEqual(expect.stringContaining("web-lb-alb") as unknown);
  });

  const all: ManagedRuleGroupName[] = [
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesSQLiRuleSet",
    "AWSManagedRulesLinuxRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
    "AWSManagedRulesWindowsRuleSet",
  ];
  it.each<[string, Partial<WebAclArgs>, string]>([
    [
      "groups beyond the 1,500 WCUs of a load balancer's ACL, with the sum",
      { managedRuleGroups: all.map((name) => ({ name })), rateLimitExemptCidrs: ["10.0.0.0/8"] },
      'WebAcl "web-waf": managedRuleGroups the rules need 1503 WCUs (AWSManagedRulesCommonRuleSet 700 + AWSManagedRulesSQLiRuleSet 200 + AWSManagedRulesLinuxRuleSet 200 + AWSManagedRulesKnownBadInputsRuleSet 200 + AWSManagedRulesWindowsRuleSet 200 + rate rule 3); a load balancer\'s web ACL allows 1500',
    ],
    [
      "a group twice and a group AWS does not have",
      {
        managedRuleGroups: [
          { name: "AWSManagedRulesSQLiRuleSet" },
          { name: "AWSManagedRulesSQLiRuleSet" },
          { name: "AWSManagedRulesBotControl" as ManagedRuleGroupName },
        ],
      },
      'WebAcl "web-waf": managedRuleGroups[1].name AWSManagedRulesSQLiRuleSet is listed twice; managedRuleGroups[2].name "AWSManagedRulesBotControl" is not one of "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesAnonymousIpList", "AWSManagedRulesSQLiRuleSet", "AWSManagedRulesLinuxRuleSet", "AWSManagedRulesUnixRuleSet", "AWSManagedRulesWindowsRuleSet", "AWSManagedRulesPHPRuleSet", "AWSManagedRulesAdminProtectionRuleSet"',
    ],
    [
      "a rate limit below WAF's minimum",
      { rateLimitPer5Minutes: 9 },
      'WebAcl "web-waf": rateLimitPer5Minutes 9 is not a whole number from 10 to 2000000000 (WAF\'s bounds)',
    ],
    [
      "a count rule the group does not have",
      { managedRuleGroups: [{ name: "AWSManagedRulesAmazonIpReputationList", countRules: ["AWSManagedIPReputation"] }] },
      'WebAcl "web-waf": managedRuleGroups[0].countRules[0] "AWSManagedIPReputation" is not a rule of AWSManagedRulesAmazonIpReputationList (AWSManagedIPReputationList, AWSManagedReconnaissanceList, AWSManagedIPDDoSList)',
    ],
    [
      "a name WAF refuses, and a reserved metric name",
      { aclName: "shop web" },
      'WebAcl "web-waf": aclName "shop web" must be 1-128 letters, digits, - or _ (and not All or Default_Action)',
    ],
    [
      "a CIDR WAF does not take",
      { rateLimitExemptCidrs: ["0.0.0.0/0"] },
      'WebAcl "web-waf": rateLimitExemptCidrs[0] "0.0.0.0/0" is not an IPv4 CIDR WAF takes (/1 to /32)',
    ],
  ])("refuses %s, before anything is registered", async (_, extra, message) => {
    const { message: error, plan } = await planAttempt(() => new WebAcl("web-waf", args(extra)));
    expect(error).toBe(message);
    expect(plan.resources).toEqual([]);
  });
});

describe("WebAcl and LoadBalancer transform", () => {
  it("changes the web ACL and its log group as asked", async () => {
    const plan = await planOf(
      () => new WebAcl("web-waf", args({ transform: { webAcl: { description: "Edge of shop" }, logGroup: (a) => ({ ...a, retentionInDays: 30 }) } })),
    );
    expect(named(plan, "web-waf-acl").inputs).toMatchObject({ description: "Edge of shop", name: "shop-prd-web" });
    expect(named(plan, "web-waf-logs").inputs).toMatchObject({ retentionInDays: 30, name: "aws-waf-logs-shop-prd-web" });
  });

  it("changes the load balancer, its security group and its log bucket as asked, and its web ACL's through webAcl.transform", async () => {
    const plan = await planOf(
      () =>
        new LoadBalancer(
          "web-lb",
          lbArgs({
            transform: { loadBalancer: { enableHttp2: false }, securityGroup: { revokeRulesOnDelete: true }, accessLogBucket: { forceDestroy: true } },
            webAcl: { transform: { webAcl: { description: "Edge of shop" } } },
          }),
        ),
    );
    expect(named(plan, "web-lb-alb").inputs).toMatchObject({ enableHttp2: false, dropInvalidHeaderFields: true });
    expect(named(plan, "web-lb-sg").inputs.revokeRulesOnDelete).toBe(true);
    expect(named(plan, "web-lb-logs").inputs.forceDestroy).toBe(true);
    expect(named(plan, "web-lb-waf-acl").inputs.description).toBe("Edge of shop");
  });
});
