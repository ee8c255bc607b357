// ECS on Fargate: the cluster, task definitions, blue/green web services, workers, autoscaling.
// Imported as `@shop-sre/infra/ecs` (or everything at once from `@shop-sre/infra`).
export { Cluster, type ClusterArgs, type ContainerInsights } from "./cluster";
export type { CapacityProviderStrategyItem } from "./capacity";
export {
  FargateTaskDefinition,
  TASK_DEFAULTS,
  type FargateTaskDefinitionArgs,
  type AppContainerArgs,
  type DatadogSidecarArgs,
  type LogRouterArgs,
} from "./task-definition";
export { cpuMemoryProblems, FARGATE_MEMORY_BY_CPU, type CpuArchitecture } from "./fargate";
export type { ContainerHealthCheck } from "./container";
export { ServiceAutoscaling, type ServiceAutoscalingArgs } from "./autoscaling";
export { type OneOffTaskSpec, type ServiceBaseArgs, type ServiceClusterRef } from "./service-base";
export { WorkerService, type WorkerServiceArgs, type WorkerAutoscalingArgs } from "./worker-service";
export { BlueGreenWorkers, type BlueGreenWorkersArgs, type WorkerColour } from "./blue-green-workers";
export { BlueGreenService, type BlueGreenServiceArgs, type WebAutoscalingArgs, type ReleaseAlarmArgs } from "./blue-green-service";
export { immutableImageProblem, parseImage, type ImageReference } from "./image";
