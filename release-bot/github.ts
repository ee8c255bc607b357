import { createSign } from "node:crypto";

/**
 * The release workflow, started as a GitHub App: a JWT signed with the App's private key buys an
 * installation token for the one repository, with `actions: write` only, and that token calls
 * the workflow_dispatch API. No personal token: the App's key is the only secret, and what it can
 * do is what the installation grants.
 */

export interface GitHubApp {
  /** The REST API's root: https://api.github.com, or a GitHub Enterprise Server's `/api/v3`. */
  readonly api: string;
  readonly appId: string;
  readonly installationId: string;
  /** The App's private key (PEM), read from Secrets Manager; never logged. */
  readonly privateKey: string;
  /** How long one call may take: the work runs after Slack was answered, but not forever. @default 5000 */
  readonly timeoutMs?: number;
}

/** A GitHub call that failed, in one line for the channel (no token, no key). */
export class GitHubError extends Error {
  override readonly name = "GitHubError";
}

const HEADERS = { accept: "application/vnd.github+json", "x-github-api-version": "2022-11-28", "user-agent": "infra-release-bot" };
const base64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

/** The App's JWT (RS256): issued a minute back for clock skew, valid nine minutes (GitHub's limit is ten). */
export function appJwt(appId: string, privateKey: string, nowSeconds: number): string {
  const head = base64url(JSON.stringify({ alg: "RS256", typ: "JWT" }));
  const body = base64url(JSON.stringify({ iat: nowSeconds - 60, exp: nowSeconds + 540, iss: appId }));
  const signature = createSign("RSA-SHA256").update(`${head}.${body}`).sign(privateKey);
  return `${head}.${body}.${base64url(signature)}`;
}

/** What GitHub said, as a line: its status and its own message. */
async function failure(what: string, response: Response): Promise<GitHubError> {
  const text = await response.text().catch(() => "");
  let message = text.slice(0, 200);
  try {
    const said = (JSON.parse(text) as { message?: unknown }).message;
    if (typeof said === "string") message = said;
  } catch {
    // Not JSON (a proxy's page): its first characters.
  }
  const why: Record<number, string> = {
    401: "the App's credentials were refused (its id or private key)",
    403: "the App may not (its installation's permissions: actions write)",
    404: "no such repository or workflow, or the App is not installed on the repository",
    422: "the workflow refused the inputs",
  };
  return new GitHubError(`${what}: GitHub answered ${response.status}${why[response.status] ? `, ${why[response.status]!}` : ""}: ${message}`);
}

async function post(app: GitHubApp, what: string, path: string, token: string, body: unknown): Promise<Response> {
  const timeoutMs = app.timeoutMs ?? 5000;
  try {
    return await fetch(`${app.api}${path}`, {
      method: "POST",
      headers: { ...HEADERS, authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const name = (error as Error).name;
    if (name === "TimeoutError" || name === "AbortError") throw new GitHubError(`${what}: GitHub did not answer within ${timeoutMs / 1000} s`);
    throw new GitHubError(`${what}: GitHub could not be reached (${(error as Error).message})`);
  }
}

/** An installation token for `repository` (`owner/name`) that may start workflows and nothing else. */
export async function installationToken(app: GitHubApp, repository: string, nowSeconds: number): Promise<string> {
  const response = await post(
    app,
    "installation token",
    `/app/installations/${encodeURIComponent(app.installationId)}/access_tokens`,
    appJwt(app.appId, app.privateKey, nowSeconds),
    {
      repositories: [repository.split("/")[1]],
      permissions: { actions: "write" },
    },
  );
  if (response.status !== 201) throw await failure("installation token", response);
  const { token } = (await response.json()) as { token?: unknown };
  if (typeof token !== "string" || token.length === 0) throw new GitHubError("installation token: GitHub answered 201 without a token");
  return token;
}

/** A run the dispatch started: its page, when GitHub says (`return_run_details`), else the workflow's runs. */
export interface Dispatched {
  readonly runUrl: string;
  readonly runId?: number;
}

/** Starts `workflow` on `ref` with `inputs`; resolves with the run's page. */
export async function dispatchWorkflow(
  app: GitHubApp,
  token: string,
  target: { readonly repository: string; readonly workflow: string; readonly ref: string; readonly inputs: Readonly<Record<string, string>> },
): Promise<Dispatched> {
  const [owner = "", repo = ""] = target.repository.split("/");
  const response = await post(
    app,
    `dispatch of ${target.workflow}`,
    `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/actions/workflows/${encodeURIComponent(target.workflow)}/dispatches`,
    token,
    { ref: target.ref, inputs: target.inputs, return_run_details: true },
  );
  if (response.status === 204) return { runUrl: `https://github.com/${target.repository}/actions/workflows/${target.workflow}` };
  if (response.status !== 200) throw await failure(`dispatch of ${target.workflow}`, response);
  const details = (await response.json()) as { workflow_run_id?: unknown; html_url?: unknown };
  return {
    runUrl: typeof details.html_url === "string" ? details.html_url : `https://github.com/${target.repository}/actions/workflows/${target.workflow}`,
    ...(typeof details.workflow_run_id === "number" ? { runId: details.workflow_run_id } : {}),
  };
}
