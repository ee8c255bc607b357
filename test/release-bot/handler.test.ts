import { execFile } from "node:child_process";
import { tmpdir } from "node:os";
import { promisify } from "node:util";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BOT_RUNTIME } from "../../components/chat/release-bot";
import type { BotAccess } from "../../release-bot/contract";
import { type BotDeps, type BotWork, createHandler, settingsFromEnv } from "../../release-bot/handler";
import { slackSignature } from "../../release-bot/slack";
import { startDynamoDb } from "../helpers/dynamodb";
import { FakeAccount } from "../helpers/fake-account";
import { serveFake } from "../helpers/fake-ecs";
import { ROOT } from "../helpers/plan";
import { awsEnvironment } from "../helpers/process";
import { APP_ID, APP_PRIVATE_KEY, INSTALLATION_ID, INSTALLATION_TOKEN, startGitHubApi } from "../helpers/github-api";

const NOW = 1_796_000_000;
const SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const SLACK_TOKEN = "xoxb-0000-test-token";
const ARN = (name: string) => `arn:aws:secretsmanager:ap-northeast-1:222222222222:secret:release-bot/${name}-AbC123`;
const ACCESS: BotAccess = {
  teamId: "T0001",
  channels: ["C0REL"],
  stacks: {
    prd: { services: ["web"], groups: [], allow: { status: ["U0ALICE", "U0BOB"], release: ["U0ALICE"] } },
    stg: { services: ["web"], groups: [], allow: { status: ["U0ALICE", "U0BOB"], release: ["U0ALICE", "U0BOB", "S0SHOPTEAM"] } },
  },
};

let db: Awaited<ReturnType<typeof startDynamoDb>>;
let github: Awaited<ReturnType<typeof startGitHubApi>>;
let tables = 0;
/** One world per test: a requests table of its own, what was invoked, posted, logged and read. */
let world: {
  deps: BotDeps;
  invoked: BotWork[];
  posted: { url: string; body: unknown; token?: string }[];
  logs: string[];
  secretsRead: string[];
  groupReads: string[];
  now: number;
};

beforeAll(async () => {
  db = await startDynamoDb();
  github = await startGitHubApi(NOW);
});
afterAll(async () => {
  await db.stop();
  await github.stop();
});
beforeEach(async () => {
  github.reset();
  const table = `bot-requests-${++tables}`;
  await db.createTable(table);
  const secrets: Record<string, string> = { [ARN("signing")]: SIGNING_SECRET, [ARN("github")]: APP_PRIVATE_KEY, [ARN("slack")]: SLACK_TOKEN };
  const w: typeof world = { invoked: [], posted: [], logs: [], secretsRead: [], groupReads: [], now: NOW, deps: undefined as unknown as BotDeps };
  w.deps = {
    settings: {
      access: ACCESS,
      github: { api: github.api, appId: APP_ID, installationId: INSTALLATION_ID, repository: "shop-sre/infra", workflow: "release.yml", ref: "main" },
      signingSecretArn: ARN("signing"),
      githubKeyArn: ARN("github"),
      slackTokenArn: ARN("slack"),
      events: { channel: "C0REL" },
      requestsTable: table,
    },
    secret: (arn) => (w.secretsRead.push(arn), Promise.resolve(secrets[arn]!)),
    dynamodb: db.client,
    invokeSelf: (work) => (w.invoked.push(work), Promise.resolve()),
    postToSlack: (url, body, token) => (w.posted.push({ url, body, ...(token ? { token } : {}) }), Promise.resolve()),
    // The shop team's user group, as usergroups.users.list answers with the bot token.
    groupMembers: (group, token) => {
      w.groupReads.push(group);
      if (token !== SLACK_TOKEN) return Promise.reject(new Error("Slack answered invalid_auth"));
      return group === "S0SHOPTEAM" ? Promise.resolve(["U0CAROL"]) : Promise.reject(new Error("Slack answered no_such_subteam"));
    },
    nowSeconds: () => w.now,
    log: (line) => w.logs.push(line),
  };
  world = w;
});

const form = (text: string, extra: Record<string, string> = {}) =>
  new URLSearchParams({
    team_id: "T0001",
    channel_id: "C0REL",
    user_id: "U0BOB",
    user_name: "bob",
    command: "/release",
    text,
    response_url: "https://hooks.slack.com/commands/T0001/1/abc",
    trigger_id: "trigger-1",
    ...extra,
  }).toString();

