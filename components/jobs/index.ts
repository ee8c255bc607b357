// Async jobs: the scheduler / worker split and the back workers on their Redis namespaces.
// Imported as `@shop-sre/infra/jobs` (or everything at once from `@shop-sre/infra`).
export {
  JobPlatform,
  NAMESPACE_DEFAULTS,
  type JobPlatformArgs,
  type JobNamespaces,
  type JobTaskArgs,
  type SchedulerArgs,
  type WorkerGroupArgs,
} from "./job-platform";
