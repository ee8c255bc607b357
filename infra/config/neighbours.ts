import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

/** The CIDR last read from each stack file, by path, with the text it was read from. */
const lastRead = new Map<string, { text: string; cidr: string | undefined }>();

/** The VPC CIDR a stack file's text sets; parsed again only when the text changed (the program reads every neighbour on each run, and a test run plans hundreds of times). */
function cidrOf(path: string): string | undefined {
  const text = readFileSync(path, "utf8");
  const last = lastRead.get(path);
  if (last?.text === text) return last.cidr;
  let cidr: string | undefined;
  try {
    const config = (parse(text) as { config?: Record<string, unknown> } | null)?.config;
    const value = (config?.["infra:network"] as { cidr?: unknown } | undefined)?.cidr;
    cidr = typeof value === "string" ? value : undefined;
  } catch {
    // Not YAML: that stack's own plan says so.
  }
  lastRead.set(path, { text, cidr });
  return cidr;
}

/**
 * The VPC CIDR of every other stack file of the project in `dir` (`Pulumi.<stack>.yaml`), by
 * stack name. A file that cannot be read or has no CIDR is skipped: its own plan reports it.
 */
export function readNeighbourCidrs(dir: string, stack: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { stack: other, path } of otherStackFiles(dir, stack)) {
    try {
      const cidr = cidrOf(path);
      if (cidr !== undefined) out[other] = cidr;
    } catch {
      // Unreadable: that stack's own plan says so.
    }
  }
  return out;
}

/** Every stack file in `dir` (`Pulumi.<stack>.yaml`) but `stack`'s own; none when the folder cannot be read. */
function otherStackFiles(dir: string, stack: string): { stack: string; path: string }[] {
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch {
    return [];
  }
  return files.flatMap((file) => {
    const other = /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1];
    return other && other !== stack ? [{ stack: other, path: join(dir, file) }] : [];
  });
}

/** What another stack has to release, as its file says: its web services and its blue/green back worker groups. */
export type NeighbourReleases = Readonly<Record<string, { readonly services: string[]; readonly groups: string[] }>>;

/**
 * What every other stack file of the project in `dir` has to release, by stack name (the release
 * bot answers for several stacks; each one's file is the one place its services are named).
 */
export function readNeighbourReleases(dir: string, stack: string): NeighbourReleases {
  const out: Record<string, { services: string[]; groups: string[] }> = {};
  for (const { stack: other, path } of otherStackFiles(dir, stack)) {
    try {
      const config = (parse(readFileSync(path, "utf8")) as { config?: Record<string, unknown> } | null)?.config ?? {};
      const services = Object.keys((config["infra:services"] as Record<string, unknown> | undefined) ?? {});
      const back = (config["infra:jobs"] as { back?: Record<string, { release?: unknown }> } | undefined)?.back ?? {};
      out[other] = { services, groups: Object.entries(back).flatMap(([group, g]) => (g.release === "blueGreen" ? [group] : [])) };
    } catch {
      // Not YAML: that stack's own plan says so.
    }
  }
  return out;
}
