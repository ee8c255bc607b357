import { createVerify, generateKeyPairSync } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** A GitHub App's key pair, made for the test: the private key (PEM) is what Secrets Manager would hold. */
const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
export const APP_PRIVATE_KEY = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
export const APP_ID = "123456";
export const INSTALLATION_ID = "987";
export const INSTALLATION_TOKEN = "ghs_installationtoken0000000000000000";

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage["headers"];
  readonly body: Record<string, unknown>;
}

/** True when `authorization` carries a JWT the App's key signed (RS256), issued by the App, valid at most ten minutes around `now`. */
export function appJwtValid(authorization: string | undefined, nowSeconds: number): boolean {
  const [head, body, signature] = (authorization ?? "").replace(/^Bearer /, "").split(".");
  if (!head || !body || !signature) return false;
  const claims = JSON.parse(Buffer.from(body, "base64url").toString()) as { iat: number; exp: number; iss: string };
  const verified = createVerify("RSA-SHA256").update(`${head}.${body}`).verify(publicKey, Buffer.from(signature, "base64url"));
  return verified && claims.iss === APP_ID && claims.exp - claims.iat <= 600 && claims.iat <= nowSeconds && claims.exp > nowSeconds;
}

/**
 * GitHub's REST API as far as the release bot uses it: an installation token for a valid App JWT,
 * a workflow dispatch of `owner/repo`'s `release.yml` for that token (200 with the run's details
 * when asked for them, 204 otherwise). `answer` replaces a route's answer (`token`, `dispatch`):
 * a status and body, or `hang` (never answering).
 */
export async function startGitHubApi(nowSeconds: number, repository = "shop-sre/infra") {
  const seen: SeenRequest[] = [];
  const answer: Partial<Record<"token" | "dispatch", { status: number; body?: unknown } | "hang">> = {};
  const route = (req: IncomingMessage, res: ServerResponse, body: Record<string, unknown>) => {
    const reply = (status: number, json?: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(json === undefined ? "" : JSON.stringify(json));
    };
    const key = req.url!.includes("access_tokens") ? "token" : "dispatch";
    const planted = answer[key];
    if (planted === "hang") return;
    if (planted) return reply(planted.status, planted.body);
    if (key === "token") {
      if (req.url !== `/app/installations/${INSTALLATION_ID}/access_tokens`) return reply(404, { message: "Not Found" });
      if (!appJwtValid(req.headers.authorization, nowSeconds)) return reply(401, { message: "A JSON web token could not be decoded" });
      return reply(201, { token: INSTALLATION_TOKEN, expires_at: "2026-12-02T19:00:00Z" });
    }
    if (req.headers.authorization !== `Bearer ${INSTALLATION_TOKEN}`) return reply(401, { message: "Bad credentials" });
    if (req.url !== `/repos/${repository}/actions/workflows/release.yml/dispatches`) return reply(404, { message: "Not Found" });
    if (body.return_run_details !== true) return reply(204);
    return reply(200, {
      workflow_run_id: 42,
      run_url: `${api}/repos/${repository}/actions/runs/42`,
      html_url: `https://github.com/${repository}/actions/runs/42`,
    });
  };
  const server = createServer((req, res) => {
    let text = "";
    req.on("data", (c: Buffer) => (text += c.toString()));
    req.on("end", () => {
      const body = text ? (JSON.parse(text) as Record<string, unknown>) : {};
      seen.push({ method: req.method!, path: req.url!, headers: req.headers, body });
      route(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    api,
    seen,
    answer,
    reset: () => {
      seen.length = 0;
      for (const k of Object.keys(answer) as (keyof typeof answer)[]) delete answer[k];
    },
    stop: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}
