import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { SHORT_NAME } from "../components/problems";
import { ROOT } from "./helpers/plan";

/** Every .ts file under a folder. */
function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

/** What a file imports: each specifier, relative ones resolved to the `.ts` file (or folder index) they name. */
function importsOf(file: string, source: string = readFileSync(file, "utf8")): string[] {
  return [...source.matchAll(/(?:from|import|require)\s*\(?\s*"([^"]+)"/g)].map((m) => {
    const spec = m[1]!;
    if (!spec.startsWith(".")) return spec;
    const base = resolve(dirname(file), spec);
    const found = [`${base}.ts`, join(base, "index.ts"), base].find((p) => existsSync(p)) ?? base;
    return relative(ROOT, found).split("\\").join("/");
  });
}

/**
 * The rule of each top-level folder (docs/architecture.md, "Imports"): which of the project's
 * files its files may import, and which packages they must not load.
 */
const RULES: readonly { folder: string; mayImport: RegExp; packagesRefused?: RegExp }[] = [
  // The release tool runs without Pulumi (a process of its own, on the AWS SDK): its own files only.
  { folder: "release-tool", mayImport: /^release-tool\//, packagesRefused: /^@pulumi\// },
  // The release bot runs in Lambda (its own bundle, on the AWS SDK and Node): its own files only.
  { folder: "release-bot", mayImport: /^release-bot\//, packagesRefused: /^@pulumi\// },
  // The library: its own files and the tool's contract, nothing of the programs around it.
  { folder: "components", mayImport: /^(components\/|release-tool\/(contract|colours)\.ts$|release-bot\/contract\.ts$)/ },
  // The offline plan plans any Pulumi project: nothing of this repository's stacks, tools or release tool.
  { folder: "offline-plan", mayImport: /^(offline-plan\/|components\/aws-limits\.ts$)/ },
  { folder: "stacks", mayImport: /^(stacks\/|components\/|release-tool\/(contract|colours)\.ts$|infra\/config\/)/ },
  { folder: "plugin", mayImport: /^(plugin\/|components\/)/ },
];

/** Each import of a file that its folder's rule refuses, as `file → import` (`read` gives a file's source). */
function refusedImports(files: readonly string[], read: (file: string) => string = (f) => readFileSync(f, "utf8")): string[] {
  return files.flatMap((file) => {
    const rule = RULES.find((r) => relative(ROOT, file).startsWith(`${r.folder}/`));
    if (!rule) return [];
    const refused = (target: string) =>
      target.includes(".ts") || target.endsWith("/index.ts") || existsSync(join(ROOT, target))
        ? !rule.mayImport.test(target)
        : (rule.packagesRefused?.test(target) ?? false);
    return importsOf(file, read(file))
      .filter(refused)
      .map((target) => `${relative(ROOT, file)} → ${target}`);
  });
}

/** Test files under `test/<folder>/` whose source (`<folder>/<same path>.ts`) does not exist. */
function unmirroredTests(folder: string): string[] {
  return tsFiles(join(ROOT, "test", folder))
    .filter((f) => f.endsWith(".test.ts"))
    .map((f) => relative(join(ROOT, "test"), f).replace(/\.test\.ts$/, ".ts"))
    .filter((source) => !existsSync(join(ROOT, source)));
}

/** The library's files and the files each imports (type-only imports too: they tie the modules as much). */
function importGraph(): Map<string, string[]> {
  const files = tsFiles(join(ROOT, "components"));
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const source = readFileSync(file, "utf8");
    const targets = [...source.matchAll(/from "(\.{1,2}\/[^"]+)"/g)].map((m) => `${resolve(dirname(file), m[1]!)}.ts`).filter((t) => files.includes(t));
    graph.set(file, targets);
  }
  return graph;
}

/** Each import cycle once, as the files around it. */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, "visiting" | "done">();
  const path: string[] = [];
  const visit = (file: string) => {
    state.set(file, "visiting");
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === "visiting") found.push(path.slice(path.indexOf(next)).map((f) => relative(ROOT, f)));
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(file, "done");
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return found;
}

describe("the repository's layout", () => {
  it("imports across folders only as docs/architecture.md says: the release tool loads no Pulumi, the rest of the tool only through its contract", () => {
    const files = RULES.flatMap((r) => tsFiles(join(ROOT, r.folder)));
    expect(files.length).toBeGreaterThan(100);
    expect(refusedImports(files)).toEqual([]);
  });

  it("refuses an import a folder's rule does not allow (the check itself)", () => {
    expect(importsOf(join(ROOT, "release-tool", "cli.ts"))).toContain("release-tool/command.ts");
    const planted: Record<string, string> = {
      [join(ROOT, "release-tool", "planted.ts")]:
        'import * as pulumi from "@pulumi/pulumi";\nimport { Vpc } from "../components/network/vpc";\nimport { z } from "zod";\n',
      [join(ROOT, "components", "planted.ts")]: 'import { release } from "../release-tool/release";\nimport { COLOURS } from "../release-tool/colours";\n',
    };
    expect(refusedImports(Object.keys(planted), (f) => planted[f]!)).toEqual([
      "release-tool/planted.ts → @pulumi/pulumi",
      "release-tool/planted.ts → components/network/vpc.ts",
      "components/planted.ts → release-tool/release.ts",
    ]);
  });

  it("mirrors each program's and the library's sources in test/: a test file is named after the file it tests", () => {
    expect(["components", "release-tool", "release-bot", "offline-plan"].flatMap(unmirroredTests)).toEqual([]);
  });
});