/** The HTTP API's event (payload 2.0) of a request Slack signed at `at` with `secret`. */
const slack = (body: string, at = NOW, secret = SIGNING_SECRET, base64 = false) => ({
  version: "2.0",
  rawPath: "/slack/commands",
  requestContext: { http: { method: "POST" } },
  headers: {
    "content-type": "application/x-www-form-urlencoded",
    "x-slack-request-timestamp": String(at),
    "x-slack-signature": slackSignature(secret, String(at), body),
  },
  body: base64 ? Buffer.from(body).toString("base64") : body,
  isBase64Encoded: base64,
});

const handle = (event: unknown) => createHandler(world.deps)(event);
const answer = (result: unknown) => JSON.parse((result as { body: string }).body) as { response_type?: string; text?: string; error?: string };

describe("the release bot's function", () => {
  it("a signed command from an allowed person: answered at once, the work handed on; the work dispatches and answers in the channel", async () => {
    const result = await handle(slack(form("release stg web"), NOW, SIGNING_SECRET, true));
    expect(result).toMatchObject({ statusCode: 200 });
    expect(answer(result)).toEqual({ response_type: "ephemeral", text: "release stg web: starting the release workflow…" });
    expect(world.invoked).toHaveLength(1);
    expect(github.seen).toEqual([]); // nothing of GitHub within Slack's three seconds
    await handle(world.invoked[0]);
    expect(github.seen.map((s) => s.path)).toEqual([
      `/app/installations/${INSTALLATION_ID}/access_tokens`,
      "/repos/shop-sre/infra/actions/workflows/release.yml/dispatches",
    ]);
    expect(github.seen[1]!.body).toEqual({
      ref: "main",
      inputs: { command: "release", stack: "stg", service: "web", requested_by: "bob (slack U0BOB)" },
      return_run_details: true,
    });
    expect(world.posted).toEqual([
      {
        url: "https://hooks.slack.com/commands/T0001/1/abc",
        body: { response_type: "in_channel", text: "<@U0BOB> asked: release stg web. Run: https://github.com/shop-sre/infra/actions/runs/42" },
      },
    ]);
  });

  it("a request Slack delivers twice, and the same command submitted twice: exactly one run", async () => {
    const first = await handle(slack(form("release stg web")));
    const retried = await handle(slack(form("release stg web")));
    const again = await handle(slack(form("release stg web", { trigger_id: "trigger-2" }), NOW + 3));
    expect(world.invoked).toHaveLength(1);
    expect(answer(first).text).toBe("release stg web: starting the release workflow…");
    expect(answer(retried).text).toBe("already on it: this request was taken when Slack first sent it");
    expect(answer(again).text).toBe(
      `you asked the same at ${new Date(NOW * 1000).toISOString()}: that request runs, this one starts nothing (ask again in a minute to run it twice)`,
    );
  });

  const refusedHttp: [string, () => unknown, number, string][] = [
    ["unsigned", () => ({ ...slack(form("release stg web")), headers: { "content-type": "application/x-www-form-urlencoded" } }), 401, "refused: unsigned"],
    ["wrongly signed", () => slack(form("release stg web"), NOW, "another-secret"), 401, "refused: wrongly signed"],
    ["too old (a replay)", () => slack(form("release stg web"), NOW - 301), 401, "refused: too old"],
    ["a body too large", () => slack(form("release stg web", { pad: "x".repeat(9000) })), 413, "refused: too large"],
    ["not a slash command", () => slack("hello=world"), 400, "refused: not a slash command"],
    ["a GET", () => ({ ...slack(form("release stg web")), requestContext: { http: { method: "GET" } } }), 405, "POST only"],
  ];
  it.each(refusedHttp)("%s: refused, nothing started", async (_, event, status, error) => {
    const result = await handle(event());
    expect(result).toMatchObject({ statusCode: status });
    expect(answer(result)).toEqual({ error });
    expect(world.invoked).toEqual([]);
    expect(github.seen).toEqual([]);
  });

  it("a request refused before its signature is computed never reads the signing secret", async () => {
    await handle({ ...slack(form("release stg web")), headers: {} });
    await handle(slack(form("release stg web"), NOW - 3600));
    expect(world.secretsRead).toEqual([]);
  });

  const refusedInSlack: [string, Record<string, string>, string, string][] = [
    ["another workspace", { team_id: "T0OTHER" }, "release stg web", "refused: this app answers one workspace, not this one"],
    ["another channel", { channel_id: "C0RANDOM" }, "release stg web", "refused: /release is taken in <#C0REL> only"],
    ["a person not allowed on prd", {}, "release prd web", "refused: <@U0BOB> may not release on prd (who may: <@U0ALICE>)"],
    ["an unknown subcommand", {}, "deploy stg web", "unknown subcommand deploy: one of status, release, continue, rollback, unlock, drain, help"],
    ["an unknown stack", {}, "release dev web", "unknown stack dev: one of prd, stg"],
    ["an unknown service", {}, "release stg api", "unknown service api of stg: one of web"],
  ];
  it.each(refusedInSlack)("%s: a short refusal to the person only, nothing started", async (_, fields, text, refusal) => {
    const result = await handle(slack(form(text, fields)));
    expect(answer(result)).toEqual({ response_type: "ephemeral", text: refusal });
    expect(world.invoked).toEqual([]);
  });

  it.each([
    [
      "token",
      { status: 401, body: { message: "A JSON web token could not be decoded" } },
      "installation token: GitHub answered 401, the App's credentials were refused (its id or private key): A JSON web token could not be decoded",
    ],
    [
      "dispatch",
      { status: 404, body: { message: "Not Found" } },
      "dispatch of release.yml: GitHub answered 404, no such repository or workflow, or the App is not installed on the repository: Not Found",
    ],
    [
      "dispatch",
      { status: 422, body: { message: "Unexpected inputs provided" } },
      "dispatch of release.yml: GitHub answered 422, the workflow refused the inputs: Unexpected inputs provided",
    ],
  ] as const)("GitHub's %s failing (%o): one line in the channel", async (key, reply, line) => {
    await handle(slack(form("release stg web")));
    github.answer[key] = reply;
    await handle(world.invoked[0]);
    expect(world.posted).toEqual([
      {
        url: "https://hooks.slack.com/commands/T0001/1/abc",
        body: { response_type: "in_channel", text: `<@U0BOB> asked: release stg web. Not started: ${line}` },
      },
    ]);
  });

  it("a person in a user group allowed there: its members read from Slack (with the bot token) when they ask, only when they are not named", async () => {
    const carol = await handle(slack(form("release stg web", { user_id: "U0CAROL", user_name: "carol" })));
    expect(answer(carol).text).toBe("release stg web: starting the release workflow…");
    expect(world.groupReads).toEqual(["S0SHOPTEAM"]);
    await handle(slack(form("release stg web", { trigger_id: "t-bob" }), NOW + 61));
    expect(world.groupReads).toEqual(["S0SHOPTEAM"]); // bob is named: no read
    const dave = await handle(slack(form("release stg web", { user_id: "U0DAVE", trigger_id: "t-dave" })));
    expect(answer(dave).text).toBe("refused: <@U0DAVE> may not release on stg (who may: <@U0ALICE>, <@U0BOB>, <!subteam^S0SHOPTEAM>)");
  });

  it("a user group Slack will not list: refused, saying so, nothing started", async () => {
    world.deps = { ...world.deps, settings: { ...world.deps.settings, slackTokenArn: ARN("github") } };
    const result = await handle(slack(form("release stg web", { user_id: "U0DAVE" })));
    expect(answer(result).text).toBe("refused: the members of <!subteam^S0SHOPTEAM> could not be read from Slack (Slack answered invalid_auth)");
    expect(world.invoked).toEqual([]);
  });

  it("help: to the person only", async () => {
    expect(answer(await handle(slack(form("help"))))).toEqual({
      response_type: "ephemeral",
      text: "/release <status|release|continue|rollback|unlock|drain> <stack> <service>  (drain takes a back worker group)\nstacks: prd, stg\nyou may: prd: status; stg: status, release",
    });
  });

  it("the release topic's events: a line each in the events channel, with the bot's token", async () => {
    const message = {
      event: "succeeded",
      stack: "stg",
      service: "web",
      image: "222222222222.dkr.ecr.ap-northeast-1.amazonaws.com/shop-web:2026.12.01-1",
      who: "bob (slack U0BOB) through release-bot[bot] via https://github.com/shop-sre/infra/actions/runs/42",
      link: "https://ap-northeast-1.console.aws.amazon.com/codesuite/codedeploy/deployments/d-1?region=ap-northeast-1",
    };
    await handle({ Records: [{ EventSource: "aws:sns", Sns: { Message: JSON.stringify(message) } }] });
    expect(world.posted).toEqual([
      {
        url: "https://slack.com/api/chat.postMessage",
        token: SLACK_TOKEN,
        body: {
          channel: "C0REL",
          text: `:white_check_mark: [stg] web release succeeded · image ${message.image} · by ${message.who} · <${message.link}|deployment>`,
        },
      },
    ]);
  });

  it("logs nothing secret: no signing secret, signature, key or token, whatever happened", async () => {
    const ok = slack(form("release stg web"));
    await handle(ok);
    await handle(slack(form("release stg web"), NOW, "another-secret"));
    await handle(world.invoked[0]);
    const logs = world.logs.join("\n");
    expect(world.logs.length).toBeGreaterThan(2);
    for (const secret of [SIGNING_SECRET, ok.headers["x-slack-signature"], APP_PRIVATE_KEY.split("\n")[1]!, INSTALLATION_TOKEN, SLACK_TOKEN])
      expect(logs).not.toContain(secret);
  });

  it("its settings come from its environment; a missing one is named", () => {
    const env = {
      BOT_ACCESS: JSON.stringify(ACCESS),
      BOT_GITHUB: JSON.stringify(world.deps.settings.github),
      SIGNING_SECRET_ARN: ARN("signing"),
      GITHUB_KEY_ARN: ARN("github"),
      REQUESTS_TABLE: "t",
    };
    expect(settingsFromEnv(env)).toEqual({ ...world.deps.settings, slackTokenArn: undefined, events: undefined, requestsTable: "t" });
    expect(() => settingsFromEnv({ ...env, REQUESTS_TABLE: "" })).toThrow(new Error("the release bot's REQUESTS_TABLE is not set"));
  });
});

