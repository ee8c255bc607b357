import * as pulumi from "@pulumi/pulumi";
import type { LogRetentionDays } from "../components/aws-limits";
import { WebAcl as LibraryWebAcl, type WebAclArgs as LibraryWebAclArgs } from "../components/loadbalancing";
import { absentArgs, checkedByComponent, publish, TRANSFORM_ABSENT } from "./values";

/** An AWS managed rule group of a WebAcl. */
export interface ManagedRuleGroup {
  /** The group: AWSManagedRulesAmazonIpReputationList, AWSManagedRulesCommonRuleSet, AWSManagedRulesKnownBadInputsRuleSet, ... */
  name: string;
  /** Rules of the group that only count (a rule that misfires on the product's real traffic). Default: none. */
  countRules?: string[];
}

/** Managed rule groups as the library's WebAcl takes them (it checks each name). */
export function libraryRuleGroups(groups: ManagedRuleGroup[] | undefined): LibraryWebAclArgs["managedRuleGroups"] {
  return groups?.map((g) => ({ ...g, name: checkedByComponent(g.name) }));
}

/** Arguments of a WebAcl. */
export interface WebAclArgs {
  /** The web ACL's name and CloudWatch metric name (1-128 letters, digits, `-`, `_`). */
  aclName: string;
  /** The internet-facing load balancer it protects. */
  loadBalancerArn: pulumi.Input<string>;
  /** block, or count to observe what the rules would block. Default: block. */
  mode?: string;
  /** In priority order, after the rate rule. Default: IP reputation, common rule set, known bad inputs. */
  managedRuleGroups?: ManagedRuleGroup[];
  /** Requests one client IP may send in 5 minutes before it is limited. Default: 2000. */
  rateLimitPer5Minutes?: number;
  /** Clients never rate-limited: internal CIDRs (CI smoke tests, the office). Default: none. */
  rateLimitExemptCidrs?: string[];
  /** Days the WAF logs are kept. Default: 90. */
  logRetentionInDays?: number;
  /** Tags of every child. Default: none. */
  tags?: Record<string, string>;
}

/** The library's args of a WebAcl that the plugin does not take, and why. */
export const WEB_ACL_ABSENT_ARGS = absentArgs<LibraryWebAclArgs, WebAclArgs>({
  transform: TRANSFORM_ABSENT,
});

/** The library's args of a WebAcl, from the multi-language ones. */
export function libraryWebAclArgs(args: WebAclArgs): LibraryWebAclArgs {
  return {
    ...args,
    mode: checkedByComponent(args.mode),
    managedRuleGroups: libraryRuleGroups(args.managedRuleGroups),
    logRetentionInDays: args.logRetentionInDays as LogRetentionDays | undefined,
  };
}

/**
 * A WAF web ACL in front of an internet-facing ALB: a per-IP rate rule and AWS managed rule
 * groups, logged with the credentials redacted. The library's WebAcl, for every Pulumi language
 * (a LoadBalancer already has one).
 */
export class WebAcl extends pulumi.ComponentResource {
  /** The web ACL's ARN. */
  webAclArn!: pulumi.Output<string>;
  /** The log group of the WAF's logs. */
  logGroupName!: pulumi.Output<string>;

  constructor(name: string, args: WebAclArgs, opts?: pulumi.ComponentResourceOptions) {
    super("infra:index:WebAcl", name, {}, opts);
    const acl = new LibraryWebAcl(name, libraryWebAclArgs(args), { parent: this });
    this.registerOutputs(publish(this, { webAclArn: acl.webAclArn, logGroupName: acl.logGroupName }));
  }
}
