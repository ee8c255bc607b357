import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { InfraComponent, keepOnDelete, perStackName, type Transform } from "../component";
import { policyJson } from "../iam";
import { type Problem, throwIfProblems, under } from "../problems";
import { parseIpv4Cidr } from "../network/cidr";
import { certificateArnProblem, elbLogDeliveryPrincipal, TLS12_SSL_POLICIES, type Tls12SslPolicy } from "./policies";
import { WEB_ACL_NAME_LIMIT, WebAcl, type WebAclArgs, webAclProblems } from "./web-acl";

/** The listener CodeDeploy uses to send test traffic to a new release before the switch. */
export interface TestListenerArgs {
  /** Port of the test listener (HTTPS). @default 8443 */
  readonly port?: number;
  /** CIDRs allowed to reach it (office, VPN, CI). Never the internet: it serves unreleased code. */
  readonly allowedCidrs: readonly string[];
}

/** Arguments of a {@link LoadBalancer}. */
export interface LoadBalancerArgs {
  /** The VPC of the load balancer's security group. */
  readonly vpcId: pulumi.Input<string>;
  /** Public subnets, one per AZ. */
  readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** ACM certificate of the HTTPS listeners. */
  readonly certificateArn: string;
  /** The test listener's port and who may reach it. */
  readonly testListener: TestListenerArgs;
  /** TLS policy of the HTTPS listeners (TLS 1.2 and above only). @default "ELBSecurityPolicy-TLS13-1-2-2021-06" */
  readonly sslPolicy?: Tls12SslPolicy;
  /** Refuse deletion of the load balancer. @default true */
  readonly deletionProtection?: boolean;
  /** Days access logs are kept. @default 90 */
  readonly accessLogRetentionInDays?: number;
  /** Seconds an idle connection stays open (1-4000). @default 60 */
  readonly idleTimeoutSeconds?: number;
  /** Keep the access log bucket when the stack or the component is deleted (`protect` + `retainOnDelete`). @default false */
  readonly protectLogs?: boolean;
  /**
   * The web application firewall in front of it (the load balancer faces the internet): managed
   * rule groups and a per-IP rate rule from which the test listener's CIDRs are exempt.
   * @default a WebAcl named `<project>-<stack>-<name>` (unique in the account: WAF names are per account and region), with WebAcl's defaults (block mode)
   */
  readonly webAcl?: Omit<WebAclArgs, "loadBalancerArn" | "rateLimitExemptCidrs" | "tags" | "aclName"> & { readonly aclName?: string };
  /** Tags of every child. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  /** Changes to the args of its children before they are created (see {@link Transform}; the web ACL's: `webAcl.transform`). @default none */
  readonly transform?: {
    readonly loadBalancer?: Transform<aws.lb.LoadBalancerArgs>;
    readonly securityGroup?: Transform<aws.ec2.SecurityGroupArgs>;
    /** Each of the group's ingress rules (HTTPS, HTTP, the test listener's CIDRs). */
    readonly securityGroupRule?: Transform<aws.vpc.SecurityGroupIngressRuleArgs>;
    /** The HTTP listener that redirects to HTTPS. */
    readonly httpListener?: Transform<aws.lb.ListenerArgs>;
    readonly accessLogBucket?: Transform<aws.s3.BucketArgs>;
    readonly accessLogOwnership?: Transform<aws.s3.BucketOwnershipControlsArgs>;
    readonly accessLogPublicAccess?: Transform<aws.s3.BucketPublicAccessBlockArgs>;
    readonly accessLogEncryption?: Transform<aws.s3.BucketServerSideEncryptionConfigurationArgs>;
    readonly accessLogLifecycle?: Transform<aws.s3.BucketLifecycleConfigurationArgs>;
    readonly accessLogPolicy?: Transform<aws.s3.BucketPolicyArgs>;
  };
}

