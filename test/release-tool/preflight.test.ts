import { describe, expect, it } from "vitest";
import { formatChecks, preflight, type PreflightContext, preflightFailed, type WorkloadNeeds } from "../../release-tool/preflight";
import { FakeAccount } from "../helpers/fake-account";
import { preflightClients } from "../helpers/preflight-clients";

const IMAGE = "222222222222.dkr.ecr.ap-northeast-1.amazonaws.com/shop-web:2026.12.01-1";
const REPO = "arn:aws:ecr:ap-northeast-1:222222222222:repository/shop-web";
const DB = "arn:aws:secretsmanager:ap-northeast-1:222222222222:secret:shop/stg/database-url-AbC123";
const PARAM = "arn:aws:ssm:ap-northeast-1:222222222222:parameter/shop/stg/feature-flags";
const ROLE = "arn:aws:iam::222222222222:role/web-task-execution-role-5dfe51b";

/** The fake account behind mocked SDK clients; sleeping costs nothing and is counted. */
function fakeAccount() {
  const account = new FakeAccount();
  account.repositories.set("222222222222/shop-web", ["2026.12.01-1"]);
  account.secrets.add(DB);
  account.parameters.add("/shop/stg/feature-flags");
  account.roles.set(ROLE, new Set([`secretsmanager:GetSecretValue ${DB}`, `ssm:GetParameters ${PARAM}`, `ecr:BatchGetImage ${REPO}`]));
  account.logGroups.add("web-task-logs-3f9a2c1");
  const sleeps: number[] = [];
  const ctx: PreflightContext = {
    clients: preflightClients(account),
    account: "222222222222",
    region: "ap-northeast-1",
    sleep: (ms) => (sleeps.push(ms), Promise.resolve()),
  };
  return { account, ctx, sleeps };
}

const web = (extra: Partial<WorkloadNeeds> = {}): WorkloadNeeds => ({
  workload: "web",
  images: [{ key: "infra:services.web.image", image: IMAGE }],
  secrets: [
    { key: "infra:services.web.secrets.DATABASE_URL", valueFrom: DB },
    { key: "infra:services.web.secrets.FLAGS", valueFrom: PARAM },
  ],
  executionRoleArn: ROLE,
  logGroups: [{ key: "log group", name: "web-task-logs-3f9a2c1" }],
  ...extra,
});

const row = (lines: Awaited<ReturnType<typeof preflight>>, key: string) => lines.filter((l) => l.key === key).map((l) => `${l.status}: ${l.what}`);

