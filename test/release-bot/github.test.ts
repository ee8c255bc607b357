import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { appJwt, dispatchWorkflow, type GitHubApp, GitHubError, installationToken } from "../../release-bot/github";
import { APP_ID, APP_PRIVATE_KEY as PEM, appJwtValid, INSTALLATION_ID, INSTALLATION_TOKEN as TOKEN, startGitHubApi } from "../helpers/github-api";

const NOW = 1_796_000_000;
let github: Awaited<ReturnType<typeof startGitHubApi>>;
let api: string;
const jwtValid = (authorization: string) => appJwtValid(authorization, NOW);

beforeAll(async () => {
  github = await startGitHubApi(NOW);
  api = github.api;
});
afterAll(() => github.stop());
beforeEach(() => github.reset());

const app = (): GitHubApp => ({ api, appId: APP_ID, installationId: INSTALLATION_ID, privateKey: PEM, timeoutMs: 500 });
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
    expect(github.seen.map((s) => `${s.method} ${s.path}`)).toEqual([
      "POST /app/installations/987/access_tokens",
      "POST /repos/shop-sre/infra/actions/workflows/release.yml/dispatches",
    ]);
    expect(github.seen[0]!.body).toEqual({ repositories: ["infra"], permissions: { actions: "write" } });
    expect(github.seen[1]!.body).toEqual({ ref: "main", inputs: { command: "release", stack: "stg", service: "web" }, return_run_details: true });
    for (const s of github.seen) {
      expect(s.headers.accept).toBe("application/vnd.github+json");
      expect(s.headers["x-github-api-version"]).toBe("2022-11-28");
    }
  });

  it("a GitHub without run details (204): the workflow's runs page", async () => {
    github.answer.dispatch = { status: 204 };
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
    github.answer[key] = { status, body };
    const run = async () => dispatchWorkflow(app(), await installationToken(app(), "shop-sre/infra", NOW), TARGET);
    await expect(run()).rejects.toThrow(new GitHubError(line));
  });

  it("GitHub not answering: gives up at the timeout, in one line", async () => {
    github.answer.dispatch = "hang";
    await expect(dispatchWorkflow(app(), TOKEN, TARGET)).rejects.toThrow(new GitHubError("dispatch of release.yml: GitHub did not answer within 0.5 s"));
  });

  it("the key never appears in what is sent but as a signature, nor in an error", async () => {
    github.answer.token = { status: 401, body: { message: "Bad credentials" } };
    const error: unknown = await installationToken(app(), "shop-sre/infra", NOW).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubError);
    const body = PEM.split("\n")[1]!;
    expect((error as GitHubError).message).not.toContain(body);
    expect(JSON.stringify(github.seen)).not.toContain(body);
  });
});
