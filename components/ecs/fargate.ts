import type { Problem } from "../problems";

/**
 * What Fargate accepts: CPU units, memory per CPU, architectures, stop timeout. Pure data and
 * checks, shared by every ECS workload and by the stack config.
 */

/** Memory (MiB) Fargate accepts for each CPU value (units; 1024 = 1 vCPU), as AWS documents it. */
const range = (from: number, to: number, step: number): number[] => Array.from({ length: (to - from) / step + 1 }, (_, i) => from + i * step);

export const FARGATE_MEMORY_BY_CPU: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
  8192: range(16384, 61440, 4096),
  16384: range(32768, 122880, 8192),
};

export const FARGATE_CPUS = Object.keys(FARGATE_MEMORY_BY_CPU).map(Number);

export const CPU_ARCHITECTURES = ["ARM64", "X86_64"] as const;
export type CpuArchitecture = (typeof CPU_ARCHITECTURES)[number];

/** Fargate's longest stop timeout: SIGTERM, then SIGKILL at most 120 s later. */
export const FARGATE_MAX_STOP_TIMEOUT = 120;

/** Why a container's stop timeout is not one Fargate takes (2 s to its maximum); undefined when it is. */
export function stopTimeoutProblem(seconds: number): string | undefined {
  return Number.isInteger(seconds) && seconds >= 2 && seconds <= FARGATE_MAX_STOP_TIMEOUT
    ? undefined
    : `${seconds} is out of range (2-${FARGATE_MAX_STOP_TIMEOUT}, Fargate's maximum)`;
}

/** Why a cpu/memory pair is not a Fargate size (on `cpu` or on `memory`); empty when it is one. */
export function cpuMemoryProblems(cpu: number, memory: number): Problem[] {
  const memories = FARGATE_MEMORY_BY_CPU[cpu];
  if (!memories) return [{ field: "cpu", message: `${cpu} is not a Fargate CPU size; allowed: ${FARGATE_CPUS.join(", ")}` }];
  if (!memories.includes(memory)) {
    return [{ field: "memory", message: `${memory} is not allowed with cpu ${cpu} (${cpu / 1024} vCPU); allowed: ${describeMemories(memories)}` }];
  }
  return [];
}

function describeMemories(memories: readonly number[]): string {
  if (memories.length <= 4) return memories.join(", ");
  const step = (memories[1] as number) - (memories[0] as number);
  return `${memories[0]} to ${memories[memories.length - 1]} in steps of ${step}`;
}
