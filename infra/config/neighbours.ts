import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

/**
 * The VPC CIDR of every other stack file of the project in `dir` (`Pulumi.<stack>.yaml`), by
 * stack name. A file that cannot be read or has no CIDR is skipped: its own plan reports it.
 */
export function readNeighbourCidrs(dir: string, stack: string): Record<string, string> {
  const out: Record<string, string> = {};
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch {
    return out;
  }
  for (const file of files) {
    const other = /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1];
    if (!other || other === stack) continue;
    try {
      const config = (parse(readFileSync(join(dir, file), "utf8")) as { config?: Record<string, unknown> } | null)?.config;
      const cidr = (config?.["infra:network"] as { cidr?: unknown } | undefined)?.cidr;
      if (typeof cidr === "string") out[other] = cidr;
    } catch {
      // Not YAML: that stack's own plan says so.
    }
  }
  return out;
}
