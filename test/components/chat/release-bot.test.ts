import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BOT_RUNTIME, ReleaseBot, type ReleaseBotArgs } from "../../../components/chat/release-bot";
import { BOT_NODE_MAJOR } from "../../../tools/launch.mjs";
import { FakeAccount, type PolicyDocument } from "../../helpers/fake-account";
import { byType, jsonInput, named, planAttempt, planOf, ROOT } from "../../helpers/plan";

const SECRET = (name: string) => `arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:release-bot/${name}-AbC123`;
const TOPIC = "arn:aws:sns:ap-northeast-1:123456789012:shop-prd-releases";
const botArgs = (extra: Partial<ReleaseBotArgs> = {}): ReleaseBotArgs => ({
  access: {
    teamId: "T0001",
    channels: ["C0REL"],
    stacks: { prd: { services: ["web"], groups: ["default"], allow: { status: ["U0ALICE", "U0BOB"], release: ["U0ALICE"], rollback: ["U0ALICE"] } } },
  },
  signingSecretArn: SECRET("signing"),
  github: { appId: "123456", installationId: "987", privateKeyArn: SECRET("github"), repository: "shop-sre/infra" },
  botTokenArn: SECRET("slack"),
  events: { topicArns: [TOPIC], channel: "C0REL" },
  ...extra,
});

