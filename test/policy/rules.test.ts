import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { PolicyResource as PackResource } from "@pulumi/policy";
import { describe, expect, it } from "vitest";
import { loadStackConfig } from "../../infra/config/load";
import { checkResources, fromPlan } from "../../policy/check";
import { readStackFile } from "../../offline-plan/stack-file";
import { policies } from "../../policy/policies";
import { type PolicyResource, RULES, UNKNOWN } from "../../policy/rules";
import { serializePlan } from "../../offline-plan/text";
import type { PlannedResource } from "../../offline-plan/plan";
import { planStack, ROOT, stackNames } from "../helpers/plan";

const res = (type: string, name: string, inputs: Record<string, unknown>, parent: string | null = null): PolicyResource => ({
  type,
  name,
  urn: `urn:${name}`,
  parent,
  inputs,
});
const rule = (name: string) => RULES.find((r) => r.name === name)!;
const check = (name: string, r: PolicyResource, stack: PolicyResource[] = [r], config = {}) => rule(name).validate(r, stack, config);

const LB = res("aws:lb/loadBalancer:LoadBalancer", "lb", { securityGroups: ["sg-lb"], dropInvalidHeaderFields: true, accessLogs: { enabled: true } });
const doc = (statement: object) => JSON.stringify({ Version: "2012-10-17", Statement: [statement] });

