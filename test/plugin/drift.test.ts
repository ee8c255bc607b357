import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { PLUGIN_COMPONENTS } from "../../plugin/provider";
import { ROOT } from "../helpers/plan";
import { COMMITTED_SCHEMA } from "../helpers/schema";

// No second copy of the API to drift: each adapter lists why each library arg it does not take
// is absent (plugin/values.ts absentArgs), and the type checker holds the list to the library's
// args. These tests plant a new library arg and watch the adapter stop compiling.

/** The absent-args list of each adapter module of plugin/, by the component class it exports. */
async function absentLists(): Promise<Map<string, Record<string, string>>> {
  const lists = new Map<string, Record<string, string>>();
  for (const file of readdirSync(join(ROOT, "plugin")).filter((f) => f.endsWith(".ts"))) {
    const entries = Object.entries((await import(join(ROOT, "plugin", file))) as Record<string, unknown>);
    const component = entries.find(([, value]) => PLUGIN_COMPONENTS.some((c) => c === value));
    const list = entries.find(([name]) => name.endsWith("_ABSENT_ARGS"));
    if (component && list) lists.set(component[0], list[1] as Record<string, string>);
  }
  return lists;
}

/** A type-checked program of the plugin, with one file of the repository read otherwise. */
function pluginProgram(file?: string, edit: (text: string) => string = (text) => text): ts.Program {
  const config = ts.readConfigFile(join(ROOT, "tsconfig.json"), (path) => ts.sys.readFile(path));
  const options = { ...ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT).options, noEmit: true };
  const host = ts.createCompilerHost(options);
  const read = host.readFile.bind(host);
  host.readFile = (path) => {
    const text = read(path);
    return file && path === join(ROOT, file) && text !== undefined ? edit(text) : text;
  };
  return ts.createProgram([join(ROOT, "plugin", "index.ts")], options, host);
}

/** The type checker's errors in plugin/ when one library file reads otherwise. */
function pluginErrors(file: string, edit: (text: string) => string): string[] {
  return ts
    .getPreEmitDiagnostics(pluginProgram(file, edit))
    .filter((d) => d.file?.fileName.startsWith(join(ROOT, "plugin")))
    .map((d) => `${d.file?.fileName.slice(ROOT.length + 1)}: ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`);
}

/**
 * Where an arg of both an adapter and its library component states its default differently: the
 * library's `@default`, the plugin's `Default: ...` (the text the schema carries). Each must have
 * one when the other does; a literal default (a number, a boolean, a quoted string; `[]` and `{}`
 * read "none") must be the same value. Prose defaults are the library's to word.
 */
function defaultMismatches(program: ts.Program): string[] {
  const checker = program.getTypeChecker();
  const mismatches: string[] = [];
  for (const source of program.getSourceFiles()) {
    if (!source.fileName.startsWith(join(ROOT, "plugin"))) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && node.expression.getText(source) === "absentArgs" && node.typeArguments?.length === 2) {
        const [library, plugin] = node.typeArguments.map((t) => checker.getTypeFromTypeNode(t)) as [ts.Type, ts.Type];
        for (const property of plugin.getProperties()) {
          const twin = library.getProperty(property.name);
          if (!twin) continue;
          const tag = twin.getJsDocTags(checker).find((t) => t.name === "default");
          const declared = tag && ts.displayPartsToString(tag.text).trim();
          const stated = /Default: (.*)$/s.exec(ts.displayPartsToString(property.getDocumentationComment(checker)))?.[1];
          const where = `${source.fileName.slice(ROOT.length + 1)} ${property.name}`;
          if ((declared === undefined) !== (stated === undefined))
            mismatches.push(`${where}: library ${declared ?? "has no @default"}, plugin ${stated ?? "states none"}`);
          else if (declared && stated && /^("[^"]*"|-?[\d.]+|true|false|\[\]|\{\})$/.test(declared)) {
            const value = declared === "[]" || declared === "{}" ? "none" : declared.replace(/^"|"$/g, "");
            if (!stated.startsWith(value)) mismatches.push(`${where}: library ${declared}, plugin ${stated}`);
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return mismatches;
}

describe("the plugin's args against the library's", () => {
  it("every component of the plugin says why each library arg it lacks is absent", async () => {
    const lists = await absentLists();
    expect([...lists.keys()].sort()).toEqual(PLUGIN_COMPONENTS.map((c) => c.name).sort());
    for (const [component, reasons] of lists)
      for (const [arg, reason] of Object.entries(reasons)) expect(reason.length, `${component}.${arg}`).toBeGreaterThan(20);
  });

  it("every component of the schema has typed outputs", () => {
    const schema = JSON.parse(readFileSync(COMMITTED_SCHEMA, "utf8")) as {
      resources: Record<string, { properties?: Record<string, { type?: string; $ref?: string }> }>;
    };
    const without = Object.entries(schema.resources)
      .filter(([, r]) => Object.keys(r.properties ?? {}).length === 0)
      .map(([token]) => token);
    expect(without).toEqual([]);
    const untyped = Object.entries(schema.resources).flatMap(([token, r]) =>
      Object.entries(r.properties ?? {})
        .filter(([, p]) => !p.type && !p.$ref)
        .map(([key]) => `${token}.${key}`),
    );
    expect(untyped).toEqual([]);
  });

  it("every default is stated in the plugin as the library declares it", () => {
    expect(defaultMismatches(pluginProgram())).toEqual([]);
  }, 120_000);

  it("a default changed in the plugin alone is found", () => {
    const planted = pluginProgram("plugin/vpc.ts", (text) => text.replace("or none. Default: perAz.", "or none. Default: single."));
    expect(defaultMismatches(planted)).toEqual(['plugin/vpc.ts natStrategy: library "perAz", plugin single.']);
  }, 120_000);

  it("a new optional arg of a library component, with no plugin counterpart or reason, fails the plugin's type check at its adapter", () => {
    const planted = "  readonly plantedOption?: string;\n";
    const errors = pluginErrors("components/network/vpc.ts", (text) => text.replace(/(export interface VpcArgs \{\n)/, `$1${planted}`));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^plugin\/vpc\.ts: .*Property 'plantedOption' is missing in type/);
  }, 120_000);
});
