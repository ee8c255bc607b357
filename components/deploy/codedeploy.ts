import type { Problem } from "../problems";

/** CodeDeploy's predefined deployment configurations for ECS. The first is the default. */
export const ECS_DEPLOYMENT_CONFIGS = [
  "CodeDeployDefault.ECSAllAtOnce",
  "CodeDeployDefault.ECSCanary10Percent5Minutes",
  "CodeDeployDefault.ECSCanary10Percent15Minutes",
  "CodeDeployDefault.ECSLinear10PercentEvery1Minutes",
  "CodeDeployDefault.ECSLinear10PercentEvery3Minutes",
] as const;
export type EcsDeploymentConfig = (typeof ECS_DEPLOYMENT_CONFIGS)[number];

/** CodeDeploy keeps the old task set at most 2 days (2880 minutes) after a successful switch. */
export const MAX_TERMINATION_WAIT_MINUTES = 2880;
/** CodeDeploy waits for an approval at most 2 days (2880 minutes) before giving up. */
export const MAX_READY_WAIT_MINUTES = 2880;

/** How a blue/green release behaves. */
export interface BlueGreenDeploymentArgs {
  /** How traffic moves. @default "CodeDeployDefault.ECSAllAtOnce" (old and new code never serve together) */
  readonly config?: EcsDeploymentConfig;
  /** Minutes the old task set is kept after the switch, for an instant rollback (0-2880). @default 2 */
  readonly terminationWaitMinutes?: number;
  /**
   * Minutes to wait, after the new tasks are healthy behind the test listener, for someone to
   * continue the deployment (0-2880). 0 switches production traffic at once.
   * @default 0
   */
  readonly readyWaitMinutes?: number;
}

/** What a blue/green release does when its settings leave these unset. */
export const DEPLOYMENT_DEFAULTS = {
  config: "CodeDeployDefault.ECSAllAtOnce",
  terminationWaitMinutes: 2,
  readyWaitMinutes: 0,
} as const satisfies Required<BlueGreenDeploymentArgs>;

/** Problems of the deployment settings, each naming the argument; shared with the stack config. */
export function deploymentProblems(args: BlueGreenDeploymentArgs): Problem[] {
  const problems: Problem[] = [];
  if (args.config !== undefined && !ECS_DEPLOYMENT_CONFIGS.includes(args.config)) {
    problems.push({
      field: "config",
      message: `${JSON.stringify(args.config)} is not an ECS deployment config; allowed: ${ECS_DEPLOYMENT_CONFIGS.join(", ")}`,
    });
  }
  const wait = args.terminationWaitMinutes;
  if (wait !== undefined && (!Number.isInteger(wait) || wait < 0 || wait > MAX_TERMINATION_WAIT_MINUTES)) {
    problems.push({ field: "terminationWaitMinutes", message: `${wait} is out of range (0-${MAX_TERMINATION_WAIT_MINUTES})` });
  }
  const ready = args.readyWaitMinutes;
  if (ready !== undefined && (!Number.isInteger(ready) || ready < 0 || ready > MAX_READY_WAIT_MINUTES)) {
    problems.push({ field: "readyWaitMinutes", message: `${ready} is out of range (0-${MAX_READY_WAIT_MINUTES})` });
  }
  return problems;
}
