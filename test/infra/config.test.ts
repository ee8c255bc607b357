import { describe, expect, it } from "vitest";
import { configProblems } from "../helpers/config";
import { loadStackConfig } from "../../infra/config/load";
import { MANAGED_RULE_GROUPS } from "../../components/loadbalancing/web-acl";

type Mutable = Record<string, unknown> & { "infra:network"?: Record<string, unknown> };

/** A minimal valid stack config, which each case breaks in one way. */
const valid = (): Mutable => ({
  "aws:region": "ap-northeast-1",
  "infra:name": "shop-test",
  "infra:accountId": "123456789012",
  "infra:network": { cidr: "10.50.0.0/16", azs: ["ap-northeast-1a", "ap-northeast-1c"] },
});

const problemsOf = configProblems;

describe("loadStackConfig: a valid config", () => {
  it("leaves every setting a component defaults unset, and fills only the config's own (the shell's lifetime, empty maps)", () => {
    expect(loadStackConfig(valid())).toEqual({
      region: "ap-northeast-1",
      name: "shop-test",
      accountId: "123456789012",
      tags: {},
      cluster: {},
      release: {},
      shell: { maxMinutes: 60 },
      waf: {},
      services: {},
      batches: {},
      network: { cidr: "10.50.0.0/16", azs: ["ap-northeast-1a", "ap-northeast-1c"], flowLogs: {} },
    });
  });

  it("takes tags with letters, digits, spaces and AWS's punctuation in keys and values, and an empty value", () => {
    const tags = { "Cost Center 2": "Shop Web 2", "team:owner/x_y.z=+-@": "sre@example.com", empty: "" };
    expect(loadStackConfig({ ...valid(), "infra:tags": tags }).tags).toEqual(tags);
  });

  it("takes partial settings as given (the component fills the rest), a WAF alert threshold above 1", () => {
    const network = { cidr: "10.50.0.0/16", azs: ["a", "c", "d"].map((z) => `ap-northeast-1${z}`), flowLogs: { retentionInDays: 30 } };
    expect(loadStackConfig({ ...valid(), "infra:network": network }).network.flowLogs).toEqual({ retentionInDays: 30 });
    expect(loadStackConfig({ ...valid(), "infra:waf": { alertPer10Minutes: 50 } }).waf.alertPer10Minutes).toBe(50);
  });

  it("takes a region and AZs of more than two words (GovCloud)", () => {
    const gov = { ...valid(), "aws:region": "us-gov-west-1", "infra:network": { cidr: "10.50.0.0/16", azs: ["us-gov-west-1a", "us-gov-west-1b"] } };
    expect(loadStackConfig(gov).network.azs).toEqual(["us-gov-west-1a", "us-gov-west-1b"]);
  });

  it("ignores other namespaces' keys (the providers read them)", () => {
    expect(() => loadStackConfig({ ...valid(), "aws:profile": "prd", "datadog:site": "datadoghq.com" })).not.toThrow();
  });
});