/** What a blue/green service needs to create the listeners of this load balancer. */
export interface ListenerSettings {
  readonly loadBalancerArn: pulumi.Input<string>;
  readonly loadBalancerArnSuffix: pulumi.Input<string>;
  readonly securityGroupId: pulumi.Input<string>;
  readonly certificateArn: pulumi.Input<string>;
  readonly sslPolicy: Tls12SslPolicy;
  readonly productionPort: 443;
  readonly testPort: number;
}

/**
 * An ALB that a blue/green service gets the listeners of without a {@link LoadBalancer}: a team's
 * own, or another stack's. The service creates the HTTPS production (443) and test listeners on
 * it and an egress rule in its security group; the ALB must have no listener on those ports,
 * must let its clients in on them, and must serve no other blue/green service (CodeDeploy
 * rewrites the production listener's default action on every release).
 */
export interface ExistingLoadBalancer {
  readonly loadBalancerArn: pulumi.Input<string>;
  /** `app/<name>/<id>`, the dimension of its CloudWatch metrics (the release alarms). */
  readonly arnSuffix: pulumi.Input<string>;
  readonly securityGroupId: pulumi.Input<string>;
  /** ACM certificate of the HTTPS listeners. */
  readonly certificateArn: pulumi.Input<string>;
  /** @default "ELBSecurityPolicy-TLS13-1-2-2021-06" */
  readonly sslPolicy?: Tls12SslPolicy;
  /** Port of the test listener. @default 8443 */
  readonly testPort?: number;
}

/** The TLS policy of the HTTPS listeners when none is given. */
export const DEFAULT_SSL_POLICY: Tls12SslPolicy = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/** The test listener's port when none is given. */
export const DEFAULT_TEST_PORT = 8443;

/** Every problem of an existing load balancer's settings, each naming its field. */
export function existingLoadBalancerProblems(existing: ExistingLoadBalancer): Problem[] {
  const problems = sslPolicyProblems(existing.sslPolicy);
  const portProblem = testListenerPortProblem(existing.testPort ?? DEFAULT_TEST_PORT);
  if (portProblem) problems.push({ field: "testPort", message: portProblem });
  return problems;
}

/** A TLS policy below 1.2, as the problem of `sslPolicy`. */
function sslPolicyProblems(policy: string | undefined): Problem[] {
  return policy !== undefined && !(TLS12_SSL_POLICIES as readonly string[]).includes(policy)
    ? [{ field: "sslPolicy", message: `${JSON.stringify(policy)} is not a TLS 1.2+ policy; allowed: ${TLS12_SSL_POLICIES.join(", ")}` }]
    : [];
}

/**
 * The listener settings a service gets from the load balancer it is given: a {@link LoadBalancer}
 * hands them once (its claim), an existing ALB as given.
 */
export function listenerSettingsOf(loadBalancer: LoadBalancer | ExistingLoadBalancer, service: string): ListenerSettings {
  if (loadBalancer instanceof LoadBalancer) return loadBalancer.claim(service);
  return {
    loadBalancerArn: loadBalancer.loadBalancerArn,
    loadBalancerArnSuffix: loadBalancer.arnSuffix,
    securityGroupId: loadBalancer.securityGroupId,
    certificateArn: loadBalancer.certificateArn,
    sslPolicy: loadBalancer.sslPolicy ?? DEFAULT_SSL_POLICY,
    productionPort: 443,
    testPort: loadBalancer.testPort ?? DEFAULT_TEST_PORT,
  };
}

/** Why a port cannot be the test listener's (80 and 443 are the public listeners'); undefined when it can. */
export function testListenerPortProblem(port: number): string | undefined {
  const valid = Number.isInteger(port) && port >= 1 && port <= 65535 && port !== 443 && port !== 80;
  return valid ? undefined : `${port} must be a port (1-65535) other than 80 and 443`;
}

