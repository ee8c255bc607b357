import * as pulumi from "@pulumi/pulumi";
import type { RawConfig } from "./load";

/**
 * Reads every config key of the running stack. Pulumi hands structured values (objects, lists)
 * to the program as JSON text; they are parsed here so that the schema sees the YAML's shape.
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
  if (!trimmed.startsWith("{") && !trimmed.startsWith("[")) return value;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return value;
  }
}
