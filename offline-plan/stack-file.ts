import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

/** A stack file's `config:` as written: `namespace:key` → value. */
export type StackConfig = Readonly<Record<string, unknown>>;

/** A stack file that is missing or cannot be read; its message is meant for the terminal. */
export class StackFileError extends Error {
  override readonly name = "StackFileError";
}

/** Stack names Pulumi accepts: letters, digits, `-`, `_`, `.`. */
const STACK_NAME = /^[A-Za-z0-9_.-]+$/;

/**
 * Reads the `config:` of `Pulumi.<stack>.yaml` in `dir`, the same keys and values the Pulumi
 * CLI would hand the program, a secret as SECRET_PLACEHOLDER.
 */
export function readStackFile(stack: string, dir: string): StackConfig {
  if (!STACK_NAME.test(stack)) throw new StackFileError(`"${stack}" is not a stack name (letters, digits, -, _, .)`);
  const file = join(dir, `Pulumi.${stack}.yaml`);
  if (!existsSync(file)) throw new StackFileError(`no stack file ${file}: is "${stack}" a stack of this project?`);
  let document: unknown;
  try {
    document = parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new StackFileError(`${file} is not valid YAML: ${(error as Error).message}`);
  }
  const config = (document as { config?: unknown } | null)?.config ?? {};
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new StackFileError(`${file}: "config" must be a map of keys to values`);
  }
  const read: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    const secret = typeof value === "object" && value !== null && "secure" in value;
    // This program's own keys hold no secret (its loader checks every value it is given).
    if (secret && key.startsWith("infra:")) {
      throw new StackFileError(`${file}: ${key} is a secret; the offline plan cannot decrypt it (keep secrets out of infra: keys)`);
    }
    read[key] = secret ? SECRET_PLACEHOLDER : value;
  }
  return read;
}

/**
 * What the offline plan gives a program for a secret of its stack file (`pulumi config set
 * --secret`: a provider's key, a password), which it cannot decrypt: this text in its place,
 * marked secret as the CLI marks it. The real value is never needed, and never shown.
 */
export const SECRET_PLACEHOLDER = "(secret: not decrypted by the offline plan)";

/**
 * Config as the Pulumi CLI hands it to a program: every value a string, structured values as
 * JSON. The program parses them back (infra/config/pulumi-source.ts).
 */
export function toPulumiConfig(raw: StackConfig): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    out[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return out;
}

/** The stacks of a project: every `Pulumi.<stack>.yaml` in `dir`, sorted. */
export function stackNames(dir: string): string[] {
  return readdirSync(dir)
    .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
    .filter((stack): stack is string => stack !== undefined)
    .sort();
}
