import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readStackFile } from "../../offline-plan/stack-file";
import { program } from "../../infra/program";
import { runPlan } from "../../tools/plan/run";
import { mermaidParse } from "../helpers/mermaid";
import { ROOT, stackNames } from "../helpers/plan";

/** Every ```mermaid block of a Markdown file. */
const diagrams = (file: string) => [...readFileSync(join(ROOT, file), "utf8").matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe("the diagrams of the README and the guides", () => {
  it("have the release's colour flow as a sequence diagram (docs/releasing.md), and every diagram parses as GitHub renders it", async () => {
    expect(diagrams("docs/releasing.md").some((d) => d.startsWith("sequenceDiagram") && d.includes("drain check"))).toBe(true);
    const found = ["README.md", ...readdirSync(join(ROOT, "docs")).map((f) => `docs/${f}`)].flatMap(diagrams);
    for (const d of found) await expect(mermaidParse(d)).resolves.toHaveProperty("diagramType");
  });
});

describe("README: the SRE stack's outputs a team builds on", () => {
  /** The output names of the table under "The SRE stack's outputs" (its first column). */
  const named = (): string[] => {
    const text = readFileSync(join(ROOT, "README.md"), "utf8");
    const table = text.slice(text.indexOf("**The SRE stack's outputs**")).split("\n\n")[1] ?? "";
    return table
      .split("\n")
      .slice(2)
      .flatMap((row) => [...(row.split("|")[1] ?? "").matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
  };

  it.each(stackNames())("%s exports every output the table names, under that name", async (stack) => {
    const names = named();
    expect(names).toEqual(expect.arrayContaining(["vpcId", "privateSubnetIds", "clusterName", "batches.runTableArn"]));
    const { outputs } = await runPlan(stack, readStackFile(stack, ROOT), program);
    const at = (path: string) => path.split(".").reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], outputs);
    // A stack without batches exports no `batches`: its rows do not apply there.
    const missing = names.filter((n) => at(n.split(".")[0]!) !== undefined && at(n) === undefined);
    expect(missing).toEqual([]);
    expect(names.filter((n) => at(n.split(".")[0]!) === undefined && !n.startsWith("batches."))).toEqual([]);
  });
});
