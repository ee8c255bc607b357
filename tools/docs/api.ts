// The inputs and outputs of every component, read from the TypeScript itself (types as written,
// JSDoc, `@default`), as the section each module's README carries between its API markers.
// `npm run docs` writes them; test/docs/api.test.ts fails when a README is not current.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";

/** The modules of the library: each has a README and an index of what it exports. */
export const MODULES = ["network", "ecs", "loadbalancing", "deploy", "batch", "data", "jobs", "monitoring", "chat"] as const;

export const API_START = "<!-- api:start (written by npm run docs from the source: edit the JSDoc, not this) -->";
export const API_END = "<!-- api:end -->";

/** One documented property: an input of a component's args or an output of the component. */
interface Property {
  readonly name: string;
  readonly type: string;
  readonly optional: boolean;
  readonly defaultValue: string | undefined;
  readonly description: string;
}

/** A component as its README documents it. */
export interface ComponentApi {
  readonly name: string;
  readonly type: string;
  readonly inputs: readonly Property[];
  readonly outputs: readonly Property[];
}

/** The components each module exports, with their inputs and outputs. */
export function readApi(root: string): Map<string, ComponentApi[]> {
  const program = ts.createProgram({
    rootNames: MODULES.map((m) => join(root, "components", m, "index.ts")),
    options: {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.Node16,
      moduleResolution: ts.ModuleResolutionKind.Node16,
    },
  });
  const checker = program.getTypeChecker();
  const api = new Map<string, ComponentApi[]>();
  for (const module of MODULES) {
    const index = program.getSourceFile(join(root, "components", module, "index.ts"));
    const symbol = index && checker.getSymbolAtLocation(index);
    const exported = symbol ? checker.getExportsOfModule(symbol) : [];
    const components = exported
      .map((e) => (e.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(e) : e))
      .flatMap((s) => s.declarations?.filter(ts.isClassDeclaration) ?? [])
      .filter((c) => componentType(c) !== undefined)
      .map((c) => componentApi(checker, c))
      .sort((a, b) => a.name.localeCompare(b.name));
    api.set(module, components);
  }
  return api;
}

/** The Pulumi type token a component registers (`infra:ecs:Cluster`), read from its `super(...)` call. */
function componentType(declaration: ts.ClassDeclaration): string | undefined {
  const constructor = declaration.members.find(ts.isConstructorDeclaration);
  let token: string | undefined;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.SuperKeyword) {
      const [first] = node.arguments;
      if (first && ts.isStringLiteral(first) && /^infra:[a-z]+:[A-Za-z]+$/.test(first.text)) token = first.text;
    }
    ts.forEachChild(node, visit);
  };
  if (constructor) visit(constructor);
  return token;
}

function componentApi(checker: ts.TypeChecker, declaration: ts.ClassDeclaration): ComponentApi {
  const constructor = declaration.members.find(ts.isConstructorDeclaration);
  const argsParameter = constructor?.parameters[1];
  const argsType = argsParameter ? checker.getTypeAtLocation(argsParameter) : undefined;
  const inputs = argsType ? checker.getPropertiesOfType(checker.getNonNullableType(argsType)).map((p) => property(checker, p)) : [];
  const outputs = declaration.members
    .filter(ts.isPropertyDeclaration)
    .filter((m) => isPublicReadonly(m) && !m.modifiers?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword))
    .map((m) => property(checker, checker.getSymbolAtLocation(m.name)!));
  return { name: declaration.name!.text, type: componentType(declaration)!, inputs, outputs };
}

function isPublicReadonly(member: ts.PropertyDeclaration): boolean {
  const kinds = new Set(member.modifiers?.map((m) => m.kind));
  return kinds.has(ts.SyntaxKind.ReadonlyKeyword) && !kinds.has(ts.SyntaxKind.PrivateKeyword) && !kinds.has(ts.SyntaxKind.ProtectedKeyword);
}

function property(checker: ts.TypeChecker, symbol: ts.Symbol): Property {
  const declaration = symbol.valueDeclaration ?? symbol.declarations?.[0];
  const typeNode = declaration && (ts.isPropertySignature(declaration) || ts.isPropertyDeclaration(declaration)) ? declaration.type : undefined;
  const type = typeNode ? typeNode.getText().replace(/\s+/g, " ") : checker.typeToString(checker.getTypeOfSymbol(symbol));
  const tags = symbol.getJsDocTags(checker);
  const defaultTag = tags.find((t) => t.name === "default");
  return {
    name: symbol.name,
    type,
    optional: (symbol.flags & ts.SymbolFlags.Optional) !== 0,
    defaultValue: defaultTag ? ts.displayPartsToString(defaultTag.text).trim() : undefined,
    description: ts
      .displayPartsToString(symbol.getDocumentationComment(checker))
      .replace(/\{@link ([^}]+)\}/g, "`$1`")
      .replace(/\s+/g, " ")
      .trim(),
  };
}

/** A table cell: one line, pipes escaped. */
const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\s+/g, " ").trim();

/** The generated section of one module's README. */
export function apiSection(components: readonly ComponentApi[]): string {
  const lines = [API_START, "", "## API", ""];
  for (const c of components) {
    lines.push(`### \`${c.name}\` (\`${c.type}\`)`, "", "| input | type | default | |", "| --- | --- | --- | --- |");
    for (const p of c.inputs) {
      const fallback = p.optional ? (p.defaultValue ?? "optional") : "required";
      lines.push(`| \`${p.name}\` | \`${cell(p.type)}\` | ${cell(fallback)} | ${cell(p.description)} |`);
    }
    lines.push("", "| output | type | |", "| --- | --- | --- |");
    for (const p of c.outputs) lines.push(`| \`${p.name}\` | \`${cell(p.type)}\` | ${cell(p.description)} |`);
    lines.push("");
  }
  lines.push(API_END);
  return lines.join("\n");
}

/** `readme` with its API section replaced by `section` (appended when it has none). */
export function withApiSection(readme: string, section: string): string {
  const start = readme.indexOf(API_START);
  const end = readme.indexOf(API_END);
  if (start === -1 || end === -1) return `${readme.trimEnd()}\n\n${section}\n`;
  return `${readme.slice(0, start)}${section}${readme.slice(end + API_END.length)}`;
}

/** Every module's README as it should be. */
export function currentReadmes(root: string, api = readApi(root)): Map<string, { file: string; now: string; wanted: string }> {
  const out = new Map<string, { file: string; now: string; wanted: string }>();
  for (const [module, components] of api) {
    const file = join(root, "components", module, "README.md");
    const now = readFileSync(file, "utf8");
    out.set(module, { file, now, wanted: withApiSection(now, apiSection(components)) });
  }
  return out;
}
