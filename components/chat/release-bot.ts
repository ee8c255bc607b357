import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { BOT_ACTIONS, BOT_ENV, type BotAccess, type BotGitHub, isUserGroup } from "../../release-bot/contract";
import { type LogRetentionDays, retentionProblems } from "../aws-limits";
import { InfraComponent, keepOnDelete, perStackName, type Transform } from "../component";
import { keyedTableArgs } from "../data/keyed-table";
import { secretsManagerArnProblem } from "../ecs/container";
import { policyJson, serviceTrustPolicy } from "../iam";
import { badNumber, notOneOf, type Problem, throwIfProblems } from "../problems";

/** The Lambda runtime the function runs on: its bundle is built for this Node (tools/launch.mjs, BOT_NODE_MAJOR). */
export const BOT_RUNTIME = "nodejs24.x";

/** What a {@link ReleaseBot} uses when its args say nothing. */
export const RELEASE_BOT_DEFAULTS = {
  github: { api: "https://api.github.com", workflow: "release.yml", ref: "main" },
  /** Requests per second the endpoint takes, and the burst above it: a person types, a flood is refused by API Gateway. */
  throttle: { ratePerSecond: 2, burst: 5 },
  logRetentionInDays: 30 as LogRetentionDays,
} as const;

/** The GitHub App the bot dispatches the release workflow as. */
export interface ReleaseBotGitHubArgs {
  readonly appId: string;
  readonly installationId: string;
  /** The Secrets Manager secret holding the App's private key (PEM); the function reads it, nothing else does. */
  readonly privateKeyArn: pulumi.Input<string>;
  /** `owner/name` of the repository whose release workflow runs. */
  readonly repository: string;
  /** @default "release.yml" */
  readonly workflow?: string;
  /** @default "main" */
  readonly ref?: string;
  /** @default "https://api.github.com" */
  readonly api?: string;
}

/** Arguments of a {@link ReleaseBot}. */
export interface ReleaseBotArgs {
  /** The one workspace, the channels, and per stack its services, back worker groups and who may do what. */
  readonly access: BotAccess;
  /** The Secrets Manager secret holding the Slack app's signing secret. */
  readonly signingSecretArn: pulumi.Input<string>;
  /** The GitHub App it starts the release workflow as, and where that workflow is. */
  readonly github: ReleaseBotGitHubArgs;
  /**
   * The Secrets Manager secret holding the Slack app's bot token: `chat:write` posts the events,
   * `usergroups:read` reads a user group's members. Required by either. @default none
   */
  readonly botTokenArn?: pulumi.Input<string>;
  /**
   * The release topics whose events go to a channel, as a line each, posted with the bot token.
   * @default none: the channel sees the answers to its commands only
   */
  readonly events?: { readonly topicArns: readonly pulumi.Input<string>[]; readonly channel: string };
  /** API Gateway's throttle of the endpoint. @default RELEASE_BOT_DEFAULTS.throttle */
  readonly throttle?: { readonly ratePerSecond?: number; readonly burst?: number };
  /**
   * Keep the requests table from deletion (`protect`, `retainOnDelete`), as a stack that keeps its
   * data keeps every table: its items live a minute, but the policy pack judges tables alike. @default false
   */
  readonly protectData?: boolean;
  /** Days the function's log group keeps its lines. @default 30 */
  readonly logRetentionInDays?: LogRetentionDays;
  /** Tags of every child. @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  /** Changes to the args of its children before they are created (see {@link Transform}). @default none */
  readonly transform?: {
    readonly requests?: Transform<aws.dynamodb.TableArgs>;
    readonly logGroup?: Transform<aws.cloudwatch.LogGroupArgs>;
    readonly role?: Transform<aws.iam.RoleArgs>;
    readonly rolePolicy?: Transform<aws.iam.RolePolicyArgs>;
    readonly function?: Transform<aws.lambda.FunctionArgs>;
    readonly api?: Transform<aws.apigatewayv2.ApiArgs>;
    readonly integration?: Transform<aws.apigatewayv2.IntegrationArgs>;
    readonly route?: Transform<aws.apigatewayv2.RouteArgs>;
    readonly stage?: Transform<aws.apigatewayv2.StageArgs>;
    readonly permission?: Transform<aws.lambda.PermissionArgs>;
    readonly subscription?: Transform<aws.sns.TopicSubscriptionArgs>;
  };
}

