import { notOneOf, type Problem } from "../problems";

/** Who releases a blue/green web service: CodeDeploy (a deployment group) or ECS itself (a service deployment). The first is the default. */
export const DEPLOYMENT_CONTROLLERS = ["codeDeploy", "ecs"] as const;
export type DeploymentController = (typeof DEPLOYMENT_CONTROLLERS)[number];

/** CodeDeploy's predefined deployment configurations for ECS. The first is the default. */
export const ECS_DEPLOYMENT_CONFIGS = [
  "CodeDeployDefault.ECSAllAtOnce",
  "CodeDeployDefault.ECSCanary10Percent5Minutes",
  "CodeDeployDefault.ECSCanary10Percent15Minutes",
  "CodeDeployDefault.ECSLinear10PercentEvery1Minutes",
  "CodeDeployDefault.ECSLinear10PercentEvery3Minutes",
] as const;
export type EcsDeploymentConfig = (typeof ECS_DEPLOYMENT_CONFIGS)[number];

/** How the ECS controller moves production traffic. The first is the default: old and new code never serve together. */
export const ECS_STRATEGIES = ["allAtOnce", "canary", "linear"] as const;
export type EcsStrategy = (typeof ECS_STRATEGIES)[number];

/** What happens to a gate nobody answers. The first is the default. */
export const GATE_TIMEOUT_ACTIONS = ["rollback", "continue"] as const;
export type GateTimeoutAction = (typeof GATE_TIMEOUT_ACTIONS)[number];

/** CodeDeploy keeps the old task set at most 2 days (2880 minutes) after a successful switch. */
export const MAX_TERMINATION_WAIT_MINUTES = 2880;
/** ECS bakes (keeps the old revision, for a rollback) at most a day: `bakeTimeInMinutes` 0-1440. */
export const MAX_ECS_BAKE_MINUTES = 1440;
/** CodeDeploy waits for an approval at most 2 days (2880 minutes) before giving up; an ECS pause hook up to 20160, held to the same 2 days. */
export const MAX_READY_WAIT_MINUTES = 2880;

/** A canary: `percent` of production traffic first, the rest after `bakeMinutes`. */
export interface CanaryArgs {
  /** Percent of production traffic on the new tasks first (0.1-100). @default 10 */
  readonly percent?: number;
  /** Minutes before the rest moves (0-1440). @default 5 */
  readonly bakeMinutes?: number;
}

/** Linear: `stepPercent` more production traffic every `stepMinutes`. */
export interface LinearArgs {
  /** Percent of production traffic moved at each step (3-100). @default 10 */
  readonly stepPercent?: number;
  /** Minutes between two steps (0-1440). @default 1 */
  readonly stepMinutes?: number;
}

/** How a blue/green release behaves. */
export interface BlueGreenDeploymentArgs {
  /**
   * Who releases the service: `codeDeploy` (a deployment group; the release tool creates each
   * deployment) or `ecs` (ECS's own blue/green: `pulumi up` updates the service's task
   * definition, ECS moves the traffic). Changing it on a running service is a migration
   * (docs/releasing.md, "Moving a service from CodeDeploy to ECS").
   * @default "codeDeploy"
   */
  readonly controller?: DeploymentController;
  /** With `codeDeploy`: how traffic moves. @default "CodeDeployDefault.ECSAllAtOnce" (old and new code never serve together) */
  readonly config?: EcsDeploymentConfig;
  /** With `ecs`: how traffic moves. @default "allAtOnce" (old and new code never serve together) */
  readonly strategy?: EcsStrategy;
  /** With `ecs` and the `canary` strategy. @default 10 percent, the rest after 5 minutes */
  readonly canary?: CanaryArgs;
  /** With `ecs` and the `linear` strategy. @default 10 percent every minute */
  readonly linear?: LinearArgs;
  /**
   * Minutes the old tasks are kept after the switch, for an instant rollback: CodeDeploy's
   * termination wait (0-2880), ECS's bake time (0-1440).
   * @default 2
   */
  readonly terminationWaitMinutes?: number;
  /**
   * The manual gate: minutes to wait, with the new tasks healthy behind the test listener and
   * production traffic on the old ones, for someone to continue (0-2880). 0 switches production
   * traffic at once. CodeDeploy: the ready wait; ECS: a pause hook after the test traffic shift.
   * @default 0
   */
  readonly readyWaitMinutes?: number;
  /**
   * What a gate nobody answers does when its time is up: `rollback` (production never left the
   * old tasks) or, with `ecs` only, `continue` (production traffic moves). CodeDeploy's ready
   * wait can only stop.
   * @default "rollback"
   */
  readonly readyTimeoutAction?: GateTimeoutAction;
  /**
   * With `ecs`: the target group production traffic is on when ECS takes the service over. Only
   * for a service moving from CodeDeploy, whose last release may have left production on green
   * (`npm run release:status` says which); the release refuses to start when it is not so.
   * @default "blue"
   */
  readonly productionTargetGroup?: "blue" | "green";
}

/** What a blue/green release does when its settings leave these unset. */
export const DEPLOYMENT_DEFAULTS = {
  controller: "codeDeploy",
  config: "CodeDeployDefault.ECSAllAtOnce",
  strategy: "allAtOnce",
  canary: { percent: 10, bakeMinutes: 5 },
  linear: { stepPercent: 10, stepMinutes: 1 },
  terminationWaitMinutes: 2,
  readyWaitMinutes: 0,
  readyTimeoutAction: "rollback",
  productionTargetGroup: "blue",
} as const satisfies Required<BlueGreenDeploymentArgs>;

