import { expect, it } from "vitest";
import { workloadTargetSchema } from "../../../release-tool/contract";
import { TASK_DEFAULTS } from "../../../components/ecs/task-definition";
import { STAR_ONLY } from "../../../components/iam";
import { configuredWorkloads } from "../../../infra/config/workloads";
import type { Plan, PlannedResource } from "../../../offline-plan/plan";
import { byType, jsonInput } from "../../helpers/plan";
import type { StackUnderTest } from "./context";

interface Statement {
  readonly Sid?: string;
  readonly Action: string | string[];
  readonly Resource: string | string[];
}

const list = (x: string | string[] | undefined) => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

/** The ECS workloads of the config, as the tools name them, with whether a shell may attach. */
const workloadsOfConfig = (s: StackUnderTest) =>
  configuredWorkloads(s.config).map((w) => ({
    name: w.name,
    configKey: w.configKey,
    shell: w.task.shell ?? TASK_DEFAULTS.enableExecuteCommand,
    service: w.kind !== "batch",
  }));

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

/** The policy a person needs for the tools: every workload covered, nothing beyond, within IAM's size. */
export function operatorPolicyInvariants(s: StackUnderTest): void {
  it("every task definition keeps its old revision when replaced: a rollback, a drain or a one-off task of the old colour can still start from it", () => {
    const definitions = byType(s.plan(), "aws:ecs/taskDefinition:TaskDefinition");
    expect(definitions.filter((d) => d.inputs.skipDestroy !== true).map((d) => d.name)).toEqual([]);
  });

  it("operatorPolicy lets a person run, follow, stop and shell into every workload's tasks, and nothing else", () => {
    const plan = s.plan();
    const document = JSON.parse(plan.outputs.operatorPolicy as string) as { Version: string; Statement: Statement[] };
    const statements: Record<string, Statement | undefined> = Object.fromEntries(document.Statement.map((st) => [st.Sid ?? "", st]));
    const targets = Object.values(plan.outputs.workloads as Record<string, unknown>).map((w) => workloadTargetSchema.parse(w));
    const arn = (service: string, resource: string) => `arn:aws:${service}:${s.config.region}:${s.config.accountId}:${resource}`;
    // A workload's task definitions: its family's, and its other colour's (a web service's task has both).
    const all = byType(plan, "aws:ecs/taskDefinition:TaskDefinition");
    const parents = new Set(all.filter((r) => targets.some((t) => t.family === r.inputs.family)).map((r) => r.parent));
    const taskDefinitions = all.filter((r) => parents.has(r.parent));
    expect(document.Version).toBe("2012-10-17");
    expect(list(statements.RunTheWorkloadsTasks?.Resource).sort()).toEqual(
      taskDefinitions.map((d) => arn("ecs", `task-definition/${String(d.inputs.family)}:*`)).sort(),
    );
    expect(list(statements.ReadServices?.Resource).sort()).toEqual(
      targets
        .filter((t) => t.serviceName)
        .map((t) => arn("ecs", `service/${t.cluster}/${t.serviceName!}`))
        .sort(),
    );
    expect(list(statements.PassTheTaskRoles?.Resource).sort()).toEqual(
      [...new Set(taskDefinitions.flatMap((d) => [d.inputs.taskRoleArn, d.inputs.executionRoleArn]))].sort(),
    );
    expect(list(statements.ReadTaskLogs?.Resource).sort()).toEqual(
      [...new Set(targets.map((t) => arn("logs", `log-group:${t.logGroupName!}:log-stream:*`)))].sort(),
    );
    expect(statements.OpenShells !== undefined).toBe(targets.some((t) => t.shell));
    // "*" only where AWS allows nothing narrower.
    for (const st of document.Statement) {
      if (list(st.Resource).includes("*")) expect(list(st.Action).every((a) => (STAR_ONLY.taskDefinitionReads as readonly string[]).includes(a))).toBe(true);
    }
    // A managed policy holds at most 6,144 characters, whitespace not counted.
    expect(JSON.stringify(document).length).toBeLessThanOrEqual(6144);
  });
}