interface NormalizedReleaseBotArgs {
  readonly access: BotAccess;
  readonly signingSecretArn: pulumi.Input<string>;
  readonly botTokenArn?: pulumi.Input<string>;
  readonly github: BotGitHub & { readonly privateKeyArn: pulumi.Input<string> };
  readonly events?: ReleaseBotArgs["events"];
  readonly throttle: { readonly ratePerSecond: number; readonly burst: number };
  readonly logRetentionInDays: LogRetentionDays;
  readonly tags: Readonly<Record<string, string>>;
  readonly transform: NonNullable<ReleaseBotArgs["transform"]>;
}

function normalize(args: ReleaseBotArgs): NormalizedReleaseBotArgs {
  const d = RELEASE_BOT_DEFAULTS;
  return {
    access: args.access,
    signingSecretArn: args.signingSecretArn,
    ...(args.botTokenArn ? { botTokenArn: args.botTokenArn } : {}),
    github: {
      ...args.github,
      api: args.github.api ?? d.github.api,
      workflow: args.github.workflow ?? d.github.workflow,
      ref: args.github.ref ?? d.github.ref,
    },
    ...(args.events ? { events: args.events } : {}),
    throttle: { ratePerSecond: args.throttle?.ratePerSecond ?? d.throttle.ratePerSecond, burst: args.throttle?.burst ?? d.throttle.burst },
    logRetentionInDays: args.logRetentionInDays ?? d.logRetentionInDays,
    tags: args.tags ?? {},
    transform: args.transform ?? {},
  };
}

/** Slack's ids, by kind: the pattern and how a person recognises one. */
const SLACK_ID = {
  workspace: { rule: /^[TE][A-Z0-9]{2,}$/, looks: "T0123ABCD" },
  channel: { rule: /^[CG][A-Z0-9]{2,}$/, looks: "C0123ABCD" },
  user: { rule: /^[UWS][A-Z0-9]{2,}$/, looks: "U0123ABCD, or a user group's S0123ABCD" },
} as const;

/** What Slack, GitHub, API Gateway or Secrets Manager would refuse, or a bot nobody could use. */
export function releaseBotProblems(args: ReleaseBotArgs): Problem[] {
  const n = normalize(args);
  const problems: Problem[] = [];
  const add = (field: string, message: string) => problems.push({ field, message });
  const id = (field: string, value: unknown, kind: keyof typeof SLACK_ID) => {
    if (typeof value !== "string" || !SLACK_ID[kind].rule.test(value))
      add(field, `${JSON.stringify(value)} is not a Slack ${kind} id (like ${SLACK_ID[kind].looks}; a name is not an id)`);
  };
  id("access.teamId", n.access.teamId, "workspace");
  if (n.access.channels.length === 0) add("access.channels", "is empty: the bot would take commands from no channel");
  n.access.channels.forEach((c, i) => id(`access.channels[${i}]`, c, "channel"));
  const stacks = Object.entries(n.access.stacks);
  if (stacks.length === 0) add("access.stacks", "is empty: the bot would answer for no stack");
  for (const [stack, s] of stacks) {
    const at = `access.stacks.${stack}`;
    if (!/^[a-z][a-z0-9-]*$/.test(stack)) add(at, "is not a stack name (lowercase letters, digits, -; starts with a letter)");
    if (s.services.length === 0) add(`${at}.services`, "is empty: there is nothing to release there");
    for (const [action, people] of Object.entries(s.allow)) {
      if (!(BOT_ACTIONS as readonly string[]).includes(action)) add(`${at}.allow.${action}`, `is not a subcommand: ${notOneOf(action, BOT_ACTIONS)}`);
      (people ?? []).forEach((p, i) => {
        id(`${at}.allow.${action}[${i}]`, p, "user");
        if (isUserGroup(p) && !n.botTokenArn)
          add(
            `${at}.allow.${action}[${i}]`,
            "is a user group: its members are read from Slack with the bot token, so botTokenArn is required (scope usergroups:read)",
          );
      });
    }
  }
  const g = n.github;
  if (!/^\d+$/.test(g.appId)) add("github.appId", `${JSON.stringify(g.appId)} is not a GitHub App id (digits)`);
  if (!/^\d+$/.test(g.installationId)) add("github.installationId", `${JSON.stringify(g.installationId)} is not an installation id (digits)`);
  if (!/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(g.repository)) add("github.repository", `${JSON.stringify(g.repository)} is not owner/name`);
  if (!/^[\w.-]+\.ya?ml$/.test(g.workflow)) add("github.workflow", `${JSON.stringify(g.workflow)} is not a workflow file name (release.yml)`);
  if (!/^https:\/\/[^/\s]+(\/\S*)?$/.test(g.api) || g.api.endsWith("/")) add("github.api", `${JSON.stringify(g.api)} is not an https URL without a trailing /`);
  const secret = (field: string, arn: pulumi.Input<string> | undefined) => {
    const problem = typeof arn === "string" ? secretsManagerArnProblem(arn) : undefined;
    if (problem) add(field, problem);
  };
  secret("signingSecretArn", n.signingSecretArn);
  secret("github.privateKeyArn", g.privateKeyArn);
  secret("botTokenArn", n.botTokenArn);
  if (n.events) {
    if (!n.botTokenArn) add("events", "posts with the bot token: botTokenArn is required (scope chat:write)");
    id("events.channel", n.events.channel, "channel");
    if (n.events.topicArns.length === 0) add("events.topicArns", "is empty: name the release topics, or leave events out");
  }
  const whole = (field: string, value: unknown, max: number) => {
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > max)
      add(field, badNumber(value, `must be a whole number from 1 to ${max} (API Gateway's limit)`));
  };
  whole("throttle.ratePerSecond", n.throttle.ratePerSecond, 10_000);
  whole("throttle.burst", n.throttle.burst, 5_000);
  problems.push(...retentionProblems("logRetentionInDays", n.logRetentionInDays));
  return problems;
}

