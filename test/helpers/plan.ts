import { resolve } from "node:path";
import { program } from "../../infra/program";
import type { Plan, PlannedResource } from "../../offline-plan/plan";
import { runPlan } from "../../tools/plan/run";
import { recordProgram } from "../../offline-plan/record";
import { readStackFile, stackNames as stackFileNames } from "../../offline-plan/stack-file";

/** The project's root, where the stack files are. */
export const ROOT = resolve(__dirname, "../..");

/** Plans a real stack of the project from its `Pulumi.<stack>.yaml`. */
export function planStack(stack: string): Promise<Plan> {
  return runPlan(stack, readStackFile(stack, ROOT), program);
}

/** Tokyo, a test account, three AZs: where component tests run their programs. */
export const TEST_LOCATION = {
  accountId: "123456789012",
  region: "ap-northeast-1",
  availabilityZones: ["ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"],
} as const;

/** Records what a small program (a component or two) registers under the mocks. */
export function planOf(build: () => unknown): Promise<Plan> {
  return recordProgram({ stack: "test", location: TEST_LOCATION }, () => {
    build();
    return {};
  });
}

/** Resources of one type, by name. */
export function byType(plan: Plan, type: string): PlannedResource[] {
  return plan.resources.filter((r) => r.type === type);
}

/** The one resource of this name; fails the test when there is none or more. */
export function named(plan: Plan, name: string): PlannedResource {
  const found = plan.resources.filter((r) => r.name === name);
  if (found.length !== 1) throw new Error(`expected one resource named ${name}, found ${found.length}`);
  return found[0] as PlannedResource;
}

/** An input of a resource, typed by the caller. */
export function input<T>(resource: PlannedResource, key: string): T {
  return resource.inputs[key] as T;
}

/** A JSON document input (policy, container definitions), parsed. */
export function jsonInput<T>(resource: PlannedResource, key: string): T {
  return JSON.parse(resource.inputs[key] as string) as T;
}

/**
 * Records a program that is expected to throw while it builds: the error's message and what was
 * registered before it (for a component that validates first, nothing).
 */
export async function planAttempt(build: () => void): Promise<{ message: string | undefined; plan: Plan }> {
  let caught: unknown;
  const plan = await planOf(() => {
    try {
      build();
    } catch (error) {
      caught = error;
    }
  });
  return { message: caught instanceof Error ? caught.message : undefined, plan };
}

/** The stacks of the project: every `Pulumi.<stack>.yaml` beside `Pulumi.yaml`. */
export function stackNames(dir = ROOT): string[] {
  return stackFileNames(dir);
}
