// Where the stack config meets the components: each argument of a component that the stacks
// (`stacks/*.ts`) fill from a config key, found by the TypeScript checker, so the list follows
// the code (a new key or a new component is in it without a test edit).
import { join, relative } from "node:path";
import ts from "typescript";
import { ROOT } from "./plan";

/** One place where a config key's value becomes a component's argument. */
export interface ConfigFlow {
  /** `stacks/web.ts:46`. */
  readonly at: string;
  /** The component argument's name (`accessLogRetentionInDays`). */
  readonly arg: string;
  /** The config key's name (`accessLogRetentionDays`). */
  readonly key: string;
  /** The config schema's source of that key (`z.number().default(90)`). */
  readonly schema: string;
}

const CONFIG_DIR = join(ROOT, "infra", "config");

/** The `ConfigFlow`s of the given stack files (all of `stacks/` by default). */
export function configFlows(files: readonly string[] = ts.sys.readDirectory(join(ROOT, "stacks"), [".ts"])): ConfigFlow[] {
  const options: ts.CompilerOptions = {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    noEmit: true,
  };
  const program = ts.createProgram({ rootNames: [...files], options });
  const checker = program.getTypeChecker();
  const flows: ConfigFlow[] = [];
  /** The declaration in `infra/config/` of the property an expression reads, if it reads one. */
  const configKeyOf = (expr: ts.Expression): ts.PropertyAssignment | undefined => {
    const e = ts.isNonNullExpression(expr) || ts.isParenthesizedExpression(expr) ? expr.expression : expr;
    if (!ts.isPropertyAccessExpression(e)) return undefined;
    const declaration = checker.getSymbolAtLocation(e.name)?.declarations?.[0];
    return declaration && ts.isPropertyAssignment(declaration) && declaration.getSourceFile().fileName.startsWith(CONFIG_DIR) ? declaration : undefined;
  };
  for (const file of files) {
    const source = program.getSourceFile(file)!;
    const visit = (node: ts.Node): void => {
      if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name)) {
        const key = configKeyOf(node.initializer);
        if (key) {
          flows.push({
            at: `${relative(ROOT, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`,
            arg: node.name.text,
            key: key.name.getText(),
            schema: key.initializer.getText(),
          });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return flows;
}
