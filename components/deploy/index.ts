// Releases: CodeDeploy settings, the Release component and the release tool's target shapes.
// Imported as `@shop-sre/infra/deploy` (or everything at once from `@shop-sre/infra`).
export { DEPLOYMENT_DEFAULTS, ECS_DEPLOYMENT_CONFIGS, type BlueGreenDeploymentArgs, type EcsDeploymentConfig } from "./codedeploy";
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
