// The component library: what a product team imports (`import { BlueGreenService } from "infra/components"`).
// Each component comes with its args type; pure helpers that a caller may want (validators,
// tables of AWS limits) are exported too.
export { InfraComponent } from "./component";
export type { Problem } from "./problems";
export { LOG_RETENTION_DAYS, NAME_LIMITS, type LogRetentionDays } from "./aws-limits";

export { Vpc, type VpcArgs, type VpcFlowLogsArgs } from "./network/vpc";
export { planSubnets, type AzSubnets } from "./network/cidr";
export { INTERFACE_ENDPOINT_SERVICES, type InterfaceEndpointService, type NatStrategy } from "./network/vpc-options";

export { Cluster, type ClusterArgs, type ContainerInsights } from "./ecs/cluster";
export type { CapacityProviderStrategyItem } from "./ecs/capacity";
export {
  FargateTaskDefinition,
  type FargateTaskDefinitionArgs,
  type AppContainerArgs,
  type DatadogSidecarArgs,
  type LogRouterArgs,
} from "./ecs/task-definition";
export { cpuMemoryProblems, FARGATE_MEMORY_BY_CPU, type CpuArchitecture } from "./ecs/fargate";
export type { ContainerHealthCheck } from "./ecs/container";
export { ServiceAutoscaling, type ServiceAutoscalingArgs } from "./ecs/autoscaling";
export { type OneOffTaskSpec, type ServiceBaseArgs, type ServiceClusterRef } from "./ecs/service-base";
export { WorkerService, type WorkerServiceArgs, type WorkerAutoscalingArgs } from "./ecs/worker-service";
export { BlueGreenWorkers, type BlueGreenWorkersArgs, type WorkerColour } from "./ecs/blue-green-workers";
export { BlueGreenService, type BlueGreenServiceArgs, type WebAutoscalingArgs, type ReleaseAlarmArgs } from "./ecs/blue-green-service";

export { LoadBalancer, type LoadBalancerArgs, type TestListenerArgs } from "./loadbalancing/load-balancer";
export { HEALTH_CHECK_DEFAULTS, type TargetHealthCheckArgs } from "./loadbalancing/health-check";
export { TLS12_SSL_POLICIES, type Tls12SslPolicy } from "./loadbalancing/policies";
export {
  WebAcl,
  type WebAclArgs,
  type ManagedRuleGroupName,
  type ManagedRuleGroupUse,
  type WafMode,
  MANAGED_RULE_GROUPS,
  WAF_MODES,
  webAclCapacity,
} from "./loadbalancing/web-acl";
export { ECS_DEPLOYMENT_CONFIGS, type BlueGreenDeploymentArgs, type EcsDeploymentConfig } from "./deploy/codedeploy";
export { Release, type ReleaseArgs, type ReleaseSettings, type OneOffCommandArgs, releaseProblems } from "./deploy/release";
export { ReleasePlatform, type ReleasePlatformArgs } from "./deploy/release-platform";
export { type ReleaseTarget, parseTarget } from "./deploy/release-tool/target";
export { type WorkloadTarget, workloadTargetSchema } from "./deploy/release-tool/workload";
export { immutableImageProblem, parseImage, type ImageReference } from "./ecs/image";

export { BatchPlatform, type BatchPlatformArgs } from "./batch/batch-platform";
export { CronBatch, type CronBatchArgs, type ExistingBatchTask } from "./batch/cron-batch";
export { buildBatchDefinition, type BatchDefinitionSpec, type OverlapPolicy, type RetrySpec } from "./batch/definition";
export { scheduleProblem, timezoneProblem, type ScheduleExpression } from "./batch/schedule";

export { Redis, type RedisArgs, type RedisEngine } from "./data/redis";
export { maintenanceWindowInJst, snapshotWindowInJst } from "./data/windows";
export { JobPlatform, type JobPlatformArgs, type JobNamespaces, type JobTaskArgs, type SchedulerArgs, type WorkerGroupArgs } from "./jobs/job-platform";

export { WorkloadMonitors, type WorkloadMonitorsArgs, type WorkloadInput } from "./monitoring/workload-monitors";
export { ServiceSlo, type ServiceSloArgs, type SloSettings, BURN_RATES, SLO_TIMEFRAMES } from "./monitoring/service-slo";
export { StackDashboard, type StackDashboardArgs, dashboardBody } from "./monitoring/stack-dashboard";
export { PagerDutyRouting, type PagerDutyRoutingArgs, type EscalationTarget } from "./monitoring/pagerduty-routing";
export { monitorsFor, silenceWindowHours, type MonitorSpec, type Workload, type CatalogContext } from "./monitoring/catalog";
export { stackRouting, handleProblem, type AlertRouting } from "./monitoring/routing";
