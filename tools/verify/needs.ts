import type { WorkloadNeeds } from "../../release-tool/preflight";
import { DATADOG_AGENT_IMAGE } from "../../components/ecs/task-definition";
import type { StackConfig } from "../../infra/config/schema";
import { configuredWorkloads } from "../../infra/config/workloads";

/** What the stack's `workloads` output says of one workload, as far as preflight needs it. */
interface AppliedWorkload {
  readonly executionRoleArn?: unknown;
  readonly logGroupName?: unknown;
  readonly subnetIds?: unknown;
}

const text = (v: unknown) => (typeof v === "string" && v.length > 0 ? v : undefined);

/**
 * What each workload of the stack config needs to start: its images and secrets from the
 * config (what the next `pulumi up` deploys), its execution role, log group and subnets from the
 * stack's outputs when it has been applied (a load balancer's subnets are checked by a release,
 * which finds it through the service). `only` keeps one workload (a manual batch run).
 */
export function needsFromConfig(config: StackConfig, outputs: unknown, only?: string): WorkloadNeeds[] {
  const applied = (outputs as { workloads?: Record<string, AppliedWorkload> } | undefined)?.workloads ?? {};
  return configuredWorkloads(config)
    .filter((w) => only === undefined || w.name === only)
    .map((w): WorkloadNeeds => {
      const out = applied[w.name];
      const role = text(out?.executionRoleArn);
      const logGroup = text(out?.logGroupName);
      const subnets = Array.isArray(out?.subnetIds) ? out.subnetIds.filter((id): id is string => typeof id === "string") : [];
      return {
        workload: w.name,
        images: [
          { key: `${w.configKey}.image`, image: w.task.image },
          ...(w.task.datadog ? [{ key: `${w.configKey}.datadog`, image: DATADOG_AGENT_IMAGE }] : []),
        ],
        secrets: [
          ...Object.entries(w.task.secrets).map(([name, valueFrom]) => ({ key: `${w.configKey}.secrets.${name}`, valueFrom })),
          ...(w.task.datadog ? [{ key: `${w.configKey}.datadog.apiKeySecretArn`, valueFrom: w.task.datadog.apiKeySecretArn }] : []),
        ],
        ...(role ? { executionRoleArn: role } : {}),
        ...(logGroup ? { logGroups: [{ key: "log group", name: logGroup }] } : {}),
        ...(subnets.length > 0 ? { network: { taskSubnetIds: subnets, targetGroupArns: [] } } : {}),
      };
    });
}
