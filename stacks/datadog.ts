import type { DatadogSidecarArgs } from "../components/ecs/task-definition";
import type { StackConfig } from "../infra/config/schema";
import type { ServiceConfig } from "../infra/config/services";

/**
 * The Datadog agent sidecar of a workload that asks for one, with unified service tags: `env`
 * from the stack's `env` tag (else its name), `service` from the workload.
 */
export function datadogSidecar(config: StackConfig, datadog: ServiceConfig["datadog"], service: string): { datadog?: DatadogSidecarArgs } {
  return datadog ? { datadog: { ...datadog, env: config.tags.env ?? config.name, service } } : {};
}
