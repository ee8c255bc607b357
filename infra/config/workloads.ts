import { type Colour, COLOURS } from "../../components/ecs/service-base";
import type { InfraConfig } from "./schema";

/** What every ECS workload's config holds that the tools look at. */
export interface WorkloadTaskConfig {
  readonly image: string;
  readonly secrets: Readonly<Record<string, string>>;
  readonly datadog?: { readonly apiKeySecretArn: string };
  /** @default TASK_DEFAULTS.enableExecuteCommand */
  readonly shell?: boolean;
}

/** One ECS workload of a stack's config, named as the stack's `workloads` output and the tools name it. */
export interface ConfiguredWorkload {
  readonly name: string;
  readonly kind: "web" | "worker" | "scheduler" | "batch";
  /** Its key in its section of the config (`web`, the group `default`, `clearing`); `scheduler` for the scheduler. */
  readonly key: string;
  /** Where it is configured: `infra:services.web`, `infra:jobs.back.default`. */
  readonly configKey: string;
  readonly task: WorkloadTaskConfig;
  /** A blue/green back group's colour: each colour is a workload of its own (`back-<group>-blue`). */
  readonly colour?: Colour;
}

/**
 * Every ECS workload of the config: web services by key, `back-<group>` (a blue/green group:
 * `back-<group>-blue` and `back-<group>-green`), `periodic-<group>`, `scheduler`, `batch-<key>`.
 */
export function configuredWorkloads(config: Pick<InfraConfig, "services" | "jobs" | "batches">): ConfiguredWorkload[] {
  const jobs = config.jobs;
  const of = (kind: ConfiguredWorkload["kind"], name: string, key: string, configKey: string, task: WorkloadTaskConfig): ConfiguredWorkload => ({
    name,
    kind,
    key,
    configKey,
    task,
  });
  return [
    ...Object.entries(config.services).map(([key, task]) => of("web", key, key, `infra:services.${key}`, task)),
    ...Object.entries(jobs?.back ?? {}).flatMap(([key, task]) =>
      task.release === "blueGreen"
        ? COLOURS.map((colour) => ({ ...of("worker", `back-${key}-${colour}`, key, `infra:jobs.back.${key}`, task), colour }))
        : [of("worker", `back-${key}`, key, `infra:jobs.back.${key}`, task)],
    ),
    ...Object.entries(jobs?.periodic ?? {}).map(([key, task]) => of("worker", `periodic-${key}`, key, `infra:jobs.periodic.${key}`, task)),
    ...(jobs ? [of("scheduler", "scheduler", "scheduler", "infra:jobs.scheduler", jobs.scheduler)] : []),
    ...Object.entries(config.batches).map(([key, task]) => of("batch", `batch-${key}`, key, `infra:batches.${key}`, task)),
  ];
}
