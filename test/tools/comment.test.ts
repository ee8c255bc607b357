import { beforeAll, describe, expect, it } from "vitest";
import type { RawConfig } from "../../infra/config/load";
import { program } from "../../infra/program";
import { buildComment, COMMENT_MARKER, componentTree, cutSafely, type StackDiff } from "../../tools/ci/comment";
import { diffPlans } from "../../tools/plan/diff";
import { runPlan } from "../../tools/plan/run";
import { readStackFile } from "../../offline-plan/stack-file";
import { mermaidParse } from "../helpers/mermaid";
import { ROOT } from "../helpers/plan";

let stg: StackDiff;
let prd: StackDiff;

beforeAll(async () => {
  // A pull request's worth of change to stg: a new image, a new batch, a worker group gone.
  const base = readStackFile("stg", ROOT);
  const jobs = base["infra:jobs"] as Record<string, unknown>;
  const batches = base["infra:batches"] as Record<string, object>;
  const head: RawConfig = {
    ...base,
    "infra:image": String(base["infra:image"]).replace(/:[^:]+$/, ":2026.12.01-1"),
    "infra:batches": { ...batches, "weekly-report": { ...batches.clearing!, schedule: "cron(0 9 ? * MON *)" } },
    "infra:jobs": { ...jobs, periodic: {} },
  };
  const [b, h] = [await runPlan("stg", base, program), await runPlan("stg", head, program)];
  stg = { stack: "stg", base: b, head: h, diff: diffPlans(b, h) };
  const p = await runPlan("prd", readStackFile("prd", ROOT), program);
  prd = { stack: "prd", base: p, head: p, diff: diffPlans(p, p) };
});

describe("the pull request comment", () => {
  it("starts with the marker the workflow finds it by (updated in place), then a line per stack", () => {
    const comment = buildComment([prd, stg], { commit: "abc1234" });
    expect(comment.startsWith(`${COMMENT_MARKER}\n## Offline plan of abc1234\n`)).toBe(true);
    expect(comment.split(COMMENT_MARKER)).toHaveLength(2);
    expect(comment).toContain("| `prd` | no changes |");
    expect(comment).toMatch(/\| `stg` \| \d+ to add, \d+ to change( \(\d+ replaced(, \d+ of them stateful)?\))?, \d+ to remove \|/);
    // Only the stack that changes gets a section, folded.
    expect(comment).toContain("<details><summary><b>stg</b>:");
    expect(comment).not.toContain("<b>prd</b>");
  });

  it("draws the component tree of a changed stack in Mermaid that parses, marking what is added, removed and changed", async () => {
    const tree = componentTree(stg);
    await expect(mermaidParse(tree)).resolves.toMatchObject({ diagramType: "flowchart-v2" });
    const node = (name: string) => tree.split("\n").find((l) => l.includes(`["`) && l.includes(`${name}<br/>`));
    expect(node("batch-weekly-report")).toMatch(/\["\+ batch-weekly-report/);
    expect(node("jobs-periodic-default")).toMatch(/\["- jobs-periodic-default/);
    expect(node("web")).toMatch(/\["~ web/);
    expect(node("network")).toMatch(/\["network/);
    // Components only: no custom resource is drawn.
    expect(tree).not.toContain("aws:ec2/subnet:Subnet");
  });

  it("stays under GitHub's limit: a diff too long is cut at a line, fences closed, and says where the rest is", () => {
    const comment = buildComment([stg], { limit: 3000, artifactUrl: "https://github.com/o/r/actions/runs/1" });
    expect(comment.length).toBeLessThanOrEqual(3000);
    expect(comment).toContain("_Cut to fit GitHub's comment limit: the full diff is in the [plan artifact](https://github.com/o/r/actions/runs/1)._");
    expect((comment.match(/^```/gm) ?? []).length % 2).toBe(0);
    expect((comment.match(/<details>/g) ?? []).length).toBe((comment.match(/<\/details>/g) ?? []).length);
  });

  it("cuts nothing that fits", () => {
    expect(cutSafely("a\nb\n", 100, "note")).toBe("a\nb\n");
  });
});
