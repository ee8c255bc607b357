import { readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { API_END, API_START, apiSection, currentReadmes, MODULES, readApi, withApiSection } from "../../tools/docs/api";
import { ROOT } from "../helpers/plan";

describe("the modules' READMEs", () => {
  const api = readApi(ROOT);

  it("document every component each module exports, with its Pulumi type", () => {
    const names = [...api.values()].flat().map((c) => `${c.type} ${c.name}`);
    expect(names).toEqual(expect.arrayContaining(["infra:ecs:BlueGreenService BlueGreenService", "infra:network:Vpc Vpc", "infra:batch:CronBatch CronBatch"]));
    for (const module of MODULES) expect(api.get(module)?.length, module).toBeGreaterThan(0);
    for (const c of [...api.values()].flat()) {
      expect(c.type.split(":")[2]).toBe(c.name);
      expect(c.inputs.length, c.name).toBeGreaterThan(0);
    }
  });

  it("describe every input and output of every component (JSDoc)", () => {
    const undescribed = [...api.values()]
      .flat()
      .flatMap((c) => [
        ...c.inputs.filter((p) => !p.description).map((p) => `${c.name} input ${p.name}`),
        ...c.outputs.filter((p) => !p.description).map((p) => `${c.name} output ${p.name}`),
      ]);
    expect(undescribed).toEqual([]);
  });

  it("carry each component's inputs (type, default) and outputs as the source says: run npm run docs when this fails", () => {
    const stale = [...currentReadmes(ROOT, api)].filter(([, r]) => r.now !== r.wanted).map(([module]) => `components/${module}/README.md`);
    expect(stale).toEqual([]);
  });

  it("reads an input's type as written, its default from @default, and says required when it has none", () => {
    const redis = api.get("data")!.find((c) => c.name === "Redis")!;
    expect(redis.inputs.find((p) => p.name === "nodes")).toEqual({
      name: "nodes",
      type: "number",
      optional: true,
      defaultValue: "1",
      description: "Nodes: a primary and replicas (1-6).",
    });
    expect(redis.inputs.find((p) => p.name === "vpcId")).toMatchObject({ optional: false, defaultValue: undefined });
    const section = apiSection([redis]);
    expect(section).toContain("| `nodes` | `number` | 1 | Nodes: a primary and replicas (1-6). |");
    expect(section).toContain("| `vpcId` | `pulumi.Input<string>` | required | The VPC of the cache's security groups. |");
    expect(section).toContain("| `url` | `pulumi.Output<string>` | `rediss://<primary endpoint>:6379` (TLS). |");
  });

  it("replace only what is between the markers, and append a section where there is none", () => {
    const readme = `# M\n\nintro\n\n${API_START}\nold\n${API_END}\n\nafter\n`;
    expect(withApiSection(readme, `${API_START}\nnew\n${API_END}`)).toBe(`# M\n\nintro\n\n${API_START}\nnew\n${API_END}\n\nafter\n`);
    expect(withApiSection("# M\n", "S")).toBe("# M\n\nS\n");
  });
});

describe("components/monitoring/README.md: the workload of each kind", () => {
  /** Each member of the catalog's `Workload` union: its kind, its ids' keys, its other fields (from the source, with TypeScript's parser). */
  const kinds = (): Map<string, { ids: string[]; fields: string[] }> => {
    const file = join(ROOT, "components/monitoring/catalog.ts");
    const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    const alias = source.statements.find((s): s is ts.TypeAliasDeclaration => ts.isTypeAliasDeclaration(s) && s.name.text === "Workload");
    const found = new Map<string, { ids: string[]; fields: string[] }>();
    for (const member of (alias?.type as ts.UnionTypeNode).types.filter(ts.isTypeLiteralNode)) {
      const props = member.members.filter(ts.isPropertySignature);
      const text = (name: string) => props.find((p) => p.name.getText(source) === name)?.type?.getText(source) ?? "";
      found.set(text("kind").replace(/"/g, ""), {
        ids: [...text("ids").matchAll(/"(\w+)"/g)].map((m) => m[1]!),
        fields: props.map((p) => p.name.getText(source)).filter((n) => !["kind", "name", "ids"].includes(n)),
      });
    }
    return found;
  };
  /** The README's table: kind → the names in backticks of its ids and other fields columns. */
  const table = (): Map<string, { ids: string[]; fields: string[] }> => {
    const text = readFileSync(join(ROOT, "components/monitoring/README.md"), "utf8");
    const rows = (text.slice(text.indexOf("### The `workload` of each kind")).split("\n\n")[2] ?? "").split("\n").slice(2);
    const names = (cell = "") => [...cell.replace(/\([^)]*\)/g, "").matchAll(/`(\w+)`/g)].map((m) => m[1]!);
    return new Map(rows.map((row) => row.split("|").slice(1, 4)).map(([kind, ids, fields]) => [names(kind)[0]!, { ids: names(ids), fields: names(fields) }]));
  };

  it("names every kind, its ids and its other fields, as the catalog's Workload type has them", () => {
    const source = kinds();
    expect([...source.keys()]).toEqual(expect.arrayContaining(["web", "batch", "queue"]));
    expect(table()).toEqual(source);
  });
});
