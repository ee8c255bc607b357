import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { program } from "../../infra/program";
import { stackNames, readStackFile } from "../../components/offline-plan/stack-file";
import { runPlan } from "../../tools/plan/run";
import { ROOT } from "../helpers/plan";

const run = promisify(execFile);

/** Pulumi.yaml's runtime options and main, as Pulumi's Node host reads them. */
const project = parse(readFileSync(join(ROOT, "Pulumi.yaml"), "utf8")) as { main: string; runtime: { options: { typescript?: boolean; tsconfig?: string } } };

describe("infra/index.ts, as Pulumi's Node host runs it", () => {
  it("is loaded without a type check: the tsconfig Pulumi.yaml names has noCheck, as Pulumi's cmd/run reads it (npm test type-checks)", async () => {
    // cmd/run reads the tsconfig relative to the program directory (main's folder), with its own
    // reader, which does not follow `extends`: noCheck must be in that file itself.
    const { loadTypeScriptCompilerOptions } = (await import("@pulumi/pulumi/tsutils.js")) as unknown as {
      loadTypeScriptCompilerOptions: (path: string) => Record<string, unknown>;
    };
    const path = join(ROOT, dirname(project.main), project.runtime.options.tsconfig ?? "tsconfig.json");
    expect(project.runtime.options.typescript).toBe(true);
    expect(loadTypeScriptCompilerOptions(path)).toMatchObject({ noCheck: true });
  });

  it.each(stackNames(ROOT))(
    "%s: Pulumi's own cmd/run loads and runs it (ts-node with Pulumi.yaml's options) and it registers what the offline plan has",
    async (stack) => {
      const { stdout } = await run(join(ROOT, "node_modules/.bin/node"), [join(ROOT, "tools/bench/pulumi-load.cjs"), stack], { cwd: ROOT });
      const plan = await runPlan(stack, readStackFile(stack, ROOT), program);
      // Every resource of the plan, and the stack's own (cmd/run registers it; the plan lists its children).
      expect(stdout).toBe(`${plan.resources.length + 1} resources registered\n`);
    },
  );
});