/** Why a CIDR cannot reach the test listener (not a CIDR, or the whole internet); undefined when it can. */
export function testListenerCidrProblem(cidr: string): string | undefined {
  const parsed = parseIpv4Cidr(cidr);
  if (!parsed) return `${JSON.stringify(cidr)} is not an IPv4 CIDR`;
  if (parsed.prefix === 0) return `${JSON.stringify(cidr)} opens the test listener to the internet`;
  return undefined;
}

/** The role of a test listener rule's name, from its CIDR: `10.0.0.0/8` → `test-10-0-0-0-8`. */
export const testRuleRole = (cidr: string) => `test-${cidr.replace(/[./]/g, "-")}`;

/** Validates a load balancer's args; throws naming each bad argument. */
export function loadBalancerProblems(args: LoadBalancerArgs): Problem[] {
  const problems: Problem[] = [];
  const cert = certificateArnProblem(args.certificateArn);
  if (cert) problems.push({ field: "certificateArn", message: cert });
  problems.push(...sslPolicyProblems(args.sslPolicy));
  // Required by the type; a JavaScript caller (or a plugin's) may still leave it out.
  if (!(args.testListener as TestListenerArgs | undefined))
    problems.push({ field: "testListener", message: "is required: { allowedCidrs: [...] }, who may reach the test port (CodeDeploy's test traffic)" });
  else problems.push(...under("testListener", testListenerProblems(args.testListener)));
  problems.push(...albSettingsProblems(args));
  return problems;
}

/** Every problem of a test listener's settings, each naming its field. */
export function testListenerProblems(testListener: TestListenerArgs): Problem[] {
  const problems: Problem[] = [];
  const portProblem = testListenerPortProblem(testListener.port ?? DEFAULT_TEST_PORT);
  if (portProblem) problems.push({ field: "port", message: portProblem });
  if (testListener.allowedCidrs.length === 0) problems.push({ field: "allowedCidrs", message: "must list at least one CIDR" });
  testListener.allowedCidrs.forEach((cidr, i) => {
    const problem = testListenerCidrProblem(cidr);
    if (problem) problems.push({ field: `allowedCidrs[${i}]`, message: problem });
  });
  return problems;
}

/** Every problem of the ALB's own settings (access log retention, idle timeout), each naming its field. */
export function albSettingsProblems(args: Pick<LoadBalancerArgs, "accessLogRetentionInDays" | "idleTimeoutSeconds">): Problem[] {
  const problems: Problem[] = [];
  const retention = args.accessLogRetentionInDays;
  if (retention !== undefined && (!Number.isInteger(retention) || retention < 1))
    problems.push({ field: "accessLogRetentionInDays", message: `${retention} must be a whole number of days, at least 1` });
  const idle = args.idleTimeoutSeconds;
  if (idle !== undefined && (!Number.isInteger(idle) || idle < 1 || idle > 4000))
    problems.push({ field: "idleTimeoutSeconds", message: `${idle} is out of range (1-4000)` });
  return problems;
}

/** The web ACL's args of a load balancer: its own settings, the test listener's CIDRs exempt from the rate rule. */
function webAclArgsOf(name: string, args: LoadBalancerArgs, loadBalancerArn: pulumi.Input<string>): WebAclArgs {
  return {
    // WAF names are per account and region: the default is unique per stack too.
    aclName: perStackName(name, WEB_ACL_NAME_LIMIT),
    ...args.webAcl,
    loadBalancerArn,
    // (A missing test listener is refused by loadBalancerProblems, checked with these args.)
    rateLimitExemptCidrs: (args.testListener as TestListenerArgs | undefined)?.allowedCidrs ?? [],
    ...(args.tags ? { tags: args.tags } : {}),
  };
}

/**
 * An internet-facing ALB for one blue/green service: its security group (443 and 80 from the
 * internet, the test port from internal CIDRs only), an HTTP→HTTPS redirect, and access logs in
 * an encrypted bucket. The HTTPS production and test listeners belong to the service that
 * claims the load balancer: CodeDeploy rewrites their default action on every release, which is
 * why two blue/green services cannot share one (see the README).
 */