describe("ReleaseBot", () => {
  it("an HTTP API with one route, throttled, to the function (payload 2.0); API Gateway may invoke it on that route only", async () => {
    const plan = await planOf(() => new ReleaseBot("release-bot", botArgs()));
    const api = named(plan, "release-bot-api");
    expect(api.inputs).toMatchObject({ protocolType: "HTTP", name: "infra-test-release-bot" });
    expect(named(plan, "release-bot-route").inputs).toMatchObject({
      routeKey: "POST /slack/commands",
      target: expect.stringMatching(/^integrations\//) as unknown,
    });
    expect(named(plan, "release-bot-integration").inputs).toMatchObject({
      integrationType: "AWS_PROXY",
      payloadFormatVersion: "2.0",
      integrationUri: expect.stringMatching(/^arn:aws:lambda:ap-northeast-1:123456789012:function:infra-test-release-bot$/) as unknown,
    });
    expect(named(plan, "release-bot-stage").inputs).toMatchObject({
      name: "$default",
      autoDeploy: true,
      defaultRouteSettings: { throttlingRateLimit: 2, throttlingBurstLimit: 5 },
    });
    expect(named(plan, "release-bot-invoke-from-api").inputs).toMatchObject({
      action: "lambda:InvokeFunction",
      principal: "apigateway.amazonaws.com",
      sourceArn: expect.stringMatching(/^arn:aws:execute-api:.+\/\*\/POST\/slack\/commands$/) as unknown,
    });
  });

  it("the function: ours, bundled for the Node its runtime runs, arm64, its log group kept 30 days, its secrets by ARN only", async () => {
    const plan = await planOf(() => new ReleaseBot("release-bot", botArgs()));
    const fn = named(plan, "release-bot-function");
    expect(BOT_RUNTIME).toBe(`nodejs${BOT_NODE_MAJOR}.x`);
    const bundle = readFileSync(join(ROOT, "dist", "release-bot", "index.mjs"));
    expect(fn.inputs).toMatchObject({
      name: "infra-test-release-bot",
      runtime: BOT_RUNTIME,
      architectures: ["arm64"],
      handler: "index.handler",
      code: { archive: { "index.mjs": { asset: { sha256: createHash("sha256").update(bundle).digest("hex") } } } },
      loggingConfig: { logGroup: "/aws/lambda/infra-test-release-bot" },
    });
    expect(named(plan, "release-bot-logs").inputs).toMatchObject({ name: "/aws/lambda/infra-test-release-bot", retentionInDays: 30 });
    const env = (fn.inputs.environment as { variables: Record<string, string> }).variables;
    expect(env).toMatchObject({
      SIGNING_SECRET_ARN: SECRET("signing"),
      GITHUB_KEY_ARN: SECRET("github"),
      SLACK_TOKEN_ARN: SECRET("slack"),
      EVENTS_CHANNEL: "C0REL",
    });
    expect(JSON.parse(env.BOT_GITHUB!)).toEqual({
      api: "https://api.github.com",
      appId: "123456",
      installationId: "987",
      repository: "shop-sre/infra",
      workflow: "release.yml",
      ref: "main",
    });
    expect(JSON.parse(env.BOT_ACCESS!)).toEqual(botArgs().access);
    expect(fn.options.dependsOn).toEqual(expect.arrayContaining([named(plan, "release-bot-role-policy").urn, named(plan, "release-bot-logs").urn]));
  });

  it("its role may do what the function does and nothing more (its policy evaluated as IAM evaluates one: explicit deny, then allow, IAM's wildcards; the test double, not IAM's simulator)", async () => {
    const plan = await planOf(() => new ReleaseBot("release-bot", botArgs()));
    const trust = jsonInput<PolicyDocument & { Statement: { Principal: unknown; Condition: unknown }[] }>(named(plan, "release-bot-role"), "assumeRolePolicy");
    expect(trust.Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "lambda.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
      },
    ]);
    const account = new FakeAccount();
    const role = "arn:aws:iam::123456789012:role/release-bot";
    account.policies.set(role, [jsonInput<PolicyDocument>(named(plan, "release-bot-role-policy"), "policy")]);
    const tableArn = jsonInput<{ Statement: { Sid: string; Resource: unknown }[] }>(named(plan, "release-bot-role-policy"), "policy").Statement.find(
      (s) => s.Sid === "Requests",
    )!.Resource as string;
    const may = (action: string, resource: string) =>
      (
        account.handle("iam:SimulatePrincipalPolicy", { PolicySourceArn: role, ActionNames: [action], ResourceArns: [resource] }) as {
          EvaluationResults: { EvalDecision: string }[];
        }
      ).EvaluationResults[0]!.EvalDecision;
    const fn = "arn:aws:lambda:ap-northeast-1:123456789012:function:infra-test-release-bot";
    const logs = "arn:aws:logs:ap-northeast-1:123456789012:log-group:/aws/lambda/infra-test-release-bot";
    for (const [action, resource] of [
      ["secretsmanager:GetSecretValue", SECRET("signing")],
      ["secretsmanager:GetSecretValue", SECRET("github")],
      ["secretsmanager:GetSecretValue", SECRET("slack")],
      ["dynamodb:PutItem", tableArn],
      ["dynamodb:GetItem", tableArn],
      ["lambda:InvokeFunction", fn],
      ["logs:PutLogEvents", `${logs}:log-stream:2026/12/02/[$LATEST]abc`],
    ] as const)
      expect(may(action, resource), `${action} ${resource}`).toBe("allowed");
    for (const [action, resource] of [
      ["secretsmanager:GetSecretValue", SECRET("database")],
      ["secretsmanager:ListSecrets", "*"],
      ["dynamodb:DeleteItem", tableArn],
      ["dynamodb:Scan", tableArn],
      ["dynamodb:PutItem", "arn:aws:dynamodb:ap-northeast-1:123456789012:table/release-locks"],
      ["lambda:InvokeFunction", "arn:aws:lambda:ap-northeast-1:123456789012:function:other"],
      ["logs:PutLogEvents", "arn:aws:logs:ap-northeast-1:123456789012:log-group:/aws/lambda/other:log-stream:x"],
      ["sns:Publish", TOPIC],
    ] as const)
      expect(may(action, resource), `${action} ${resource}`).toBe("implicitDeny");
  });

  it("the release topics reach the function: a subscription and an invoke permission for each, scoped to that topic", async () => {
    const other = "arn:aws:sns:ap-northeast-1:123456789012:shop-stg-releases";
    const plan = await planOf(() => new ReleaseBot("release-bot", botArgs({ events: { topicArns: [TOPIC, other], channel: "C0REL" } })));
    expect(byType(plan, "aws:sns/topicSubscription:TopicSubscription").map((s) => [s.inputs.topic, s.inputs.protocol])).toEqual([
      [TOPIC, "lambda"],
      [other, "lambda"],
    ]);
    expect(byType(plan, "aws:lambda/permission:Permission").map((p) => [p.inputs.principal, p.inputs.sourceArn])).toEqual(
      expect.arrayContaining([
        ["sns.amazonaws.com", TOPIC],
        ["sns.amazonaws.com", other],
      ]),
    );
  });

  it("without events or user groups: no subscription, no bot token, and the role reads two secrets", async () => {
    const plan = await planOf(() => new ReleaseBot("release-bot", botArgs({ events: undefined, botTokenArn: undefined })));
    expect(byType(plan, "aws:sns/topicSubscription:TopicSubscription")).toEqual([]);
    const secrets = jsonInput<{ Statement: { Sid: string; Resource: unknown }[] }>(named(plan, "release-bot-role-policy"), "policy").Statement.find(
      (s) => s.Sid === "Secrets",
    )!;
    expect(secrets.Resource).toEqual([SECRET("signing"), SECRET("github")]);
    expect(Object.keys((named(plan, "release-bot-function").inputs.environment as { variables: object }).variables)).not.toContain("SLACK_TOKEN_ARN");
  });

  const base = botArgs();
  it.each<[string, Partial<ReleaseBotArgs>, string]>([
    [
      "a workspace name for its id",
      { access: { ...base.access, teamId: "shop-sre" } },
      'access.teamId "shop-sre" is not a Slack workspace id (like T0123ABCD; a name is not an id)',
    ],
    ["no channel", { access: { ...base.access, channels: [] } }, "access.channels is empty: the bot would take commands from no channel"],
    [
      "a channel's name",
      { access: { ...base.access, channels: ["#releases"] } },
      'access.channels[0] "#releases" is not a Slack channel id (like C0123ABCD; a name is not an id)',
    ],
    ["no stack", { access: { ...base.access, stacks: {} } }, "access.stacks is empty: the bot would answer for no stack"],
    [
      "a subcommand that does not exist",
      { access: { ...base.access, stacks: { prd: { services: ["web"], groups: [], allow: { deploy: ["U0ALICE"] } as never } } } },
      'access.stacks.prd.allow.deploy is not a subcommand: "deploy" is not one of "status", "release", "continue", "rollback", "unlock", "drain"',
    ],
    [
      "a person's handle for their id",
      { access: { ...base.access, stacks: { prd: { services: ["web"], groups: [], allow: { release: ["@alice"] } } } } },
      'access.stacks.prd.allow.release[0] "@alice" is not a Slack user id (like U0123ABCD, or a user group\'s S0123ABCD; a name is not an id)',
    ],
    [
      "a stack with no service",
      { access: { ...base.access, stacks: { prd: { services: [], groups: [], allow: {} } } } },
      "access.stacks.prd.services is empty: there is nothing to release there",
    ],
    ["an App's name for its id", { github: { ...base.github, appId: "shop-release-bot" } }, 'github.appId "shop-release-bot" is not a GitHub App id (digits)'],
    [
      "a repository URL",
      { github: { ...base.github, repository: "https://github.com/shop-sre/infra" } },
      'github.repository "https://github.com/shop-sre/infra" is not owner/name',
    ],
    ["a workflow's name", { github: { ...base.github, workflow: "release" } }, 'github.workflow "release" is not a workflow file name (release.yml)'],
    [
      "an API with a trailing slash",
      { github: { ...base.github, api: "https://ghe.example.com/api/v3/" } },
      'github.api "https://ghe.example.com/api/v3/" is not an https URL without a trailing /',
    ],
    [
      "the signing secret itself where its ARN goes",
      { signingSecretArn: "8f742231b10e8888abcd99yyyzzz85a5" },
      "signingSecretArn a value that is not an ARN (32 characters, not repeated here: it may be the secret itself) is not a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)",
    ],
    [
      "an SSM parameter for the App's key",
      { github: { ...base.github, privateKeyArn: "arn:aws:ssm:ap-northeast-1:123456789012:parameter/github-key" } },
      'github.privateKeyArn "arn:aws:ssm:ap-northeast-1:123456789012:parameter/github-key" is not a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)',
    ],
    ["events with no topic", { events: { topicArns: [], channel: "C0REL" } }, "events.topicArns is empty: name the release topics, or leave events out"],
    ["a throttle as text", { throttle: { ratePerSecond: "5" as never } }, 'throttle.ratePerSecond "5" is text, not a number'],
    ["a burst over API Gateway's limit", { throttle: { burst: 6000 } }, "throttle.burst 6000 must be a whole number from 1 to 5000 (API Gateway's limit)"],
  ])("%s: refused by key, before anything is registered", async (_, extra, problem) => {
    const { message, plan } = await planAttempt(() => new ReleaseBot("release-bot", botArgs(extra)));
    expect(message).toBe(`ReleaseBot "release-bot": ${problem}`);
    expect(plan.resources).toEqual([]);
  });
});