describe("loadStackConfig: bad configs fail with the key, the value and what is allowed", () => {
  const cases: [string, (c: Mutable) => void, string[]][] = [
    ["CIDR prefix out of range", (c) => (c["infra:network"]!.cidr = "10.0.0.0/33"), ['infra:network.cidr: "10.0.0.0/33" is not an IPv4 CIDR']],
    [
      "CIDR with host bits",
      (c) => (c["infra:network"]!.cidr = "10.50.1.0/16"),
      ['infra:network.cidr: "10.50.1.0/16" has host bits set; the network address is "10.50.0.0/16"'],
    ],
    [
      "CIDR AWS refuses for a VPC",
      (c) => (c["infra:network"]!.cidr = "10.0.0.0/8"),
      ['infra:network.cidr: "10.0.0.0/8" has prefix /8; AWS allows /16 to /28 for a VPC'],
    ],
    [
      "VPC too small for its AZs",
      (c) => (c["infra:network"]!.cidr = "10.0.0.0/26"),
      [
        'infra:network.cidr: "10.0.0.0/26": a /26 VPC is too small for 2 AZs: public and isolated subnets would be /31, AWS\'s smallest subnet is /28; use a /23 or larger VPC',
      ],
    ],
    ["CIDR of the wrong type", (c) => (c["infra:network"]!.cidr = 10), ["infra:network.cidr: expected string, got 10"]],
    ["AZ of another region", (c) => (c["infra:network"]!.azs = ["us-east-1a"]), ['infra:network.azs: "us-east-1a" is not in region ap-northeast-1']],
    [
      "AZ that is no AZ name",
      (c) => (c["infra:network"]!.azs = ["tokyo-a"]),
      ['infra:network.azs[0]: "tokyo-a" is not an availability zone name (like ap-northeast-1a)'],
    ],
    ["AZ listed twice", (c) => (c["infra:network"]!.azs = ["ap-northeast-1a", "ap-northeast-1a"]), ['infra:network.azs: "ap-northeast-1a" is listed twice']],
    ["no AZ", (c) => (c["infra:network"]!.azs = []), ["infra:network.azs: has 0 items; at least 1 required"]],
    ["region that is no region", (c) => (c["aws:region"] = "tokyo"), ['aws:region: "tokyo" is not an AWS region name (like ap-northeast-1)']],
    ["no region", (c) => delete c["aws:region"], ["aws:region: is required (for example ap-northeast-1)"]],
    ["account id too short", (c) => (c["infra:accountId"] = "1234"), ['infra:accountId: "1234" is not a 12-digit AWS account id']],
    ["no account id", (c) => delete c["infra:accountId"], ["infra:accountId: is required"]],
    ["no network", (c) => delete c["infra:network"], ["infra:network: is required"]],
    [
      "unknown top-level key (typo)",
      (c) => (c["infra:netwrok"] = {}),
      [
        "infra:netwrok: unknown key (allowed keys: name, accountId, tags, image, network, cluster, release, shell, waf, services, batches, jobs, monitoring, releaseBot, protectData)",
      ],
    ],
    [
      "unknown nested key (typo)",
      (c) => (c["infra:network"]!.natStratgy = "single"),
      ["infra:network.natStratgy: unknown key (allowed keys: cidr, azs, natStrategy, gatewayEndpoints, interfaceEndpoints, flowLogs)"],
    ],
    [
      "unknown NAT strategy",
      (c) => (c["infra:network"]!.natStrategy = "double"),
      ['infra:network.natStrategy: "double" is not one of "perAz", "single", "none"'],
    ],
    [
      "unknown gateway endpoint",
      (c) => (c["infra:network"]!.gatewayEndpoints = ["s3", "sqs"]),
      ['infra:network.gatewayEndpoints[1]: "sqs" is not one of "s3", "dynamodb"'],
    ],
    [
      "unknown interface endpoint",
      (c) => (c["infra:network"]!.interfaceEndpoints = ["ecr"]),
      [
        'infra:network.interfaceEndpoints[0]: "ecr" is not one of "ecr.api", "ecr.dkr", "logs", "secretsmanager", "ssm", "ssmmessages", "ec2messages", "sts", "kms", "monitoring", "sqs", "sns", "states", "ecs", "ecs-agent", "ecs-telemetry", "elasticache"',
      ],
    ],
    [
      "retention CloudWatch refuses",
      (c) => (c["infra:network"]!.flowLogs = { retentionInDays: 45 }),
      [
        "infra:network.flowLogs.retentionInDays: 45 is not one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653",
      ],
    ],
    ["flag of the wrong type", (c) => (c["infra:network"]!.flowLogs = { enabled: "yes" }), ['infra:network.flowLogs.enabled: expected boolean, got "yes"']],
    [
      "WAF groups beyond the load balancer's capacity",
      (c) =>
        (c["infra:waf"] = {
          managedRuleGroups: [
            "AWSManagedRulesCommonRuleSet",
            "AWSManagedRulesSQLiRuleSet",
            "AWSManagedRulesLinuxRuleSet",
            "AWSManagedRulesKnownBadInputsRuleSet",
            "AWSManagedRulesWindowsRuleSet",
            "AWSManagedRulesAmazonIpReputationList",
          ].map((name) => ({ name })),
        }),
      [
        "infra:waf.managedRuleGroups: the rules need 1528 WCUs (AWSManagedRulesCommonRuleSet 700 + AWSManagedRulesSQLiRuleSet 200 + AWSManagedRulesLinuxRuleSet 200 + AWSManagedRulesKnownBadInputsRuleSet 200 + AWSManagedRulesWindowsRuleSet 200 + AWSManagedRulesAmazonIpReputationList 25 + rate rule 3); a load balancer's web ACL allows 1500",
      ],
    ],
    [
      "WAF group listed twice, unknown group, unknown rule",
      (c) =>
        (c["infra:waf"] = {
          managedRuleGroups: [
            { name: "AWSManagedRulesCommonRuleSet", countRules: ["SizeRestrictions_BODY", "SizeRestriction_BODY"] },
            { name: "AWSManagedRulesCommonRuleSet" },
            { name: "AWSManagedRulesBotControlRuleSet" },
          ],
        }),
      [
        'infra:waf.managedRuleGroups[0].countRules[1]: "SizeRestriction_BODY" is not a rule of AWSManagedRulesCommonRuleSet (NoUserAgent_HEADER, UserAgent_BadBots_HEADER, SizeRestrictions_QUERYSTRING, SizeRestrictions_Cookie_HEADER, SizeRestrictions_BODY, SizeRestrictions_URIPATH, EC2MetaDataSSRF_BODY, EC2MetaDataSSRF_COOKIE, EC2MetaDataSSRF_URIPATH, EC2MetaDataSSRF_QUERYARGUMENTS, GenericLFI_QUERYARGUMENTS, GenericLFI_URIPATH, GenericLFI_BODY, RestrictedExtensions_URIPATH, RestrictedExtensions_QUERYARGUMENTS, GenericRFI_QUERYARGUMENTS, GenericRFI_BODY, GenericRFI_URIPATH, CrossSiteScripting_COOKIE, CrossSiteScripting_QUERYARGUMENTS, CrossSiteScripting_BODY, CrossSiteScripting_URIPATH)',
        "infra:waf.managedRuleGroups[1].name: AWSManagedRulesCommonRuleSet is listed twice",
        'infra:waf.managedRuleGroups[2].name: "AWSManagedRulesBotControlRuleSet" is not one of "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesAnonymousIpList", "AWSManagedRulesSQLiRuleSet", "AWSManagedRulesLinuxRuleSet", "AWSManagedRulesUnixRuleSet", "AWSManagedRulesWindowsRuleSet", "AWSManagedRulesPHPRuleSet", "AWSManagedRulesAdminProtectionRuleSet"',
      ],
    ],
    [
      "WAF rate limit below WAF's minimum",
      (c) => (c["infra:waf"] = { rateLimitPer5Minutes: 5 }),
      ["infra:waf.rateLimitPer5Minutes: 5 is not a whole number from 10 to 2000000000 (WAF's bounds)"],
    ],
    ["WAF mode that is no mode", (c) => (c["infra:waf"] = { mode: "monitor" }), ['infra:waf.mode: "monitor" is not one of "count", "block"']],
    ["shell that lives too long", (c) => (c["infra:shell"] = { maxMinutes: 1440 }), ["infra:shell.maxMinutes: 1440 is more than 720"]],
    ["shell setting of the wrong type", (c) => (c["infra:shell"] = { maxMinutes: "1h" }), ['infra:shell.maxMinutes: expected number, got "1h"']],
    ["region with a prefix", (c) => (c["aws:region"] = "xap-northeast-1"), ['aws:region: "xap-northeast-1" is not an AWS region name (like ap-northeast-1)']],
    ["region with a suffix", (c) => (c["aws:region"] = "ap-northeast-1x"), ['aws:region: "ap-northeast-1x" is not an AWS region name (like ap-northeast-1)']],
    ["account id with a prefix", (c) => (c["infra:accountId"] = "x123456789012"), ['infra:accountId: "x123456789012" is not a 12-digit AWS account id']],
    ["account id too long", (c) => (c["infra:accountId"] = "1234567890123"), ['infra:accountId: "1234567890123" is not a 12-digit AWS account id']],
    [
      "name that starts with a digit",
      (c) => (c["infra:name"] = "1shop"),
      ['infra:name: "1shop" is not a name prefix (2-20 lowercase letters, digits, -; starts with a letter)'],
    ],
    [
      "name too long",
      (c) => (c["infra:name"] = "shop-abcdefghijklmnop"),
      ['infra:name: "shop-abcdefghijklmnop" is not a name prefix (2-20 lowercase letters, digits, -; starts with a letter)'],
    ],
    [
      "AZ that is no AZ name",
      (c) => (c["infra:network"]!.azs = ["ap-northeast-1a", "xap-northeast-1c"]),
      ['infra:network.azs[1]: "xap-northeast-1c" is not an availability zone name (like ap-northeast-1a)'],
    ],
    [
      "AZ with a suffix",
      (c) => (c["infra:network"]!.azs = ["ap-northeast-1a", "ap-northeast-1cc"]),
      ['infra:network.azs[1]: "ap-northeast-1cc" is not an availability zone name (like ap-northeast-1a)'],
    ],
    [
      "tag key with a character AWS refuses",
      (c) => (c["infra:tags"] = { "team!": "sre" }),
      ['infra:tags.team!: "team!" is not a valid tag key (1-128 letters, digits, spaces, _.:/=+-@; not aws:)'],
    ],
    [
      "tag value with a character AWS refuses",
      (c) => (c["infra:tags"] = { team: "sre!" }),
      ['infra:tags.team: "sre!" is not a valid tag value (0-256 letters, digits, spaces, _.:/=+-@)'],
    ],
    [
      "tag value that starts with one",
      (c) => (c["infra:tags"] = { team: "!sre" }),
      ['infra:tags.team: "!sre" is not a valid tag value (0-256 letters, digits, spaces, _.:/=+-@)'],
    ],
    [
      "value too long to show whole",
      (c) => (c["infra:name"] = "x".repeat(100)),
      [`infra:name: "${"x".repeat(76)}... is not a name prefix (2-20 lowercase letters, digits, -; starts with a letter)`],
    ],
    [
      "WAF count rule unknown past the tenth",
      (c) =>
        (c["infra:waf"] = {
          managedRuleGroups: [
            { name: "AWSManagedRulesCommonRuleSet", countRules: [...MANAGED_RULE_GROUPS.AWSManagedRulesCommonRuleSet.rules.slice(0, 10), "NoSuchRule"] },
          ],
        }),
      [
        `infra:waf.managedRuleGroups[0].countRules[10]: "NoSuchRule" is not a rule of AWSManagedRulesCommonRuleSet (${MANAGED_RULE_GROUPS.AWSManagedRulesCommonRuleSet.rules.join(", ")})`,
      ],
    ],
    ["WAF alert threshold of 0", (c) => (c["infra:waf"] = { alertPer10Minutes: 0 }), ["infra:waf.alertPer10Minutes: 0 is less than 1"]],
    ["no AZ", (c) => (c["infra:network"]!.azs = []), ["infra:network.azs: has 0 items; at least 1 required"]],
    [
      "one AZ in a VPC too small for it",
      (c) => (c["infra:network"] = { cidr: "10.0.0.0/28", azs: ["ap-northeast-1a"] }),
      [
        'infra:network.cidr: "10.0.0.0/28": a /28 VPC is too small for 1 AZ: public and isolated subnets would be /33, AWS\'s smallest subnet is /28; use a /23 or larger VPC',
      ],
    ],
    [
      "six AZs in a VPC too small for them",
      (c) => (c["infra:network"] = { cidr: "10.0.0.0/23", azs: ["a", "b", "c", "d", "e", "f"].map((z) => `ap-northeast-1${z}`) }),
      [
        'infra:network.cidr: "10.0.0.0/23": a /23 VPC is too small for 6 AZs: public and isolated subnets would be /29, AWS\'s smallest subnet is /28; use a /22 or larger VPC',
      ],
    ],
    [
      "reserved tag key",
      (c) => (c["infra:tags"] = { "aws:team": "sre" }),
      ['infra:tags.aws:team: "aws:team" is not a valid tag key (1-128 letters, digits, spaces, _.:/=+-@; not aws:)'],
    ],
  ];

  it.each(cases)("%s", (_name, breakIt, expected) => {
    const config = valid();
    breakIt(config);
    expect(problemsOf(config)).toEqual(expected);
  });

  it("reports every problem at once, one per line, in the error's message", () => {
    const config = valid();
    config["aws:region"] = "tokyo";
    config["infra:accountId"] = "x";
    expect(() => loadStackConfig(config)).toThrow(
      'invalid stack configuration:\n  aws:region: "tokyo" is not an AWS region name (like ap-northeast-1)\n  infra:accountId: "x" is not a 12-digit AWS account id',
    );
  });
});
