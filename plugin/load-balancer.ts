import * as pulumi from "@pulumi/pulumi";
import type { LogRetentionDays } from "../components/aws-limits";
import { LoadBalancer as LibraryLoadBalancer, type LoadBalancerArgs as LibraryLoadBalancerArgs } from "../components/loadbalancing";
import { absentArgs, checkedByComponent, publish, TRANSFORM_ABSENT } from "./values";
import { libraryRuleGroups, type ManagedRuleGroup } from "./web-acl";

/** The test listener of a LoadBalancer: where CodeDeploy checks a new version before it takes production traffic. */
export interface TestListener {
  /** Its port, other than 80 and 443. Default: 8443. */
  port?: number;
  /** Internal CIDRs that may reach it (CI smoke tests, the office); never 0.0.0.0/0. */
  allowedCidrs: string[];
}

/** The web application firewall in front of a LoadBalancer (AWS managed rule groups and a per-IP rate rule). */
export interface WebAclSettings {
  /** The web ACL's name (1-128 letters, digits, `-`, `_`). Default: the load balancer's name. */
  aclName?: string;
  /** block, or count to observe what the rules would block. Default: block. */
  mode?: string;
  /** In priority order, after the rate rule. Default: IP reputation, common rule set, known bad inputs. */
  managedRuleGroups?: ManagedRuleGroup[];
  /** Requests one client IP may send in 5 minutes before it is limited (the test listener's CIDRs are exempt). Default: 2000. */
  rateLimitPer5Minutes?: number;
  /** Days the WAF logs are kept. Default: 90. */
  logRetentionInDays?: number;
}

/** Arguments of a LoadBalancer. */
export interface LoadBalancerArgs {
  /** The VPC of the load balancer's security group. */
  vpcId: pulumi.Input<string>;
  /** Public subnets, one per AZ. */
  subnetIds: pulumi.Input<string>[];
  /** The ACM certificate of the HTTPS listeners. */
  certificateArn: string;
  /** The test listener's port and who may reach it. */
  testListener: TestListener;
  /** TLS policy of the HTTPS listeners, TLS 1.2 and above only. Default: ELBSecurityPolicy-TLS13-1-2-2021-06. */
  sslPolicy?: string;
  /** Refuse deletion of the load balancer. Default: true. */
  deletionProtection?: boolean;
  /** Days access logs are kept. Default: 90. */
  accessLogRetentionInDays?: number;
  /** Seconds an idle connection stays open (1-4000). Default: 60. */
  idleTimeoutSeconds?: number;
  /** Keep the access log bucket when the stack or the component is deleted. Default: false. */
  protectLogs?: boolean;
  /** The web application firewall in front of it. Default: a web ACL named after the load balancer, in block mode. */
  webAcl?: WebAclSettings;
  /** Tags of every child. Default: none. */
  tags?: Record<string, string>;
}

/** The library's args of a LoadBalancer that the plugin does not take, and why. */
export const LOAD_BALANCER_ABSENT_ARGS = absentArgs<LibraryLoadBalancerArgs, LoadBalancerArgs>({
  transform: TRANSFORM_ABSENT,
});

/** The library's args of a LoadBalancer, from the multi-language ones. */
export function libraryLoadBalancerArgs(args: LoadBalancerArgs): LibraryLoadBalancerArgs {
  const webAcl = args.webAcl;
  return {
    vpcId: args.vpcId,
    subnetIds: args.subnetIds,
    certificateArn: args.certificateArn,
    testListener: args.testListener,
    sslPolicy: checkedByComponent(args.sslPolicy),
    deletionProtection: args.deletionProtection,
    accessLogRetentionInDays: args.accessLogRetentionInDays,
    idleTimeoutSeconds: args.idleTimeoutSeconds,
    protectLogs: args.protectLogs,
    webAcl: webAcl && {
      ...webAcl,
      mode: checkedByComponent(webAcl.mode),
      managedRuleGroups: libraryRuleGroups(webAcl.managedRuleGroups),
      logRetentionInDays: webAcl.logRetentionInDays as LogRetentionDays | undefined,
    },
    tags: args.tags,
  };
}

/**
 * An internet-facing ALB for one blue/green service, with its security group, an HTTP→HTTPS
 * redirect, encrypted access logs and a web ACL: the library's LoadBalancer, for every Pulumi
 * language. Pass its outputs, with the same TLS policy and test port, to one BlueGreenService
 * (`loadBalancer`), which creates and owns the HTTPS production and test listeners.
 */
export class LoadBalancer extends pulumi.ComponentResource {
  /** The ALB's ARN. */
  loadBalancerArn!: pulumi.Output<string>;
  /** `app/<name>/<id>`: how CloudWatch names the load balancer in its metrics. */
  arnSuffix!: pulumi.Output<string>;
  /** The ALB's DNS name (point the service's domain at it). */
  dnsName!: pulumi.Output<string>;
  /** The ALB's security group. */
  securityGroupId!: pulumi.Output<string>;
  /** The certificate of its HTTPS listeners. */
  certificateArn!: pulumi.Output<string>;

  constructor(name: string, args: LoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("infra:index:LoadBalancer", name, {}, opts);
    const alb = new LibraryLoadBalancer(name, libraryLoadBalancerArgs(args), { parent: this });
    this.registerOutputs(
      publish(this, {
        loadBalancerArn: alb.loadBalancerArn,
        arnSuffix: alb.arnSuffix,
        dnsName: alb.dnsName,
        securityGroupId: alb.securityGroupId,
        certificateArn: pulumi.output(args.certificateArn),
      }),
    );
  }
}