export class LoadBalancer extends InfraComponent {
  /** The ALB's ARN. */
  public readonly loadBalancerArn: pulumi.Output<string>;
  /** The ALB's DNS name (point the service's domain at it). */
  public readonly dnsName: pulumi.Output<string>;
  /** `app/<name>/<id>`: how CloudWatch and Datadog name the load balancer in its metrics. */
  public readonly arnSuffix: pulumi.Output<string>;
  /** The ALB's security group. */
  public readonly securityGroupId: pulumi.Output<string>;
  /** The bucket of its access logs. */
  public readonly accessLogBucket: pulumi.Output<string>;
  /** The firewall in front of it. */
  public readonly webAcl: WebAcl;
  private readonly settings: ListenerSettings;
  private claimedBy: string | undefined;

  constructor(name: string, args: LoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
    throwIfProblems("LoadBalancer", name, [
      ...loadBalancerProblems(args),
      // The exempt CIDRs are the test listener's, already checked above.
      ...webAclProblems(webAclArgsOf(name, args, ""))
        .filter((p) => !p.field.startsWith("rateLimitExemptCidrs"))
        .map((p) => ({ ...p, field: `webAcl.${p.field}` })),
    ]);
    super("infra:loadbalancing:LoadBalancer", name, opts);
    const tags = args.tags ?? {};
    const testPort = args.testListener.port ?? DEFAULT_TEST_PORT;

    const group = this.createSecurityGroup(args, testPort, tags);
    const logs = this.createAccessLogBucket(args.accessLogRetentionInDays ?? 90, args.protectLogs === true, tags, args.transform);
    const alb = this.child(
      aws.lb.LoadBalancer,
      "alb",
      {
        loadBalancerType: "application",
        internal: false,
        securityGroups: [group.id],
        subnets: args.subnetIds,
        dropInvalidHeaderFields: true,
        enableDeletionProtection: args.deletionProtection ?? true,
        idleTimeout: args.idleTimeoutSeconds ?? 60,
        accessLogs: { bucket: logs.bucket.bucket, prefix: "alb", enabled: true },
        tags,
      },
      args.transform?.loadBalancer,
      // ELB checks that it may write to the bucket when access logs are turned on.
      { dependsOn: [logs.policy] },
    );
    this.child(
      aws.lb.Listener,
      "http",
      {
        loadBalancerArn: alb.arn,
        port: 80,
        protocol: "HTTP",
        defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
        tags,
      },
      args.transform?.httpListener,
    );
    this.webAcl = this.child(WebAcl, "waf", webAclArgsOf(name, args, alb.arn), undefined);
    this.loadBalancerArn = alb.arn;
    this.dnsName = alb.dnsName;
    this.arnSuffix = alb.arnSuffix;
    this.securityGroupId = group.id;
    this.accessLogBucket = logs.bucket.bucket;
    this.settings = {
      loadBalancerArn: alb.arn,
      loadBalancerArnSuffix: alb.arnSuffix,
      securityGroupId: group.id,
      certificateArn: args.certificateArn,
      sslPolicy: args.sslPolicy ?? DEFAULT_SSL_POLICY,
      productionPort: 443,
      testPort,
    };
    this.registerOutputs({ loadBalancerArn: this.loadBalancerArn, dnsName: this.dnsName });
  }

  /**
   * Hands the listeners' settings to the one blue/green service that will own the listeners.
   * A second claim throws: CodeDeploy moves traffic by rewriting the production listener's
   * default action, so the listener (and the load balancer) serves one service only.
   */
  claim(service: string): ListenerSettings {
    if (this.claimedBy !== undefined) {
      throw new Error(
        `LoadBalancer "${this.logicalName}" already serves BlueGreenService "${this.claimedBy}"; "${service}" needs a load balancer of its own ` +
          "(CodeDeploy moves traffic by rewriting the production listener's default action)",
      );
    }
    this.claimedBy = service;
    return this.settings;
  }

