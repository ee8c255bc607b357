import { expect } from "vitest";
import { ConfigError } from "../../infra/config/errors";
import { loadStackConfig, type RawConfig } from "../../infra/config/load";
import { readNeighbourCidrs } from "../../infra/config/neighbours";
import { program } from "../../infra/program";
import { runPlan } from "../../tools/plan/run";
import { readStackFile } from "../../offline-plan/stack-file";
import { ROOT } from "./plan";

type Path = (string | number)[];

/** Values that break something somewhere: types, bounds, formats, reserved ports, names, absence. */
export const EDGE_VALUES = [
  0,
  -1,
  1,
  2,
  80,
  443,
  3.5,
  65536,
  1e9,
  "",
  "x",
  "Web_1",
  "0.0.0.0/0",
  "10.0.0.0/8",
  "cron(* * * * *)",
  "a".repeat(300),
  true,
  false,
  null,
  [],
  {},
  undefined,
];

/** Every leaf of a config, as a path from its top-level key. */
function leaves(value: unknown, path: Path = []): Path[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => leaves(item, [...path, i]));
  if (value !== null && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => leaves(v, [...path, k]));
  return [path];
}

function withValue(config: RawConfig, path: Path, value: unknown): RawConfig {
  const copy = structuredClone(config) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1] as string | number] = value;
  return copy;
}

/** Keys every plan needs; the workload keys (services, batches, jobs) are planned one at a time. */
const BASE_KEYS = new Set(["aws:region", "infra:name", "infra:accountId", "infra:tags", "infra:image", "infra:network", "infra:cluster", "infra:protectData"]);

/** Workload keys that name each other: blue/green back workers follow a web service of infra:services. */
const LINKED: Readonly<Record<string, readonly string[]>> = { "infra:jobs": ["infra:services"], "infra:services": ["infra:jobs"] };

/**
 * The config with the workload keys other than the mutated one (and those it names) left out: the mutated value meets
 * every component it reaches, at a third of the plan's cost. Tags reach only the provider.
 */
function onlyWhatItTouches(config: RawConfig, mutatedKey: string): RawConfig {
  // A change to a shared key (network, name) reaches every workload: plan them all.
  if (BASE_KEYS.has(mutatedKey) && mutatedKey !== "infra:tags") return config;
  const kept = new Set([mutatedKey, ...(LINKED[mutatedKey] ?? [])]);
  return Object.fromEntries(Object.entries(config).filter(([key]) => BASE_KEYS.has(key) || kept.has(key) || !key.startsWith("infra:")));
}

/**
 * Sets every leaf of a stack's config to every edge value, one at a time (this shard's share),
 * and checks that each result is either refused by the loader or plans: a value the loader lets
 * through and a component then refuses would stop `pulumi up` with part of the stack created.
 * Returns how many mutations were refused and how many planned.
 */
export async function checkEveryMutation(stack: string, shard: number, shards: number): Promise<{ refused: number; planned: number }> {
  const config = readStackFile(stack, ROOT);
  const cases = leaves(config).flatMap((path) => EDGE_VALUES.map((value) => ({ path, value })));
  let refused = 0;
  let planned = 0;
  // Mutations that normalize to a config already planned (a default set explicitly, say) plan the same.
  // The loader as the program calls it: with the CIDRs of the stack files beside this one.
  const neighbours = readNeighbourCidrs(ROOT, stack);
  const seen = new Set([JSON.stringify(loadStackConfig(config, neighbours))]);
  for (const [i, { path, value }] of cases.entries()) {
    if (i % shards !== shard) continue;
    const mutated = withValue(config, path, value);
    let normalized: string;
    try {
      normalized = JSON.stringify(loadStackConfig(mutated, neighbours));
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      refused++;
      continue;
    }
    if (seen.has(normalized)) continue;
    seen.add(normalized);
    try {
      await runPlan(stack, onlyWhatItTouches(mutated, String(path[0])), program);
      planned++;
    } catch (error) {
      throw new Error(`${path.join(".")} = ${JSON.stringify(value)} passed the loader, then the program failed: ${(error as Error).message}`, { cause: error });
    }
  }
  return { refused, planned };
}
