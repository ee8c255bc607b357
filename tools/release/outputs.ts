import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { parseTarget, type ReleaseTarget } from "../../components/deploy/release-tool/target";

/** A target that cannot be found; its message says what to do. */
export class TargetError extends Error {
  override readonly name = "TargetError";
}

/** The stack's outputs: from a file (`pulumi stack output --json -s <stack> > FILE`) or from the Pulumi CLI. */
export async function readOutputs(stack: string, file: string | undefined, run = promisify(execFile)): Promise<unknown> {
  if (file) {
    try {
      return JSON.parse(readFileSync(file, "utf8")) as unknown;
    } catch (error) {
      throw new TargetError(`--outputs ${file}: ${(error as Error).message}`);
    }
  }
  try {
    const { stdout } = await run("pulumi", ["stack", "output", "--json", "--stack", stack], { maxBuffer: 16 * 1024 * 1024 });
    return JSON.parse(stdout) as unknown;
  } catch (error) {
    const e = error as { code?: unknown; stderr?: string; message: string };
    if (e.code === "ENOENT")
      throw new TargetError(`the Pulumi CLI is not on your PATH: install it, or pass --outputs FILE (pulumi stack output --json -s ${stack} > FILE)`);
    const why = (e.stderr ?? e.message).trim().split("\n")[0] ?? "";
    throw new TargetError(`pulumi stack output --stack ${stack} failed: ${why} (are you logged in to the stack's backend? pulumi login)`);
  }
}

/** The release target of one service, from the stack's `services.<service>.release` output. */
export function targetFrom(outputs: unknown, stack: string, service: string): ReleaseTarget {
  const services = (outputs as { services?: Record<string, { release?: unknown }> } | null)?.services;
  if (!services || typeof services !== "object") throw new TargetError(`stack ${stack} exports no services: has it been applied (pulumi up -s ${stack})?`);
  const entry = services[service];
  if (!entry) throw new TargetError(`no web service "${service}" in stack ${stack}; services: ${Object.keys(services).join(", ") || "none"}`);
  if (!entry.release)
    throw new TargetError(`service "${service}" of stack ${stack} exports no release target: apply the stack with this version first (pulumi up -s ${stack})`);
  try {
    return parseTarget(entry.release, `services.${service}.release of stack ${stack}`);
  } catch (error) {
    throw new TargetError((error as Error).message);
  }
}
