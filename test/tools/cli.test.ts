import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { serializePlan } from "../../offline-plan/text";
import { planStack, ROOT } from "../helpers/plan";
import { copyProject } from "../helpers/project-copy";

const run = promisify(execFile);

/** Runs one of the project's tools as `npm run` does (the bundled launcher), returning its exit code and output. */
async function tool(script: string, args: string[], cwd = ROOT, root = ROOT): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(root, "tools", "launch.mjs"), script.replace(/\.ts$/, ""), ...args], { cwd });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("npm run plan", () => {
  it("prints the tree and the counts, and writes the same JSON the library builds", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "plan-")), "stg.json");
    const result = await tool("plan.ts", ["stg", "--json", file]);
    expect(result.code).toBe(0);
    expect(result.stdout.startsWith("stack infra-stg\n  □ infra:batch:BatchPlatform batch\n    + aws:dynamodb/table:Table batch-runs\n")).toBe(true);
    expect(result.stdout).toContain("\n  □ infra:network:Vpc network\n    + aws:cloudwatch/logGroup:LogGroup network-flow-logs\n");
    const plan = await planStack("stg");
    expect(result.stdout).toMatch(/\nresources by type:\n( +\d+ {2}\S+\n)+total: \d+ resources\n/);
    expect(result.stdout).toMatch(/\n +6 {2}aws:ec2\/subnet:Subnet\n/);
    expect(result.stdout).toContain(`\ntotal: ${plan.resources.length} resources\n`);
    expect(readFileSync(file, "utf8")).toBe(serializePlan(plan));
  });

  it("exits 1 with the loader's message and no stack trace on a bad config", async () => {
    const dir = mkdtempSync(join(tmpdir(), "stack-"));
    writeFileSync(
      join(dir, "Pulumi.bad.yaml"),
      'config:\n  aws:region: ap-northeast-1\n  infra:name: bad\n  infra:accountId: "123456789012"\n  infra:network:\n    cidr: 10.0.0.0/33\n    azs: [ap-northeast-1a]\n',
    );
    const result = await tool("plan.ts", ["bad"], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('invalid stack configuration:\n  infra:network.cidr: "10.0.0.0/33" is not an IPv4 CIDR\n');
    expect(result.stdout).toBe("");
  });

  it("exits 1 naming the missing stack file; 2 with the usage on bad arguments", async () => {
    const missing = await tool("plan.ts", ["qa"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe(`no stack file ${join(ROOT, "Pulumi.qa.yaml")}: is "qa" a stack of this project?\n`);
    const usage = await tool("plan.ts", []);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toBe("usage: npm run plan -- <stack> [--json FILE]\n");
  });
});

describe("the bundled tools are never stale", () => {
  it("a change to a .ts file shows in the next npm run plan", { timeout: 120_000 }, async () => {
    // A copy of the project: the test edits a component without touching the repository.
    const copy = await copyProject(["Pulumi.stg.yaml"]);
    const before = await tool("plan", ["stg"], copy, copy);
    expect(before.stdout).toContain("  □ infra:network:Vpc network\n");
    const vpc = join(copy, "components/network/vpc.ts");
    writeFileSync(vpc, readFileSync(vpc, "utf8").replace('"infra:network:Vpc"', '"infra:network:VpcRenamed"'));
    const after = await tool("plan", ["stg"], copy, copy);
    expect(after.code).toBe(0);
    expect(after.stdout).toContain("  □ infra:network:VpcRenamed network\n");
  });
});

describe("npm run plan:diff", () => {
  it("exits 1 naming a plan file it cannot read", async () => {
    const result = await tool("plan-diff.ts", ["/nonexistent/base.json", "/nonexistent/head.json"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("cannot read plan file /nonexistent/base.json\n");
  });

  it("prints the Markdown diff of two plan files", async () => {
    const dir = mkdtempSync(join(tmpdir(), "diff-"));
    const plan = await planStack("stg");
    writeFileSync(join(dir, "base.json"), serializePlan(plan));
    const head = { ...plan, resources: plan.resources.filter((r) => r.name !== "network-flow-log") };
    writeFileSync(join(dir, "head.json"), serializePlan(head));
    const result = await tool("plan-diff.ts", [join(dir, "base.json"), join(dir, "head.json")]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("**0 to add, 0 to change, 1 to remove**");
    expect(result.stdout).toContain("| `aws:ec2/flowLog:FlowLog` | `network-flow-log` |");
  });
});

describe("npm run plan:diff across stacks and commits", () => {
  it("refuses to diff plans of two different stacks unless forced", async () => {
    const dir = mkdtempSync(join(tmpdir(), "cross-"));
    const stg = await planStack("stg");
    writeFileSync(join(dir, "prd.json"), serializePlan({ ...stg, stack: "prd" }));
    writeFileSync(join(dir, "stg.json"), serializePlan(stg));
    const refused = await tool("plan-diff", [join(dir, "prd.json"), join(dir, "stg.json")]);
    expect(refused).toMatchObject({
      code: 1,
      stderr: "the plans are of infra/prd and infra/stg: a diff across stacks is meaningless (--force to diff anyway)\n",
    });
    const forced = await tool("plan-diff", [join(dir, "prd.json"), join(dir, "stg.json"), "--force"]);
    expect(forced.code).toBe(0);
  });

  it("--base: a commit that changes the image diffs to the task definitions that run it and the releases", { timeout: 120_000 }, async () => {
    // A repository of its own: the last commit has the old image, the working tree the new one.
    const repo = await copyProject(["Pulumi.stg.yaml"], ["plan", "plan-diff", "pr-comment"]);
    const git = (...args: string[]) => run("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], { cwd: repo });
    writeFileSync(join(repo, ".gitignore"), "node_modules\n.plan/\n");
    await git("init", "-q");
    await git("add", "-A");
    await git("commit", "-qm", "base");
    const file = join(repo, "Pulumi.stg.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace(/(infra:image: \S+:)\S+/, "$12026.12.01-1"));
    const out = join(repo, "plans");
    const result = await tool("plan-diff", ["stg", "--base", "HEAD", "--out", out], repo, repo);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    // Replaced: the task definitions (new revisions) and the release commands (their triggers).
    const section = result.stdout.split("#### Replaced")[1]?.split("#### Changed")[0] ?? "";
    const replaced = [...section.matchAll(/^\| `([^`]+)` \| `([^`]+)` \| /gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(replaced.length).toBeGreaterThan(0);
    for (const c of replaced)
      expect(c).toMatch(/^(aws:ecs\/taskDefinition:TaskDefinition \S+-task-def(-blue|-green)?|command:local:Command \S+-release-(prepare|deploy))$/);
    // Updated: only what names a new revision (worker services, state machines).
    const updated = result.stdout.split("<details>").filter((d) => d.includes("</code> (") && !d.includes(", replaced)</summary>"));
    for (const d of updated)
      for (const row of d
        .split("</details>")[0]!
        .split("\n")
        .filter((l) => l.startsWith("| `")))
        expect(row).toContain(":<new revision>");
    expect(result.stdout).toContain("**0 to add, ");
    expect(result.stdout).toMatch(/ to change \(\d+ replaced\), 0 to remove\*\*/);
    const comment = await tool("pr-comment", ["--plans", out], repo, repo);
    expect(comment.stdout).toContain("| `stg` | 0 to add, ");
  });
});