describe("the function's bundle, loaded by the Node of its runtime and called with an HTTP API event (not Lambda's runtime itself)", () => {
  it("loads and answers in the Node of the runtime it declares: unsigned refused without a call, a signed help answered with the secret read from Secrets Manager", async () => {
    const account = new FakeAccount();
    account.secretValues.set(ARN("signing"), SIGNING_SECRET);
    const { endpoint, server } = await serveFake((operation, input) => account.handle(operation, input));
    try {
      const body = form("help");
      const signed = slack(body, Math.floor(Date.now() / 1000));
      const script = [
        `const { handler } = await import(${JSON.stringify(join(ROOT, "dist", "release-bot", "index.mjs"))});`,
        `const unsigned = await handler({ requestContext: { http: { method: "POST" } }, headers: {}, body: "a=b" });`,
        `const help = await handler(${JSON.stringify(signed)});`,
        `console.log(JSON.stringify({ node: process.versions.node, unsigned, help }));`,
      ].join("\n");
      const env = {
        ...awsEnvironment(tmpdir(), endpoint),
        BOT_ACCESS: JSON.stringify(ACCESS),
        BOT_GITHUB: JSON.stringify(world.deps.settings.github),
        SIGNING_SECRET_ARN: ARN("signing"),
        GITHUB_KEY_ARN: ARN("github"),
        REQUESTS_TABLE: "bot-requests",
        AWS_LAMBDA_FUNCTION_NAME: "infra-test-release-bot",
        AWS_REGION: "ap-northeast-1",
      };
      // The project's Node (package.json's `node`), the major Lambda's runtime has: not whichever runs the tests.
      const node = join(ROOT, "node_modules", ".bin", "node");
      const run = await promisify(execFile)(node, ["--input-type=module", "-e", script], { cwd: ROOT, env });
      expect(run.stderr).toBe("");
      const out = JSON.parse(run.stdout.trim().split("\n").at(-1)!) as {
        node: string;
        unsigned: { statusCode: number };
        help: { statusCode: number; body: string };
      };
      expect(`nodejs${out.node.split(".")[0]!}.x`).toBe(BOT_RUNTIME);
      expect(out.unsigned.statusCode).toBe(401);
      expect(out.help.statusCode).toBe(200);
      expect((JSON.parse(out.help.body) as { text: string }).text).toMatch(/^\/release <status\|release\|continue\|rollback\|unlock\|drain> <stack> <service>/);
      expect(account.calls.map((c) => c.operation)).toEqual(["secretsmanager:GetSecretValue"]);
    } finally {
      server.close();
    }
  });
});
