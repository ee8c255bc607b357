import type * as pulumi from "@pulumi/pulumi";
import type { CapacityProviderStrategyItem } from "../components/ecs/capacity";
import type { Cluster } from "../components/ecs/cluster";
import { JobPlatform, type JobTaskArgs, type WorkerGroupArgs } from "../components/jobs/job-platform";
import type { Vpc } from "../components/network/vpc";
import type { BackGroupConfig, WorkerGroupConfig } from "../infra/config/jobs";
import type { StackConfig } from "../infra/config/schema";
import { datadogSidecar } from "./datadog";

type TaskConfig = Pick<WorkerGroupConfig, "image" | "cpu" | "memory" | "architecture" | "command" | "environment" | "secrets" | "datadog" | "shell">;

function task(config: StackConfig, family: string, service: string, t: TaskConfig): JobTaskArgs {
  return {
    family,
    cpu: t.cpu,
    memory: t.memory,
    architecture: t.architecture,
    enableExecuteCommand: t.shell,
    container: { image: t.image, command: t.command, environment: t.environment, secrets: t.secrets },
    ...datadogSidecar(config, t.datadog, service),
  };
}

/** `capacity` of the config → a capacity provider strategy (on-demand base first, then weights). */
function strategy(c: WorkerGroupConfig["capacity"]): CapacityProviderStrategyItem[] {
  const items: CapacityProviderStrategyItem[] = [];
  if (c.onDemandWeight > 0 || c.onDemandBase > 0) items.push({ capacityProvider: "FARGATE", weight: c.onDemandWeight, base: c.onDemandBase });
  if (c.spotWeight > 0) items.push({ capacityProvider: "FARGATE_SPOT", weight: c.spotWeight });
  return items;
}

function groups(
  config: StackConfig,
  kind: string,
  entries: Readonly<Record<string, WorkerGroupConfig & { readonly release?: BackGroupConfig["release"] }>>,
): Record<string, WorkerGroupArgs> {
  return Object.fromEntries(
    Object.entries(entries).map(([name, g]) => [
      name,
      {
        task: task(config, `${config.name}-${kind}-${name}`, `${kind}-${name}`, g),
        ...(g.desiredCount !== undefined ? { desiredCount: g.desiredCount } : {}),
        ...(g.autoscaling ? { autoscaling: g.autoscaling } : {}),
        capacityProviderStrategy: strategy(g.capacity),
        stopTimeoutSeconds: g.stopTimeoutSeconds,
        ...(g.release === "blueGreen" ? { blueGreen: true } : {}),
      },
    ]),
  );
}

/** The job platform of `infra:jobs` (none: nothing is created). */
export function createJobs(
  config: StackConfig,
  { network, cluster }: { network: Vpc; cluster: Cluster },
  opts: pulumi.ComponentResourceOptions,
  rolloutAfter?: pulumi.Input<pulumi.Resource[]>,
): JobPlatform | undefined {
  const jobs = config.jobs;
  if (!jobs) return undefined;
  return new JobPlatform(
    "jobs",
    {
      namePrefix: config.name,
      cluster,
      vpcId: network.vpcId,
      subnetIds: network.privateSubnetIds,
      dataSubnetIds: network.isolatedSubnetIds,
      redis: { ...jobs.redis, protectData: config.protectData },
      namespaces: jobs.namespaces,
      backWorkers: groups(config, "back", jobs.back),
      scheduler: { task: task(config, `${config.name}-scheduler`, "scheduler", jobs.scheduler), stopTimeoutSeconds: jobs.scheduler.stopTimeoutSeconds },
      periodicWorkers: groups(config, "periodic", jobs.periodic),
      ...(rolloutAfter ? { rolloutAfter } : {}),
    },
    opts,
  );
}
