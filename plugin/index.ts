// The component library for every Pulumi language (C#, Python, Go, YAML...): `pulumi package add`
// of this folder generates a typed SDK from these classes. Pulumi's Node host starts the folder
// with `@pulumi/pulumi/cmd/run-plugin`, which loads this file (package.json `main`) under ts-node
// with type checking and serves the component classes it exports (ComponentProvider): their
// schema is inferred from this TypeScript, the package's name and version are package.json's.
//
// run-plugin compiles with target ES2020 and, in a consumer's folder without a tsconfig, no
// `lib`: the line below gives the whole plugin the library the components are written against.
/// <reference lib="es2023" />
// Each class adapts the library's component of the same name: its args are what Pulumi's schema
// can carry (plain values, inputs, arrays, maps, named interfaces; ids instead of objects), and
// the library's component, created as its only child, checks them (with the messages a
// TypeScript caller gets) and creates the resources.
export { Vpc, type VpcArgs, type VpcFlowLogs } from "./vpc";
export { Cluster, type ClusterArgs } from "./cluster";
export { LoadBalancer, type LoadBalancerArgs, type TestListener, type WebAclSettings } from "./load-balancer";
export {
  FargateTaskDefinition,
  type FargateTaskDefinitionArgs,
  type TaskSettings,
  type AppContainer,
  type ContainerHealthCheck,
  type DatadogSidecar,
  type LogRouter,
} from "./task-definition";
export {
  BlueGreenService,
  type BlueGreenServiceArgs,
  type LoadBalancerRef,
  type WebAutoscaling,
  type TargetHealthCheck,
  type BlueGreenDeployment,
  type ReleaseAlarms,
  type ServiceRelease,
  type ReleasePlatformRef,
  type OneOffCommand,
} from "./blue-green-service";
export { ReleasePlatform, type ReleasePlatformArgs } from "./release-platform";
export { WorkerService, type WorkerServiceArgs, type WorkerAutoscaling } from "./worker-service";
export { Redis, type RedisArgs, type CacheSettings } from "./redis";
export { JobPlatform, type JobPlatformArgs, type WorkerGroup, type Scheduler, type JobNamespaces } from "./job-platform";
export { ServiceAutoscaling, type ServiceAutoscalingArgs, type RequestScaling } from "./autoscaling";
export { WebAcl, type WebAclArgs, type ManagedRuleGroup } from "./web-acl";
export { BatchPlatform, type BatchPlatformArgs } from "./batch-platform";
export { CronBatch, type CronBatchArgs, type BatchPlatformRef, type ExistingTask, type Retry } from "./cron-batch";
export { WorkloadMonitors, type WorkloadMonitorsArgs } from "./workload-monitors";
export { ServiceSlo, type ServiceSloArgs, type SloSettings } from "./service-slo";
export { StackDashboard, type StackDashboardArgs } from "./stack-dashboard";
export { PagerDutyRouting, type PagerDutyRoutingArgs, type Escalation, type EscalationTarget } from "./pagerduty-routing";
export type { MonitoredWorkload, WafWatch, Routing, MonitoringContext } from "./workload";
export type { CapacityProviderStrategy, PolicyStatement, ClusterRef } from "./shared";