/** The package's root: the folder whose package.json is this library's, above this file (sources or dist/). */
function packageRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, "package.json");
    if (existsSync(file) && (JSON.parse(readFileSync(file, "utf8")) as { name?: string }).name === "@shop-sre/infra") return dir;
  }
  return from;
}

/** The function's code: the bundle the package ships (dist/release-bot/index.mjs, built by tools/launch.mjs ensureBotBundle). */
function functionCode(component: string): pulumi.asset.AssetArchive {
  const bundle = join(packageRoot(__dirname), "dist", "release-bot", "index.mjs");
  if (!existsSync(bundle))
    throw new Error(`ReleaseBot "${component}": its function's bundle ${bundle} is not built: npm run prepare builds it (npm ci and npm pack do too)`);
  return new pulumi.asset.AssetArchive({ "index.mjs": new pulumi.asset.FileAsset(bundle) });
}

/**
 * Release from chat: a slash command (`/release <status|release|continue|rollback|unlock|drain> <stack>
 * <service>`) reaches an HTTPS endpoint (API Gateway's HTTP API, throttled) and a Lambda function
 * of ours (arm64), which proves the request is Slack's, checks the channel and the person against
 * `access`, claims it once (a retried delivery starts nothing), and starts the release workflow as
 * a GitHub App; the answer, and the release topic's events, come back to the channel. Its role
 * may read its three secrets, write its own log group and requests table, and invoke itself.
 */
export class ReleaseBot extends InfraComponent {
  /** The URL to give Slack as the slash command's Request URL. */
  public readonly url: pulumi.Output<string>;
  /** The function's name: its logs are `/aws/lambda/<name>`. */
  public readonly functionName: pulumi.Output<string>;
  /** The function's ARN: what a caller grants more to, or alarms on. */
  public readonly functionArn: pulumi.Output<string>;
  /** The function's role: what to simulate when asking what the bot may do. */
  public readonly roleArn: pulumi.Output<string>;

