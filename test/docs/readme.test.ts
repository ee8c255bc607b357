import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { mermaidParse } from "../helpers/mermaid";
import { ROOT } from "../helpers/plan";

/** Every ```mermaid block of a Markdown file. */
const diagrams = (file: string) => [...readFileSync(join(ROOT, file), "utf8").matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe("README diagrams", () => {
  it("has the release's colour flow as a sequence diagram, and every diagram parses as GitHub renders it", async () => {
    const found = diagrams("README.md");
    expect(found.some((d) => d.startsWith("sequenceDiagram") && d.includes("drain check"))).toBe(true);
    for (const d of found) await expect(mermaidParse(d)).resolves.toHaveProperty("diagramType");
  });
});