describe("each rule: a passing and a failing resource, with the exact message", () => {
  it.each([
    [
      "ecs-blue-green-behind-target-group",
      res("aws:ecs/service:Service", "web", { loadBalancers: [{}], deploymentController: { type: "CODE_DEPLOY" } }),
      res("aws:ecs/service:Service", "web", { loadBalancers: [{}] }),
      [
        "deploymentController is ECS with strategy ROLLING: a service behind a target group is released blue/green (CODE_DEPLOY, or ECS with BLUE_GREEN, CANARY, LINEAR) (use BlueGreenService)",
      ],
    ],
    [
      "ecs-blue-green-behind-target-group",
      res("aws:ecs/service:Service", "web", {
        loadBalancers: [{ advancedConfiguration: { alternateTargetGroupArn: "arn:green" } }],
        deploymentController: { type: "ECS" },
        deploymentConfiguration: { strategy: "CANARY" },
      }),
      res("aws:ecs/service:Service", "web", { loadBalancers: [{}], deploymentController: { type: "ECS" }, deploymentConfiguration: { strategy: "CANARY" } }),
      [
        "strategy is CANARY but a load balancer has no advancedConfiguration: ECS needs the alternate target group and the listener rules to move (use BlueGreenService)",
      ],
    ],
    [
      "ecs-blue-green-behind-target-group",
      res("aws:ecs/service:Service", "web", {
        loadBalancers: [{ advancedConfiguration: {} }],
        deploymentController: { type: "ECS" },
        deploymentConfiguration: { strategy: "BLUE_GREEN" },
      }),
      res("aws:ecs/service:Service", "web", { loadBalancers: [{}], deploymentController: { type: "EXTERNAL" } }),
      [
        "deploymentController is EXTERNAL: a service behind a target group is released blue/green (CODE_DEPLOY, or ECS with BLUE_GREEN, CANARY, LINEAR) (use BlueGreenService)",
      ],
    ],
    [
      "ecs-private-tasks",
      res("aws:ecs/service:Service", "w", { networkConfiguration: { assignPublicIp: false } }),
      res("aws:ecs/service:Service", "w", { networkConfiguration: { assignPublicIp: true } }),
      ["networkConfiguration.assignPublicIp is true: run tasks in private subnets without a public IP (egress through NAT or endpoints)"],
    ],
    [
      "no-world-ingress-except-load-balancer-http",
      res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "https", {
        securityGroupId: "sg-lb",
        cidrIpv4: "0.0.0.0/0",
        fromPort: 443,
        toPort: 443,
      }),
      res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "ssh", { securityGroupId: "sg-task", cidrIpv6: "::/0", fromPort: 22, toPort: 22 }),
      ["ingress from ::/0 on 22-22 to sg-task: the internet may reach only a load balancer, on 80 or 443"],
    ],
    [
      "no-plaintext-secrets",
      res("aws:ecs/taskDefinition:TaskDefinition", "t", {
        containerDefinitions: JSON.stringify([{ name: "app", environment: [{ name: "RAILS_ENV", value: "production" }] }]),
      }),
      res("aws:ecs/taskDefinition:TaskDefinition", "t", {
        containerDefinitions: JSON.stringify([{ name: "app", environment: [{ name: "STRIPE_SECRET", value: "sk" }] }]),
      }),
      ["container app: environment.STRIPE_SECRET looks like a secret (its name says SECRET); pass it in secrets as a Secrets Manager or SSM parameter ARN"],
    ],
    [
      "iam-least-privilege",
      res("aws:iam/rolePolicy:RolePolicy", "p", {
        policy: doc({
          Sid: "Pass",
          Effect: "Allow",
          Action: "iam:PassRole",
          Resource: "arn:aws:iam::1:role/x",
          Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
        }),
      }),
      res("aws:iam/rolePolicy:RolePolicy", "p", { policy: doc({ Sid: "Broad", Effect: "Allow", Action: ["s3:*", "iam:PassRole"], Resource: "*" }) }),
      [
        "Broad: action s3:*: name the actions the role needs",
        "Broad: s3:*, iam:PassRole on resource *: name the resources (only actions AWS authorizes on * alone may use it)",
        "Broad: iam:PassRole on *: name the roles it passes",
        "Broad: iam:PassRole without an iam:PassedToService condition: say which service receives the role",
      ],
    ],
    [
      "state-machine-timeouts-and-logs",
      res("aws:sfn/stateMachine:StateMachine", "sm", {
        definition: JSON.stringify({ States: { A: { Type: "Task", TimeoutSeconds: 60 } } }),
        loggingConfiguration: { level: "ALL" },
      }),
      res("aws:sfn/stateMachine:StateMachine", "sm", {
        definition: JSON.stringify({ States: { P: { Type: "Parallel", Branches: [{ States: { B: { Type: "Task" } } }] } } }),
      }),
      ['Task state "P/B" has no TimeoutSeconds: a stuck call would run for a year', "loggingConfiguration.level is off: log at least ERROR to a log group"],
    ],
    [
      "schedules-deliver-or-tell",
      res("aws:scheduler/schedule:Schedule", "s", {
        target: { deadLetterConfig: { arn: "q" }, retryPolicy: {} },
        scheduleExpressionTimezone: "Asia/Tokyo",
        flexibleTimeWindow: { mode: "OFF" },
      }),
      res("aws:scheduler/schedule:Schedule", "s", { target: {}, flexibleTimeWindow: { mode: "FLEXIBLE" } }),
      [
        "target.deadLetterConfig: a run Scheduler gives up on would vanish: set a dead-letter queue",
        "target.retryPolicy: set one, so that a throttled start is retried",
        "scheduleExpressionTimezone: set the zone the schedule means (Asia/Tokyo)",
        "flexibleTimeWindow.mode: OFF, so that a run starts at its time",
      ],
    ],
    [
      "load-balancers-https-and-logs",
      res("aws:lb/listener:Listener", "https", { protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06" }),
      res("aws:lb/listener:Listener", "http", { protocol: "HTTP", defaultActions: [{ type: "forward" }] }),
      ["a HTTP listener that does not redirect to HTTPS: plain HTTP must only redirect"],
    ],
    [
      "required-tags",
      res("pulumi:providers:aws", "aws", { defaultTags: JSON.stringify({ tags: { product: "shop", env: "prd", team: "sre" } }) }),
      res("pulumi:providers:aws", "aws", { defaultTags: JSON.stringify({ tags: { product: "shop" } }) }),
      ["defaultTags.tags lacks env, team: set them in infra:tags"],
    ],
    [
      "log-retention",
      res("aws:cloudwatch/logGroup:LogGroup", "l", { retentionInDays: 90 }),
      res("aws:cloudwatch/logGroup:LogGroup", "l", {}),
      ["retentionInDays: set one; logs kept for ever cost for ever"],
    ],
    [
      "data-encrypted",
      res("aws:elasticache/replicationGroup:ReplicationGroup", "r", { atRestEncryptionEnabled: true, transitEncryptionEnabled: true }),
      res("aws:dynamodb/table:Table", "t", { serverSideEncryption: { enabled: true } }),
      ["pointInTimeRecovery.enabled: true, to restore a table to any second of the last 35 days"],
    ],
  ] as const)("%s", (name, good, bad, messages) => {
    expect(check(name, good, [good, LB])).toEqual([]);
    expect(check(name, bad, [bad, LB])).toEqual(messages);
  });

  it("s3-private-encrypted-tls-only: the bucket's settings beside it, or what is missing", () => {
    const bucket = res("aws:s3/bucket:Bucket", "logs", {}, "urn:lb");
    const beside = [
      res(
        "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
        "logs-public-access",
        { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
        "urn:lb",
      ),
      res("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "logs-encryption", {}, "urn:lb"),
      res(
        "aws:s3/bucketPolicy:BucketPolicy",
        "logs-policy",
        { policy: doc({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }) },
        "urn:lb",
      ),
    ];
    expect(check("s3-private-encrypted-tls-only", bucket, [bucket, ...beside])).toEqual([]);
    expect(check("s3-private-encrypted-tls-only", bucket, [bucket, beside[1]!])).toEqual([
      "a BucketPublicAccessBlock with all four settings true",
      'a bucket policy that denies requests with "aws:SecureTransport": "false"',
    ]);
  });

  it("internet-facing-load-balancer-has-web-acl: an association declared beside the load balancer (its ARN is unknown in a preview)", () => {
    const component = res("infra:loadbalancing:LoadBalancer", "web-lb", {});
    const alb = res("aws:lb/loadBalancer:LoadBalancer", "web-lb-alb", { internal: false }, component.urn);
    const waf = res("infra:loadbalancing:WebAcl", "web-lb-waf", {}, component.urn);
    const association = res("aws:wafv2/webAclAssociation:WebAclAssociation", "web-lb-waf-association", {}, waf.urn);
    const elsewhere = res("aws:wafv2/webAclAssociation:WebAclAssociation", "other", {}, "urn:other-lb");
    const missing = ["faces the internet with no web ACL: give it a WebAcl (LoadBalancer does), or make it internal"];
    expect(check("internet-facing-load-balancer-has-web-acl", alb, [component, alb, waf, association])).toEqual([]);
    expect(check("internet-facing-load-balancer-has-web-acl", alb, [component, alb, elsewhere])).toEqual(missing);
    expect(check("internet-facing-load-balancer-has-web-acl", alb, [component, alb])).toEqual(missing);
    const internal = res("aws:lb/loadBalancer:LoadBalancer", "internal-alb", { internal: true }, component.urn);
    expect(check("internet-facing-load-balancer-has-web-acl", internal, [component, internal])).toEqual([]);
  });

  it("stateful-protected: only in a stack that keeps its data", () => {
    const table = res("aws:dynamodb/table:Table", "runs", {});
    expect(check("stateful-protected", table, [table], { protectData: false })).toEqual([]);
    expect(check("stateful-protected", { ...table, protect: true }, [table], { protectData: true })).toEqual([]);
    expect(check("stateful-protected", table, [table], { protectData: true })).toEqual([
      "not protected: this stack keeps its data (protectData); protect it (and retainOnDelete)",
    ]);
  });

  it("secrets-from-the-stack-account (advisory): a secret of another account or region", () => {
    const provider = res("pulumi:providers:aws", "aws", { allowedAccountIds: '["111111111111"]', region: "ap-northeast-1" });
    const task = res("aws:ecs/taskDefinition:TaskDefinition", "t", {
      containerDefinitions: JSON.stringify([
        { name: "app", secrets: [{ name: "DB", valueFrom: "arn:aws:secretsmanager:ap-northeast-1:222222222222:secret:db-AbC123" }] },
      ]),
    });
    expect(check("secrets-from-the-stack-account", task, [task, provider])).toEqual([
      "container app: secret DB is in ap-northeast-1 / 222222222222, not the stack's ap-northeast-1 / 111111111111",
    ]);
    expect(rule("secrets-from-the-stack-account").enforcementLevel).toBe("advisory");
  });
});

describe("each rule with a value a preview does not know: that check waits for the next preview, the others still hold", () => {
  const U = UNKNOWN;
  it.each<[string, PolicyResource, string[]]>([
    ["ecs-blue-green-behind-target-group", res("aws:ecs/service:Service", "web", { loadBalancers: [{}], deploymentController: U }), []],
    ["ecs-blue-green-behind-target-group", res("aws:ecs/service:Service", "web", { loadBalancers: U, deploymentController: { type: U } }), []],
    [
      "ecs-blue-green-behind-target-group",
      res("aws:ecs/service:Service", "web", { loadBalancers: [{}], deploymentController: { type: "ECS" }, deploymentConfiguration: { strategy: U } }),
      [],
    ],
    [
      "ecs-blue-green-behind-target-group",
      res("aws:ecs/service:Service", "web", { loadBalancers: U, deploymentController: { type: "ECS" }, deploymentConfiguration: { strategy: "LINEAR" } }),
      [],
    ],
    [
      "no-world-ingress-except-load-balancer-http",
      res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "r", { securityGroupId: "sg-x", cidrIpv4: "0.0.0.0/0", fromPort: U, toPort: 22 }),
      [],
    ],
    [
      "no-world-ingress-except-load-balancer-http",
      res("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "r", { securityGroupId: U, cidrIpv4: U, fromPort: 22, toPort: 22 }),
      [],
    ],
    ["state-machine-timeouts-and-logs", res("aws:sfn/stateMachine:StateMachine", "sm", { definition: U, loggingConfiguration: U }), []],
    ["state-machine-timeouts-and-logs", res("aws:sfn/stateMachine:StateMachine", "sm", { definition: U, loggingConfiguration: { level: U } }), []],
    [
      "schedules-deliver-or-tell",
      res("aws:scheduler/schedule:Schedule", "s", { target: U, scheduleExpressionTimezone: "Asia/Tokyo", flexibleTimeWindow: { mode: U } }),
      [],
    ],
    [
      "schedules-deliver-or-tell",
      res("aws:scheduler/schedule:Schedule", "s", { target: U, flexibleTimeWindow: U }),
      ["scheduleExpressionTimezone: set the zone the schedule means (Asia/Tokyo)"],
    ],
    ["load-balancers-https-and-logs", res("aws:lb/loadBalancer:LoadBalancer", "lb", { dropInvalidHeaderFields: U, accessLogs: U }), []],
    [
      "load-balancers-https-and-logs",
      res("aws:lb/loadBalancer:LoadBalancer", "lb", { dropInvalidHeaderFields: false, accessLogs: { enabled: U } }),
      ["dropInvalidHeaderFields: true, so that malformed headers never reach the app"],
    ],
    ["load-balancers-https-and-logs", res("aws:lb/listener:Listener", "l", { protocol: U }), []],
    ["load-balancers-https-and-logs", res("aws:lb/listener:Listener", "l", { protocol: "HTTPS", sslPolicy: U }), []],
    ["load-balancers-https-and-logs", res("aws:lb/listener:Listener", "l", { protocol: "HTTP", defaultActions: U }), []],
    ["load-balancers-https-and-logs", res("aws:lb/listener:Listener", "l", { protocol: "HTTP", defaultActions: [U, { type: "redirect", redirect: U }] }), []],
    ["log-retention", res("aws:cloudwatch/logGroup:LogGroup", "g", { retentionInDays: U }), []],
    ["iam-least-privilege", res("aws:iam/rolePolicy:RolePolicy", "p", { policy: U }), []],
    ["no-plaintext-secrets", res("aws:ecs/taskDefinition:TaskDefinition", "t", { containerDefinitions: U }), []],
  ])("%s: %j", (name, r, expected) => {
    expect(check(name, r)).toEqual(expected);
  });

  it("a world-open HTTPS rule on a group whose id is unknown belongs to the load balancer when declared beside it", () => {
    const owner = "urn:owner";
    const lb = res("aws:lb/loadBalancer:LoadBalancer", "lb", { securityGroups: [UNKNOWN] }, owner);
    const group = res("aws:ec2/securityGroup:SecurityGroup", "lb-sg", {}, owner);
    const rule = (parent: string | null, port: number) =>
      res(
        "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
        "https",
        { securityGroupId: UNKNOWN, cidrIpv4: "0.0.0.0/0", fromPort: port, toPort: port },
        parent,
      );
    const owned = rule(group.urn, 443);
    expect(check("no-world-ingress-except-load-balancer-http", owned, [lb, group, owned, res("infra:x", "owner", {}, null)])).toEqual([]);
    const elsewhere = rule(null, 443);
    expect(check("no-world-ingress-except-load-balancer-http", elsewhere, [lb, group, elsewhere])).toEqual([
      "ingress from 0.0.0.0/0 on 443-443 to a new security group: the internet may reach only a load balancer, on 80 or 443",
    ]);
  });

  it("s3: a bucket policy not known yet counts as there (its document names the bucket's ARN)", () => {
    const bucket = res("aws:s3/bucket:Bucket", "logs", {});
    const block = res("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "logs-block", {
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    const sse = res("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "logs-sse", {});
    const policy = res("aws:s3/bucketPolicy:BucketPolicy", "logs-policy", { policy: UNKNOWN });
    expect(check("s3-private-encrypted-tls-only", bucket, [bucket, block, sse, policy])).toEqual([]);
  });
});

/**
 * The pack's policies over plan resources as CrossGuard's server hands them to a stack policy
 * (props, protect, the parent chain), `props` made by `wrap`; the violations they report.
 */
async function runPack(resources: readonly PlannedResource[], config: object, wrap: (inputs: Record<string, unknown>) => unknown): Promise<string[]> {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const asPack = (r: PlannedResource): PackResource =>
    ({
      type: r.type,
      name: r.name,
      urn: r.urn,
      props: wrap(r.inputs),
      opts: { protect: r.options.protect },
      ...(r.parent && byUrn.get(r.parent) ? { parent: asPack(byUrn.get(r.parent)!) } : {}),
    }) as unknown as PackResource;
  const reported: string[] = [];
  for (const p of policies) {
    await p.validateStack({ resources: resources.map(asPack), stackTags: new Map(), getConfig: () => config } as never, (message: string) =>
      reported.push(message),
    );
  }
  return reported;
}

describe.each(stackNames())("stack %s against the pack", (stack) => {
  it("has no violation, and CrossGuard's policies report exactly what the offline runner does", async () => {
    const plan = await planStack(stack);
    const config = { protectData: loadStackConfig(readStackFile(stack, ROOT)).protectData };
    expect(checkResources(plan.resources.map(fromPlan), config)).toEqual([]);
    // A seeded stack: one task made public, one port opened to the world. The pack's policies,
    // fed the same resources as a preview would, report the same violations as the runner.
    const seeded = plan.resources.map((r) =>
      r.type === "aws:ecs/service:Service"
        ? { ...r, inputs: { ...r.inputs, networkConfiguration: { ...(r.inputs.networkConfiguration as object), assignPublicIp: true } } }
        : r,
    );
    const offline = checkResources(seeded.map(fromPlan), config).map((v) => `${v.type} ${v.resource}: ${v.message}`);
    expect(offline.length).toBeGreaterThan(0);
    const reported = await runPack(seeded, config, (inputs) => inputs);
    expect(reported.sort()).toEqual(offline.sort());
  });
});

describe("npm run policy as a process", () => {
  const run = promisify(execFile);
  const policy = async (args: string[]) => {
    try {
      const { stdout } = await run(process.execPath, [join(ROOT, "tools/launch.mjs"), "policy", ...args], { cwd: ROOT });
      return { code: 0, stdout };
    } catch (error) {
      return { code: (error as { code: number }).code, stdout: (error as { stdout: string }).stdout };
    }
  };

  it("passes a stack of the project: exit 0", async () => {
    expect(await policy(["stg"])).toEqual({ code: 0, stdout: "no violation\n" });
  });

  it("fails a plan with a world-open port, grouped by rule, exit 1 (any plan JSON of the same shape)", async () => {
    const plan = await planStack("stg");
    const open = {
      ...plan,
      resources: plan.resources.map((r) =>
        r.name === "web-from-alb"
          ? { ...r, inputs: { ...r.inputs, cidrIpv4: "0.0.0.0/0", fromPort: 22, toPort: 22, referencedSecurityGroupId: undefined } }
          : r,
      ),
    };
    const file = join(mkdtempSync(join(tmpdir(), "policy-")), "stg.json");
    writeFileSync(file, serializePlan(open));
    const result = await policy(["stg", "--plan", file]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      "no-world-ingress-except-load-balancer-http (mandatory): Ingress from 0.0.0.0/0 or ::/0 only to a load balancer's security group, on 80 or 443.\n" +
        "  aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule web-from-alb: ingress from 0.0.0.0/0 on 22-22 to web-task-sg-id: the internet may reach only a load balancer, on 80 or 443\n\n1 mandatory, 0 advisory\n",
    );
  });
});

describe.each(stackNames())("stack %s against the pack, with the values a first preview does not know", (stack) => {
  // CrossGuard's own proxy over the props, as its server wraps them, with its own sentinel for a
  // string the preview does not know: every id and ARN of a resource not yet created.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- an internal module of @pulumi/policy, not in its exports' types
  const { unknownCheckingProxy, unknownStringValue } = require("@pulumi/policy/proxy") as {
    unknownCheckingProxy: <T extends object>(o: T) => T;
    unknownStringValue: string;
  };
  const unknownIds = (value: unknown): unknown => {
    if (typeof value === "string") return /^arn:aws:|-id$/.test(value) ? unknownStringValue : value;
    if (Array.isArray(value)) return value.map(unknownIds);
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unknownIds(v)]));
    return value;
  };

  it("every rule judges what is known: none reads an unknown value (which CrossGuard turns advisory); a world-open port on a new group is still reported", async () => {
    const plan = await planStack(stack);
    const config = { protectData: loadStackConfig(readStackFile(stack, ROOT)).protectData };
    const planted: PlannedResource = {
      ...plan.resources.find((r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")!,
      urn: "urn:planted-ssh",
      name: "planted-ssh",
      parent: null,
      inputs: { securityGroupId: "sg-planted-id", cidrIpv4: "0.0.0.0/0", fromPort: 22, toPort: 22, ipProtocol: "tcp" },
    };
    // An UnknownValueError escaping a policy is what CrossGuard reports as "can't run during preview".
    const reported = await runPack([...plan.resources, planted], config, (inputs) => unknownCheckingProxy(unknownIds(inputs) as object));
    expect(reported).toEqual([
      "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule planted-ssh: ingress from 0.0.0.0/0 on 22-22 to a new security group: the internet may reach only a load balancer, on 80 or 443",
    ]);
  });
});
