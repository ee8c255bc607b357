import { v1 } from "@datadog/datadog-api-client";

/** Where a deserialized body kept a value Datadog's models do not know (an unknown enum, say). */
function unparsedPaths(value: unknown, path = ""): string[] {
  if (value === null || typeof value !== "object") return [];
  const object = value as Record<string, unknown>;
  const here = object._unparsed === true || object.constructor?.name === "UnparsedObject" ? [path || "(root)"] : [];
  return [...here, ...Object.entries(object).flatMap(([k, v]) => (k === "_data" ? [] : unparsedPaths(v, `${path}.${k}`)))];
}

/**
 * Reads a request body with the Datadog API client's own models, as its API would: a wrong type
 * throws, a value outside an enum is reported. Returns the places Datadog would not understand.
 */
export function datadogProblems(body: unknown, model: "Monitor" | "Dashboard" | "ServiceLevelObjectiveRequest"): string[] {
  const parsed: unknown = v1.ObjectSerializer.deserialize(body, model, "");
  return unparsedPaths(parsed);
}