  /** Ingress rules as separate resources, so the owning service can add its egress rule. */
  private createSecurityGroup(args: LoadBalancerArgs, testPort: number, tags: Readonly<Record<string, string>>): aws.ec2.SecurityGroup {
    const group = this.child(
      aws.ec2.SecurityGroup,
      "sg",
      { vpcId: args.vpcId, description: "ALB: HTTPS and HTTP redirect from the internet, test listener from internal CIDRs", tags },
      args.transform?.securityGroup,
    );
    const rule = (
      role: string,
      port: number,
      cidr: { cidrIpv4: string } | { cidrIpv6: string },
      description: string,
      opts: pulumi.CustomResourceOptions = {},
    ) =>
      this.child(
        aws.vpc.SecurityGroupIngressRule,
        role,
        { securityGroupId: group.id, ipProtocol: "tcp", fromPort: port, toPort: port, ...cidr, description, tags },
        args.transform?.securityGroupRule,
        opts,
      );
    rule("https-ipv4", 443, { cidrIpv4: "0.0.0.0/0" }, "HTTPS from the internet");
    rule("https-ipv6", 443, { cidrIpv6: "::/0" }, "HTTPS from the internet");
    rule("http-ipv4", 80, { cidrIpv4: "0.0.0.0/0" }, "HTTP, redirected to HTTPS");
    rule("http-ipv6", 80, { cidrIpv6: "::/0" }, "HTTP, redirected to HTTPS");
    // Keyed by the CIDR, so that removing one leaves the others' rules alone. They were keyed by
    // position (`test-<i>`): the alias carries each rule over from that name once.
    [...new Set(args.testListener.allowedCidrs)].forEach((cidr, i) =>
      rule(testRuleRole(cidr), testPort, { cidrIpv4: cidr }, "Test listener: internal only", { aliases: [{ name: this.childName(`test-${i}`) }] }),
    );
    return group;
  }

  /** Access logs: SSE-S3 (the only encryption ELB log delivery supports), private, expiring. */
  private createAccessLogBucket(
    retentionDays: number,
    protect: boolean,
    tags: Readonly<Record<string, string>>,
    transform: LoadBalancerArgs["transform"],
  ): { bucket: aws.s3.Bucket; policy: aws.s3.BucketPolicy } {
    const bucket = this.child(aws.s3.Bucket, "logs", { tags }, transform?.accessLogBucket, keepOnDelete(protect));
    this.child(
      aws.s3.BucketOwnershipControls,
      "logs-ownership",
      { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
      transform?.accessLogOwnership,
    );
    this.child(
      aws.s3.BucketPublicAccessBlock,
      "logs-public-access",
      { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
      transform?.accessLogPublicAccess,
    );
    this.child(
      aws.s3.BucketServerSideEncryptionConfiguration,
      "logs-encryption",
      { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
      transform?.accessLogEncryption,
    );
    this.child(
      aws.s3.BucketLifecycleConfiguration,
      "logs-lifecycle",
      { bucket: bucket.id, rules: [{ id: "expire-access-logs", status: "Enabled", filter: { prefix: "" }, expiration: { days: retentionDays } }] },
      transform?.accessLogLifecycle,
    );
    const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
    const region = aws.getRegionOutput({}, { parent: this }).region;
    const policy = this.child(
      aws.s3.BucketPolicy,
      "logs-policy",
      {
        bucket: bucket.id,
        policy: policyJson({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "ElbLogDelivery",
              Effect: "Allow",
              Principal: region.apply(elbLogDeliveryPrincipal),
              Action: "s3:PutObject",
              Resource: pulumi.interpolate`${bucket.arn}/alb/AWSLogs/${account}/*`,
            },
            {
              Sid: "DenyInsecureTransport",
              Effect: "Deny",
              Principal: "*",
              Action: "s3:*",
              Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
              Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
          ],
        }),
      },
      transform?.accessLogPolicy,
    );
    return { bucket, policy };
  }
}
