import type { InfraConfig } from "./schema";

/** What every ECS workload's config holds that the tools look at. */
export interface WorkloadTaskConfig {
  readonly image: string;
  readonly secrets: Readonly<Record<string, string>>;
  readonly datadog?: { readonly apiKeySecretArn: string };
  readonly shell: boolean;
}

/** One ECS workload of a stack's config, named as the stack's `workloads` output and the tools name it. */
export interface ConfiguredWorkload {
  readonly name: string;
  readonly kind: "web" | "worker" | "scheduler" | "batch";
  /** Where it is configured: `infra:services.web`, `infra:jobs.back.default`. */
  readonly configKey: string;
  readonly task: WorkloadTaskConfig;
}

/** Every ECS workload of the config: web services by key, `back-<group>`, `periodic-<group>`, `scheduler`, `batch-<key>`. */
export function configuredWorkloads(config: Pick<InfraConfig, "services" | "jobs" | "batches">): ConfiguredWorkload[] {
  const jobs = config.jobs;
  return [
    ...Object.entries(config.services).map(([key, task]): ConfiguredWorkload => ({ name: key, kind: "web", configKey: `infra:services.${key}`, task })),
    ...Object.entries(jobs?.back ?? {}).map(([g, task]): ConfiguredWorkload => ({
      name: `back-${g}`,
      kind: "worker",
      configKey: `infra:jobs.back.${g}`,
      task,
    })),
    ...Object.entries(jobs?.periodic ?? {}).map(([g, task]): ConfiguredWorkload => ({
      name: `periodic-${g}`,
      kind: "worker",
      configKey: `infra:jobs.periodic.${g}`,
      task,
    })),
    ...(jobs ? [{ name: "scheduler", kind: "scheduler", configKey: "infra:jobs.scheduler", task: jobs.scheduler } satisfies ConfiguredWorkload] : []),
    ...Object.entries(config.batches).map(([key, task]): ConfiguredWorkload => ({
      name: `batch-${key}`,
      kind: "batch",
      configKey: `infra:batches.${key}`,
      task,
    })),
  ];
}