describe("preflight", () => {
  it("everything present: every check ok, the role may read each secret and pull the image, the log group exists", async () => {
    const { ctx } = fakeAccount();
    const lines = await preflight(ctx, [web()]);
    expect(lines.map((l) => [l.status, l.key, l.what])).toEqual([
      ["ok", "infra:services.web.image", IMAGE],
      ["ok", "infra:services.web.secrets.DATABASE_URL", DB],
      ["ok", "infra:services.web.secrets.FLAGS", PARAM],
      ["ok", "infra:services.web.secrets.DATABASE_URL", `the execution role may secretsmanager:GetSecretValue ${DB}`],
      ["ok", "infra:services.web.secrets.FLAGS", `the execution role may ssm:GetParameters ${PARAM}`],
      ["ok", "execution role", `the execution role may ecr:BatchGetImage ${REPO}`],
      ["ok", "log group", "web-task-logs-3f9a2c1"],
    ]);
    expect(preflightFailed(lines)).toBe(false);
    expect(formatChecks(lines).at(-1)).toBe("7 checks: 7 ok, 0 MISSING, 0 WRONG, 0 DENIED, 0 not checked");
  });

  it("an image tag never pushed, and a repository that does not exist: MISSING", async () => {
    const { ctx } = fakeAccount();
    const lines = await preflight(ctx, [
      web({
        images: [
          { key: "a", image: IMAGE.replace("2026.12.01-1", "2026.12.02-1") },
          { key: "b", image: "222222222222.dkr.ecr.ap-northeast-1.amazonaws.com/shop-api:1.0.0" },
        ],
      }),
    ]);
    expect(row(lines, "a")).toEqual([`MISSING: ${IMAGE.replace("2026.12.01-1", "2026.12.02-1")}: 2026.12.02-1 is not in shop-web (push it before releasing)`]);
    expect(row(lines, "b")).toEqual([
      "MISSING: 222222222222.dkr.ecr.ap-northeast-1.amazonaws.com/shop-api:1.0.0: no repository shop-api in account 222222222222, ap-northeast-1",
    ]);
    expect(preflightFailed(lines)).toBe(true);
  });

  it("a missing secret, a missing parameter: MISSING", async () => {
    const { ctx, account } = fakeAccount();
    account.secrets.clear();
    account.parameters.clear();
    const lines = await preflight(ctx, [web({ executionRoleArn: undefined })]);
    expect(row(lines, "infra:services.web.secrets.DATABASE_URL")).toEqual([`MISSING: ${DB}: no such secret`]);
    expect(row(lines, "infra:services.web.secrets.FLAGS")).toEqual([`MISSING: ${PARAM}: no parameter /shop/stg/feature-flags`]);
    expect(account.calls.find((c) => c.operation === "ssm:DescribeParameters")!.input).toEqual({
      ParameterFilters: [{ Key: "Name", Option: "Equals", Values: ["/shop/stg/feature-flags"] }],
    });
  });

  it("a secret of another account is refused without a call", async () => {
    const { ctx, account } = fakeAccount();
    const other = DB.replace("222222222222", "111111111111");
    const lines = await preflight(ctx, [web({ secrets: [{ key: "s", valueFrom: other }], executionRoleArn: undefined })]);
    expect(row(lines, "s")).toEqual([`MISSING: ${other}: in ap-northeast-1 / 111111111111, not the stack's ap-northeast-1 / 222222222222 (not looked up)`]);
    expect(account.calls.filter((c) => c.operation.startsWith("secretsmanager:"))).toEqual([]);
  });

  it("the execution role denied a secret: DENIED, with the decision", async () => {
    const { ctx, account } = fakeAccount();
    account.roles.set(ROLE, new Set([`ecr:BatchGetImage ${REPO}`, `ssm:GetParameters ${PARAM}`]));
    const lines = await preflight(ctx, [web()]);
    expect(lines.filter((l) => l.status === "DENIED").map((l) => l.what)).toEqual([
      `the execution role ${ROLE} may not secretsmanager:GetSecretValue ${DB} (implicitDeny)`,
    ]);
    expect(preflightFailed(lines)).toBe(true);
  });

  it("a JSON key reference: the secret is checked, the key cannot be without reading the value (said so)", async () => {
    const { ctx } = fakeAccount();
    const lines = await preflight(ctx, [web({ secrets: [{ key: "k", valueFrom: `${DB}:password::` }], executionRoleArn: undefined })]);
    expect(row(lines, "k")).toEqual([`ok: ${DB}`, "not checked: JSON key password: only reading the secret's value would tell (not done)"]);
  });

  it("an image of another registry: not checked, with the reason; no call", async () => {
    const { ctx, account } = fakeAccount();
    const lines = await preflight(ctx, [
      web({
        images: [
          { key: "dd", image: "public.ecr.aws/datadog/agent:7" },
          { key: "hub", image: "redis:7" },
        ],
      }),
    ]);
    expect(row(lines, "dd")).toEqual(["not checked: public.ecr.aws/datadog/agent:7: public.ecr.aws is not ECR; only ECR images can be checked"]);
    expect(row(lines, "hub")).toEqual(["not checked: redis:7: Docker Hub is not ECR; only ECR images can be checked"]);
    expect(account.calls.filter((c) => c.operation === "ecr:DescribeImages")).toEqual([]);
  });

  it("denied to check: DENIED to check, never MISSING", async () => {
    const { ctx, account } = fakeAccount();
    account.denied.add("ecr:DescribeImages");
    const lines = await preflight(ctx, [web()]);
    expect(row(lines, "infra:services.web.image")).toEqual([
      "DENIED: denied to check: ECR DescribeImages failed: AccessDeniedException: User: arn:aws:sts::222222222222:assumed-role/ci-preview/run is not authorized to perform: ecr:DescribeImages (your role may not do this in ap-northeast-1: check its IAM permissions, and that AWS_PROFILE is the stack's account)",
    ]);
  });

  it("throttling is retried with backoff, not reported missing", async () => {
    const { ctx, account, sleeps } = fakeAccount();
    account.throttled.set("secretsmanager:DescribeSecret", 2);
    const lines = await preflight(ctx, [web()]);
    expect(row(lines, "infra:services.web.secrets.DATABASE_URL")[0]).toBe(`ok: ${DB}`);
    expect(sleeps).toEqual([500, 1000]);
  });

  it("looks up an image or a secret once, however many workloads use it", async () => {
    const { ctx, account } = fakeAccount();
    await preflight(ctx, [web(), web({ workload: "back-default" }), web({ workload: "scheduler" })]);
    expect(account.calls.filter((c) => c.operation === "ecr:DescribeImages")).toHaveLength(1);
    expect(account.calls.filter((c) => c.operation === "secretsmanager:DescribeSecret")).toHaveLength(1);
  });

  it("a stack never applied: its roles are not checked, and it says why", async () => {
    const { ctx } = fakeAccount();
    const lines = await preflight(ctx, [web({ executionRoleArn: undefined, logGroups: [] })]);
    expect(row(lines, "execution role")).toEqual(["not checked: the stack has no outputs yet (never applied): its roles cannot be simulated"]);
  });
});

