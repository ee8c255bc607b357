/**
 * A stack configuration that cannot be used. Its message has one line per problem, each naming
 * the key (`infra:network.cidr`), the bad value and what is allowed.
 */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(readonly problems: readonly string[]) {
    super(`invalid stack configuration:\n${problems.map((p) => `  ${p}`).join("\n")}`);
  }
}

/** Formats a config path as a Pulumi config key: `infra:network.azs[0]`. */
export function configKey(namespace: string, path: readonly PropertyKey[]): string {
  const [head, ...rest] = path;
  let key = `${namespace}:${String(head ?? "")}`;
  for (const part of rest) key += typeof part === "number" ? `[${part}]` : `.${String(part)}`;
  return key;
}

/** Shows a value the way it appears in the YAML, quoted when a string. */
export function show(value: unknown): string {
  if (value === undefined) return "undefined";
  const json = JSON.stringify(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}
