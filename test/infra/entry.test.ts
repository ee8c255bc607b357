import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { program } from "../../infra/program";
import { stackNames, readStackFile } from "../../offline-plan/stack-file";
import { runPlan } from "../../tools/plan/run";
import { ROOT } from "../helpers/plan";

const run = promisify(execFile);

/** Pulumi.yaml's runtime options and main, as Pulumi's Node host reads them. */
const project = parse(readFileSync(join(ROOT, "Pulumi.yaml"), "utf8")) as { main: string; runtime: { options: { typescript?: boolean } } };

// Loaded into the process before cmd/run: at exit, says which file extensions Node can load and whether ts-node was loaded.
const REPORTER = join(mkdtempSync(join(tmpdir(), "entry-")), "loaded.cjs");
writeFileSync(
  REPORTER,
  `process.on("exit", () => process.stderr.write("loaded: " + JSON.stringify({ extensions: Object.keys(require.extensions), tsNode: Object.keys(require.cache).some((f) => f.includes("/node_modules/ts-node/")) }) + "\\n"));`,
);

describe("infra/main.cjs, as Pulumi's Node host runs it", () => {
  it("is Pulumi.yaml's main, with Pulumi's TypeScript support off (the program is a bundle of its sources; npm test type-checks)", () => {
    expect(project).toMatchObject({ main: "infra/main.cjs", runtime: { options: { typescript: false } } });
  });

  it.each(stackNames(ROOT))("%s: Pulumi's own cmd/run loads and runs it without ts-node, and it registers what the offline plan has", async (stack) => {
    const { stdout, stderr } = await run(join(ROOT, "node_modules/.bin/node"), ["--require", REPORTER, join(ROOT, "tools/bench/pulumi-load.cjs"), stack], {
      cwd: ROOT,
    });
    const plan = await runPlan(stack, readStackFile(stack, ROOT), program);
    // Every resource of the plan, and the stack's own (cmd/run registers it; the plan lists its children).
    expect(stdout).toBe(`${plan.resources.length + 1} resources registered\n`);
    expect(stderr).toContain(`loaded: ${JSON.stringify({ extensions: [".js", ".json", ".node"], tsNode: false })}\n`);
  });
});
