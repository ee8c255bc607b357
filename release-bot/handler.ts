import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { decide } from "./command";
import { BOT_ENV, type BotAccess, type BotGitHub, groupsToCheck } from "./contract";
import { claimOnce } from "./dedupe";
import { dispatchWorkflow, installationToken } from "./github";
import { eventLine } from "./events";
import { envelopeProblem, parseSlashCommand, signatureProblem, type SlashCommand } from "./slack";

/**
 * The release bot's Lambda function. Three kinds of invocation:
 * - Slack's slash command, through the HTTP API: proven, decided and claimed within Slack's three
 *   seconds, answered at once; the work is handed to the function itself, invoked asynchronously;
 * - that work: the GitHub App's token, the workflow's dispatch, the answer in the channel;
 * - the release topic's events (SNS): a line each in the events channel.
 * Nothing secret is logged: no header, no body, no token, no signature.
 */

/** What the function is configured with (its environment, written by the ReleaseBot component). */
export interface BotSettings {
  readonly access: BotAccess;
  readonly github: BotGitHub;
  readonly signingSecretArn: string;
  readonly githubKeyArn: string;
  /** The Slack app's bot token (`chat:write` for the events, `usergroups:read` for user groups); absent: neither. */
  readonly slackTokenArn?: string;
  /** The channel the release topic's events go to; absent: no events. */
  readonly events?: { readonly channel: string };
  readonly requestsTable: string;
}

/** What the function reaches the world through: a test gives its own. */
export interface BotDeps {
  readonly settings: BotSettings;
  readonly secret: (arn: string) => Promise<string>;
  readonly dynamodb: DynamoDBClient;
  /** Hands the work to the function itself (an asynchronous invocation: Slack is answered meanwhile). */
  readonly invokeSelf: (work: BotWork) => Promise<void>;
  /** A POST of JSON to Slack (a response_url, or chat.postMessage with a token). */
  readonly postToSlack: (url: string, body: unknown, token?: string) => Promise<void>;
  /** The members of a Slack user group (`usergroups.users.list` with the bot token). */
  readonly groupMembers: (groupId: string, token: string) => Promise<readonly string[]>;
  readonly nowSeconds: () => number;
  readonly log: (line: string) => void;
}

/** The work after Slack was answered: the request and what it was decided to be. */
export interface BotWork {
  readonly botWork: { readonly request: SlashCommand; readonly action: string; readonly stack: string; readonly service: string };
}

interface HttpEvent {
  readonly headers?: Readonly<Record<string, string | undefined>>;
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
  readonly requestContext?: { readonly http?: { readonly method?: string } };
}
interface SnsEvent {
  readonly Records: readonly { readonly Sns?: { readonly Message?: string } }[];
}
type HttpResult = { statusCode: number; headers: Record<string, string>; body: string };

