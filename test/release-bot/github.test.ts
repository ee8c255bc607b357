import { createVerify, generateKeyPairSync } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { appJwt, dispatchWorkflow, type GitHubApp, GitHubError, installationToken } from "../../release-bot/github";

const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const PEM = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
const NOW = 1_796_000_000;
const TOKEN = "ghs_installationtoken0000000000000000";

interface Seen {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: Record<string, unknown>;
}

/**
 * GitHub's REST API as far as the bot uses it: an installation token for a valid App JWT (RS256,
 * `iss` the App id, at most ten minutes), a workflow dispatch for that token. `answer` replaces a
 * route's answer for a test (a status, or never answering).
 */
let server: Server;
let api: string;
let seen: Seen[];
let answer: Record<string, { status: number; body?: unknown } | "hang"> = {};

function jwtValid(header: string | undefined): boolean {
  const [head, body, signature] = (header ?? "").replace(/^Bearer /, "").split(".");
  if (!head || !body || !signature) return false;
  const claims = JSON.parse(Buffer.from(body, "base64url").toString()) as { iat: number; exp: number; iss: string };
  const verified = createVerify("RSA-SHA256").update(`${head}.${body}`).verify(publicKey, Buffer.from(signature, "base64url"));
  return verified && claims.iss === "123456" && claims.exp - claims.iat <= 600 && claims.iat <= NOW && claims.exp > NOW;
}

function route(req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>) {
  const reply = (status: number, json?: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(json === undefined ? "" : JSON.stringify(json));
  };
  const key = req.url!.includes("access_tokens") ? "token" : "dispatch";
  const planted = answer[key];
  if (planted === "hang") return;
  if (planted) return reply(planted.status, planted.body);
  if (key === "token") {
    if (req.url !== "/app/installations/987/access_tokens") return reply(404, { message: "Not Found" });
    if (!jwtValid(req.headers.authorization)) return reply(401, { message: "A JSON web token could not be decoded" });
    return reply(201, { token: TOKEN, expires_at: "2026-12-02T19:00:00Z" });
  }
  if (req.headers.authorization !== `Bearer ${TOKEN}`) return reply(401, { message: "Bad credentials" });
  if (req.url !== "/repos/shop-sre/infra/actions/workflows/release.yml/dispatches") return reply(404, { message: "Not Found" });
  if (body.return_run_details === true)
    return reply(200, {
      workflow_run_id: 42,
      run_url: `${api}/repos/shop-sre/infra/actions/runs/42`,
      html_url: "https://github.com/shop-sre/infra/actions/runs/42",
    });
  return reply(204);
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let text = "";
    req.on("data", (c: Buffer) => (text += c.toString()));
    req.on("end", () => {
      const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      seen.push({ method: req.method!, path: req.url!, headers: req.headers, body });
      route(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
beforeEach(() => {
  seen = [];
  answer = {};
});

const app = (): GitHubApp => ({ api, appId: "123456", installationId: "987", privateKey: PEM, timeoutMs: 500 });
const TARGET = { repository: "shop-sre/infra", workflow: "release.yml", ref: "main", inputs: { command: "release", stack: "stg", service: "web" } };

describe("the release workflow, started as a GitHub App", () => {
  it("the App's JWT is RS256, issued by the App, valid less than ten minutes", () => {
    expect(jwtValid(`Bearer ${appJwt("123456", PEM, NOW)}`)).toBe(true);
    expect(jwtValid(`Bearer ${appJwt("999", PEM, NOW)}`)).toBe(false);
  });

  it("an installation token for the one repository, actions: write only; then the dispatch with its inputs and the token", async () => {
    const token = await installationToken(app(), "shop-sre/infra", NOW);
    expect(token).toBe(TOKEN);
    const run = await dispatchWorkflow(app(), token, TARGET);
    expect(run).toEqual({ runUrl: "https://github.com/shop-sre/infra/actions/runs/42", runId: 42 });
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual([
      "POST /app/installations/987/access_tokens",
      "POST /repos/shop-sre/infra/actions/workflows/release.yml/dispatches",
    ]);
    expect(seen[0]!.body).toEqual({ repositories: ["infra"], permissions: { actions: "write" } });
    expect(seen[1]!.body).toEqual({ ref: "main", inputs: { command: "release", stack: "stg", service: "web" }, return_run_details: true });
    for (const s of seen) {
      expect(s.headers.accept).toBe("application/vnd.github+json");
      expect(s.headers["x-github-api-version"]).toBe("2022-11-28");
    }
  });

  it("a GitHub without run details (204): the workflow's runs page", async () => {
    answer.dispatch = { status: 204 };
    expect(await dispatchWorkflow(app(), TOKEN, TARGET)).toEqual({ runUrl: "https://github.com/shop-sre/infra/actions/workflows/release.yml" });
  });

  it.each([
    [
      "token",
      401,
      { message: "A JSON web token could not be decoded" },
      "installation token: GitHub answered 401, the App's credentials were refused (its id or private key): A JSON web token could not be decoded",
    ],
    [
      "token",
      404,
      { message: "Not Found" },
      "installation token: GitHub answered 404, no such repository or workflow, or the App is not installed on the repository: Not Found",
    ],
    [
      "dispatch",
      401,
      { message: "Bad credentials" },
      "dispatch of release.yml: GitHub answered 401, the App's credentials were refused (its id or private key): Bad credentials",
    ],
    [
      "dispatch",
      404,
      { message: "Not Found" },
      "dispatch of release.yml: GitHub answered 404, no such repository or workflow, or the App is not installed on the repository: Not Found",
    ],
    [
      "dispatch",
      422,
      { message: 'Unexpected inputs provided: ["requested_by"]' },
      'dispatch of release.yml: GitHub answered 422, the workflow refused the inputs: Unexpected inputs provided: ["requested_by"]',
    ],
    ["dispatch", 500, undefined, "dispatch of release.yml: GitHub answered 500: "],
  ] as const)("%s answered %i: one line, its status and GitHub's words", async (key, status, body, line) => {
    answer[key] = { status, body };
    const run = async () => dispatchWorkflow(app(), await installationToken(app(), "shop-sre/infra", NOW), TARGET);
    await expect(run()).rejects.toThrow(new GitHubError(line));
  });

  it("GitHub not answering: gives up at the timeout, in one line", async () => {
    answer.dispatch = "hang";
    await expect(dispatchWorkflow(app(), TOKEN, TARGET)).rejects.toThrow(new GitHubError("dispatch of release.yml: GitHub did not answer within 0.5 s"));
  });

  it("the key never appears in what is sent but as a signature, nor in an error", async () => {
    answer.token = { status: 401, body: { message: "Bad credentials" } };
    const error: unknown = await installationToken(app(), "shop-sre/infra", NOW).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubError);
    const body = PEM.split("\n")[1]!;
    expect((error as GitHubError).message).not.toContain(body);
    expect(JSON.stringify(seen)).not.toContain(body);
  });
});
