import { hostname, userInfo } from "node:os";
import { describe, expect, it } from "vitest";
import { createClients, whoAmI } from "../../release-tool/context";
import { aws, awsErrorLine, ReleaseError } from "../../release-tool/errors";
import { FakeAwsError } from "../helpers/fake-ecs";

const REGION = "ap-northeast-1";
const HINTS = {
  credentials: `check your AWS credentials for the stack's account in ${REGION}: AWS_PROFILE, or aws sso login, or AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY`,
  denied: `your role may not do this in ${REGION}: check its IAM permissions, and that AWS_PROFILE is the stack's account`,
  applied: `check that the stack has been applied (pulumi up) in this account and ${REGION}`,
  throttled: "AWS is throttling this account; the SDK already retried: wait a minute and run it again",
  other: `check the stack's account and region (${REGION}), and AWS_ENDPOINT_URL if you set it`,
};

const line = (error: unknown) => {
  const out = awsErrorLine("ECS DescribeServices", error, REGION);
  return out instanceof Error ? `${out.name}: ${out.message}` : out;
};

describe("an AWS error as one line", () => {
  it.each([
    ...[
      "ExpiredToken",
      "ExpiredTokenException",
      "InvalidClientTokenId",
      "UnrecognizedClientException",
      "InvalidSignatureException",
      "SignatureDoesNotMatch",
      "TokenRefreshRequired",
    ].map((name) => [name, "credentials"] as const),
    ...["AccessDeniedException", "AccessDenied", "UnauthorizedOperation"].map((name) => [name, "denied"] as const),
    ...["ServiceNotFoundException", "ClusterNotFoundException", "DeploymentGroupDoesNotExistException", "ResourceNotFoundException"].map(
      (name) => [name, "applied"] as const,
    ),
    ...["ThrottlingException", "TooManyRequestsException", "Throttling"].map((name) => [name, "throttled"] as const),
    ...["InvalidParameterException", "NotFoundExceptionWrapper", "DoesNotExistExceptionally", "ServerException"].map((name) => [name, "other"] as const),
  ])("%s: %s", (name, hint) => {
    expect(line(new FakeAwsError(name, "what AWS said"))).toBe(`ReleaseError: ECS DescribeServices failed: ${name}: what AWS said (${HINTS[hint]})`);
  });

  it("the SDK's credential error, which carries no response, is one line too", () => {
    const error = Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" });
    expect(line(error)).toBe(
      `ReleaseError: ECS DescribeServices failed: CredentialsProviderError: Could not load credentials from any providers (${HINTS.credentials})`,
    );
  });

  it("an error from AWS is known by its response metadata or its fault, and keeps only its first line, trimmed", () => {
    const faultOnly = Object.assign(new Error("  Service unavailable  \n<html>...</html>"), { name: "ServiceUnavailable", $fault: "server" });
    expect(line(faultOnly)).toBe(`ReleaseError: ECS DescribeServices failed: ServiceUnavailable: Service unavailable (${HINTS.other})`);
    const metadataOnly = Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException", $metadata: { httpStatusCode: 400 } });
    expect(line(metadataOnly)).toBe(`ReleaseError: ECS DescribeServices failed: ThrottlingException: Rate exceeded (${HINTS.throttled})`);
  });

  it("anything else is left as it is: a bug keeps its stack, a refusal its words", () => {
    const bug = new TypeError("cannot read properties of undefined");
    expect(awsErrorLine("ECS DescribeServices", bug, REGION)).toBe(bug);
    const refusal = new ReleaseError("locked by bob");
    expect(awsErrorLine("ECS DescribeServices", refusal, REGION)).toBe(refusal);
    expect(refusal.name).toBe("ReleaseError");
    expect(awsErrorLine("ECS DescribeServices", "a string", REGION)).toBe("a string");
  });

  it("aws() returns the answer, or throws the line", async () => {
    await expect(aws("ECS DescribeServices", REGION, () => Promise.resolve(42))).resolves.toBe(42);
    await expect(aws("ECS DescribeServices", REGION, () => Promise.reject(new FakeAwsError("AccessDenied", "no")))).rejects.toThrow(
      `ECS DescribeServices failed: AccessDenied: no (${HINTS.denied})`,
    );
  });
});

describe("the release tool's context", () => {
  it("builds every client for the stack's region", async () => {
    const clients = createClients("us-west-2");
    const regions = await Promise.all(
      [
        clients.ecs,
        clients.codedeploy,
        clients.dynamodb,
        clients.sns,
        clients.autoscaling,
        clients.preflight.secrets,
        clients.preflight.ssm,
        clients.preflight.iam,
        clients.preflight.logs,
        clients.preflight.ecr("eu-west-1"),
      ].map((c) => c.config.region()),
    );
    expect(regions).toEqual([...Array<string>(9).fill("us-west-2"), "eu-west-1"]);
    expect(clients.preflight.ecr("eu-west-1")).toBe(clients.preflight.ecr("eu-west-1"));
  });

  it("names who runs it: the CI run, or user@host", () => {
    expect(whoAmI({ GITHUB_RUN_ID: "7", GITHUB_REPOSITORY: "shop/infra", GITHUB_ACTOR: "alice", GITHUB_SERVER_URL: "https://ghe.example.com" })).toBe(
      "alice via https://ghe.example.com/shop/infra/actions/runs/7",
    );
    expect(whoAmI({ GITHUB_RUN_ID: "7", GITHUB_REPOSITORY: "shop/infra" })).toBe("github-actions via https://github.com/shop/infra/actions/runs/7");
    // Started by the release bot: the person who asked in chat, then the App.
    expect(whoAmI({ GITHUB_RUN_ID: "7", GITHUB_REPOSITORY: "shop/infra", GITHUB_ACTOR: "release-bot[bot]", INFRA_REQUESTED_BY: "bob (slack U0BOB)" })).toBe(
      "bob (slack U0BOB) through release-bot[bot] via https://github.com/shop/infra/actions/runs/7",
    );
    expect(whoAmI({ GITHUB_RUN_ID: "7" })).toBe(`${userInfo().username}@${hostname()}`);
    expect(whoAmI({ INFRA_RELEASE_USER: "bob" })).toBe(`bob@${hostname()}`);
  });
});
