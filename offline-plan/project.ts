import { existsSync, readFileSync, statSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { extname, join, resolve, sep } from "node:path";
import { parse } from "yaml";
import type { Plan } from "./plan";
import { recordProgram } from "./record";
import { readStackFile, toPulumiConfig, type StackConfig } from "./stack-file";

/** Where a team's program is recorded when it does not say otherwise. */
export const DEFAULT_ACCOUNT_ID = "123456789012";

/** What the offline plan of a Pulumi project needs besides the project's own files. */
export interface ProjectPlanOptions {
  /** The project's directory, the one holding `Pulumi.yaml`. */
  readonly dir: string;
  readonly stack: string;
  /** The account the mocks answer for (ARNs, `getCallerIdentity`). @default "123456789012" */
  readonly accountId?: string;
  /** What `getAvailabilityZones` answers. @default the region's `a`, `b` and `c` */
  readonly availabilityZones?: readonly string[];
  /**
   * The outputs of each stack a `StackReference` of the program names (`org/project/stack` as the
   * program writes it), as `pulumi stack output --json --show-secrets` prints them. @default none
   */
  readonly stackOutputs?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** A Pulumi project the offline plan cannot read: its message is meant for the terminal. */
export class ProjectError extends Error {
  override readonly name = "ProjectError";
}

/** What the plan reads of `Pulumi.yaml`. */
interface ProjectFile {
  readonly name: string;
  /** The program's entry: `main`, resolved like Node resolves a directory. */
  readonly entry: string;
  /** Project-level config values (`config:` of `Pulumi.yaml`), namespaced. */
  readonly defaults: StackConfig;
}

/**
 * Plans a team's own Pulumi project offline, as `pulumi preview` would run it, under Pulumi's
 * mocks: `Pulumi.yaml` gives the project and its entry, `Pulumi.<stack>.yaml` the config (its
 * `aws:region` is where the mocks pretend to be). A TypeScript entry is compiled with the
 * project's own `typescript`, as Pulumi's Node.js runtime does.
 */
export async function planProject(options: ProjectPlanOptions): Promise<Plan> {
  const dir = resolve(options.dir);
  const project = readProjectFile(dir);
  const config = namespaced(project.name, { ...project.defaults, ...readStackFile(options.stack, dir) });
  const region = config["aws:region"];
  if (typeof region !== "string" || region === "") {
    throw new ProjectError(
      `${join(dir, `Pulumi.${options.stack}.yaml`)}: no aws:region; the offline plan runs the program in the stack's region (pulumi config set aws:region <region>)`,
    );
  }
  const location = {
    accountId: options.accountId ?? DEFAULT_ACCOUNT_ID,
    region,
    availabilityZones: options.availabilityZones ?? ["a", "b", "c"].map((letter) => `${region}${letter}`),
  };
  const program = programOf(project.entry, dir);
  return recordProgram(
    {
      project: project.name,
      stack: options.stack,
      location,
      config: toPulumiConfig(config),
      ...(options.stackOutputs ? { stackOutputs: options.stackOutputs } : {}),
    },
    program,
  );
}

/** `Pulumi.yaml`: the project's name, its entry and its project-level config. */
function readProjectFile(dir: string): ProjectFile {
  const file = join(dir, "Pulumi.yaml");
  if (!existsSync(file)) throw new ProjectError(`no Pulumi.yaml in ${dir}: run the plan from a Pulumi project's directory (or pass --dir)`);
  let document: { name?: unknown; main?: unknown; runtime?: unknown; config?: unknown } | null;
  try {
    document = parse(readFileSync(file, "utf8")) as typeof document;
  } catch (error) {
    throw new ProjectError(`${file} is not valid YAML: ${(error as Error).message}`);
  }
  if (typeof document?.name !== "string" || document.name === "") throw new ProjectError(`${file}: "name" must be the project's name`);
  const runtime = typeof document.runtime === "object" && document.runtime !== null ? (document.runtime as { name?: unknown }).name : document.runtime;
  if (runtime !== "nodejs") throw new ProjectError(`${file}: runtime is ${JSON.stringify(runtime)}; the offline plan runs Node.js programs (runtime: nodejs)`);
  const main = typeof document.main === "string" ? document.main : ".";
  return { name: document.name, entry: entryOf(resolve(dir, main), file), defaults: projectDefaults(document.config) };
}

/** The file Node would load for `main`: the file itself, or a directory's package.json `main` or index. */
function entryOf(main: string, projectFile: string): string {
  const candidates = [main, `${main}.ts`, `${main}.js`];
  if (existsSync(main) && statSync(main).isDirectory()) {
    const packageFile = join(main, "package.json");
    const packageMain = existsSync(packageFile) ? (JSON.parse(readFileSync(packageFile, "utf8")) as { main?: unknown }).main : undefined;
    if (typeof packageMain === "string") candidates.unshift(...[packageMain, `${packageMain}.ts`, `${packageMain}.js`].map((m) => join(main, m)));
    candidates.push(join(main, "index.ts"), join(main, "index.js"));
  }
  const found = candidates.find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
  if (!found) throw new ProjectError(`${projectFile}: the program's entry ${main} does not exist (looked for ${candidates.join(", ")})`);
  return found;
}

/** `config:` of `Pulumi.yaml`: a plain value, or `{ value }` / `{ default }`; `pulumi:` keys are the CLI's own. */
function projectDefaults(config: unknown): StackConfig {
  if (typeof config !== "object" || config === null) return {};
  const out: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(config) as [string, unknown][]) {
    if (key.startsWith("pulumi:")) continue;
    const declared: { value?: unknown; default?: unknown } = typeof entry === "object" && entry !== null && !Array.isArray(entry) ? entry : { value: entry };
    const value = declared.value ?? declared.default;
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** A key without a namespace belongs to the project, as the CLI reads it. */
function namespaced(project: string, config: StackConfig): StackConfig {
  return Object.fromEntries(Object.entries(config).map(([key, value]) => [key.includes(":") ? key : `${project}:${key}`, value]));
}

/**
 * The program as Pulumi's Node.js runtime runs it: the entry module is loaded (its top-level code
 * declares the resources) and its exports are the stack's outputs, or, when it exports a default
 * function, what that function returns.
 */
function programOf(entry: string, dir: string): () => Promise<unknown> {
  return async () => {
    // Until the program is done: a TypeScript module it imports late (inside its default
    // function) is compiled too.
    const restore = extname(entry) === ".ts" ? compileTypeScriptWith(projectTypeScript(dir, entry)) : () => undefined;
    try {
      const exported = load(entry, dir);
      const main = typeof exported === "function" ? exported : (exported as { default?: unknown }).default;
      if (typeof main === "function") return (await (main as () => unknown)()) ?? {};
      return Object.fromEntries(Object.entries(exported as object).filter(([key, value]) => key !== "__esModule" && typeof value !== "function"));
    } finally {
      restore();
    }
  };
}

/** Loads the program afresh: a second plan in the same process (a team's tests) runs it again. */
function load(entry: string, dir: string): unknown {
  const require = createRequire(entry);
  for (const file of Object.keys(require.cache)) {
    if (file.startsWith(`${dir}${sep}`) && !file.includes(`${sep}node_modules${sep}`)) Reflect.deleteProperty(require.cache, file);
  }
  return require(entry) as unknown;
}

/** The few parts of the TypeScript compiler's API the plan uses. */
interface TypeScriptCompiler {
  transpileModule(input: string, options: { compilerOptions: Record<string, unknown>; fileName: string }): { outputText: string };
  readonly ModuleKind: { readonly CommonJS: number };
  readonly ScriptTarget: { readonly ES2022: number };
}

function projectTypeScript(dir: string, entry: string): TypeScriptCompiler {
  try {
    return createRequire(join(dir, "package.json"))("typescript") as TypeScriptCompiler;
  } catch {
    throw new ProjectError(`${entry} is TypeScript and ${dir} has no typescript package: npm install --save-dev typescript`);
  }
}

/** Node's CommonJS loader, as far as a compiler hook needs it. */
type Loaders = Record<string, (module: { _compile(code: string, filename: string): void }, filename: string) => void>;

/**
 * Loads `.ts` files as CommonJS compiled by `ts` (types are not checked: `tsc` does that); returns
 * what puts Node's own loader back.
 */
function compileTypeScriptWith(ts: TypeScriptCompiler): () => void {
  const loaders = (Module as unknown as { _extensions: Loaders })._extensions;
  const previous = loaders[".ts"];
  const compilerOptions = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, sourceMap: false };
  loaders[".ts"] = (module, filename) => {
    module._compile(ts.transpileModule(readFileSync(filename, "utf8"), { compilerOptions, fileName: filename }).outputText, filename);
  };
  return () => {
    if (previous) loaders[".ts"] = previous;
    else Reflect.deleteProperty(loaders, ".ts");
  };
}
