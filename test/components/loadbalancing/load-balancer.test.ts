import { describe, expect, it } from "vitest";
import { LoadBalancer, type LoadBalancerArgs } from "../../../components/loadbalancing/load-balancer";
import { elbLogDeliveryPrincipal } from "../../../components/loadbalancing/policies";
import { jsonInput, named, planOf, planAttempt } from "../../helpers/plan";
import { lbArgs } from "../../helpers/web";

describe("LoadBalancer", () => {
  it("is an internet-facing ALB in the public subnets that drops invalid headers and is protected from deletion", async () => {
    const plan = await planOf(() => new LoadBalancer("web-lb", lbArgs()));
    expect(named(plan, "web-lb-alb").inputs).toMatchObject({
      loadBalancerType: "application",
      internal: false,
      subnets: ["public-a", "public-c"],
      securityGroups: ["web-lb-sg-id"],
      dropInvalidHeaderFields: true,
      enableDeletionProtection: true,
      accessLogs: { enabled: true, prefix: "alb", bucket: expect.stringMatching(/^web-lb-logs-/) as string },
    });
    expect(named(plan, "web-lb-alb").options.dependsOn).toEqual([named(plan, "web-lb-logs-policy").urn]);
  });

  it("keeps deletion protection on and access logs 90 days when only the idle timeout is given", async () => {
    const plan = await planOf(() => new LoadBalancer("web-lb", lbArgs({ idleTimeoutSeconds: 30 })));
    expect(named(plan, "web-lb-alb").inputs).toMatchObject({ enableDeletionProtection: true, idleTimeout: 30 });
    expect(named(plan, "web-lb-logs-lifecycle").inputs.rules).toEqual([expect.objectContaining({ expiration: { days: 90 } })]);
  });

  it("opens the test listener to each internal CIDR once, a rule keyed by the CIDR that carries its former positional name", async () => {
    const plan = await planOf(
      () => new LoadBalancer("web-lb", lbArgs({ testListener: { port: 8443, allowedCidrs: ["10.0.0.0/8", "192.168.0.0/16", "10.0.0.0/8"] } })),
    );
    const rules = plan.resources.filter((r) => r.name.startsWith("web-lb-test-"));
    expect(rules.map((r) => [r.name, r.inputs.cidrIpv4, r.inputs.fromPort, r.options.aliases])).toEqual([
      ["web-lb-test-10-0-0-0-8", "10.0.0.0/8", 8443, ["web-lb-test-0"]],
      ["web-lb-test-192-168-0-0-16", "192.168.0.0/16", 8443, ["web-lb-test-1"]],
    ]);
  });

  it("redirects HTTP to HTTPS", async () => {
    const plan = await planOf(() => new LoadBalancer("web-lb", lbArgs()));
    expect(named(plan, "web-lb-http").inputs).toMatchObject({
      port: 80,
      protocol: "HTTP",
      defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
    });
  });

  it("keeps access logs private, SSE-S3 encrypted, expiring, written only by Tokyo's ELB account over TLS", async () => {
    const plan = await planOf(() => new LoadBalancer("web-lb", lbArgs({ accessLogRetentionInDays: 30 })));
    expect(named(plan, "web-lb-logs-encryption").inputs.rules).toEqual([{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]);
    expect(named(plan, "web-lb-logs-public-access").inputs).toMatchObject({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    expect(named(plan, "web-lb-logs-lifecycle").inputs.rules).toEqual([
      { id: "expire-access-logs", status: "Enabled", filter: { prefix: "" }, expiration: { days: 30 } },
    ]);
    const policy = jsonInput<{ Statement: { Sid: string; Principal: unknown; Resource: unknown }[] }>(named(plan, "web-lb-logs-policy"), "policy");
    expect(policy.Statement[0]).toMatchObject({ Sid: "ElbLogDelivery", Principal: { AWS: "arn:aws:iam::582318560864:root" } });
    expect(policy.Statement[0]!.Resource).toMatch(/^arn:aws:s3:::web-lb-logs-[0-9a-f]{7}\/alb\/AWSLogs\/123456789012\/\*$/);
    expect(policy.Statement[1]).toMatchObject({ Sid: "DenyInsecureTransport", Principal: "*" });
  });

  it("keeps the access log bucket on deletion only when asked", async () => {
    const kept = await planOf(() => new LoadBalancer("web-lb", lbArgs({ protectLogs: true })));
    expect(named(kept, "web-lb-logs").options).toMatchObject({ protect: true, retainOnDelete: true });
    const plain = await planOf(() => new LoadBalancer("web-lb", lbArgs()));
    expect(named(plain, "web-lb-logs").options).toMatchObject({ protect: false, retainOnDelete: false });
  });

  it("uses the log-delivery service principal in regions without an ELB account", () => {
    expect(elbLogDeliveryPrincipal("ap-southeast-7")).toEqual({ Service: "logdelivery.elasticloadbalancing.amazonaws.com" });
  });

  it.each<[string, Partial<LoadBalancerArgs>, string]>([
    [
      "a certificate that is no ACM ARN",
      { certificateArn: "arn:aws:iam::123456789012:server-certificate/x" },
      'certificateArn "arn:aws:iam::123456789012:server-certificate/x" is not an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)',
    ],
    [
      "a TLS 1.0 policy",
      { sslPolicy: "ELBSecurityPolicy-2016-08" as never },
      'sslPolicy "ELBSecurityPolicy-2016-08" is not a TLS 1.2+ policy; allowed: ELBSecurityPolicy-TLS13-1-2-2021-06, ELBSecurityPolicy-TLS13-1-2-Res-2021-06, ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06, ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06, ELBSecurityPolicy-TLS13-1-3-2021-06, ELBSecurityPolicy-TLS-1-2-2017-01, ELBSecurityPolicy-TLS-1-2-Ext-2018-06, ELBSecurityPolicy-FS-1-2-2019-08, ELBSecurityPolicy-FS-1-2-Res-2020-10',
    ],
    [
      "a test listener open to the internet",
      { testListener: { allowedCidrs: ["0.0.0.0/0"] } },
      'testListener.allowedCidrs[0] "0.0.0.0/0" opens the test listener to the internet',
    ],
    [
      "a test listener on 443",
      { testListener: { port: 443, allowedCidrs: ["10.0.0.0/8"] } },
      "testListener.port 443 must be a port (1-65535) other than 80 and 443",
    ],
    ["no internal CIDR", { testListener: { allowedCidrs: [] } }, "testListener.allowedCidrs must list at least one CIDR"],
    [
      "no test listener (a JavaScript caller's: the type requires one)",
      { testListener: undefined },
      "testListener is required: { allowedCidrs: [...] }, who may reach the test port (CodeDeploy's test traffic)",
    ],
  ])("rejects %s", async (_case, extra, problem) => {
    const { message, plan } = await planAttempt(() => {
      new LoadBalancer("web-lb", lbArgs(extra));
    });
    expect(message).toBe(`LoadBalancer "web-lb": ${problem}`);
    expect(plan.resources).toEqual([]);
  });
});
