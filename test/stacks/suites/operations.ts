import { expect, it } from "vitest";
import { workloadTargetSchema } from "../../../components/deploy/release-tool/workload";
import { STAR_ONLY } from "../../../components/iam";
import type { Plan, PlannedResource } from "../../../tools/plan/plan";
import { byType, jsonInput } from "../../helpers/plan";
import type { StackUnderTest } from "./context";

interface Statement {
  readonly Action: string | string[];
}

/** The ECS workloads of the config, as the tools name them, with whether a shell may attach. */
function workloadsOfConfig(s: StackUnderTest): { name: string; configKey: string; shell: boolean; service: boolean }[] {
  const c = s.config;
  return [
    ...Object.entries(c.services).map(([key, w]) => ({ name: key, configKey: `infra:services.${key}`, shell: w.shell, service: true })),
    ...Object.entries(c.jobs?.back ?? {}).map(([g, w]) => ({ name: `back-${g}`, configKey: `infra:jobs.back.${g}`, shell: w.shell, service: true })),
    ...Object.entries(c.jobs?.periodic ?? {}).map(([g, w]) => ({
      name: `periodic-${g}`,
      configKey: `infra:jobs.periodic.${g}`,
      shell: w.shell,
      service: true,
    })),
    ...(c.jobs ? [{ name: "scheduler", configKey: "infra:jobs.scheduler", shell: c.jobs.scheduler.shell, service: true }] : []),
    ...Object.entries(c.batches).map(([key, w]) => ({ name: `batch-${key}`, configKey: `infra:batches.${key}`, shell: w.shell, service: false })),
  ];
}

/** The actions of the task role of a task definition (the role of the same FargateTaskDefinition). */
function taskRoleActions(plan: Plan, taskDefinition: PlannedResource): string[] {
  const siblings = plan.resources.filter((r) => r.parent === taskDefinition.parent);
  const role = siblings.find((r) => r.type === "aws:iam/role:Role" && r.name.endsWith("-task-role"))!;
  expect(taskDefinition.inputs.taskRoleArn).toMatch(new RegExp(`:role/${role.name}-[0-9a-f]+$`));
  const policy = siblings.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.inputs.role === `${role.name}-id`);
  if (!policy) return [];
  return jsonInput<{ Statement: Statement[] }>(policy, "policy").Statement.flatMap((st) => (Array.isArray(st.Action) ? st.Action : [st.Action]));
}

/** What `npm run task` and `npm run shell` read, and ECS Exec exactly where the config allows a shell. */
export function operationInvariants(s: StackUnderTest): void {
  const expected = workloadsOfConfig(s);

  it("outputs one workload target per ECS workload of the config, each one the tools accept", () => {
    const outputs = s.plan().outputs.workloads as Record<string, unknown>;
    expect(Object.keys(outputs).sort()).toEqual(expected.map((w) => w.name).sort());
    for (const w of expected) {
      const target = workloadTargetSchema.parse(outputs[w.name]);
      expect(target).toMatchObject({
        stack: s.stack,
        workload: w.name,
        configKey: w.configKey,
        region: s.config.region,
        cluster: s.config.name,
        shell: w.shell,
      });
      expect(target.shellMaxMinutes).toBe(s.config.shell.maxMinutes);
      expect(target.serviceName !== undefined).toBe(w.service);
    }
  });

  it.each(expected.map((w) => [w.name, w] as const))("%s: ECS Exec and the four ssmmessages actions exactly when its config allows a shell", (_, w) => {
    const plan = s.plan();
    const target = workloadTargetSchema.parse((plan.outputs.workloads as Record<string, unknown>)[w.name]);
    const [taskDefinition, ...others] = byType(plan, "aws:ecs/taskDefinition:TaskDefinition").filter((r) => r.inputs.family === target.family);
    expect(others).toEqual([]);
    const actions = taskRoleActions(plan, taskDefinition!);
    const channels = actions.filter((a) => a.startsWith("ssmmessages:"));
    expect(channels.sort()).toEqual(w.shell ? [...STAR_ONLY.ecsExecChannels].sort() : []);
    if (w.service) {
      const [service] = byType(plan, "aws:ecs/service:Service").filter((r) => r.inputs.name === target.serviceName);
      expect(service!.inputs.enableExecuteCommand).toBe(w.shell);
    } else {
      const machine = byType(plan, "aws:sfn/stateMachine:StateMachine").find((r) => r.inputs.name === `${s.config.name}-${w.name.replace(/^batch-/, "")}`)!;
      const definition = jsonInput<{ States: Record<string, { Parameters?: { EnableExecuteCommand?: boolean } }> }>(machine, "definition");
      const runs = Object.values(definition.States).filter((st) => st.Parameters?.EnableExecuteCommand !== undefined);
      expect(runs.map((st) => st.Parameters!.EnableExecuteCommand)).toEqual([w.shell]);
    }
  });
}