const json = (statusCode: number, body: unknown): HttpResult => ({ statusCode, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
/** An answer only the person who asked sees. */
const ephemeral = (text: string) => json(200, { response_type: "ephemeral", text });

async function command(deps: BotDeps, event: HttpEvent): Promise<HttpResult> {
  if (event.requestContext?.http?.method !== "POST") return json(405, { error: "POST only" });
  const rawBody = event.isBase64Encoded ? Buffer.from(event.body ?? "", "base64").toString("utf8") : (event.body ?? "");
  const headers = event.headers ?? {};
  const signed = { timestamp: headers["x-slack-request-timestamp"], signature: headers["x-slack-signature"], rawBody };
  // What needs no secret is refused before the secret is read: junk costs no Secrets Manager call.
  const problem = envelopeProblem(signed, deps.nowSeconds()) ?? signatureProblem(signed, await deps.secret(deps.settings.signingSecretArn), deps.nowSeconds());
  if (problem) {
    deps.log(`refused: ${problem}`);
    return json(problem === "too large" ? 413 : 401, { error: `refused: ${problem}` });
  }
  const request = parseSlashCommand(rawBody);
  if (!request) {
    deps.log("refused: not a slash command");
    return json(400, { error: "refused: not a slash command" });
  }
  const words = request.text.trim().split(/\s+/);
  const groups = request.teamId === deps.settings.access.teamId ? groupsToCheck(deps.settings.access, words[1] ?? "", words[0] ?? "", request.userId) : [];
  const members = new Map<string, readonly string[]>();
  if (groups.length > 0) {
    const tokenArn = deps.settings.slackTokenArn;
    try {
      if (!tokenArn) throw new Error("the bot has no Slack token to read them with");
      const token = await deps.secret(tokenArn);
      for (const g of groups) members.set(g, await deps.groupMembers(g, token));
    } catch (error) {
      deps.log(`user groups not read: ${(error as Error).message}`);
      return ephemeral(`refused: the members of ${groups.map((g) => `<!subteam^${g}>`).join(", ")} could not be read from Slack (${(error as Error).message})`);
    }
  }
  const decision = decide(deps.settings.access, request, members);
  deps.log(
    `${request.userId} in ${request.channelId}: ${decision.kind}${decision.kind === "dispatch" ? ` ${decision.action} ${decision.stack} ${decision.service}` : ""}`,
  );
  if (decision.kind !== "dispatch") return ephemeral(decision.text);
  const claim = await claimOnce(deps.dynamodb, deps.settings.requestsTable, request, deps.nowSeconds());
  if (!claim.first) {
    return ephemeral(
      claim.retry
        ? "already on it: this request was taken when Slack first sent it"
        : `you asked the same at ${claim.at}: that request runs, this one starts nothing (ask again in a minute to run it twice)`,
    );
  }
  await deps.invokeSelf({ botWork: { request, action: decision.action, stack: decision.stack, service: decision.service } });
  return ephemeral(`${decision.action} ${decision.stack} ${decision.service}: starting the release workflow…`);
}

async function work(deps: BotDeps, { botWork: w }: BotWork): Promise<void> {
  const { github } = deps.settings;
  const what = `${w.action} ${w.stack} ${w.service}`;
  let text: string;
  try {
    const app = { ...github, privateKey: await deps.secret(deps.settings.githubKeyArn) };
    const token = await installationToken(app, github.repository, deps.nowSeconds());
    const run = await dispatchWorkflow(app, token, {
      repository: github.repository,
      workflow: github.workflow,
      ref: github.ref,
      // The workflow's release user is the person: the lock and the notifications name them.
      inputs: { command: w.action, stack: w.stack, service: w.service, requested_by: `${w.request.userName} (slack ${w.request.userId})` },
    });
    text = `<@${w.request.userId}> asked: ${what}. Run: ${run.runUrl}`;
    deps.log(`dispatched ${what}${run.runId ? ` as run ${run.runId}` : ""}`);
  } catch (error) {
    text = `<@${w.request.userId}> asked: ${what}. Not started: ${(error as Error).message}`;
    deps.log(`not dispatched ${what}: ${(error as Error).message}`);
  }
  await deps.postToSlack(w.request.responseUrl, { response_type: "in_channel", text });
}

async function events(deps: BotDeps, event: SnsEvent): Promise<void> {
  const target = deps.settings.events;
  const tokenArn = deps.settings.slackTokenArn;
  if (!target || !tokenArn) return;
  const token = await deps.secret(tokenArn);
  for (const record of event.Records) {
    const line = eventLine(record.Sns?.Message ?? "");
    await deps.postToSlack("https://slack.com/api/chat.postMessage", { channel: target.channel, text: line }, token);
  }
}

/** The function's entry, over the world `deps` gives. */
export function createHandler(deps: BotDeps) {
  return async (event: unknown): Promise<HttpResult | undefined> => {
    if (event && typeof event === "object" && "botWork" in event) {
      await work(deps, event as BotWork);
      return undefined;
    }
    if (event && typeof event === "object" && "Records" in event) {
      await events(deps, event as SnsEvent);
      return undefined;
    }
    return command(deps, event as HttpEvent);
  };
}

/** The settings from the function's environment; a missing one fails the invocation by name. */
export function settingsFromEnv(env: NodeJS.ProcessEnv): BotSettings {
  const need = (name: string) => {
    const value = env[name];
    if (!value) throw new Error(`the release bot's ${name} is not set`);
    return value;
  };
  const [tokenArn, channel] = [env[BOT_ENV.slackTokenArn], env[BOT_ENV.eventsChannel]];
  return {
    access: JSON.parse(need(BOT_ENV.access)) as BotAccess,
    github: JSON.parse(need(BOT_ENV.github)) as BotGitHub,
    signingSecretArn: need(BOT_ENV.signingSecretArn),
    githubKeyArn: need(BOT_ENV.githubKeyArn),
    ...(tokenArn ? { slackTokenArn: tokenArn } : {}),
    ...(channel ? { events: { channel } } : {}),
    requestsTable: need(BOT_ENV.requestsTable),
  };
}

/** Secrets read once per container and kept five minutes (a rotated one is picked up by then). */
function cachedSecrets(client: SecretsManagerClient, nowSeconds: () => number): (arn: string) => Promise<string> {
  const cache = new Map<string, { value: Promise<string>; until: number }>();
  return (arn) => {
    const hit = cache.get(arn);
    if (hit && hit.until > nowSeconds()) return hit.value;
    const value = client.send(new GetSecretValueCommand({ SecretId: arn })).then((r) => {
      if (!r.SecretString) throw new Error(`secret ${arn} has no string value`);
      return r.SecretString;
    });
    cache.set(arn, { value, until: nowSeconds() + 300 });
    value.catch(() => cache.delete(arn));
    return value;
  };
}

/** The world of a real invocation: the SDK's clients, Slack over HTTPS, the function's own name. */
function lambdaDeps(): BotDeps {
  const nowSeconds = () => Math.floor(Date.now() / 1000);
  const lambda = new LambdaClient({});
  return {
    settings: settingsFromEnv(process.env),
    secret: cachedSecrets(new SecretsManagerClient({}), nowSeconds),
    dynamodb: new DynamoDBClient({}),
    invokeSelf: async (payload) => {
      await lambda.send(new InvokeCommand({ FunctionName: process.env.AWS_LAMBDA_FUNCTION_NAME, InvocationType: "Event", Payload: JSON.stringify(payload) }));
    },
    postToSlack: async (url, body, token) => {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json; charset=utf-8", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(5000),
      });
      // chat.postMessage answers 200 with `ok: false` and the reason; a response_url answers with a status.
      const answer = (await response.text().catch(() => "")).trim();
      const refused = answer.startsWith("{") && (JSON.parse(answer) as { ok?: boolean; error?: string }).ok === false;
      if (!response.ok || refused) throw new Error(`Slack answered ${response.status}${refused ? `: ${answer.slice(0, 100)}` : ""}`);
    },
    groupMembers: groupMembersFromSlack(nowSeconds),
    nowSeconds,
    log: (line) => console.log(line),
  };
}

/** A user group's members from Slack's Web API, kept five minutes per container (a person typing twice asks once). */
function groupMembersFromSlack(nowSeconds: () => number): BotDeps["groupMembers"] {
  const cache = new Map<string, { users: readonly string[]; until: number }>();
  return async (groupId, token) => {
    const hit = cache.get(groupId);
    if (hit && hit.until > nowSeconds()) return hit.users;
    const response = await fetch(`https://slack.com/api/usergroups.users.list?usergroup=${encodeURIComponent(groupId)}`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(2000),
    });
    const body = (await response.json()) as { ok?: boolean; error?: string; users?: string[] };
    if (!body.ok) throw new Error(`Slack answered ${body.error ?? response.status}`);
    cache.set(groupId, { users: body.users ?? [], until: nowSeconds() + 300 });
    return body.users ?? [];
  };
}

let real: ReturnType<typeof createHandler> | undefined;
/** Lambda's entry (`index.handler`). */
export const handler = (event: unknown) => (real ??= createHandler(lambdaDeps()))(event);
