import * as pulumi from "@pulumi/pulumi";
import type { RawConfig } from "./load";

/**
 * Reads every config key of the running stack. Pulumi hands every value to the program as text,
 * structured values (objects, lists) as JSON; they, and booleans, are parsed here so that the
 * schema sees the YAML's shape. Other scalars stay text (an account id must not become a number).
 */
export function readPulumiConfig(): RawConfig {
  const raw: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(pulumi.runtime.allConfig())) {
    raw[key] = parseStructured(value);
  }
  return raw;
}

function parseStructured(value: string): unknown {
  const trimmed = value.trim();
  // `infra:protectData: true` reaches the program as the text "true".
  if (trimmed === "true" || trimmed === "false") return trimmed === "true";
  if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) return value;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return value;
  }
}
