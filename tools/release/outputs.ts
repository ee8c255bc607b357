import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { parseTarget } from "../../release-tool/target";
import { type ReleaseTarget } from "../../release-tool/contract";
import { type WorkloadTarget, workloadTargetSchema } from "../../release-tool/contract";
import { stackNames } from "../../offline-plan/stack-file";

/** A target that cannot be found; its message says what to do. */
export class TargetError extends Error {
  override readonly name = "TargetError";
}

/** How the tools run the Pulumi CLI (a stand-in in tests). */
export type RunCommand = (file: string, args: readonly string[], options: { maxBuffer: number }) => Promise<{ stdout: string }>;

/**
 * The stack's outputs: from a file (`pulumi stack output --json -s <stack> > FILE`) or from the
 * Pulumi CLI. A stack with no `Pulumi.<stack>.yaml` in `dir` is refused with the project's stacks.
 */
export async function readOutputs(stack: string, file: string | undefined, run: RunCommand = promisify(execFile), dir = process.cwd()): Promise<unknown> {
  const stacks = stackNames(dir);
  if (!stacks.includes(stack)) throw new TargetError(`no stack "${stack}" in this project (no Pulumi.${stack}.yaml); stacks: ${stacks.join(", ") || "none"}`);
  if (file) {
    try {
      return JSON.parse(readFileSync(file, "utf8")) as unknown;
    } catch (error) {
      throw new TargetError(`--outputs ${file}: ${(error as Error).message}`);
    }
  }
  try {
    const { stdout } = await run("pulumi", ["stack", "output", "--json", "--show-secrets=false", "--stack", stack], { maxBuffer: 16 * 1024 * 1024 });
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
  let target: ReleaseTarget;
  try {
    target = parseTarget(entry.release, `services.${service}.release of stack ${stack}`);
  } catch (error) {
    throw new TargetError((error as Error).message);
  }
  return sameStack(target, stack);
}

/** The release target of the web service a blue/green back worker group follows (`npm run release:drain -- <stack> <group>`). */
export function groupTargetFrom(outputs: unknown, stack: string, group: string): ReleaseTarget {
  const services = (outputs as { services?: Record<string, { release?: unknown }> } | null)?.services;
  if (!services || typeof services !== "object") throw new TargetError(`stack ${stack} exports no services: has it been applied (pulumi up -s ${stack})?`);
  const targets = Object.keys(services).map((service) => targetFrom(outputs, stack, service));
  const groups = targets.flatMap((t) => (t.colours?.groups ?? []).map((g) => g.group));
  const target = targets.find((t) => t.colours?.groups.some((g) => g.group === group));
  if (!target) throw new TargetError(`no blue/green back worker group "${group}" in stack ${stack}; groups: ${groups.join(", ") || "none"}`);
  return target;
}

/** Outputs of another stack (a wrong --outputs file) would act on the wrong environment. */
function sameStack<T extends { stack: string }>(target: T, stack: string): T {
  if (target.stack !== stack) throw new TargetError(`these outputs are stack ${target.stack}'s, not ${stack}'s: check --outputs`);
  return target;
}

/** One workload's target, from the stack's `workloads.<workload>` output. */
export function workloadFrom(outputs: unknown, stack: string, workload: string): WorkloadTarget {
  const workloads = (outputs as { workloads?: Record<string, unknown> } | null)?.workloads;
  if (!workloads || typeof workloads !== "object")
    throw new TargetError(`stack ${stack} exports no workloads: apply the stack with this version first (pulumi up -s ${stack})`);
  const entry = workloads[workload];
  if (entry === undefined)
    throw new TargetError(`no workload "${workload}" in stack ${stack}; workloads: ${Object.keys(workloads).sort().join(", ") || "none"}`);
  const parsed = workloadTargetSchema.safeParse(entry);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".") || "(workload)"}: ${i.message}`);
    throw new TargetError(`workloads.${workload} of stack ${stack} is not a workload target: ${problems.join("; ")}`);
  }
  return sameStack(parsed.data, stack);
}