const REGION_HINT = "check the stack's account and region (ap-northeast-1), and AWS_ENDPOINT_URL if you set it";
const DENIED_HINT = "your role may not do this in ap-northeast-1: check its IAM permissions, and that AWS_PROFILE is the stack's account";
const THROTTLED_HINT = "AWS is throttling this account; the SDK already retried: wait a minute and run it again";

describe("preflight: what each answer of AWS is taken to mean", () => {
  it("throttling that never stops: four retries with backoff, then not checked, said so", async () => {
    const { ctx, account, sleeps } = fakeAccount();
    account.failing.set("ecr:DescribeImages", { name: "ThrottlingException" });
    const lines = await preflight(ctx, [web()]);
    expect(row(lines, "infra:services.web.image")).toEqual([
      `not checked: still throttled after retries: ECR DescribeImages failed: ThrottlingException: ThrottlingException (ecr:DescribeImages) (${THROTTLED_HINT})`,
    ]);
    expect(sleeps).toEqual([500, 1000, 2000, 4000]);
    expect(account.calls.filter((c) => c.operation === "ecr:DescribeImages")).toHaveLength(5);
  });

  it("where it runs: the task subnets and the load balancer's, a line each; throttled EC2 calls retried, denied ones DENIED", async () => {
    const { ctx, account, sleeps } = fakeAccount();
    const tg = "arn:aws:elasticloadbalancing:ap-northeast-1:222222222222:targetgroup/web-blue/0123456789abcdef";
    account.addVpc({ vpcId: "vpc-1", publicSubnetIds: ["subnet-p"], privateSubnetIds: ["subnet-a"], targetGroupArns: [tg] });
    account.throttled.set("ec2:DescribeRouteTables", 1);
    const placed = web({ images: [], secrets: [], logGroups: [], network: { taskSubnetIds: ["subnet-a"], targetGroupArns: [tg] } });
    expect(row(await preflight(ctx, [placed]), "task subnets")).toEqual(["ok: subnet-a: private"]);
    expect(row(await preflight(ctx, [placed]), "load balancer subnets")).toEqual(["ok: web-vpc-1 (internet-facing)"]);
    expect(sleeps).toEqual([500]);
    account.denied.add("ec2:DescribeSubnets");
    const lines = await preflight(ctx, [placed]);
    expect(row(lines, "task subnets")).toEqual([
      `DENIED: denied to check: EC2 DescribeSubnets / DescribeRouteTables failed: AccessDeniedException: User: arn:aws:sts::222222222222:assumed-role/ci-preview/run is not authorized to perform: ec2:DescribeSubnets (${DENIED_HINT})`,
    ]);
    expect(preflightFailed(lines)).toBe(true);
    // No target group (a service behind no load balancer): no load balancer line.
    expect(row(await preflight(ctx, [{ ...placed, network: { taskSubnetIds: ["subnet-a"], targetGroupArns: [] } }]), "load balancer subnets")).toEqual([]);
  });

  it.each(["Throttling", "TooManyRequestsException", "RequestLimitExceeded"])("%s is throttling too: retried", async (name) => {
    const { ctx, account, sleeps } = fakeAccount();
    account.failing.set("iam:SimulatePrincipalPolicy", { name, times: 1 });
    const lines = await preflight(ctx, [web({ images: [], logGroups: [], secrets: [{ key: "s", valueFrom: DB }] })]);
    expect(lines.map((l) => l.status)).toEqual(["ok", "ok"]);
    expect(sleeps).toEqual([500]);
  });

  it("an error that is not throttling is not retried: denied, or anything else (not checked, AWS's words)", async () => {
    const { ctx, account, sleeps } = fakeAccount();
    account.failing.set("iam:SimulatePrincipalPolicy", { name: "AccessDenied" });
    account.failing.set("logs:DescribeLogGroups", { name: "UnauthorizedOperation" });
    account.failing.set("ecr:DescribeImages", { name: "InternalFailure" });
    const lines = await preflight(ctx, [web({ secrets: [] })]);
    expect(lines.map((l) => `${l.status}: ${l.what}`)).toEqual([
      `not checked: ECR DescribeImages failed: InternalFailure: InternalFailure (ecr:DescribeImages) (${REGION_HINT})`,
      `DENIED: denied to check: IAM SimulatePrincipalPolicy failed: AccessDenied: AccessDenied (iam:SimulatePrincipalPolicy) (${DENIED_HINT})`,
      `DENIED: denied to check: CloudWatch Logs DescribeLogGroups failed: UnauthorizedOperation: UnauthorizedOperation (logs:DescribeLogGroups) (${DENIED_HINT})`,
    ]);
    expect(sleeps).toEqual([]);
  });

  it("a secret it was denied to look up is DENIED to check, not MISSING", async () => {
    const { ctx, account } = fakeAccount();
    account.denied.add("secretsmanager:DescribeSecret");
    const lines = await preflight(ctx, [web({ executionRoleArn: undefined })]);
    expect(row(lines, "infra:services.web.secrets.DATABASE_URL")[0]).toMatch(
      /^DENIED: denied to check: Secrets Manager DescribeSecret failed: AccessDeniedException: /,
    );
  });

  it("a secret scheduled for deletion: MISSING, restore it", async () => {
    const { ctx, account } = fakeAccount();
    account.secrets.clear();
    account.deletedSecrets.add(DB);
    const lines = await preflight(ctx, [web({ executionRoleArn: undefined })]);
    expect(row(lines, "infra:services.web.secrets.DATABASE_URL")).toEqual([`MISSING: ${DB}: scheduled for deletion (restore it)`]);
  });

  it("a secret of another region, same account: refused without a call", async () => {
    const { ctx, account } = fakeAccount();
    const other = DB.replace("ap-northeast-1", "us-east-1");
    const lines = await preflight(ctx, [web({ secrets: [{ key: "s", valueFrom: other }], executionRoleArn: undefined })]);
    expect(row(lines, "s")).toEqual([`MISSING: ${other}: in us-east-1 / 222222222222, not the stack's ap-northeast-1 / 222222222222 (not looked up)`]);
    expect(account.calls.filter((c) => c.operation.startsWith("secretsmanager:"))).toEqual([]);
  });

  it("a plain parameter name (no slash) is looked up as it is; a hierarchical one with its leading slash", async () => {
    const { ctx, account } = fakeAccount();
    account.parameters.add("feature-flags");
    const plain = PARAM.replace("parameter/shop/stg/feature-flags", "parameter/feature-flags");
    const lines = await preflight(ctx, [web({ secrets: [{ key: "p", valueFrom: plain }], executionRoleArn: undefined })]);
    expect(row(lines, "p")).toEqual([`ok: ${plain}`]);
    expect(account.calls.find((c) => c.operation === "ssm:DescribeParameters")!.input).toEqual({
      ParameterFilters: [{ Key: "Name", Option: "Equals", Values: ["feature-flags"] }],
    });
  });

  it.each([
    "arm:aws:secretsmanager:ap-northeast-1:222222222222:secret:shop/stg/database-url-AbC123",
    "arn:aws:secretsmanager:ap-northeast-1:222222222222:rotation:shop/stg/database-url-AbC123",
    "arn:aws:ssm:ap-northeast-1:222222222222:document/shop-flags",
  ])("%s is not a secret ECS can read: not checked, no call", async (valueFrom) => {
    const { ctx, account } = fakeAccount();
    const lines = await preflight(ctx, [web({ secrets: [{ key: "s", valueFrom }], executionRoleArn: undefined })]);
    expect(row(lines, "s")).toEqual([`not checked: ${valueFrom}: not a Secrets Manager or SSM parameter ARN`]);
    expect(account.calls.filter((c) => !c.operation.startsWith("ecr:") && !c.operation.startsWith("logs:"))).toEqual([]);
  });

  it("a JSON key reference: the role is asked about the secret itself, without the key", async () => {
    const { ctx, account } = fakeAccount();
    const lines = await preflight(ctx, [web({ images: [], logGroups: [], secrets: [{ key: "k", valueFrom: `${DB}:password::` }] })]);
    expect(row(lines, "k")).toEqual([
      `ok: ${DB}`,
      "not checked: JSON key password: only reading the secret's value would tell (not done)",
      `ok: the execution role may secretsmanager:GetSecretValue ${DB}`,
    ]);
    expect(account.calls.find((c) => c.operation === "iam:SimulatePrincipalPolicy")!.input.ResourceArns).toEqual([DB]);
  });

  it("a log group is found by its exact name, not by a longer one it prefixes", async () => {
    const { ctx } = fakeAccount();
    const lines = await preflight(ctx, [web({ logGroups: [{ key: "log group", name: "web-task-logs" }] })]);
    expect(row(lines, "log group")).toEqual(["MISSING: no log group web-task-logs"]);
    expect(preflightFailed(lines.filter((l) => l.key === "log group"))).toBe(true);
  });

  it("the role's pull of each repository is asked on its own", async () => {
    const { ctx, account } = fakeAccount();
    account.repositories.set("222222222222/shop-api", ["1.0.0"]);
    const api = "222222222222.dkr.ecr.ap-northeast-1.amazonaws.com/shop-api:1.0.0";
    const lines = await preflight(ctx, [
      web({
        secrets: [],
        logGroups: [],
        images: [
          { key: "a", image: IMAGE },
          { key: "b", image: api },
        ],
      }),
    ]);
    expect(row(lines, "execution role")).toEqual([
      `ok: the execution role may ecr:BatchGetImage ${REPO}`,
      `DENIED: the execution role ${ROLE} may not ecr:BatchGetImage ${REPO.replace("shop-web", "shop-api")} (implicitDeny)`,
    ]);
  });

  it("a stack never applied says its roles are not checked only when there is something a role would need", async () => {
    const { ctx } = fakeAccount();
    const one = await preflight(ctx, [web({ executionRoleArn: undefined, logGroups: [], secrets: [{ key: "s", valueFrom: DB }] })]);
    expect(row(one, "execution role")).toEqual(["not checked: the stack has no outputs yet (never applied): its roles cannot be simulated"]);
    const none = await preflight(ctx, [web({ executionRoleArn: undefined, logGroups: [], secrets: [], images: [{ key: "hub", image: "redis:7" }] })]);
    expect(row(none, "execution role")).toEqual([]);
  });

  it.each([
    ["an organisation's Docker Hub image", "myorg/app:1", "Docker Hub"],
    ["a Docker Hub image with a dotted tag", "redis:7.2", "Docker Hub"],
    ["a registry in front of ECR", "mirror.example.com/222222222222.dkr.ecr.ap-northeast-1.amazonaws.com/shop-web:1", "mirror.example.com"],
  ])("%s is not ECR: not checked, no call", async (_, image, registry) => {
    const { ctx, account } = fakeAccount();
    const lines = await preflight(ctx, [web({ secrets: [], logGroups: [], images: [{ key: "i", image }] })]);
    expect(row(lines, "i")).toEqual([`not checked: ${image}: ${registry} is not ECR; only ECR images can be checked`]);
    expect(account.calls).toEqual([]);
  });

  it("an ECR image by digest is looked up by digest; without a tag, as latest; a digest cut short is not an image reference", async () => {
    const { ctx, account } = fakeAccount();
    const digest = `sha256:${"ab".repeat(32)}`;
    account.repositories.set("222222222222/shop-web", [digest]);
    const base = "222222222222.dkr.ecr.ap-northeast-1.amazonaws.com/shop-web";
    const lines = await preflight(ctx, [
      web({
        secrets: [],
        logGroups: [],
        executionRoleArn: undefined,
        images: [
          { key: "digest", image: `${base}@${digest}` },
          { key: "untagged", image: base },
          { key: "short", image: `${base}@sha256:ab` },
        ],
      }),
    ]);
    expect(row(lines, "digest")).toEqual([`ok: ${base}@${digest}`]);
    expect(row(lines, "untagged")).toEqual([`MISSING: ${base}: latest is not in shop-web (push it before releasing)`]);
    expect(row(lines, "short")).toEqual([
      `not checked: ${base}@sha256:ab: 222222222222.dkr.ecr.ap-northeast-1.amazonaws.com is not ECR; only ECR images can be checked`,
    ]);
    expect(account.calls.map((c) => c.input.imageIds)).toEqual([[{ imageDigest: digest }], [{ imageTag: "latest" }]]);
  });

  it("never more calls at once than its concurrency", async () => {
    const { ctx } = fakeAccount();
    let inFlight = 0;
    let most = 0;
    /** The same client, each call taking a few milliseconds, counted while it runs. */
    const timed = <T extends { send: (...args: never[]) => Promise<unknown> }>(client: T): T =>
      ({
        send: async (...args: never[]) => {
          most = Math.max(most, ++inFlight);
          await new Promise((resolve) => setTimeout(resolve, 2));
          return client.send(...args).finally(() => inFlight--);
        },
      }) as unknown as T;
    const clients = ctx.clients;
    const lines = await preflight({ ...ctx, concurrency: 2, clients: { ...clients, ecr: (r) => timed(clients.ecr(r)), logs: timed(clients.logs) } }, [
      web({ secrets: [], executionRoleArn: undefined, images: [1, 2, 3, 4, 5].map((n) => ({ key: `i${n}`, image: `${IMAGE}${n}` })) }),
    ]);
    expect(lines).toHaveLength(7); // five images, the log group, the roles not checked
    expect(most).toBe(2);
  });

  it("fails on a MISSING line alone, and prints each line aligned, then the counts", async () => {
    const { ctx } = fakeAccount();
    const lines = await preflight(ctx, [web({ secrets: [], images: [], logGroups: [{ key: "log group", name: "gone" }] })]);
    expect(preflightFailed(lines)).toBe(true);
    expect(formatChecks([...lines, { workload: "back-default", key: "infra:jobs.back.default.image", status: "ok", what: IMAGE }])).toEqual([
      "MISSING  web           log group                      no log group gone",
      `ok       back-default  infra:jobs.back.default.image  ${IMAGE}`,
      "2 checks: 1 ok, 1 MISSING, 0 WRONG, 0 DENIED, 0 not checked",
    ]);
  });
});
