import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Plan } from "../../offline-plan/plan";
import { parsePlanFile, PlanFileError } from "../plan/plan-file";

/**
 * Plans stacks as they were at a git ref: a temporary worktree of the ref, this checkout's
 * node_modules, and that commit's own plan command (the bundled launcher, or tsx before it
 * existed). A stack without a stack file at the ref has no base plan (everything is added).
 */
export function plansAtRef(ref: string, stacks: readonly string[], root: string): Map<string, Plan | undefined> {
  const dir = mkdtempSync(join(tmpdir(), "plan-base-"));
  const tree = join(dir, "tree");
  try {
    execFileSync("git", ["-C", root, "worktree", "add", "--detach", tree, ref], { stdio: "pipe" });
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? "").trim();
    throw new PlanFileError(`cannot check out ${ref}: ${stderr.split("\n").pop() ?? ""}`);
  }
  try {
    symlinkSync(join(root, "node_modules"), join(tree, "node_modules"));
    const plans = new Map<string, Plan | undefined>();
    for (const stack of stacks) {
      if (!existsSync(join(tree, `Pulumi.${stack}.yaml`))) {
        plans.set(stack, undefined);
        continue;
      }
      const out = join(dir, `${stack}.json`);
      const command = existsSync(join(tree, "tools", "launch.mjs"))
        ? [process.execPath, join(tree, "tools", "launch.mjs"), "plan"]
        : [join(root, "node_modules", ".bin", "tsx"), join(tree, "tools", "plan.ts")];
      try {
        execFileSync(command[0]!, [...command.slice(1), stack, "--json", out], { cwd: tree, stdio: "pipe" });
      } catch (error) {
        const stderr = String((error as { stderr?: Buffer }).stderr ?? "").trim();
        throw new PlanFileError(`the plan of ${stack} at ${ref} failed: ${stderr.split("\n")[0] ?? ""}`);
      }
      plans.set(stack, parsePlanFile(out, readFileSync(out, "utf8")));
    }
    return plans;
  } finally {
    execFileSync("git", ["-C", root, "worktree", "remove", "--force", tree], { stdio: "pipe" });
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A plan with nothing in it: the base of a stack that did not exist yet. */
export const emptyPlan = (project: string, stack: string): Plan => ({ project, stack, resources: [], outputs: {} });
