// Releases: the deployment settings of both controllers (CodeDeploy, ECS), the Release component
// and the release tool's target shapes. Imported as `@shop-sre/infra/deploy` (or everything at
// once from `@shop-sre/infra`).
export {
  DEPLOYMENT_CONTROLLERS,
  DEPLOYMENT_DEFAULTS,
  ECS_DEPLOYMENT_CONFIGS,
  ECS_STRATEGIES,
  GATE_TIMEOUT_ACTIONS,
  type BlueGreenDeploymentArgs,
  type CanaryArgs,
  type DeploymentController,
  type EcsDeploymentConfig,
  type EcsStrategy,
  type GateTimeoutAction,
  type LinearArgs,
} from "./deployment";
export {
  DRAIN_DEFAULTS,
  ONE_OFF_DEFAULTS,
  Release,
  RELEASE_DEFAULTS,
  type ReleaseArgs,
  type ReleaseSettings,
  type OneOffCommandArgs,
  oneOffCommandProblems,
  releaseProblems,
  releaseSettingsProblems,
} from "./release";
export { ReleasePlatform, type ReleasePlatformArgs } from "./release-platform";