  constructor(name: string, args: ReleaseBotArgs, opts?: pulumi.ComponentResourceOptions) {
    throwIfProblems("ReleaseBot", name, releaseBotProblems(args));
    super("infra:chat:ReleaseBot", name, opts);
    const n = normalize(args);
    const code = functionCode(name);
    const tags = n.tags;
    const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
    const region = aws.getRegionOutput({}, { parent: this }).region;
    // Named here, not by Pulumi: the log group and the role's policy name it before it exists.
    const functionName = perStackName(name, 64);
    const functionArn = pulumi.interpolate`arn:aws:lambda:${region}:${account}:function:${functionName}`;

    // One claim per request: a retried delivery or a second submit meets it and starts nothing.
    const protectData = args.protectData === true;
    const requests = this.child(aws.dynamodb.Table, "requests", keyedTableArgs({ protectData, tags }), n.transform.requests, keepOnDelete(protectData));
    const logGroup = this.child(
      aws.cloudwatch.LogGroup,
      "logs",
      { name: `/aws/lambda/${functionName}`, retentionInDays: n.logRetentionInDays, tags },
      n.transform.logGroup,
    );
    const role = this.child(aws.iam.Role, "role", { assumeRolePolicy: serviceTrustPolicy("lambda.amazonaws.com", account), tags }, n.transform.role);
    const secrets = [n.signingSecretArn, n.github.privateKeyArn, ...(n.botTokenArn ? [n.botTokenArn] : [])];
    const policy = this.child(
      aws.iam.RolePolicy,
      "role-policy",
      {
        role: role.id,
        policy: policyJson({
          Version: "2012-10-17",
          Statement: [
            { Sid: "Logs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: pulumi.interpolate`${logGroup.arn}:log-stream:*` },
            { Sid: "Secrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: secrets },
            { Sid: "Requests", Effect: "Allow", Action: ["dynamodb:PutItem", "dynamodb:GetItem"], Resource: requests.arn },
            // The work after Slack's three seconds: the function hands it to itself.
            { Sid: "HandOn", Effect: "Allow", Action: "lambda:InvokeFunction", Resource: functionArn },
          ],
        }),
      },
      n.transform.rolePolicy,
    );
    const github: BotGitHub = {
      api: n.github.api,
      appId: n.github.appId,
      installationId: n.github.installationId,
      repository: n.github.repository,
      workflow: n.github.workflow,
      ref: n.github.ref,
    };
    const fn = this.child(
      aws.lambda.Function,
      "function",
      {
        name: functionName,
        runtime: BOT_RUNTIME,
        architectures: ["arm64"],
        handler: "index.handler",
        code,
        role: role.arn,
        memorySize: 256,
        // GitHub's two calls and Slack's answer, five seconds each at most.
        timeout: 20,
        loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
        environment: {
          variables: {
            [BOT_ENV.access]: JSON.stringify(n.access),
            [BOT_ENV.github]: JSON.stringify(github),
            [BOT_ENV.signingSecretArn]: n.signingSecretArn,
            [BOT_ENV.githubKeyArn]: n.github.privateKeyArn,
            [BOT_ENV.requestsTable]: requests.name,
            ...(n.botTokenArn ? { [BOT_ENV.slackTokenArn]: n.botTokenArn } : {}),
            ...(n.events ? { [BOT_ENV.eventsChannel]: n.events.channel } : {}),
          },
        },
        tags,
      },
      n.transform.function,
      // Its first invocation finds its role allowed and its log group there.
      { dependsOn: [policy, logGroup] },
    );
    const api = this.child(aws.apigatewayv2.Api, "api", { name: perStackName(name, 128), protocolType: "HTTP", tags }, n.transform.api);
    const integration = this.child(
      aws.apigatewayv2.Integration,
      "integration",
      { apiId: api.id, integrationType: "AWS_PROXY", integrationUri: fn.arn, payloadFormatVersion: "2.0" },
      n.transform.integration,
    );
    const route = "POST /slack/commands";
    this.child(
      aws.apigatewayv2.Route,
      "route",
      { apiId: api.id, routeKey: route, target: pulumi.interpolate`integrations/${integration.id}` },
      n.transform.route,
    );
    this.child(
      aws.apigatewayv2.Stage,
      "stage",
      {
        apiId: api.id,
        name: "$default",
        autoDeploy: true,
        defaultRouteSettings: { throttlingRateLimit: n.throttle.ratePerSecond, throttlingBurstLimit: n.throttle.burst },
        tags,
      },
      n.transform.stage,
    );
    this.child(
      aws.lambda.Permission,
      "invoke-from-api",
      {
        function: fn.name,
        action: "lambda:InvokeFunction",
        principal: "apigateway.amazonaws.com",
        // The one route of this API, and nothing else of API Gateway.
        sourceArn: pulumi.interpolate`${api.executionArn}/*/POST/slack/commands`,
      },
      n.transform.permission,
    );
    (n.events?.topicArns ?? []).forEach((topicArn, i) => {
      this.child(
        aws.lambda.Permission,
        `invoke-from-topic-${i}`,
        { function: fn.name, action: "lambda:InvokeFunction", principal: "sns.amazonaws.com", sourceArn: topicArn },
        n.transform.permission,
      );
      this.child(aws.sns.TopicSubscription, `events-${i}`, { topic: topicArn, protocol: "lambda", endpoint: fn.arn }, n.transform.subscription);
    });
    this.url = pulumi.interpolate`${api.apiEndpoint}/slack/commands`;
    this.functionName = fn.name;
    this.functionArn = fn.arn;
    this.roleArn = role.arn;
    this.registerOutputs({ url: this.url, functionName: this.functionName });
  }
}
