import { describe, expect, it } from "vitest";
import { formatChecks, preflight, type PreflightContext, preflightFailed, type WorkloadNeeds } from "../../../components/deploy/release-tool/preflight";
import { FakeAccount } from "../../helpers/fake-account";
import { preflightClients } from "../../helpers/preflight-clients";

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
    expect(formatChecks(lines).at(-1)).toBe("7 checks: 7 ok, 0 MISSING, 0 DENIED, 0 not checked");
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