/** Minutes ECS takes to move production traffic in full by the strategy: a canary's bake, the waits between linear steps; 0 all at once. */
export function trafficShiftMinutes(args: BlueGreenDeploymentArgs): number {
  const strategy = args.strategy ?? DEPLOYMENT_DEFAULTS.strategy;
  if (strategy === "canary") return args.canary?.bakeMinutes ?? DEPLOYMENT_DEFAULTS.canary.bakeMinutes;
  if (strategy !== "linear") return 0;
  const step = { ...DEPLOYMENT_DEFAULTS.linear, ...args.linear };
  return (Math.ceil(100 / step.stepPercent) - 1) * step.stepMinutes;
}

/** `value` outside `min`-`max` (or not whole, when `whole`), as a problem of `field`. */
function rangeProblem(field: string, value: number | undefined, min: number, max: number, whole = true): Problem[] {
  if (value === undefined || (Number.isFinite(value) && (!whole || Number.isInteger(value)) && value >= min && value <= max)) return [];
  return [{ field, message: `${value} is out of range (${min}-${max}${whole ? ", whole minutes" : ""})` }];
}

/** Problems of the deployment settings, each naming the argument; shared with the stack config. */
export function deploymentProblems(args: BlueGreenDeploymentArgs): Problem[] {
  const problems: Problem[] = [];
  const controller = args.controller ?? DEPLOYMENT_DEFAULTS.controller;
  // Typed in TypeScript, but a JavaScript caller or another language (plugin/) passes any string.
  if (!DEPLOYMENT_CONTROLLERS.includes(controller)) return [{ field: "controller", message: notOneOf(controller, DEPLOYMENT_CONTROLLERS) }];
  if (args.config !== undefined && !ECS_DEPLOYMENT_CONFIGS.includes(args.config)) {
    problems.push({
      field: "config",
      message: `${JSON.stringify(args.config)} is not an ECS deployment config; allowed: ${ECS_DEPLOYMENT_CONFIGS.join(", ")}`,
    });
  }
  if (args.strategy !== undefined && !ECS_STRATEGIES.includes(args.strategy))
    problems.push({ field: "strategy", message: notOneOf(args.strategy, ECS_STRATEGIES) });
  if (args.productionTargetGroup !== undefined && !["blue", "green"].includes(args.productionTargetGroup))
    problems.push({ field: "productionTargetGroup", message: notOneOf(args.productionTargetGroup, ["blue", "green"]) });
  if (args.readyTimeoutAction !== undefined && !GATE_TIMEOUT_ACTIONS.includes(args.readyTimeoutAction))
    problems.push({ field: "readyTimeoutAction", message: notOneOf(args.readyTimeoutAction, GATE_TIMEOUT_ACTIONS) });
  // Each controller's own settings, refused under the other: a canary that silently did not happen is worse than an error.
  if (controller === "codeDeploy") {
    for (const field of ["strategy", "canary", "linear", "productionTargetGroup"] as const) {
      if (args[field] !== undefined) problems.push({ field, message: `is the ECS controller's (controller: ecs); CodeDeploy moves traffic by its config` });
    }
    if (args.readyTimeoutAction === "continue")
      problems.push({
        field: "readyTimeoutAction",
        message: `"continue" needs controller: ecs: CodeDeploy's ready wait can only stop the deployment when nobody answers`,
      });
  } else {
    if (args.config !== undefined)
      problems.push({ field: "config", message: "is CodeDeploy's (controller: codeDeploy); with controller: ecs, traffic moves by strategy" });
    const strategy = args.strategy ?? DEPLOYMENT_DEFAULTS.strategy;
    for (const field of ["canary", "linear"] as const) {
      if (args[field] !== undefined && strategy !== field) problems.push({ field, message: `needs strategy: ${field} (strategy is ${strategy})` });
    }
    problems.push(...rangeProblem("canary.percent", args.canary?.percent, 0.1, 100, false));
    problems.push(...rangeProblem("canary.bakeMinutes", args.canary?.bakeMinutes, 0, MAX_ECS_BAKE_MINUTES));
    problems.push(...rangeProblem("linear.stepPercent", args.linear?.stepPercent, 3, 100, false));
    problems.push(...rangeProblem("linear.stepMinutes", args.linear?.stepMinutes, 0, MAX_ECS_BAKE_MINUTES));
  }
  const maxWait = controller === "ecs" ? MAX_ECS_BAKE_MINUTES : MAX_TERMINATION_WAIT_MINUTES;
  const wait = args.terminationWaitMinutes;
  if (wait !== undefined && (!Number.isInteger(wait) || wait < 0 || wait > maxWait)) {
    const why =
      controller === "ecs" && Number.isInteger(wait) && wait > maxWait
        ? `: ECS's bake time is at most a day (CodeDeploy's termination wait: ${MAX_TERMINATION_WAIT_MINUTES})`
        : "";
    problems.push({ field: "terminationWaitMinutes", message: `${wait} is out of range (0-${maxWait})${why}` });
  }
  const ready = args.readyWaitMinutes;
  if (ready !== undefined && (!Number.isInteger(ready) || ready < 0 || ready > MAX_READY_WAIT_MINUTES)) {
    problems.push({ field: "readyWaitMinutes", message: `${ready} is out of range (0-${MAX_READY_WAIT_MINUTES})` });
  }
  if (args.readyTimeoutAction !== undefined && (ready ?? 0) === 0)
    problems.push({ field: "readyTimeoutAction", message: "needs a gate (readyWaitMinutes above 0)" });
  return problems;
}
