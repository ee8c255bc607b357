// The names a C# program uses of a generated C# SDK, and those the SDK lacks. No .NET toolchain
// is reachable here, so a C# example is checked this far: every `Infra.X` class it creates,
// every property it sets in an object initializer of one, and every property it reads from a
// variable holding one, must be declared in the SDK's source.
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";

/** The public properties of each class of a generated C# SDK, by class name (`VpcArgs`, `Inputs.TestListenerArgs`). */
export function sdkClasses(dir: string): Map<string, Set<string>> {
  const classes = new Map<string, Set<string>>();
  for (const entry of readdirSync(dir, { recursive: true, encoding: "utf8" })) {
    if (!entry.endsWith(".cs")) continue;
    const prefix = relative(dir, join(dir, entry)).startsWith("Inputs/") ? "Inputs." : "";
    let current: Set<string> | undefined;
    for (const line of readFileSync(join(dir, entry), "utf8").split("\n")) {
      const declared = /^\s*public (?:sealed |partial |static )*class (\w+)/.exec(line);
      if (declared?.[1]) {
        current = new Set();
        classes.set(`${prefix}${declared[1]}`, current);
        continue;
      }
      const property = /^\s*public (?!(?:sealed |partial |static )*class )[\w<>?,.[\]\s]+?\s(\w+)\s*(?:\{.*)?$/.exec(line);
      if (property?.[1] && current) current.add(property[1]);
    }
  }
  return classes;
}

/** The text between the brace at `open` and its match. */
function block(source: string, open: number): string {
  let depth = 0;
  for (let i = open; i < source.length; i++) {
    if (source[i] === "{") depth++;
    if (source[i] === "}" && --depth === 0) return source.slice(open + 1, i);
  }
  throw new Error(`unbalanced braces from offset ${open}`);
}

/** Assignments at the top level of an object initializer's body (`A = ...,` not inside a nested one). */
function topLevelAssignments(body: string): string[] {
  let depth = 0;
  const names: string[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === "{" || c === "(") depth++;
    else if (c === "}" || c === ")") depth--;
    else if (depth === 0) {
      const match = /^(\w+)\s*=(?!=|>)/.exec(body.slice(i));
      if (match?.[1] && !/\w/.test(body[i - 1] ?? "")) {
        names.push(match[1]);
        i += match[0].length - 1;
      }
    }
  }
  return names;
}

/** Each name the program uses that the SDK does not declare, as `Class.Property` or `Class`. */
export function missingNames(program: string, classes: Map<string, Set<string>>): string[] {
  const missing: string[] = [];
  const used = /new Infra\.((?:Inputs\.)?\w+)\s*(\(|\{)/g;
  for (let match = used.exec(program); match; match = used.exec(program)) {
    const name = match[1] as string;
    const properties = classes.get(name);
    if (!properties) {
      missing.push(name);
      continue;
    }
    // The initializer: right here (`new X { ... }`), or after the constructor's arguments (`new X("n", new XArgs { ... })` is its own match).
    if (match[2] === "{")
      for (const key of topLevelAssignments(block(program, match.index + match[0].length - 1))) if (!properties.has(key)) missing.push(`${name}.${key}`);
  }
  const variables = /var (\w+) = new Infra\.(\w+)\(/g;
  for (let match = variables.exec(program); match; match = variables.exec(program)) {
    const [, variable, name] = match as unknown as [string, string, string];
    const reads = new RegExp(`\\b${variable}\\.(\\w+)`, "g");
    for (let read = reads.exec(program); read; read = reads.exec(program)) if (!classes.get(name)?.has(read[1] as string)) missing.push(`${name}.${read[1]}`);
  }
  return [...new Set(missing)];
}