describe("the library's layout", () => {
  it("has no import cycle between its modules", () => {
    expect(cycles(importGraph())).toEqual([]);
  });

  it("finds a cycle when there is one (the check itself)", () => {
    const graph = new Map([
      [join(ROOT, "a.ts"), [join(ROOT, "b.ts")]],
      [join(ROOT, "b.ts"), [join(ROOT, "a.ts")]],
    ]);
    expect(cycles(graph)).toEqual([["a.ts", "b.ts"]]);
  });
});

/**
 * Each place in a library file that creates a resource other than through `child()`: a `new` of a
 * provider's class (`aws.lb.Listener`), or a `new` given `this.childName(…)` or `parent: …` (a
 * component created by hand), or a provider's resource given to `child()` without the caller's
 * transform. `component.ts` is where `child()` itself creates them.
 */
function childrenCreatedByHand(file: string, source: string = readFileSync(file, "utf8")): string[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const providers = new Set<string>();
  for (const statement of sf.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const from = statement.moduleSpecifier.text;
    if (!from.startsWith("@pulumi/") || from === "@pulumi/pulumi") continue;
    const bindings = statement.importClause?.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) providers.add(bindings.name.text);
    if (bindings && ts.isNamedImports(bindings)) for (const e of bindings.elements) providers.add(e.name.text);
  }
  const root = (e: ts.Expression): string | undefined => (ts.isIdentifier(e) ? e.text : ts.isPropertyAccessExpression(e) ? root(e.expression) : undefined);
  const byHand = (n: ts.NewExpression) =>
    providers.has(root(n.expression) ?? "") ||
    (n.arguments ?? []).some(
      (a) =>
        (ts.isCallExpression(a) && a.expression.getText(sf) === "this.childName") ||
        (ts.isObjectLiteralExpression(a) && a.properties.some((p) => p.name?.getText(sf) === "parent")),
    );
  // A provider's resource created by child() takes the caller's transform of it: `…transform…` as
  // its fourth argument (a component child is reached through its own args' `transform`).
  const noTransform = (n: ts.CallExpression) => {
    const callee = n.expression.getText(sf);
    if (callee !== "this.child" && callee !== "child") return false;
    const [resource, , , transform] = n.arguments;
    return resource !== undefined && providers.has(root(resource) ?? "") && !/transform/i.test(transform?.getText(sf) ?? "");
  };
  const found: string[] = [];
  const at = (n: ts.Node) => `${relative(ROOT, file)}:${sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1}`;
  const visit = (n: ts.Node) => {
    if (ts.isNewExpression(n) && byHand(n)) found.push(`${at(n)} new ${n.expression.getText(sf)}`);
    if (ts.isCallExpression(n) && noTransform(n)) found.push(`${at(n)} ${n.arguments[0]!.getText(sf)} without a transform`);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

describe("one way to create a child", () => {
  it("every child of a library component is created by child(), which applies the caller's transform and lists it in nodes", () => {
    const files = tsFiles(join(ROOT, "components")).filter((f) => !f.endsWith(`${join("components", "component.ts")}`));
    expect(files.flatMap((f) => childrenCreatedByHand(f))).toEqual([]);
  });

  it("finds a child created by hand (the check itself)", () => {
    const planted = [
      'import * as aws from "@pulumi/aws";',
      'import { local } from "@pulumi/command";',
      "export class C extends InfraComponent {",
      "  constructor() {",
      '    new aws.lb.Listener(this.childName("http"), {}, this.childOpts());',
      '    new local.Command("x", {});',
      '    new WebAcl("waf", {}, { parent: this });',
      '    this.child(aws.s3.Bucket, "logs", {}, args.transform?.bucket);',
      '    this.child(aws.s3.BucketPolicy, "logs-policy", {}, undefined);',
      '    child(aws.iam.Role, "role", {}, undefined);',
      '    this.child(WebAcl, "waf", {}, undefined);',
      "  }",
      "}",
    ].join("\n");
    expect(childrenCreatedByHand(join(ROOT, "components", "planted.ts"), planted)).toEqual([
      "components/planted.ts:5 new aws.lb.Listener",
      "components/planted.ts:6 new local.Command",
      "components/planted.ts:7 new WebAcl",
      "components/planted.ts:9 aws.s3.BucketPolicy without a transform",
      "components/planted.ts:10 aws.iam.Role without a transform",
    ]);
  });
});

describe("a name rule", () => {
  it("is written once: the short names of workloads, worker groups and variants are SHORT_NAME's", () => {
    const files = ["components", "infra", "stacks", "release-tool", "offline-plan", "plugin", "tools"].flatMap((f) => tsFiles(join(ROOT, f)));
    const restating = files.filter((f) => readFileSync(f, "utf8").includes(SHORT_NAME.source)).map((f) => relative(ROOT, f));
    expect(restating).toEqual(["components/problems.ts"]);
  });
});

describe("tools/", () => {
  const entries = readdirSync(join(ROOT, "tools")).filter((f) => /\.[cm]?[jt]s$/.test(f));

  it("is TypeScript but for the two files that run before anything is compiled (npm's prepare, the bundle launcher) and the launcher's types", () => {
    expect(entries.filter((f) => !f.endsWith(".ts") || f.endsWith(".d.mts")).sort()).toEqual(["launch.d.mts", "launch.mjs", "prepare.mjs"]);
  });

  it("starts every command-line tool through runCli: one usage line, one exit code rule, one error printer", () => {
    const tools = entries.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.mts") && f !== "cli.ts");
    expect(tools.length).toBeGreaterThan(5);
    expect(tools.filter((f) => !/^runCli\(/m.test(readFileSync(join(ROOT, "tools", f), "utf8")))).toEqual([]);
  });
});
